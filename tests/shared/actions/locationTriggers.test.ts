import type { Action } from '../../../shared/actions/action';
import { traceOf } from '../../../shared/actions/actionJson';
import {
  lastCompleteMonth,
  monthsWindow,
  noShowSpike,
  providerAlerts,
} from '../../../shared/actions/locationTriggers';
import { locationActions } from '../../../shared/actions/triggers';
import { type DailyMeasure, M } from '../../../shared/engine/measures';
import { MetricContext } from '../../../shared/metrics/metricContext';
import type { ProviderInfo } from '../../../shared/metrics/metricData';
import { addMonths, firstDayOfMonth } from '../../../shared/model/localDate';
import { location, metricData } from '../../support/metricData';

/*
 * Daily measures built by hand; the engine's answers below are worked out by hand too.
 * The month measured is 2026-06 (asOf 2026-06-30); providers are judged over 2026-04 … 2026-06.
 *
 * Location H, one sale line day a month, providers (production and wages per month, on the 10th):
 *   P1 $10,000 / $5,500 → 3 months: $16,500 on $30,000 = 0.55, above the band: gap
 *      $16,500 − 0.40 × $30,000 = $4,500.00.
 *   P2 $10,000 / $3,000 → 0.30, below the band: no dollars.
 *   P3 $20,000 in April only / $8,000 → 0.40: in the band.
 *   P4 $5,000 a month, no payroll: no ratio, noted.
 *   P5 $10,000, $10,000, then $4,000 in June (a vacation) / $4,000 a month → June alone 1.00, the three
 *      months $12,000 / $24,000 = 0.50 exactly: in the band, no alert (the three-month window).
 * No-shows (location rows), each month 2025-12 … 2026-05: 90 visits, 6 no-shows, 4 late cancels =
 *   100 appointments; June: 76 visits, 20 no-shows, 4 late cancels. Rate 0.20 against 36/600 = 0.06:
 *   3.3× and 14 points up — a spike. Gap: (20 − 0.065 × 100) = 13.5 no-shows × ($7,600 / 76 = $100
 *   per visit) = $1,350.00.
 * Location B (the boundary): 4 no-shows in 100 each month, then 6 in 100 in June: 0.06 against
 *   0.04 is exactly 1.5× and exactly 2 points — a spike; 6 < 6.5 expected at the target: $0.00.
 * Location K: 0.08 against 0.06: 1.33×, no spike. Location Q: 0.035 against 0.02: 1.75× but 1.5
 *   points, no spike. Location S: 10 appointments in June: too few to judge.
 */

const ASOF = '2026-06-30';
const daily: DailyMeasure[] = [];
const add = (locationId: string, providerId: string, day: string, measure: string, value: number) =>
  daily.push({ locationId, providerId, day, measure, value });

for (const month of ['2026-04', '2026-05', '2026-06']) {
  const day = `${month}-10`;
  add('H', '', day, M.saleLines, 10);
  add('H', 'P1', day, M.production, 1_000_000);
  add('H', 'P1', day, M.compWages, 550_000);
  add('H', 'P2', day, M.production, 1_000_000);
  add('H', 'P2', day, M.compWages, 300_000);
  add('H', 'P4', day, M.production, 500_000);
  add('H', 'P5', day, M.production, month === '2026-06' ? 400_000 : 1_000_000);
  add('H', 'P5', day, M.compWages, 400_000);
}
add('H', 'P3', '2026-04-10', M.production, 2_000_000);
add('H', 'P3', '2026-05-20', M.compWages, 800_000);

/** Six months of a steady no-show rate, then June. */
function appointments(
  locationId: string,
  base: { visits: number; noShows: number; late: number },
  june: { visits: number; noShows: number; late: number },
) {
  for (let i = -6; i <= 0; i++) {
    const month = addMonths('2026-06', i);
    const counts = i === 0 ? june : base;
    const day = firstDayOfMonth(month).replace(/01$/, '15');
    add(locationId, '', day, M.visits, counts.visits);
    add(locationId, '', day, M.noShows, counts.noShows);
    add(locationId, '', day, M.lateCancels, counts.late);
    add(locationId, '', day, M.net('service'), counts.visits * 10_000);
    add(locationId, '', day, M.saleLines, counts.visits);
  }
}
appointments('H', { visits: 90, noShows: 6, late: 4 }, { visits: 76, noShows: 20, late: 4 });
appointments('B', { visits: 92, noShows: 4, late: 4 }, { visits: 90, noShows: 6, late: 4 });
appointments('K', { visits: 90, noShows: 6, late: 4 }, { visits: 88, noShows: 8, late: 4 });
appointments('Q', { visits: 95, noShows: 2, late: 3 }, { visits: 190, noShows: 7, late: 3 });
appointments('S', { visits: 90, noShows: 6, late: 4 }, { visits: 5, noShows: 5, late: 0 });

