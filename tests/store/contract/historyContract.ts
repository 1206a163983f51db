import path from 'node:path';

import { openBundles } from '../../../io/bundleFiles';
import type { LocationFactsData } from '../../../shared/engine/refresh';
import { ingestBundles } from '../../../shared/ingest/ingestBundles';
import { mergeLocations } from '../../../shared/ingest/locationMerge';
import { loadMetricContextAsOf, loadMetricDataAsOf } from '../../../shared/metrics/asReported';
import { METRICS } from '../../../shared/metrics/catalog';
import { computeMetric } from '../../../shared/metrics/computeMetric';
import type { MetricContext } from '../../../shared/metrics/metricContext';
import { openMetrics } from '../../../shared/metrics/openMetrics';
import { createPseudonymizer } from '../../../shared/privacy/pseudonymize';
import type { CaliperStore } from '../../../shared/store/store.port';
import type { ChangedRow } from '../../../shared/store/storeHistory';
import { at, PORTFOLIO, valueOf } from '../../support/metricsFixture';
import { fixture, TEST_SECRET } from '../../support/testStore';

/** North's sales corrected after the fact: S5 520.00 → 560.00, and S7 (45.50) that was missing. */
const CORRECTION = path.join(__dirname, '..', '..', 'fixtures', 'restatements', 'north_correction');

async function ingest(store: CaliperStore, tenant: string, paths: string[]): Promise<number> {
  const bundles = (await Promise.all(paths.map((p) => openBundles(p)))).flat();
  const report = await ingestBundles(bundles, {
    store,
    tenant,
    pseudonymizer: createPseudonymizer(TEST_SECRET),
  });
  if (report.ingest_id === null) throw new Error(report.failure ?? 'not committed');
  return report.ingest_id;
}

/**
 * Every single-value metric (the figures a board sees; the heatmap grid alone takes seconds) for
 * the portfolio and both locations, over a fixed and an as-of-relative period.
 */
function everyAnswer(ctx: MetricContext) {
  const out: Record<string, unknown> = {};
  for (const metric of METRICS.filter((m) => m.singleValue !== false)) {
    for (const [name, scope] of [
      ['portfolio', PORTFOLIO],
      ['L1', at('L1')],
      ['L2', at('L2')],
    ] as const) {
      for (const period of ['2024', 'LTM']) {
        const a = computeMetric(ctx, metric.id, scope, period);
        out[`${metric.id} ${name} ${period}`] = a.ok
          ? { value: a.value.value, coverage: a.value.coverage, reason: a.value.reason }
          : { error: a.error.code };
      }
    }
  }
  return out;
}

/** The facts with every list sorted: SQL promises no order of the fact rows, as of an ingest or now. */
function unordered(facts: LocationFactsData) {
  const sorted = <T>(rows: readonly T[]) => rows.map((r) => JSON.stringify(r)).sort();
  return Object.fromEntries(
    Object.entries(facts).map(([name, value]) => [name, Array.isArray(value) ? sorted(value) : value]),
  );
}

/** A changed row in a few words, its files by folder and name (paths differ between machines). */
function brief(r: ChangedRow) {
  const where = (file: string | null) => (file === null ? null : path.basename(path.dirname(file)));
  return [
    r.file,
    Object.values(r.key).join('|'),
    r.change,
    r.location_id,
    r.previous_location_id,
    where(r.source_file),
    r.source_row,
    r.previous === null ? null : [where(r.previous.source_file), r.previous.source_row],
  ];
}

/**
 * The store's history through the port (shared/store/storeHistory.ts, loadLocationFacts as of an
 * ingest): what the metrics answered after an earlier ingest can be answered again, and every
 * row changed since is listed with its lineage. Part of the store contract, so every store.
 */
