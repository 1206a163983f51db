import path from 'node:path';

import type { MetricContext } from '../../../shared/metrics/metricContext';
import { at, metricsOf, PORTFOLIO, provider, valueOf } from '../../support/metricsFixture';
import { openTestStore, type TestStore } from '../../support/testStore';

// tests/fixtures/metrics/scheduling/may, by hand (all in May 2024):
// K1 has shifts: PK1 Mon 05-06 09:00–13:00 (240 min), PK2 Mon 05-06 09:00–11:00 (120), PK1 Tue 05-07
//   14:00–16:00 (120) → 480 available minutes (PK1 360, PK2 120).
//   Appointments: A1 PK1 Mon 09:00 60 completed     A2 PK1 Mon 10:30 60 completed
//                 A3 PK2 Mon 09:00 30 no_show       A4 PK2 Mon 10:00 45 completed
//                 A5 PK1 Tue 14:00 60 late_cancelled A6 PK1 Tue 15:00 30 completed
//                 A7 PK1 Tue 15:30 30 cancelled (not counted anywhere)
//                 A8 (no provider) Mon 12:00 30 completed
//                 A9 PK2 Tue 14:30 30 no_show
//   → completed 5 (60 + 60 + 45 + 30 + 30 = 225 min), no_show 2 (60 min), late_cancelled 1 (60 min).
//   Service revenue 300 + 200 + 150 + 100 + 250 = 1,000.00 (+ a 50.00 retail line, not service).
//   PK1: completed 3 (150 min), late 1 (60 min), production 300 + 200 + 100 = 600.00.
//   PK2: completed 1 (45 min), no_show 2 (60 min), production 150.00.
// K2 has no shifts; PK3's payroll: KP1 2024-04-25..05-08 (14 days, 8 in May) 14 h → 8 h in May;
//   KP2 2024-05-09..05-31 32 h → 40 h = 2,400 min in May.
//   B1 Fri 05-10 10:00 300 completed, B2 Mon 05-13 09:00 300 completed, B3 05-14 60 no_show;
//   service revenue 400 + 400 = 800.00.
// K3 has neither shifts nor payroll: C1 05-15 60 completed, service 200.00.

let t: TestStore;
let ctx: MetricContext;
beforeAll(async () => {
  t = openTestStore();
  await t.ingest([path.join(__dirname, '..', '..', 'fixtures', 'metrics', 'scheduling', 'may')]);
  ctx = await metricsOf(t);
});
afterAll(async () => {
  await t.close();
});

