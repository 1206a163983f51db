import { RevenueRows } from '../../../shared/engine/revenueRows';
import { computeMetric } from '../../../shared/metrics/computeMetric';
import { MetricContext } from '../../../shared/metrics/metricContext';
import { toDayNumber } from '../../../shared/model/localDate';
import type { BgNbdParams } from '../../../shared/models/bgnbd';
import { calibrate } from '../../../shared/models/forecastCalibration';
import {
  FORECAST_CATEGORIES,
  type ForecastCategory,
  monthRevenue,
  seasonalNaive,
} from '../../../shared/models/forecastData';
import { newPatientInflow, newPatientProfile } from '../../../shared/models/newPatients';
import { patientHistories } from '../../../shared/models/patientHistory';
import { scheduleReturning } from '../../../shared/models/returningPatients';
import { forecastRevenue, type RevenueForecast } from '../../../shared/models/revenueForecast';
import { location } from '../../support/metricData';
import { dataOf, handMade, paidVisits, visit } from './forecastFixture';

/**
 * The revenue forecast on hand-made data, every expected cent computed here by hand from the
 * method in docs/models.md ("Revenue forecast"), not by calling the code under test.
 */

function ok(answer: ReturnType<typeof forecastRevenue>): RevenueForecast {
  if (!answer.ok) throw new Error(`${answer.error.code}: ${answer.error.message}`);
  return answer.forecast;
}

