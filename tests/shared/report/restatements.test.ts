import path from 'node:path';

import { loadMetricContextAsOf } from '../../../shared/metrics/asReported';
import type { MetricContext } from '../../../shared/metrics/metricContext';
import { openMetrics } from '../../../shared/metrics/openMetrics';
import { figuresDiffer, restatements } from '../../../shared/report/restatements';
import { at, PORTFOLIO, valueOf } from '../../support/metricsFixture';
import { fixture, openTestStore, type TestStore } from '../../support/testStore';

/*
 * As reported vs restated on a real SQLite file: the north and south bundles (ingest 1), then a
 * correction of north's sales (ingest 2: line S5 520.00 → 560.00, and a missing line S7 of
 * 45.50). Every expected number is worked out by hand from the CSV files in
 * tests/fixtures/restatements/README.md, never taken from Caliper's output.
 */

const CORRECTION = path.join(__dirname, '..', '..', 'fixtures', 'restatements', 'north_correction');
const METRICS = ['net_revenue', 'service_revenue', 'retail_revenue', 'visits', 'avg_ticket'];

const money = (ctx: MetricContext, metric: string, scope = PORTFOLIO) =>
  valueOf(ctx, metric, scope, '2024').value;

describe('figures as reported at an ingest, and what restated them', () => {
  let t: TestStore;
  let first: number;
  let second: number;
  beforeAll(async () => {
    t = openTestStore();
    first = (await t.ingest([fixture('north'), fixture('south')])).ingest_id!;
    second = (await t.ingest([CORRECTION])).ingest_id!;
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers as reported at ingest 1 with the first numbers and now with the corrected ones, to the cent', async () => {
    const reported = await loadMetricContextAsOf(t.store, 't1', first);
    const current = await openMetrics(t.store, 't1');

    expect(reported.data.version).toBe(first);
    expect(current.data.version).toBe(second);
    for (const [ctx, l1, l2, portfolio] of [
      [reported, 1000, 579, 1579],
      [current, 1085.5, 579, 1664.5],
    ] as const) {
      expect(money(ctx, 'net_revenue', at('L1'))).toBe(l1);
      expect(money(ctx, 'net_revenue', at('L2'))).toBe(l2);
      expect(money(ctx, 'net_revenue')).toBe(portfolio);
    }
    expect(money(reported, 'avg_ticket', at('L1'))).toBe(333.33);
    expect(money(current, 'avg_ticket', at('L1'))).toBe(361.83);
    expect(money(reported, 'avg_ticket')).toBe(394.75);
    expect(money(current, 'avg_ticket')).toBe(416.13);
    // As reported at the latest ingest is what the stored aggregates answer.
    const latest = await loadMetricContextAsOf(t.store, 't1', second);
    expect(money(latest, 'net_revenue', at('L1'))).toBe(1085.5);
  });

  it('lists exactly the changed figures, both values and the rows that changed them', async () => {
    const reported = await loadMetricContextAsOf(t.store, 't1', first);
    const current = await openMetrics(t.store, 't1');
    const changes = await t.store.changedRowsSince('t1', first);

    const result = restatements({ reported, current, metrics: METRICS, period: '2024', changes });

    if (!result.ok) throw new Error(result.error.message);
    const figures = result.restatements.map((r) => [
      r.metric,
      r.scope.kind === 'location' ? r.scope.locationId : 'portfolio',
      r.reported,
      r.current,
    ]);
    // Visits did not change anywhere, and nothing of L2 did: neither is listed.
    expect(figures).toEqual([
      ['net_revenue', 'portfolio', 1579, 1664.5],
      ['net_revenue', 'L1', 1000, 1085.5],
      ['service_revenue', 'portfolio', 1400, 1440],
      ['service_revenue', 'L1', 920, 960],
      ['retail_revenue', 'portfolio', 80, 125.5],
      ['retail_revenue', 'L1', 80, 125.5],
      ['avg_ticket', 'portfolio', 394.75, 416.13],
      ['avg_ticket', 'L1', 333.33, 361.83],
    ]);
    const l1 = result.restatements[1]!;
    expect(l1).toMatchObject({
      unit: 'usd',
      period: { label: '2024', start: '2024-01-01', end: '2024-12-31' },
      changed_locations: ['L1'],
      changed_rows_total: 2,
    });
    expect(l1.difference).toBe(85.5);
    const correction = path.join(CORRECTION, 'sales.csv');
    expect(l1.changed_rows).toEqual([
      {
        entity: 'sales',
        file: 'sales.csv',
        key: { line_id: 'S5' },
        change: 'updated',
        ingest_id: second,
        location_id: 'L1',
        previous_location_id: 'L1',
        source_file: correction,
        source_row: 2,
        previous: { source_file: path.join(fixture('north'), 'sales.csv'), source_row: 6, ingest_id: first },
      },
      {
        entity: 'sales',
        file: 'sales.csv',
        key: { line_id: 'S7' },
        change: 'inserted',
        ingest_id: second,
        location_id: 'L1',
        previous_location_id: null,
        source_file: correction,
        source_row: 3,
        previous: null,
      },
    ]);
    // The portfolio cites the location that changed, and its rows.
    expect(result.restatements[0]).toMatchObject({ changed_locations: ['L1'], changed_rows_total: 2 });
  });

  it('caps the rows cited per figure and keeps the count', async () => {
    const reported = await loadMetricContextAsOf(t.store, 't1', first);
    const current = await openMetrics(t.store, 't1');
    const changes = await t.store.changedRowsSince('t1', first);

    const result = restatements({
      reported,
      current,
      metrics: ['net_revenue'],
      period: '2024',
      changes,
      scopes: [at('L1'), at('L2')],
      maxRowsPerFigure: 1,
    });

    if (!result.ok) throw new Error(result.error.message);
    expect(result.restatements).toHaveLength(1);
    expect(result.restatements[0]!.changed_rows.map((r) => r.key)).toEqual([{ line_id: 'S5' }]);
    expect(result.restatements[0]!.changed_rows_total).toBe(2);
  });

  it('refuses an unknown metric or a malformed period rather than listing nothing', async () => {
    const ctx = await openMetrics(t.store, 't1');
    expect(
      restatements({ reported: ctx, current: ctx, metrics: ['net_revenu'], period: '2024', changes: [] }),
    ).toMatchObject({
      ok: false,
      error: { code: 'unknown_metric' },
    });
    expect(
      restatements({ reported: ctx, current: ctx, metrics: ['net_revenue'], period: '2024-13', changes: [] }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid_period' },
    });
  });
});