export function describeHistoryContract(
  opened: () => { store: CaliperStore; tenantA: string; tenantB: string },
): void {
  describe('history: as reported at an ingest, and what changed since', () => {
    it('answers every single-value metric as reported at an earlier ingest exactly as the store answered then', async () => {
      const { store, tenantA: tenant } = opened();
      const first = await ingest(store, tenant, [fixture('north'), fixture('south')]);
      const then = await openMetrics(store, tenant);
      const answeredThen = everyAnswer(then);
      const storedThen = await store.loadMetricData(tenant);
      const second = await ingest(store, tenant, [CORRECTION]);
      const now = await openMetrics(store, tenant);
      const storedNow = await store.loadMetricData(tenant);

      const asReported = await loadMetricContextAsOf(store, tenant, first);

      expect(valueOf(asReported, 'net_revenue', at('L1'), '2024').value).toBe(1000);
      expect(valueOf(now, 'net_revenue', at('L1'), '2024').value).toBe(1085.5);
      expect(everyAnswer(asReported)).toEqual(answeredThen);
      expect(everyAnswer(await loadMetricContextAsOf(store, tenant, second))).toEqual(everyAnswer(now));
      // The same MetricData the store loads, dimensions and computed aggregates alike.
      const { daily: _thenDaily, events: thenEvents, ...thenData } = storedThen;
      const asOf = await loadMetricDataAsOf(store, tenant, first);
      const { daily: _asOfDaily, events: asOfEvents, ...asOfData } = asOf;
      expect(asOfData).toEqual({ ...thenData, version: first });
      // The events row by row (their tables of texts may list the same texts in another order).
      expect(asOfEvents.toArray()).toEqual(thenEvents.toArray());
      // Reading the past touched neither the stored aggregates nor their dirty marks.
      expect(await store.loadMetricData(tenant)).toEqual(storedNow);
      expect(await store.dirtyLocations(tenant)).toEqual([]);
    });

    it("loads a location's facts as they stood after an ingest", async () => {
      const { store, tenantA: tenant, tenantB } = opened();
      const first = await ingest(store, tenant, [fixture('north'), fixture('south')]);
      const second = await ingest(store, tenant, [CORRECTION]);

      const grossOf = (sales: readonly { line_id: string; gross: number }[]) =>
        Object.fromEntries(sales.map((s) => [s.line_id, s.gross]));
      const then = await store.loadLocationFacts(tenant, 'L1', first);
      const now = await store.loadLocationFacts(tenant, 'L1');
      expect(grossOf(then.sales)).toEqual({ S1: 52000, S2: 8000, S3: -10000, S4: 25000, S5: 52000, S6: 0 });
      expect(grossOf(now.sales)).toEqual({ ...grossOf(then.sales), S5: 56000, S7: 4550 });
      expect(unordered(await store.loadLocationFacts(tenant, 'L1', second))).toEqual(unordered(now));
      expect(unordered(then).appointments).toEqual(unordered(now).appointments);
      const dimensions = await store.loadMetricDimensions(tenant, first);
      expect(dimensions.version).toBe(first);
      expect(dimensions.locations.map((l) => l.location_id)).toEqual(['L1', 'L2']);
      // Another tenant's history is not this one's.
      expect((await store.loadLocationFacts(tenantB, 'L1', first)).sales).toEqual([]);
      expect(await store.loadMetricDimensions(tenantB, second)).toMatchObject({
        locations: [],
        patients: [],
      });
    });

    it('lists every row an ingest after the one named inserted or superseded, with its lineage', async () => {
      const { store, tenantA: tenant, tenantB } = opened();
      const first = await ingest(store, tenant, [fixture('north'), fixture('south')]);
      const second = await ingest(store, tenant, [CORRECTION]);

      const changed = await store.changedRowsSince(tenant, first);

      expect(changed.map(brief)).toEqual([
        ['sales.csv', 'S5', 'updated', 'L1', 'L1', 'north_correction', 2, ['north', 6]],
        ['sales.csv', 'S7', 'inserted', 'L1', null, 'north_correction', 3, null],
      ]);
      expect(changed.map((r) => r.ingest_id)).toEqual([second, second]);
      expect(changed[0]!.previous!.ingest_id).toBe(first);
      expect(await store.changedRowsSince(tenant, second)).toEqual([]);
      expect(await store.changedRowsSince(tenantB, 0)).toEqual([]);
    });

    it('keeps the figures from before a location merge, and lists what it moved and closed', async () => {
      const { store, tenantA: tenant } = opened();
      const first = await ingest(store, tenant, [fixture('north'), fixture('south')]);
      await mergeLocations(store, tenant, { from: 'L2', into: 'L1', label: 'merge L2 into L1' });

      const asReported = await loadMetricContextAsOf(store, tenant, first);
      expect(valueOf(asReported, 'net_revenue', at('L1'), '2024').value).toBe(1000);
      expect(valueOf(asReported, 'net_revenue', at('L2'), '2024').value).toBe(579);
      const now = await openMetrics(store, tenant);
      expect(valueOf(now, 'net_revenue', at('L1'), '2024').value).toBe(1579);

      const changed = (await store.changedRowsSince(tenant, first)).map((r) => [
        r.file,
        Object.values(r.key).join('|'),
        r.change,
        r.location_id,
        r.previous_location_id,
      ]);
      // The moved rows are new versions at L1 of rows that were L2's; L2's own row is closed.
      expect(changed).toEqual([
        ['locations.csv', 'L2', 'closed', 'L2', null],
        ['patients.csv', 'B-77', 'updated', null, null],
        ['patients.csv', 'B-78', 'updated', null, null],
        ['appointments.csv', 'urn:blvd:Appointment:1', 'updated', 'L1', 'L2'],
        ['appointments.csv', 'urn:blvd:Appointment:2', 'updated', 'L1', 'L2'],
        ['sales.csv', 'blvd-1', 'updated', 'L1', 'L2'],
        ['sales.csv', 'blvd-2', 'updated', 'L1', 'L2'],
      ]);
    });
  });
}