describe('forecastRevenue on hand-made data', () => {
  const ctx = handMade();
  const forecast = ok(forecastRevenue(ctx, 'L1'));

  it('starts after the last complete month and falls back from BG/NBD with too few patients, saying so', () => {
    expect(forecast.origin).toBe('2024-12');
    expect(forecast.asOf).toBe('2024-12-31');
    expect(forecast.months.map((m) => m.month)).toEqual(['2025-01', '2025-02', '2025-03']);
    expect(forecast.inputs.bgnbd).toBeNull();
    expect(forecast.inputs.bgnbdReason).toMatch(
      /too few patients to fit BG\/NBD \(4, 3 with a repeat visit\)/,
    );
    expect(forecast.inputs.pAlive).toBe('seen_in_last_365_days');
    expect(forecast.inputs.patients).toBe(4);
    expect(forecast.inputs.showRate).toBe(1);
  });

  it('measures the unbooked-visit factors by hand', () => {
    // Schedules at 2024-09 (A due Nov 12; B overdue → Oct 18, Nov 22, Dec 27; C Oct 6, Nov 6, Dec 7)
    // and at 2024-06 (A due Aug 12; C Jul 6, Aug 6, Sep 6; B and N not yet patients), against what
    // A and C then did (A: Aug 12, Nov 12; C: every month; B: nothing).
    const c = forecast.inputs.calibration;
    expect(c.origins).toEqual(['2024-09', '2024-06']);
    expect(c.unbookedVisits).toEqual([3, 5, 3]);
    expect(c.actualVisits).toEqual([2, 4, 2]);
    expect(c.factors.map((f) => +f.toFixed(12))).toEqual([2 / 3, 4 / 5, 2 / 3].map((f) => +f.toFixed(12)));
    const [m1, m2, m3] = c.categoryFactors;
    // (actual − booked + 20 × month factor) / (unbooked + 20)
    expect(m1!.neurotoxin).toBeCloseTo((0 + 20 * (2 / 3)) / 20, 12);
    expect(m2!.neurotoxin).toBeCloseTo((2 + 20 * 0.8) / 22, 12);
    expect(m1!.facial).toBeCloseTo((20 * (2 / 3)) / 21, 12);
    expect(m2!.facial).toBeCloseTo((20 * 0.8) / 21, 12);
    expect(m1!.laser).toBeCloseTo((2 + 20 * (2 / 3)) / 22, 12);
    expect(m3!.laser).toBeCloseTo((2 + 20 * (2 / 3)) / 22, 12);
  });

  it('values each month, category and component in integer cents, computed by hand', () => {
    const facialPerVisit = Math.round((20000 * 2 + 25000) / 3); // service_net.facial / facial visits of 2024
    const meanFacialDay = (20000 * 2 + 25000) / 3;
    // Own spend shrunk towards the location's by 10 pseudo-visits.
    const indexB = (40000 + 10 * meanFacialDay) / (12 * meanFacialDay);
    const indexN = (25000 + 10 * meanFacialDay) / (11 * meanFacialDay);
    const f = { m1: 2 / 3, m2: 0.8, m3: 2 / 3 };
    // Category factors: (actual − booked + 20 × month factor) / (unbooked + 20); facial had 1 unbooked
    // visit and none made in each calibration month, laser 2 and 2, neurotoxin (month 2) 2 and 2.
    const facialFactor = (mf: number) => (20 * mf) / 21;
    const laserFactor = (mf: number) => (2 + 20 * mf) / 22;
    const neuroFactor2 = (2 + 20 * f.m2) / 22;
    // Schedules at the origin: B Jan 31 and Mar 7; N Jan 24 and Feb 28; C Jan 5, Feb 5, Mar 8; A Feb 12.
    const returning = {
      m1: {
        facial: Math.round(facialFactor(f.m1) * facialPerVisit * (indexB + indexN)),
        laser: Math.round(laserFactor(f.m1) * 30000),
        neurotoxin: 0,
      },
      m2: {
        facial: Math.round(facialFactor(f.m2) * facialPerVisit * indexN),
        laser: Math.round(laserFactor(f.m2) * 30000),
        neurotoxin: Math.round(neuroFactor2 * 40000),
      },
      m3: {
        facial: Math.round(facialFactor(f.m3) * facialPerVisit * indexB),
        laser: Math.round(laserFactor(f.m3) * 30000),
        neurotoxin: 0,
      },
    };
    // New patients after the 6-month burn-in: Oct 0, Nov 1 (N), Dec 0 → 1/3 a month. A new patient
    // (cohorts Jul = B and Nov = N) makes 1 facial visit in month 0, 0.5 in month 1, 0 in month 2 (B only).
    const inflow = 1 / 3;
    const newFacial = {
      m1: Math.round(inflow * 1 * facialPerVisit),
      m2: Math.round((inflow * 0.5 + inflow * 1) * facialPerVisit),
      m3: Math.round((inflow * 0 + inflow * 0.5 + inflow * 1) * facialPerVisit),
    };
    const other = 3000; // retail: the mean of the last 6 months

    const [jan, feb, mar] = forecast.months;
    const expectMonth = (
      m: typeof jan,
      r: { facial: number; laser: number; neurotoxin: number },
      newCents: number,
    ) => {
      expect(m!.categories.facial).toEqual({
        cents: r.facial + newCents,
        returningCents: r.facial,
        newPatientsCents: newCents,
      });
      expect(m!.categories.laser).toEqual({ cents: r.laser, returningCents: r.laser, newPatientsCents: 0 });
      expect(m!.categories.neurotoxin.cents).toBe(r.neurotoxin);
      expect(m!.components).toEqual({
        returningCents: r.facial + r.laser + r.neurotoxin,
        newPatientsCents: newCents,
        otherCents: other,
      });
      expect(m!.totalCents).toBe(r.facial + r.laser + r.neurotoxin + newCents + other);
      for (const c of FORECAST_CATEGORIES) expect(Number.isInteger(m!.categories[c].cents)).toBe(true);
    };
    expectMonth(jan, returning.m1, newFacial.m1);
    expectMonth(feb, returning.m2, newFacial.m2);
    expectMonth(mar, returning.m3, newFacial.m3);
    expect(jan!.expectedNewPatients).toBe(0.3);
    expect(forecast.inputs.newPatients.months).toEqual([
      { month: '2024-10', patients: 0 },
      { month: '2024-11', patients: 1 },
      { month: '2024-12', patients: 0 },
    ]);
  });

  it('sets the seasonal-naive value of each month beside the forecast: the same month a year earlier', () => {
    expect(forecast.months.map((m) => m.seasonalNaive)).toEqual([
      { from: '2024-01', totalCents: 30000 + 3000 },
      { from: '2024-02', totalCents: 40000 + 30000 + 3000 },
      { from: '2024-03', totalCents: 30000 + 3000 },
    ]);
  });

  it('reads nothing after the origin: the months that followed change no figure', () => {
    const later = ok(forecastRevenue(handMade({ withLaterMonths: true }), 'L1', { origin: '2024-12' }));
    expect(later.inputs.history).toEqual({ first: '2024-01', last: '2025-03' });
    expect(later.months).toEqual(forecast.months);
    expect({ ...later.inputs, history: null }).toEqual({ ...forecast.inputs, history: null });
  });

  it('holds no patient identifier', () => {
    const text = JSON.stringify(forecast);
    for (const id of ['P-A', 'P-B', 'P-C', 'P-N', '"A"', '"N"']) expect(text).not.toContain(id);
  });
});