describe('scheduling metrics', () => {
  it('divides visit minutes by shift minutes where the location has shifts', () => {
    // K1: 225 / 480 = 0.46875
    const k1 = valueOf(ctx, 'capacity_utilization', at('K1'), '2024-05');
    expect(k1.value).toBe(0.46875);
    expect(k1.operands).toEqual([
      { name: 'visit_minutes', value: 225, unit: 'minutes' },
      { name: 'available_minutes (shifts)', value: 480, unit: 'minutes' },
    ]);
  });

  it('falls back to payroll hours pro-rated by day where the location has no shifts', () => {
    // K2: 600 / (40 h × 60 = 2,400) = 0.25
    expect(valueOf(ctx, 'capacity_utilization', at('K2'), '2024-05').value).toBe(0.25);
  });

  it('leaves a location without shifts or payroll out of the portfolio, numerator and denominator alike', () => {
    // (225 + 600) / (480 + 2,400) = 825 / 2,880 = 0.2864583333…; K3's 60 visit minutes are not in it.
    const portfolio = valueOf(ctx, 'capacity_utilization', PORTFOLIO, '2024-05');
    expect(portfolio.value).toBeCloseTo(825 / 2880, 12);
    expect(portfolio.operands).toContainEqual({
      name: 'available_minutes (mixed)',
      value: 2880,
      unit: 'minutes',
    });
    expect(portfolio.details).toEqual({ locations_without_capacity: ['K3'] });
    const k3 = valueOf(ctx, 'capacity_utilization', at('K3'), '2024-05');
    expect(k3.value).toBeNull();
    expect(k3.reason).toBe('no shift or payroll hours in the period');
  });

  it('adds no-show and late-cancelled minutes for the booked utilization', () => {
    // K1: (225 + 60 + 60) / 480 = 345 / 480 = 0.71875
    expect(valueOf(ctx, 'booked_utilization', at('K1'), '2024-05').value).toBe(0.71875);
    // K2: (600 + 60) / 2,400 = 0.275
    expect(valueOf(ctx, 'booked_utilization', at('K2'), '2024-05').value).toBe(0.275);
  });

  it('measures a provider against their own shifts', () => {
    // PK1: 150 / 360 = 0.41666…; PK2: 45 / 120 = 0.375, booked (45 + 60) / 120 = 0.875
    expect(valueOf(ctx, 'capacity_utilization', provider('PK1'), '2024-05').value).toBeCloseTo(150 / 360, 12);
    expect(valueOf(ctx, 'capacity_utilization', provider('PK2', 'K1'), '2024-05').value).toBe(0.375);
    expect(valueOf(ctx, 'booked_utilization', provider('PK2'), '2024-05').value).toBe(0.875);
    // PK3 has no shifts: 600 / 2,400 payroll minutes = 0.25
    expect(valueOf(ctx, 'capacity_utilization', provider('PK3'), '2024-05').value).toBe(0.25);
  });

  it('divides no-shows and late cancels by completed + no_show + late_cancelled, ignoring early cancels', () => {
    // K1: 2 / (5 + 2 + 1) = 0.25 and 1 / 8 = 0.125
    expect(valueOf(ctx, 'no_show_rate', at('K1'), '2024-05').value).toBe(0.25);
    expect(valueOf(ctx, 'late_cancel_rate', at('K1'), '2024-05').value).toBe(0.125);
    // Portfolio: no-shows 2 + 1 = 3 of (5 + 2 + 1) + (2 + 1) + 1 = 12 → 0.25; late 1 / 12
    expect(valueOf(ctx, 'no_show_rate', PORTFOLIO, '2024-05').value).toBe(0.25);
    expect(valueOf(ctx, 'late_cancel_rate', PORTFOLIO, '2024-05').value).toBeCloseTo(1 / 12, 12);
    // PK1: 0 no-shows and 1 late cancel of 3 + 0 + 1 = 4; PK2: 2 no-shows of 1 + 2 = 3
    expect(valueOf(ctx, 'no_show_rate', provider('PK1'), '2024-05').value).toBe(0);
    expect(valueOf(ctx, 'late_cancel_rate', provider('PK1'), '2024-05').value).toBe(0.25);
    expect(valueOf(ctx, 'no_show_rate', provider('PK2'), '2024-05').value).toBeCloseTo(2 / 3, 12);
  });

  it('answers null with a reason, never 0, when there are no appointments', () => {
    const june = valueOf(ctx, 'no_show_rate', at('K1'), '2024-06');
    expect(june.value).toBeNull();
    expect(june.reason).toBe('no completed, no-show or late-cancelled appointments in the period');
  });
});

describe('utilization heatmap', () => {
  it('gives the utilization of every weekday × hour cell that has shift minutes', () => {
    const heatmap = valueOf(ctx, 'utilization_heatmap', at('K1'), '2024-05');
    expect(heatmap.value).toBeNull();
    // Monday 09h: shifts PK1 60 + PK2 60 = 120; visits A1 60                     → 0.5
    // Monday 10h: shifts 120; visits A2 10:30–11:00 30 + A4 10:00–10:45 45 = 75  → 0.625
    // Monday 11h: shift PK1 60; visits A2 11:00–11:30 30                         → 0.5
    // Monday 12h: shift PK1 60; visits A8 30                                     → 0.5
    // Tuesday 14h: shift 60; A5 is late-cancelled, A9 a no-show → 0 visit minutes → 0
    // Tuesday 15h: shift 60; A6 30                                               → 0.5
    expect(heatmap.details?.grid).toEqual([
      { weekday: 1, hour: 9, visit_minutes: 60, available_minutes: 120, utilization: 0.5 },
      { weekday: 1, hour: 10, visit_minutes: 75, available_minutes: 120, utilization: 0.625 },
      { weekday: 1, hour: 11, visit_minutes: 30, available_minutes: 60, utilization: 0.5 },
      { weekday: 1, hour: 12, visit_minutes: 30, available_minutes: 60, utilization: 0.5 },
      { weekday: 2, hour: 14, visit_minutes: 0, available_minutes: 60, utilization: 0 },
      { weekday: 2, hour: 15, visit_minutes: 30, available_minutes: 60, utilization: 0.5 },
    ]);
  });

  it('counts only locations with shifts at portfolio scope, so visits without shifts never inflate a cell', () => {
    // K2's B2 falls on Monday 09:00–14:00 but K2 has no shifts: the grid is K1's.
    const portfolio = valueOf(ctx, 'utilization_heatmap', PORTFOLIO, '2024-05');
    const k1 = valueOf(ctx, 'utilization_heatmap', at('K1'), '2024-05');
    expect(portfolio.details?.grid).toEqual(k1.details?.grid);
    expect(portfolio.details?.locations).toEqual(['K1']);
    expect(portfolio.details?.locations_without_shifts).toEqual(['K2', 'K3']);
  });

  it('is not available without shifts', () => {
    const k2 = valueOf(ctx, 'utilization_heatmap', at('K2'), '2024-05');
    expect(k2.value).toBeNull();
    expect(k2.reason).toBe('no shifts in the period');
  });
});