const roster: ProviderInfo[] = ['P1', 'P2', 'P3', 'P4', 'P5'].map((id) => ({
  provider_id: id,
  location_id: 'H',
  display_name: `Provider ${id.slice(1)}`,
  role: null,
}));
const data = {
  ...metricData(
    ['H', 'B', 'K', 'Q', 'S'].map((id) => location(id, { name: `Clinic ${id}` })),
    daily,
    { first: '2025-12-01', last: ASOF },
  ),
  providers: roster,
};
const ctx = new MetricContext(data);

const byId = (actions: Action[]) => Object.fromEntries(actions.map((a) => [a.id, a]));
const factValues = (a: Action) => Object.fromEntries(a.facts.map((f) => [f.name, f.value]));

describe('the month measured', () => {
  it('is the last complete month on asOf', () => {
    expect(lastCompleteMonth('2026-06-30')).toBe('2026-06');
    expect(lastCompleteMonth('2026-07-15')).toBe('2026-06');
    expect(lastCompleteMonth('2024-02-29')).toBe('2024-02');
    expect(monthsWindow('2026-06', 3)).toEqual({
      period: '2026-04-01..2026-06-30',
      label: '2026-04 … 2026-06',
    });
    expect(monthsWindow('2026-06', 1)).toEqual({ period: '2026-06', label: '2026-06' });
  });
});

describe('provider out of band', () => {
  const result = providerAlerts(ctx, 'H', '2026-06', ASOF);
  const alerts = byId(result.actions);

  it('alerts on the providers outside 0.35–0.50 over the three months, and no one else', () => {
    expect(Object.keys(alerts)).toEqual([
      'provider_out_of_band:H:P1:2026-06',
      'provider_out_of_band:H:P2:2026-06',
    ]);
    expect(result.notes).toEqual([
      'comp-to-production not judged over 2026-04 … 2026-06 for P4: no payroll accrues to the scope’s providers in the period',
    ]);
  });

  it('prices pay above the band with the engine’s provider_comp_gap_dollars, as worked out by hand', () => {
    const p1 = alerts['provider_out_of_band:H:P1:2026-06']!;
    expect(p1).toMatchObject({
      audience: 'owner',
      subject: { kind: 'provider', providerId: 'P1', displayName: 'Provider 1' },
      dollarsCents: 450_000,
      dollarsBasis: 'provider_comp_gap_dollars over 2026-04 … 2026-06: (ratio − 0.40 target) × production',
      draft: null,
    });
    expect(factValues(p1)).toEqual({
      comp_to_production_ratio: 0.55,
      provider_compensation: 1_650_000,
      provider_production: 3_000_000,
      provider_comp_gap_dollars: 450_000,
    });
    expect(p1.sentence).toBe(
      'Provider 1 (P1): compensation 55.0 % of production over 2026-04 … 2026-06 ($16,500.00 on $30,000.00), above the 35–50 % band: $4,500.00 more than at the 40 % target.',
    );
  });

  it('leaves pay below the band without dollars, saying why and what is exposed', () => {
    const p2 = alerts['provider_out_of_band:H:P2:2026-06']!;
    expect(p2.dollarsCents).toBeNull();
    expect(p2.dollarsBasis).toMatch(/^no dollar figure: pay below the band is a retention risk/);
    expect(p2.dollarsBasis).toContain(
      'their production over 2026-04 … 2026-06, $30,000.00, is what would be exposed',
    );
    expect(factValues(p2)).toEqual({
      comp_to_production_ratio: 0.3,
      provider_compensation: 900_000,
      provider_production: 3_000_000,
    });
  });

  it('names the metric, scope and period of each figure, for caliper trace and GET /api/trace', () => {
    const ratio = alerts['provider_out_of_band:H:P1:2026-06']!.facts[0]!;
    expect(ratio.source).toEqual({
      kind: 'metric',
      metric: 'comp_to_production_ratio',
      scope: { kind: 'provider', providerId: 'P1', locationId: 'H' },
      period: '2026-04-01..2026-06-30',
    });
    if (ratio.source.kind !== 'metric') throw new Error('a metric fact');
    expect(traceOf(ratio.source)).toEqual({
      cli: 'caliper trace comp_to_production_ratio --period 2026-04-01..2026-06-30 --location H --provider P1',
      api: '/api/trace?metric=comp_to_production_ratio&period=2026-04-01..2026-06-30&location=H&provider=P1',
    });
  });
});

