import fs from 'node:fs';
import path from 'node:path';

import { convertVendorFile, type VendorFileOutcome } from '../../../shared/connectors/vendorConversion';

/*
 * Money cells of the CSV profiles go through money.ts like every JSON amount: an unusable cell
 * rejects its row with the reason, the vendor's conventions (Google Ads' micros, Square's
 * negative discounts, Zenoti's refund rows) are explicit, and nothing becomes 0 silently.
 */

const VENDORS = path.join(__dirname, '..', '..', 'fixtures', 'vendors');

function convertVariant(
  fixture: string,
  replace: (text: string) => string,
  locationId?: string,
): Extract<VendorFileOutcome, { kind: 'converted' }> {
  const original = fs.readFileSync(path.join(VENDORS, fixture), 'utf8');
  const text = replace(original);
  expect(text).not.toBe(original);
  const outcome = convertVendorFile(
    { name: path.basename(fixture), displayPath: fixture, content: Buffer.from(text) },
    { locationId },
  );
  if (outcome.kind !== 'converted') throw new Error(`${fixture}: ${JSON.stringify(outcome)}`);
  return outcome;
}

const errorsOf = (outcome: Extract<VendorFileOutcome, { kind: 'converted' }>) =>
  outcome.issues.filter((i) => i.severity === 'error').map((i) => [i.row, i.column, i.code, i.message]);

describe('CSV money cells through money.ts', () => {
  it('rejects a Zenoti row with a fraction of a cent, saying why, and keeps the other rows', () => {
    const outcome = convertVariant('zenoti/employee_sales.csv', (t) =>
      t.replace('"100.00","108.25"', '"100.00","108.255"'),
    );
    expect(errorsOf(outcome)).toEqual([
      [
        3,
        'Sales (Inc.Tax)',
        'invalid_money',
        '"108.255" is not an amount of money: 3 decimals: this export\'s amounts are whole cents, and a fraction of a cent is not rounded away',
      ],
    ]);
    expect(outcome.rows.rejected).toBe(1);
    expect(outcome.records.filter((r) => r.entity === 'sales' && r.sourceRow === 3)).toEqual([]);
  });

  it('rejects a Zenoti amount beyond range instead of reading it', () => {
    const outcome = convertVariant('zenoti/employee_sales.csv', (t) =>
      t.replace('"520.00","520.00","100","520.00"', '"1E+25","520.00","100","520.00"'),
    );
    expect(errorsOf(outcome)).toEqual([
      [2, 'Sales(Exc. Tax)', 'invalid_money', expect.stringContaining('beyond ±9,999,999,999.99')],
    ]);
  });

  it('computes a split employee share of the tax exactly (Zenoti)', () => {
    // $100.00 + $8.25 tax, half the sale: $4.125 of tax, rounded once half away from zero to $4.13.
    const outcome = convertVariant('zenoti/employee_sales.csv', (t) =>
      t.replace('"100.00","108.25","100","100.00"', '"100.00","108.25","50","50.00"'),
    );
    const line = outcome.records.find((r) => r.entity === 'sales' && r.sourceRow === 3);
    expect(line?.values).toMatchObject({ gross: '50.00', tax: '4.13' });
  });

  it('rounds a Google Ads cost with more than 2 decimals (its micros) to the cent', () => {
    const outcome = convertVariant(
      'google_ads/campaign_report.csv',
      (t) => t.replace(',125.10,', ',125.105,'),
      'L1',
    );
    expect(errorsOf(outcome)).toEqual([]);
    expect(outcome.records.find((r) => r.entity === 'marketing_spend')?.values.spend).toBe('144.76');
  });

  it('rejects a negative ad spend rather than flipping it (Meta Ads Manager)', () => {
    const outcome = convertVariant(
      'meta_ads/ads_manager.csv',
      (t) => t.replace(',612.15,', ',-612.15,'),
      'L1',
    );
    expect(errorsOf(outcome)).toEqual([
      [3, 'Amount spent (USD)', 'invalid_money', expect.stringContaining('negative')],
    ]);
  });

  it('turns Square discounts (negative in Square) into canonical positive discounts, by their sign', () => {
    const outcome = convertVariant('square/items.csv', (t) =>
      t.replace('$480.00,-$30.00,', '$480.00,-$30.01,'),
    );
    expect(outcome.records.find((r) => r.entity === 'sales' && r.sourceRow === 2)?.values.discount).toBe(
      '30.01',
    );
  });

  it('keeps ADP wages exact when they are what is left of gross pay', () => {
    const outcome = convertVariant('adp/payroll.csv', (t) => t.replace('"$9,615.38"', '"$9,615.39"'), 'L1');
    expect(outcome.records.find((r) => r.entity === 'payroll' && r.sourceRow === 3)?.values.wages).toBe(
      '8615.39',
    );
  });
});