describe('the returning-patient schedule with a BG/NBD fit', () => {
  const params: BgNbdParams = { r: 1, alpha: 10, a: 1.5, b: 3 };
  /** P(alive | x, tₓ, T) of note 021, written out here. */
  const pAlive = (x: number, tx: number, T: number) =>
    x === 0
      ? 1
      : 1 /
        (1 + (params.a / (params.b + x - 1)) * ((params.alpha + T) / (params.alpha + tx)) ** (params.r + x));
  const asOf = '2024-12-31';
  const days = (from: string, to: string) => toDayNumber(to) - toDayNumber(from);
  const perVisitCents = Object.fromEntries(FORECAST_CATEGORIES.map((c) => [c, 10000])) as Record<
    ForecastCategory,
    number | null
  >;
  perVisitCents.neurotoxin = 35000;

  it('places a patient due in month 2 at P(alive) × their value, a booked one at the show rate, repeats at 1 − E[p|x]', () => {
    const parts = [
      // D: neurotoxin Aug 20 and Nov 20 (92 days): due 2025-02-20, month 2.
      paidVisits('D', 'neurotoxin', 40000, ['2024-08-20', '2024-11-20']),
      // E: one facial on Dec 1, and a facial booked that day for Jan 15: then every 35 days.
      paidVisits('E', 'facial', 10000, ['2024-12-01']),
      // F: one neurotoxin visit Aug 1, overdue Nov 7: a cycle later, Feb 13.
      paidVisits('F', 'neurotoxin', 30000, ['2024-08-01']),
      // G: a consultation only: not scheduled.
      paidVisits('G', 'consultation', 5000, ['2024-12-10']),
    ];
    const events = [
      ...parts.flatMap((p) => p.events),
      visit('E', '2025-01-15', 'facial', { status: 'scheduled', bookedOn: '2024-12-01' }),
    ];
    const revenue = RevenueRows.from(
      parts.flatMap((p) =>
        p.sales.map((s) => ({ locationId: 'L1', personKey: s.personKey, day: s.day, netCents: s.cents })),
      ),
    );
    const histories = patientHistories(events, revenue, 'L1', asOf);
    const grid = scheduleReturning({
      histories,
      asOf,
      months: ['2025-01', '2025-02', '2025-03'],
      alive: { kind: 'bgnbd', params },
      showRate: 0.9,
      perVisitCents,
    });
    const meanNeuroDay = (40000 * 2 + 30000) / 3;
    const indexD = (80000 + 10 * meanNeuroDay) / (12 * meanNeuroDay);
    const indexF = (30000 + 10 * meanNeuroDay) / (11 * meanNeuroDay);
    const pD = pAlive(1, days('2024-08-20', '2024-11-20'), days('2024-08-20', asOf));
    const keepE = 1 - params.a / (params.a + params.b + 0);
    // Month 2 neurotoxin: D (due Feb 20) and F (Feb 13, P(alive) = 1 with no repeat visit).
    expect(grid.unbookedVisits[1]!.neurotoxin).toBeCloseTo(pD + 1, 12);
    expect(grid.unbookedCents[1]!.neurotoxin).toBeCloseTo(pD * 35000 * indexD + 35000 * indexF, 6);
    expect(grid.unbookedVisits[0]!.neurotoxin).toBe(0);
    expect(grid.unbookedVisits[2]!.neurotoxin).toBe(0);
    // E: booked Jan 15 at the show rate, then Feb 19 and Mar 26 unbooked, each after a visit she may leave.
    expect(grid.bookedVisits[0]!.facial).toBeCloseTo(0.9, 12);
    expect(grid.unbookedVisits[1]!.facial).toBeCloseTo(0.9 * keepE, 12);
    expect(grid.unbookedVisits[2]!.facial).toBeCloseTo(0.9 * keepE * keepE, 12);
    expect(grid.bookedCents[0]!.facial).toBeCloseTo(0.9 * 10000, 6); // the only facial patient: her own mean
    for (const m of [0, 1, 2]) expect(grid.unbookedVisits[m]!.consultation).toBe(0);
  });
});

