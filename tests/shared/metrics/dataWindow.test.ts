import type { MetricContext } from '../../../shared/metrics/metricContext';
import { at, metricsOf, valueOf } from '../../support/metricsFixture';
import { fixture, openTestStore, type TestStore } from '../../support/testStore';

// L1 (tests/fixtures/bundles/north) opened 2020-03-01; its data runs from its first sale line,
// 2024-01-05, to its last, 2024-04-12. So of March 2024 every day is covered.

let t: TestStore;
let ctx: MetricContext;
beforeAll(async () => {
  t = openTestStore();
  await t.ingest([fixture('north'), fixture('south')]);
  ctx = await metricsOf(t);
});
afterAll(async () => {
  await t.close();
});

describe('coverage over the dates a metric reads', () => {
  it('is that of P for a metric that reads P only', () => {
    expect(valueOf(ctx, 'net_revenue', at('L1'), '2024-03').coverage).toBe(1);
  });

  it('spans the trailing 12 months for active patients: 87 of 366 days are in the data', () => {
    // 2023-04-01..2024-03-31 = 366 days (Feb 2024 has 29); covered 2024-01-05..2024-03-31 = 27 + 29 + 31.
    expect(valueOf(ctx, 'active_patients', at('L1'), '2024-03').coverage).toBeCloseTo(87 / 366, 12);
  });

  it('spans the trailing 24 months for retention', () => {
    // 2022-04-01..2024-03-31 = 365 + 366 = 731 days; covered 87.
    expect(valueOf(ctx, 'patient_retention_12m', at('L1'), '2024-03').coverage).toBeCloseTo(87 / 731, 12);
  });

  it('spans P and the prior year for same-store growth', () => {
    // 2023-03-01..2024-03-31 = 397 days; covered 87.
    expect(valueOf(ctx, 'same_store_revenue_growth', at('L1'), '2024-03').coverage).toBeCloseTo(87 / 397, 12);
  });

  it('spans the 7 days after P for rebooking, which the data may not reach yet', () => {
    // 2024-04-01..2024-05-07 = 30 + 7 days; the data ends 2024-04-12, so 12 of the 37 are covered.
    expect(valueOf(ctx, 'rebooking_rate', at('L1'), '2024-04').coverage).toBeCloseTo(12 / 37, 12);
  });
});
