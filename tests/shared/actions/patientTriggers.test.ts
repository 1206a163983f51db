import { patientActions, vipRanking } from '../../../shared/actions/patientTriggers';
import { deduplicate } from '../../../shared/actions/triggers';
import type { PatientRevenue } from '../../../shared/engine/patientEvents';
import { RevenueRows } from '../../../shared/engine/revenueRows';
import { computeMetric } from '../../../shared/metrics/computeMetric';
import { MetricContext } from '../../../shared/metrics/metricContext';
import type { PatientChurn } from '../../../shared/models/churnRisk';
import { location, metricData } from '../../support/metricData';

/*
 * A hand-made location H, scored on 2026-06-30: the VIPs are worked out by hand from the revenue
 * rows below, and the churn score's rows are written by hand too (its fits are checked in
 * tests/shared/models/churnRisk.test.ts), so which rule fires, the dollars to the cent and the
 * deduplication are all known in advance.
 *
 * Revenue over the 12 months 2025-07-01..2026-06-30 at H:
 *   p01 $3,000 (08-01) + $2,000 (2026-03-01) = $5,000 · p02 $4,000 · p03 $2,500 − $500 refund = $2,000
 *   p04 $2,000 · p05 $1,500 · p10…p26 (17 patients) $100 each
 *   p06 $9,000 on 2025-06-30, the day before the window: no revenue in it
 *   p07 $9,999.99 at another location, K: none at H · p08 a −$100 refund only: not positive
 * → n = 5 + 17 = 22 patients with positive revenue, ⌈22 / 10⌉ = 3 top patients; the 3rd has $2,000,
 *   and p04 has $2,000 as well, so the VIPs are p01 (#1), p02 (#2), p03 and p04 (#3, tied).
 */

const ASOF = '2026-06-30';
const paid = (personKey: string, day: string, netCents: number, locationId = 'H'): PatientRevenue => ({
  locationId,
  personKey,
  day,
  netCents,
});
const revenue: PatientRevenue[] = [
  paid('p01', '2025-08-01', 300000),
  paid('p01', '2026-03-01', 200000),
  paid('p02', '2026-01-15', 400000),
  paid('p03', '2025-10-01', 250000),
  paid('p03', '2025-11-01', -50000),
  paid('p04', '2026-06-30', 200000),
  paid('p05', '2025-07-01', 150000),
  ...Array.from({ length: 17 }, (_, i) => paid(`p${10 + i}`, '2026-02-02', 10000)),
  paid('p06', '2025-06-30', 900000),
  paid('p07', '2026-01-01', 999999, 'K'),
  paid('p08', '2026-01-01', -10000),
];
const data = {
  ...metricData([location('H'), location('K')], [], { first: '2025-01-01', last: ASOF }),
  revenue: RevenueRows.from(revenue),
};
const ctx = new MetricContext(data);

/** A churn score row with the defaults of a patient no rule fires for. */
function churn(personKey: string, more: Partial<PatientChurn>): PatientChurn {
  return {
    personKey,
    patientId: `H-${personKey.toUpperCase()}`,
    lastVisit: { day: '2026-05-01', category: 'neurotoxin', providerId: 'PR1' },
    visitDays: 5,
    daysSinceLast: 60,
    typicalIntervalDays: 60,
    intervalSource: 'own_history',
    daysOverdue: 0,
    nextBooked: null,
    pAlive: 0.9,
    bgnbdReturnProbability: 0.5,
    returnProbability: 0.5,
    churnRisk: 0.5,
    expectedVisitsIfAlive: 4,
    spendPerVisitCents: 50000,
    spendBasis: 'own_history',
    valueIfRetainedCents: 200000,
    valueAtRiskCents: 100000,
    reasons: [],
    ...more,
  };
}

/*
 * A: VIP #1, usually back every 30 days, 50 days since → 20 days overdue, nothing booked: VIP past
 *    due AND rhythm broken (50 ≥ 1.5 × 30 = 45); both worth the value at risk, $1,234.56.
 * B: VIP #2, overdue but booked for 2026-07-10: nothing.
 * C: VIP #3 (tied), 22 days past the 98-day neurotoxin cycle (no rhythm of their own): VIP past due
 *    only; the Gamma-Gamma was not fitted, so no dollars, with the reason.
 * H: VIP #3 (tied), exactly at the usual 60 days (0 overdue): nothing.
 * D: not a VIP, 60 days against a usual 40 = exactly 1.5×: rhythm broken, $50.00.
 * E: 59 days against 40 (1.475×): nothing. F: 366 days since (lapsed): nothing.
 * G: 365 days against 100: rhythm broken, $7.77.
 * I: 40 days against a usual 20 (2×), but a 20-day rhythm is a course of sessions, shorter than
 *    the 28 days a habit needs: nothing.
 */