describe('calibration by hand', () => {
  it('compares the schedule made a quarter earlier with what the patients then known did', () => {
    const parts = [
      paidVisits('P1', 'neurotoxin', 30000, ['2024-07-01', '2024-08-01', '2024-10-05', '2024-12-10']),
      paidVisits('P2', 'facial', 10000, ['2024-09-15']),
      // New after the calibration origin: never counted as a returning visit.
      paidVisits('P4', 'neurotoxin', 30000, ['2024-10-15', '2024-11-15']),
    ];
    const events = parts.flatMap((p) => p.events);
    const revenue = RevenueRows.from(
      parts.flatMap((p) =>
        p.sales.map((s) => ({ locationId: 'L1', personKey: s.personKey, day: s.day, netCents: s.cents })),
      ),
    );
    const perVisitCents = Object.fromEntries(FORECAST_CATEGORIES.map((c) => [c, 10000])) as Record<
      ForecastCategory,
      number | null
    >;
    const c = calibrate({
      events,
      revenue,
      locationId: 'L1',
      origin: '2024-12',
      firstMonth: '2024-07', // only the schedule at 2024-09 starts in the history
      alive: { kind: 'recency', days: 365 },
      showRate: 1,
      perVisitCents,
    });
    // At 2024-09-30: P1 every 31 days from Aug 1 → Sep 1 overdue → Oct 2, Nov 2, Dec 3; P2 facial
    // every 35 days → Oct 20, Nov 24, Dec 29. P1 came Oct 5 and Dec 10, P2 never.
    expect(c.origins).toEqual(['2024-09']);
    expect(c.unbookedVisits).toEqual([2, 2, 2]);
    expect(c.actualVisits).toEqual([1, 0, 1]);
    expect(c.factors).toEqual([0.5, 0, 0.5]);
    expect(c.categoryFactors[0]!.neurotoxin).toBeCloseTo((1 + 20 * 0.5) / 21, 12);
    expect(c.categoryFactors[0]!.facial).toBeCloseTo((0 + 20 * 0.5) / 21, 12);
    expect(c.categoryFactors[1]!.neurotoxin).toBe(0);
  });
});

describe('new patients', () => {
  it('averages the last 3 months after the burn-in and follows cohorts through their first months', () => {
    const parts = [
      paidVisits('X', 'facial', 100, ['2024-08-03', '2024-09-03']),
      paidVisits('Y', 'laser', 100, ['2024-09-10', '2024-09-20']),
      paidVisits('Z', 'facial', 100, ['2024-10-01']),
      paidVisits('OLD', 'facial', 100, ['2024-01-05']), // first seen in the burn-in: not counted
    ];
    const histories = patientHistories(
      parts.flatMap((p) => p.events),
      RevenueRows.EMPTY,
      'L1',
      '2024-10-31',
    );
    const inflow = newPatientInflow(histories, '2024-01', '2024-10', 2);
    expect(inflow?.months).toEqual([
      { month: '2024-08', patients: 1 },
      { month: '2024-09', patients: 1 },
      { month: '2024-10', patients: 1 },
    ]);
    expect(inflow?.expected).toEqual([1, 1]);
    expect(newPatientInflow(histories, '2024-06', '2024-10', 1)).toBeNull();
    const profile = newPatientProfile(histories, '2024-01', '2024-10', 2);
    // Month 0: cohorts Oct (Z: 1 facial), Sep (Y: 2 laser), Aug (X: 1 facial), Jul: 3 patients.
    expect(profile.visits[0]!.facial).toBeCloseTo(2 / 3, 12);
    expect(profile.visits[0]!.laser).toBeCloseTo(2 / 3, 12);
    // Month 1: cohorts Sep (Y: nothing in Oct), Aug (X: Sep 3), Jul: 2 patients.
    expect(profile.visits[1]!.facial).toBeCloseTo(1 / 2, 12);
    expect(profile.cohorts).toEqual([4, 3]);
  });
});

