import fs from 'node:fs';
import path from 'node:path';

import { z } from 'zod';

import { convertVendorFile } from '../../../shared/connectors/vendorConversion';

const VENDORS = path.join(__dirname, '..', '..', 'fixtures', 'vendors');

/** Every fixture with its hand-written expected canonical rows beside it (`<name>.expected.json`). */
const FIXTURES = [
  'zenoti/appointments.csv',
  'zenoti/appointments_variant.csv',
  'zenoti/employee_sales.csv',
  'zenoti/memberships.csv',
  'zenoti/business_kpi_October-2026.csv',
  'square/transactions.csv',
  'square/items.csv',
  'google_ads/campaign_report.csv',
  'google_ads/campaign_report_month.csv',
  'meta_ads/ads_manager.csv',
  'meta_ads/ads_manager_de.csv',
  'adp/payroll.csv',
];

const Expected = z.object({
  profile: z.string(),
  // `fx`: the user's exchange rates (`--fx EUR=1.08`) for a fixture in another currency.
  options: z.object({ locationId: z.string().optional(), fx: z.record(z.string(), z.number()).optional() }),
  records: z.array(z.unknown()),
  issues: z.array(z.unknown()),
});

function expectedOf(fixture: string) {
  const file = path.join(VENDORS, fixture.replace(/\.csv$/, '.expected.json'));
  return Expected.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
}

describe.each(FIXTURES)('the vendor fixture %s', (fixture) => {
  it('is recognized as its profile and converts to exactly the hand-written canonical rows', () => {
    const expected = expectedOf(fixture);
    const outcome = convertVendorFile(
      {
        name: path.basename(fixture),
        displayPath: fixture,
        content: fs.readFileSync(path.join(VENDORS, fixture)),
      },
      {
        locationId: expected.options.locationId,
        fxRates: new Map(Object.entries(expected.options.fx ?? {})),
      },
    );

    expect(outcome.kind).toBe('converted');
    if (outcome.kind !== 'converted') return;
    expect(outcome.profile.id).toBe(expected.profile);
    expect(outcome.records).toEqual(expected.records);
    expect(outcome.issues).toEqual(expected.issues);
  });
});
