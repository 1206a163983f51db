import path from 'node:path';

import type { MetricContext } from '../../../shared/metrics/metricContext';
import { at, metricsOf, PORTFOLIO, valueOf } from '../../support/metricsFixture';
import { openTestStore, type TestStore } from '../../support/testStore';

// tests/fixtures/metrics/sameStore/portfolio, by hand. One service line on the 10th of each month:
// C1 opened 2019-05-01: 1,000.00 a month in 2024 (12,000.00), 1,100.00 in 2025 (13,200.00).
// C2 opened 2018-01-01, acquired 2025-02-01: 500.00 a month in 2024 except March, whose only line is a
//    100.00 gift card (not revenue) → 11 × 500 = 5,500.00; 600.00 a month in 2025 (7,200.00).
// C3 opened 2024-06-01: 400.00 a month 2024-06..12, 500.00 a month in 2025.
// C4 opened 2019-01-01, closed 2025-10-01: 300.00 a month 2024-01..2025-09.
// C5 opened 2020-01-01: 700.00 a month, but no line in 2024-07, 2025-10 and 2025-11.
// C6 opened 2024-01-01 (the first day of PY), closed 2026-01-01 (after the last day of P):
//    250.00 a month in 2024 (3,000.00), 350.00 in 2025 (4,200.00).
// Visits (completed appointments): C1 2 in 2024 (+1 no-show), 3 in 2025; C2 2 in 2024, 1 in 2025;
// C6 1 in 2024, 3 in 2025; C3 1 in 2025; C4 1 in 2024.

let t: TestStore;
let ctx: MetricContext;
beforeAll(async () => {
  t = openTestStore();
  await t.ingest([path.join(__dirname, '..', '..', 'fixtures', 'metrics', 'sameStore', 'portfolio')]);
  ctx = await metricsOf(t);
});
afterAll(async () => {
  await t.close();
});

describe('same-store growth', () => {
  it('compares 2025 with 2024 over the locations comparable in both', () => {
    // Comparable: C1, C2, C6. PY 12,000 + 5,500 + 3,000 = 20,500; P 13,200 + 7,200 + 4,200 = 24,600
    // → 24,600 / 20,500 − 1 = 4,100 / 20,500 = 0.2
    const growth = valueOf(ctx, 'same_store_revenue_growth', PORTFOLIO, '2025');
    expect(growth.value).toBe(0.2);
    expect(growth.operands).toEqual([
      { name: 'net_revenue(P 2025)', value: 24600, unit: 'usd' },
      { name: 'net_revenue(PY 2024-01-01..2024-12-31)', value: 20500, unit: 'usd' },
    ]);
  });

  it('gives the comparable set, its size and the precise reason each other location is excluded', () => {
    expect(valueOf(ctx, 'same_store_revenue_growth', PORTFOLIO, '2025').details).toEqual({
      comparable: ['C1', 'C2', 'C6'],
      size: 3,
      excluded: [
        { location_id: 'C3', reason: 'opened 2024-06-01, after the first day of PY (2024-01-01)' },
        { location_id: 'C4', reason: 'closed 2025-10-01, not after the last day of P (2025-12-31)' },
        { location_id: 'C5', reason: 'no sale line in 2024-07, 2025-10..2025-11' },
      ],
    });
  });

  it('keeps a location opened on the first day of PY and closed after the last day of P', () => {
    // C6: opened_on 2024-01-01 ≤ 2024-01-01 and closed_on 2026-01-01 > 2025-12-31.
    expect(valueOf(ctx, 'same_store_revenue_growth', PORTFOLIO, '2025').details?.comparable).toContain('C6');
  });

  it('counts pre-acquisition history and a month whose only sale line is a gift card', () => {
    // C2 was acquired 2025-02-01 and its 2024-03 has only a gift-card line: it is comparable, and its
    // growth is 7,200 / 5,500 − 1 = 1,700 / 5,500 = 0.30909…
    const c2 = valueOf(ctx, 'same_store_revenue_growth', at('C2'), '2025');
    expect(c2.value).toBeCloseTo(1700 / 5500, 12);
  });

  it('uses the same comparable set for visits', () => {
    // PY visits C1 2 + C2 2 + C6 1 = 5 (the no-show is no visit; C4's 2024 visit is excluded);
    // P visits C1 3 + C2 1 + C6 3 = 7 (C3's visit is excluded) → 7 / 5 − 1 = 0.4
    const visits = valueOf(ctx, 'same_store_visits_growth', PORTFOLIO, '2025');
    expect(visits.value).toBe(0.4);
    expect(visits.operands).toEqual([
      { name: 'visits(P 2025)', value: 7, unit: 'count' },
      { name: 'visits(PY 2024-01-01..2024-12-31)', value: 5, unit: 'count' },
    ]);
  });

  it('recomputes the comparable set for each period', () => {
    // 2025-Q4 (PY 2024-Q4): C3, opened 2024-06-01 ≤ 2024-10-01, is now comparable; C4 closed in P;
    // C5 has no line in 2025-10 and 2025-11.
    // PY: C1 3,000 + C2 1,500 + C3 1,200 + C6 750 = 6,450; P: 3,300 + 1,800 + 1,500 + 1,050 = 7,650
    // → 7,650 / 6,450 − 1 = 1,200 / 6,450 = 0.18604651…
    const q4 = valueOf(ctx, 'same_store_revenue_growth', PORTFOLIO, '2025-Q4');
    expect(q4.value).toBeCloseTo(1200 / 6450, 12);
    expect(q4.details).toEqual({
      comparable: ['C1', 'C2', 'C3', 'C6'],
      size: 4,
      excluded: [
        { location_id: 'C4', reason: 'closed 2025-10-01, not after the last day of P (2025-12-31)' },
        { location_id: 'C5', reason: 'no sale line in 2025-10..2025-11' },
      ],
    });
  });

  it('gives a comparable location its own growth at location scope', () => {
    // C1: 13,200 / 12,000 − 1 = 0.1; visits 3 / 2 − 1 = 0.5
    expect(valueOf(ctx, 'same_store_revenue_growth', at('C1'), '2025').value).toBe(0.1);
    expect(valueOf(ctx, 'same_store_visits_growth', at('C1'), '2025').value).toBe(0.5);
  });

  it('answers null with the reason at location scope when the location is not comparable', () => {
    const c3 = valueOf(ctx, 'same_store_revenue_growth', at('C3'), '2025');
    expect(c3.value).toBeNull();
    expect(c3.reason).toBe('not comparable: opened 2024-06-01, after the first day of PY (2024-01-01)');
    const c4 = valueOf(ctx, 'same_store_revenue_growth', at('C4'), '2025');
    expect(c4.reason).toBe('not comparable: closed 2025-10-01, not after the last day of P (2025-12-31)');
  });

  it('answers null with a reason when no location is comparable', () => {
    // 2024 against 2023: nobody has a sale line in 2023.
    const growth = valueOf(ctx, 'same_store_revenue_growth', PORTFOLIO, '2024');
    expect(growth.value).toBeNull();
    expect(growth.reason).toBe('no location is comparable for the period');
    expect(growth.details?.excluded).toContainEqual({
      location_id: 'C1',
      reason: 'no sale line in 2023-01..2023-12',
    });
  });
});