describe('monthly actuals and the seasonal-naive baseline', () => {
  const ctx = handMade();

  it('takes net revenue from the metric engine and splits it into categories and other revenue', () => {
    const feb = monthRevenue(ctx, 'L1', '2024-02');
    const engine = computeMetric(ctx, 'net_revenue', { kind: 'location', locationId: 'L1' }, '2024-02');
    expect(engine.ok && engine.value.value).toBe(730);
    expect(feb.netCents).toBe(73000);
    expect(feb.categoryCents.neurotoxin).toBe(40000);
    expect(feb.categoryCents.laser).toBe(30000);
    expect(feb.otherCents).toBe(3000);
  });

  it('copies the same month a year earlier, or is null with the reason when that month is not in the data', () => {
    const naive = seasonalNaive(ctx, 'L1', '2025-02');
    expect(naive).toMatchObject({ from: '2024-02', netCents: 73000, otherCents: 3000 });
    expect(naive.categoryCents?.neurotoxin).toBe(40000);
    const none = seasonalNaive(ctx, 'L1', '2024-12');
    expect(none.netCents).toBeNull();
    expect(none.categoryCents).toBeNull();
    expect(none.reason).toBe(
      "no seasonal-naive value: 2023-12 (12 months earlier) is not a complete month of L1's data (complete months 2024-01 … 2024-12)",
    );
  });
});

describe('what cannot be forecast is refused with the reason', () => {
  const ctx = handMade();

  it('an unknown location, a bad horizon or origin', () => {
    expect(forecastRevenue(ctx, 'NOPE')).toMatchObject({ ok: false, error: { code: 'unknown_location' } });
    for (const months of [0, 13, 1.5]) {
      expect(forecastRevenue(ctx, 'L1', { months })).toMatchObject({
        ok: false,
        error: { code: 'invalid_request' },
      });
    }
    expect(forecastRevenue(ctx, 'L1', { origin: '2025-01' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_request', message: expect.stringContaining('2024-01 … 2024-12') as string },
    });
  });

  it('too little history before the origin (the burn-in of new-patient counts)', () => {
    const answer = forecastRevenue(ctx, 'L1', { origin: '2024-06' });
    expect(answer).toMatchObject({ ok: false, error: { code: 'insufficient_history' } });
    expect(!answer.ok && answer.error.message).toMatch(/needs 7 complete months/);
    expect(ok(forecastRevenue(ctx, 'L1', { origin: '2024-07', months: 1 })).months).toHaveLength(1);
  });

  it('a location closed within the horizon', () => {
    const closed = handMade();
    const data = { ...closed.data, locations: [location('L1', { closed_on: '2025-02-15' })] };
    const answer = forecastRevenue(new MetricContext(data), 'L1', { origin: '2024-11', months: 3 });
    expect(answer).toMatchObject({ ok: false, error: { code: 'location_closed' } });
    expect(
      ok(forecastRevenue(new MetricContext(data), 'L1', { origin: '2024-11', months: 2 })).months,
    ).toHaveLength(2);
  });

  it('a location with under 12 months of history: no seasonal baseline, said month by month', () => {
    const forecast = ok(forecastRevenue(ctx, 'L1', { origin: '2024-09', months: 3 }));
    expect(forecast.months.map((m) => m.seasonalNaive.totalCents)).toEqual([null, null, null]);
    expect(forecast.months[0]!.seasonalNaive.reason).toMatch(
      /2023-10 \(12 months earlier\) is not a complete month/,
    );
  });

  it('a month cut by the start of the export is not history', () => {
    const parts = paidVisits('A', 'facial', 100, ['2024-01-20']);
    const ctx2 = dataOf(parts.events, parts.sales, { first: '2024-01-15', last: '2024-07-20' });
    const answer = forecastRevenue(ctx2, 'L1');
    // Complete months 2024-02 … 2024-06: five, not the seven the forecast needs.
    expect(answer).toMatchObject({ ok: false, error: { code: 'insufficient_history' } });
    expect(!answer.ok && answer.error.message).toContain('2024-02 … 2024-06');
  });
});