const patients = [
  churn('p01', {
    daysSinceLast: 50,
    typicalIntervalDays: 30,
    daysOverdue: 20,
    lastVisit: { day: '2026-05-11', category: 'neurotoxin', providerId: 'PR1' },
    churnRisk: 0.61728,
    valueAtRiskCents: 123456,
  }),
  churn('p02', { daysSinceLast: 70, daysOverdue: 10, nextBooked: '2026-07-10' }),
  churn('p03', {
    daysSinceLast: 120,
    typicalIntervalDays: 98,
    intervalSource: 'category_cycle',
    daysOverdue: 22,
    valueIfRetainedCents: null,
    valueAtRiskCents: null,
    valueReason: 'no repeat buyers to fit the Gamma-Gamma spend model on',
  }),
  churn('p04', {}),
  churn('p05', { daysSinceLast: 60, typicalIntervalDays: 40, daysOverdue: 20, valueAtRiskCents: 5000 }),
  churn('p10', { daysSinceLast: 59, typicalIntervalDays: 40, daysOverdue: 19 }),
  churn('p11', { daysSinceLast: 366, typicalIntervalDays: 100, daysOverdue: 266 }),
  churn('p13', { daysSinceLast: 40, typicalIntervalDays: 20, daysOverdue: 20 }),
  churn('p12', {
    daysSinceLast: 365,
    typicalIntervalDays: 100,
    daysOverdue: 265,
    lastVisit: { day: '2025-06-30', category: null, providerId: null },
    valueAtRiskCents: 777,
  }),
];
const input = { locationId: 'H', asOf: ASOF, horizonDays: 90, patients, vip: vipRanking(ctx, 'H', ASOF) };

describe('the VIPs of a location', () => {
  it('are the top ⌈10 %⌉ by net revenue over the 12 months to asOf, ties at the cut-off included', () => {
    const vip = vipRanking(ctx, 'H', ASOF);
    expect(vip.window).toEqual({ start: '2025-07-01', end: ASOF });
    expect(vip.patientsWithRevenue).toBe(22);
    expect(vip.topPatients).toBe(3);
    expect(vip.thresholdCents).toBe(200000);
    expect(Object.fromEntries(vip.vips)).toEqual({
      p01: { revenueCents: 500000, rank: 1 },
      p02: { revenueCents: 400000, rank: 2 },
      p03: { revenueCents: 200000, rank: 3 },
      p04: { revenueCents: 200000, rank: 3 },
    });
  });

  it('count the same n and ⌈0.1 × n⌉ as the vip_revenue_share metric over the same window', () => {
    const answer = computeMetric(
      ctx,
      'vip_revenue_share',
      { kind: 'location', locationId: 'H' },
      `2025-07-01..${ASOF}`,
    );
    if (!answer.ok) throw new Error(answer.error.message);
    const operand = (name: string) => answer.value.operands.find((o) => o.name === name)?.value;
    expect(operand('patients_with_revenue')).toBe(22);
    expect(operand('top_patients')).toBe(3);
    expect(operand('top_patient_revenue')).toBe(5000 + 4000 + 2000);
  });

  it('are none where nobody has revenue', () => {
    const vip = vipRanking(ctx, 'K', '2025-06-30');
    expect(vip).toMatchObject({ patientsWithRevenue: 0, topPatients: 0, thresholdCents: null });
    expect(vip.vips.size).toBe(0);
  });
});