describe('a location that did not exist as reported', () => {
  it('counts null → value as a restatement, with the reason the board had no figure', async () => {
    const t = openTestStore();
    try {
      const first = (await t.ingest([fixture('north')])).ingest_id!;
      await t.ingest([fixture('south'), CORRECTION]);
      const reported = await loadMetricContextAsOf(t.store, 't1', first);
      const current = await openMetrics(t.store, 't1');

      const result = restatements({
        reported,
        current,
        metrics: ['net_revenue'],
        period: '2024',
        changes: await t.store.changedRowsSince('t1', first),
      });

      if (!result.ok) throw new Error(result.error.message);
      expect(result.restatements.map((r) => [r.scope, r.reported, r.current, r.difference])).toEqual([
        [PORTFOLIO, 1000, 1664.5, 664.5],
        [at('L1'), 1000, 1085.5, 85.5],
        [at('L2'), null, 579, null],
      ]);
      expect(result.restatements[2]!.reported_reason).toMatch(/Unknown location "L2"/);
      expect(result.restatements[0]!.changed_locations).toEqual(['L1', 'L2']);
      // L2's own rows: its location, patients are tenant-wide (no location), its appointments and sales.
      const l2 = result.restatements[2]!;
      expect(l2.changed_locations).toEqual(['L2']);
      expect(l2.changed_rows.filter((r) => r.location_id === 'L2').map((r) => r.file)).toEqual([
        'locations.csv',
        'appointments.csv',
        'appointments.csv',
        'sales.csv',
        'sales.csv',
      ]);
      expect(l2.changed_rows.filter((r) => r.location_id === null).map((r) => [r.file, r.key])).toEqual([
        ['patients.csv', { patient_id: 'B-77' }],
        ['patients.csv', { patient_id: 'B-78' }],
      ]);
    } finally {
      await t.close();
    }
  });
});

describe('figuresDiffer', () => {
  it('compares money to the cent, other units exactly up to 1e-12, and null against a value', () => {
    expect(figuresDiffer('usd', 1085.5, 1085.5000000001)).toBe(false);
    expect(figuresDiffer('usd', 1085.5, 1085.51)).toBe(true);
    expect(figuresDiffer('ratio', 0.5, 0.5 + 1e-13)).toBe(false);
    expect(figuresDiffer('ratio', 0.5, 0.5 + 1e-9)).toBe(true);
    expect(figuresDiffer('count', null, 0)).toBe(true);
    expect(figuresDiffer('count', null, null)).toBe(false);
  });
});
