import fs from 'node:fs';
import path from 'node:path';

import { DETECTION_THRESHOLD } from '../../../shared/connectors/csvProfile';
import { detectProfile } from '../../../shared/connectors/detect';
import { CSV_PROFILES } from '../../../shared/connectors/registry';
import { firstLinesOf, readVendorCsv } from '../../../shared/connectors/vendorCsv';
import type { DetectionSample } from '../../../shared/connectors/vendorProfile';

const VENDORS = path.join(__dirname, '..', '..', 'fixtures', 'vendors');

function sampleOf(fileName: string, text: string): DetectionSample {
  return { format: 'csv', fileName, headers: readVendorCsv(text).headers, firstLines: firstLinesOf(text) };
}

const FIXTURE_PROFILES: [string, string][] = [
  ['zenoti/appointments.csv', 'zenoti.appointments'],
  ['zenoti/appointments_variant.csv', 'zenoti.appointments'],
  ['zenoti/employee_sales.csv', 'zenoti.employee_sales'],
  ['zenoti/memberships.csv', 'zenoti.memberships'],
  ['zenoti/business_kpi_October-2026.csv', 'zenoti.business_kpi'],
  ['square/transactions.csv', 'square.transactions'],
  ['square/items.csv', 'square.items'],
  ['google_ads/campaign_report.csv', 'google_ads.campaigns'],
  ['google_ads/campaign_report_month.csv', 'google_ads.campaigns'],
  ['meta_ads/ads_manager.csv', 'meta_ads.ads_manager'],
  ['meta_ads/ads_manager_de.csv', 'meta_ads.ads_manager'],
  ['adp/payroll.csv', 'adp.payroll_export'],
];

describe('vendor detection', () => {
  it.each(FIXTURE_PROFILES)('recognizes %s as %s, whatever the file is called', (fixture, profileId) => {
    const text = fs.readFileSync(path.join(VENDORS, fixture), 'utf8');

    for (const name of [path.basename(fixture), 'export (3).csv']) {
      const detection = detectProfile(sampleOf(name, text));
      expect(detection.kind === 'recognized' && detection.profile.id).toBe(profileId);
    }
  });

  it('scores a report well above every other CSV profile', () => {
    for (const [fixture, profileId] of FIXTURE_PROFILES) {
      const sample = sampleOf('export.csv', fs.readFileSync(path.join(VENDORS, fixture), 'utf8'));
      const scores = CSV_PROFILES.map((p) => ({ id: p.id, score: p.detect(sample) }));
      const own = scores.find((s) => s.id === profileId)!.score;
      const others = scores.filter((s) => s.id !== profileId && s.score >= own);
      expect({ fixture, own: own >= DETECTION_THRESHOLD, others }).toEqual({
        fixture,
        own: true,
        others: [],
      });
    }
  });

  it('names the three closest profiles by header overlap for a file it does not recognize', () => {
    const detection = detectProfile(
      sampleOf('mangomint_sales.csv', 'Sale Date,Client Name,Item,Gross Sales,Staff Name,Location,Tax\n'),
    );

    expect(detection.kind).toBe('unrecognized');
    if (detection.kind !== 'unrecognized') return;
    expect(detection.closest.map((c) => c.profile.id)).toEqual([
      'square.items',
      'square.transactions',
      'zenoti.employee_sales',
    ]);
    expect(detection.message).toContain('caliper map mangomint_sales.csv');
  });

  it('takes the profile named by --profile without scoring, and rejects a profile that does not exist', () => {
    const sample = sampleOf('anything.csv', 'a,b,c\n1,2,3\n');

    const forced = detectProfile(sample, { profileId: 'square.items' });
    expect(forced.kind === 'recognized' && forced.forced && forced.profile.id).toBe('square.items');
    const unknown = detectProfile(sample, { profileId: 'square.payouts' });
    expect(unknown.kind === 'unrecognized' && unknown.message).toMatch(
      /there is no profile "square\.payouts"/,
    );
  });
});