describe('no-show and capacity gap dollars', () => {
  it('values the no-shows beyond the target at the average service revenue per visit', () => {
    // K1: (0.25 − 0.065) × 8 appointments × (1,000.00 / 5 visits = 200.00) = 0.185 × 1,600 = 296.00
    expect(valueOf(ctx, 'no_show_gap_dollars', at('K1'), '2024-05').value).toBe(296);
    // K2: (1/3 − 0.065) × 3 × (800.00 / 2 = 400.00) = (1 − 0.195) × 400 = 322.00
    expect(valueOf(ctx, 'no_show_gap_dollars', at('K2'), '2024-05').value).toBe(322);
    // Portfolio: (0.25 − 0.065) × 12 × (2,000.00 / 8 = 250.00) = 2.22 × 250 = 555.00
    expect(valueOf(ctx, 'no_show_gap_dollars', PORTFOLIO, '2024-05').value).toBe(555);
    // PK2: (2/3 − 0.065) × 3 × (150.00 production / 1 visit) = (2 − 0.195) × 150 = 270.75
    expect(valueOf(ctx, 'no_show_gap_dollars', provider('PK2'), '2024-05').value).toBe(270.75);
  });

  it('is 0 when the no-show rate is at or below target', () => {
    // PK1: no-show rate 0
    expect(valueOf(ctx, 'no_show_gap_dollars', provider('PK1'), '2024-05').value).toBe(0);
  });

  it('values the capacity short of the target at the service revenue per visit minute', () => {
    // K1: (0.85 − 0.46875) × 480 = 408 − 225 = 183 min × (1,000.00 / 225 min) = 813.333… → 813.33
    expect(valueOf(ctx, 'capacity_gap_dollars', at('K1'), '2024-05').value).toBe(813.33);
    // K2: (0.85 − 0.25) × 2,400 = 2,040 − 600 = 1,440 min × (800.00 / 600 min) = 1,920.00
    expect(valueOf(ctx, 'capacity_gap_dollars', at('K2'), '2024-05').value).toBe(1920);
    // Portfolio (K1 + K2; K3 has no capacity and its revenue is left out too):
    // 0.85 × 2,880 − 825 = 2,448 − 825 = 1,623 min × (1,800.00 / 825 min) = 3,541.0909… → 3,541.09
    expect(valueOf(ctx, 'capacity_gap_dollars', PORTFOLIO, '2024-05').value).toBe(3541.09);
    // PK1: 0.85 × 360 − 150 = 306 − 150 = 156 min × (600.00 / 150 min = 4.00) = 624.00
    expect(valueOf(ctx, 'capacity_gap_dollars', provider('PK1'), '2024-05').value).toBe(624);
  });

  it('is not available where there is no capacity to measure', () => {
    const k3 = valueOf(ctx, 'capacity_gap_dollars', at('K3'), '2024-05');
    expect(k3.value).toBeNull();
    expect(k3.reason).toBe('no shift or payroll hours in the period');
  });
});
