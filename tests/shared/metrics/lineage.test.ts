import path from 'node:path';

import { metricById } from '../../../shared/metrics/catalog';
import { sourceQueriesFor } from '../../../shared/metrics/lineage';
import type { MetricContext } from '../../../shared/metrics/metricContext';
import { listMetricValues } from '../../../shared/metrics/metricListing';
import { at, metricsOf, PORTFOLIO, valueOf } from '../../support/metricsFixture';
import { fixture, openTestStore, type TestStore } from '../../support/testStore';

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

async function sourcesOf(metric: string, scope: Parameters<typeof valueOf>[2], period: string) {
  const value = valueOf(ctx, metric, scope, period);
  const definition = metricById(metric)!;
  const out = [];
  for (const query of sourceQueriesFor(ctx, definition, scope, value.period)) {
    out.push(...(await t.store.sourceRecords('t1', query)));
  }
  return out.map((s) => ({ ...s, file: path.relative(fixture('.'), s.file) }));
}

describe('lineage', () => {
  it('names the source file and rows behind a revenue value, leaving out gift cards', async () => {
    // 2024-Q1 net revenue at L1 = S1 (row 2), S2 (row 3), S3 (row 4), S6 (row 7); S4 (row 5) is a gift card.
    expect(await sourcesOf('net_revenue', at('L1'), '2024-Q1')).toEqual([
      { fact: 'sales.csv', file: 'north/sales.csv', ingest_id: 1, rows: 4, sample_rows: [2, 3, 4, 7] },
    ]);
  });

  it('names the completed appointments behind a visit count, across every file of the portfolio', async () => {
    // Completed in 2024: north A1 (row 2), A2 (row 3), A5 (row 6); south appointment 1 (row 2).
    expect(await sourcesOf('visits', PORTFOLIO, '2024')).toEqual([
      {
        fact: 'appointments.csv',
        file: 'north/appointments.csv',
        ingest_id: 1,
        rows: 3,
        sample_rows: [2, 3, 6],
      },
      { fact: 'appointments.csv', file: 'south/appointments.csv', ingest_id: 1, rows: 1, sample_rows: [2] },
    ]);
  });
});

describe('lineage over the dates a metric reads', () => {
  it('lists the visits of the trailing 12 months behind active patients, not only those of P', async () => {
    // Active patients at L1 for 2024-03 read 2023-04-01..2024-03-31: completed A1 (row 2, January)
    // and A5 (row 6, March); A2 (April) is after the window.
    const sources = await sourcesOf('active_patients', at('L1'), '2024-03');
    expect(sources.filter((s) => s.fact === 'appointments.csv')).toEqual([
      {
        fact: 'appointments.csv',
        file: 'north/appointments.csv',
        ingest_id: 1,
        rows: 2,
        sample_rows: [2, 6],
      },
    ]);
  });
});

describe('listing every metric', () => {
  it('lists each single-value metric for the portfolio and every location', () => {
    const listed = listMetricValues(ctx, '2024');
    if (!listed.ok) throw new Error(listed.error.message);
    const net = listed.records.filter((r) => r.metric === 'net_revenue');
    expect(net).toEqual([
      {
        metric: 'net_revenue',
        period: '2024',
        location_id: null,
        provider_id: null,
        value: 1579,
        unit: 'usd',
        coverage: expect.any(Number),
      },
      {
        metric: 'net_revenue',
        period: '2024',
        location_id: 'L1',
        provider_id: null,
        value: 1000,
        unit: 'usd',
        coverage: expect.any(Number),
      },
      {
        metric: 'net_revenue',
        period: '2024',
        location_id: 'L2',
        provider_id: null,
        value: 579,
        unit: 'usd',
        coverage: expect.any(Number),
      },
    ]);
  });

  it('restricts the listing to one location and one metric', () => {
    const listed = listMetricValues(ctx, '2024-01', { metric: 'avg_ticket', locationId: 'L1' });
    expect(listed.ok && listed.records).toEqual([
      {
        metric: 'avg_ticket',
        period: '2024-01',
        location_id: 'L1',
        provider_id: null,
        value: 480,
        unit: 'usd',
        coverage: 27 / 31,
      },
    ]);
  });

  it('refuses an unknown metric, location or period with a message', () => {
    expect(listMetricValues(ctx, '2024', { metric: 'net_revenu' })).toMatchObject({
      ok: false,
      error: { code: 'unknown_metric' },
    });
    expect(listMetricValues(ctx, '2024', { locationId: 'L9' })).toMatchObject({
      ok: false,
      error: { code: 'unknown_location' },
    });
    expect(listMetricValues(ctx, '2024-13')).toMatchObject({
      ok: false,
      error: { code: 'invalid_period', message: expect.stringContaining('2025-Q3 (calendar quarter)') },
    });
  });
});