describe('no-show spike', () => {
  it('fires at 1.5× the six months before and 2 points up, worth the month’s no_show_gap_dollars', () => {
    const { actions, notes } = noShowSpike(ctx, 'H', '2026-06', ASOF);
    expect(notes).toEqual([]);
    expect(actions).toHaveLength(1);
    const spike = actions[0]!;
    expect(spike).toMatchObject({
      id: 'no_show_spike:H:H:2026-06',
      audience: 'owner',
      subject: { kind: 'location', locationId: 'H', name: 'Clinic H' },
      dollarsCents: 135_000,
      dollarsBasis:
        'no_show_gap_dollars in 2026-06: (no-show rate − 6.5 % target) × appointments × service revenue per visit',
    });
    expect(spike.sentence).toBe(
      'No-shows 20.0 % in 2026-06 (20 of 100 appointments), 3.3× the 6.0 % of the 6 months before (2025-12 … 2026-05).',
    );
    expect(factValues(spike)).toEqual({
      no_show_rate: 0.2,
      no_show: 20,
      no_show_rate_baseline: 0.06,
      no_show_gap_dollars: 135_000,
    });
    expect(spike.facts.find((f) => f.name === 'no_show_rate_baseline')?.source).toMatchObject({
      metric: 'no_show_rate',
      period: '2025-12-01..2026-05-31',
    });
  });

  it('fires exactly at the boundary (1.5× and 2 points), with $0 when the rate is under the target', () => {
    const [spike] = noShowSpike(ctx, 'B', '2026-06', ASOF).actions;
    expect(spike).toMatchObject({ id: 'no_show_spike:B:B:2026-06', dollarsCents: 0 });
    expect(spike!.dollarsBasis).toMatch(/^no_show_gap_dollars in 2026-06 is \$0.00: the rate is at or below/);
  });

  it('does not fire below 1.5× or below 2 points, and does not judge a month of few appointments', () => {
    expect(noShowSpike(ctx, 'K', '2026-06', ASOF).actions).toEqual([]);
    expect(noShowSpike(ctx, 'Q', '2026-06', ASOF).actions).toEqual([]);
    expect(noShowSpike(ctx, 'S', '2026-06', ASOF)).toEqual({
      actions: [],
      notes: ['no-show spike not judged: 2026-06 has 10 appointments, fewer than 30'],
    });
  });
});

describe('a location’s actions', () => {
  it('put the largest dollars first, alerts without dollars last, and say why patients were not scored', () => {
    const listed = locationActions(ctx, 'H', { today: '2026-07-01', asOf: ASOF });
    expect(listed).toMatchObject({ evaluated: true, asOf: ASOF, month: '2026-06', patientsScored: 0 });
    expect(listed.actions.map((a) => [a.id, a.dollarsCents])).toEqual([
      ['provider_out_of_band:H:P1:2026-06', 450_000],
      ['no_show_spike:H:H:2026-06', 135_000],
      ['provider_out_of_band:H:P2:2026-06', null],
    ]);
    expect(listed.notes[0]).toMatch(/^patients not scored, so no patient actions: /);
  });

  it('are taken on the last day of data unless asked, and not before the first', () => {
    expect(locationActions(ctx, 'H', { today: '2026-07-01' }).asOf).toBe(ASOF);
    expect(locationActions(ctx, 'H', { today: '2026-07-01', asOf: '2025-11-30' })).toMatchObject({
      evaluated: false,
      reason: "2025-11-30 is before the location's first day of data, 2025-12-01",
    });
  });

  it('are not made for a location closed by today, nor for an unknown one', () => {
    const closed = new MetricContext({
      ...data,
      locations: data.locations.map((l) => (l.location_id === 'H' ? { ...l, closed_on: '2026-07-01' } : l)),
    });
    expect(locationActions(closed, 'H', { today: '2026-07-01' })).toMatchObject({
      evaluated: false,
      reason: 'closed on 2026-07-01: nobody there to act',
      actions: [],
    });
    expect(locationActions(closed, 'H', { today: '2026-06-30' }).evaluated).toBe(true);
    expect(locationActions(ctx, 'nowhere', { today: '2026-07-01' })).toMatchObject({
      evaluated: false,
      reason: 'unknown location',
    });
  });
});