describe('the patient rules', () => {
  const raw = patientActions(input);

  it('fire exactly where worked out by hand, one action per patient and rule', () => {
    expect(raw.map((a) => a.id)).toEqual([
      'vip_past_due:H:H-P01:2026-06',
      'cadence_broken:H:H-P01:2026-06',
      'vip_past_due:H:H-P03:2026-06',
      'cadence_broken:H:H-P05:2026-06',
      'cadence_broken:H:H-P12:2026-06',
    ]);
  });

  it('are worth the churn model’s value at risk to the cent, or nothing with the reason', () => {
    expect(raw.map((a) => [a.id, a.dollarsCents])).toEqual([
      ['vip_past_due:H:H-P01:2026-06', 123456],
      ['cadence_broken:H:H-P01:2026-06', 123456],
      ['vip_past_due:H:H-P03:2026-06', null],
      ['cadence_broken:H:H-P05:2026-06', 5000],
      ['cadence_broken:H:H-P12:2026-06', 777],
    ]);
    expect(raw[0]!.dollarsBasis).toBe(
      'churn model value at risk: churn risk 62 % × $2,000.00 expected over the next 12 months if retained',
    );
    expect(raw[2]!.dollarsBasis).toBe(
      'no value at risk: no repeat buyers to fit the Gamma-Gamma spend model on',
    );
  });

  it('say what happened in plain words, naming no one', () => {
    expect(raw[0]!.sentence).toBe(
      'VIP, #1 of 22 patients by net revenue over the last 12 months ($5,000.00): last seen 2026-05-11 (neurotoxin), 20 days past their usual 30 days; nothing booked.',
    );
    expect(raw[1]!.sentence).toBe(
      'Rhythm broken: usually back every 30 days, now 50 days (1.7×) since the last visit on 2026-05-11 (neurotoxin); nothing booked.',
    );
    expect(raw[2]!.sentence).toContain('22 days past the 98-day neurotoxin cycle');
    expect(raw[4]!.sentence).toContain('(unknown service)');
  });

  it('carry the churn fields and the VIP standing as facts, each with where it comes from', () => {
    const facts = Object.fromEntries(raw[0]!.facts.map((f) => [f.name, f]));
    expect(facts.value_at_risk).toMatchObject({
      value: 123456,
      unit: 'cents',
      source: { kind: 'churn_model', field: 'valueAtRiskCents', asOf: ASOF, horizonDays: 90 },
    });
    expect(facts.next_booked).toMatchObject({ value: null, reason: 'nothing on the book after 2026-06-30' });
    expect(facts.net_revenue_12m).toMatchObject({ value: 500000, source: { kind: 'patient_revenue' } });
    expect(facts.top_patients).toMatchObject({
      value: 3,
      source: {
        kind: 'metric',
        metric: 'vip_revenue_share',
        scope: { kind: 'location', locationId: 'H' },
        period: '2025-07-01..2026-06-30',
      },
    });
    expect(raw[1]!.facts.map((f) => f.name)).not.toContain('net_revenue_12m');
  });

  it('give each a draft by the last visit’s category, with the time in words and no identifier', () => {
    expect(raw[0]!.draft).toMatchObject({ template: 'neurotoxin' });
    expect(raw[0]!.draft!.text).toContain('about seven weeks since your last neurotoxin appointment');
    expect(raw[4]!.draft).toMatchObject({ template: 'other' });
    for (const a of raw) {
      expect(a.audience).toBe('front_desk');
      expect(a.draft!.text).not.toMatch(/\d|H-P|p\d\d/);
    }
  });
});

describe('deduplication', () => {
  it('keeps one action per patient: on equal dollars the rule listed first, the other as also-true', () => {
    const kept = deduplicate(patientActions(input));
    expect(kept.map((a) => [a.id, a.dollarsCents])).toEqual([
      ['vip_past_due:H:H-P01:2026-06', 123456],
      ['cadence_broken:H:H-P05:2026-06', 5000],
      ['cadence_broken:H:H-P12:2026-06', 777],
      ['vip_past_due:H:H-P03:2026-06', null],
    ]);
    expect(kept[0]!.alsoTrue).toEqual([
      {
        rule: 'cadence_broken',
        id: 'cadence_broken:H:H-P01:2026-06',
        dollarsCents: 123456,
        sentence: expect.stringMatching(/^Rhythm broken/),
      },
    ]);
  });

  it('lets the rule with the most dollars win, and never keeps two actions with one id', () => {
    const [vip, cadence] = patientActions(input);
    const richer = { ...cadence!, dollarsCents: 200000 };
    const kept = deduplicate([vip!, richer, vip!, { ...vip! }]);
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatchObject({ id: 'cadence_broken:H:H-P01:2026-06', dollarsCents: 200000 });
    expect(kept[0]!.alsoTrue.map((a) => a.id)).toEqual(['vip_past_due:H:H-P01:2026-06']);
  });

  it('keeps patients of two locations with the same id apart', () => {
    const [vip] = patientActions(input);
    const elsewhere = { ...vip!, id: 'vip_past_due:K:H-P01:2026-06', locationId: 'K' };
    expect(deduplicate([vip!, elsewhere])).toHaveLength(2);
  });
});
