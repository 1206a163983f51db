/**
 * The bench's 10,000 batch cells computed in one process after one load of the tenant's metric
 * data: what the cold batch costs beyond the load and HTTP, and the figure the in-process
 * target (50 ms) is about. Each run makes a fresh context (nothing counted ahead is kept) and
 * reports its time, an MD5 of every answer (a change that must not move a figure keeps it) and
 * the metrics that took longest. With `--against DIR` (another build's `dist`), runs alternate
 * between that build and this one on the same loaded data, so a change is measured against the
 * build before it under the same machine load (this machine's spread between runs: 5–25 %); the
 * other build must load the same MetricData shape. The store is refreshed first, untimed.
 *
 *   node --expose-gc dist/scripts/bench/batchInProcess.js --store FILE --tenant T [--runs 3] [--against DIR]
 */
import { createHash } from 'node:crypto';
import path from 'node:path';

import { refreshAggregates } from '../../shared/engine/refresh';
import type { MetricContext } from '../../shared/metrics/metricContext';
import type { MetricData } from '../../shared/metrics/metricData';
import type { Scope } from '../../shared/metrics/scope';
import { SqliteStore } from '../../store/sqlite/sqlite-store';
import { batchCells, batchMetricIds } from './batchCells';
import { failed, flagValue, report } from './childFlags';

/** What a build is asked for: the same modules, this build's or another's. */
interface Build {
  name: string;
  metricContextOf: (data: MetricData) => MetricContext;
  computeMetric: (ctx: MetricContext, metric: string, scope: Scope, period: string) => unknown;
  metricIds: string[];
}

async function buildAt(dist: string, name: string): Promise<Build> {
  const module = async <T>(file: string) => (await import(path.join(dist, file))) as T;
  const { metricContextOf } = await module<Pick<Build, 'metricContextOf'>>('shared/metrics/openMetrics.js');
  const { computeMetric } = await module<Pick<Build, 'computeMetric'>>('shared/metrics/computeMetric.js');
  const { METRICS } = await module<{ METRICS: { id: string; scopes: string[] }[] }>(
    'shared/metrics/catalog.js',
  );
  return { name, metricContextOf, computeMetric, metricIds: batchMetricIds(METRICS) };
}

function runCells(build: Build, data: MetricData): { seconds: number; md5: string; slowest: string[] } {
  (globalThis as { gc?: () => void }).gc?.();
  const cells = batchCells(
    build.metricIds,
    data.locations.map((l) => l.location_id),
  );
  const started = process.hrtime.bigint();
  const ctx = build.metricContextOf(data);
  const hash = createHash('md5');
  const byMetric = new Map<string, number>();
  for (const cell of cells) {
    const scope: Scope =
      cell.location === undefined ? { kind: 'portfolio' } : { kind: 'location', locationId: cell.location };
    const cellStarted = process.hrtime.bigint();
    hash.update(JSON.stringify(build.computeMetric(ctx, cell.metric, scope, cell.period)));
    const ms = Number(process.hrtime.bigint() - cellStarted) / 1e6;
    byMetric.set(cell.metric, (byMetric.get(cell.metric) ?? 0) + ms);
  }
  return {
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
    md5: hash.digest('hex'),
    slowest: [...byMetric]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6)
      .map(([metric, ms]) => `${metric} ${(ms / 1000).toFixed(2)} s`),
  };
}

async function main(): Promise<void> {
  const runs = Number(flagValue('runs', '3'));
  const against = process.argv.includes('--against') ? flagValue('against') : null;
  const tenant = flagValue('tenant');
  const store = SqliteStore.open(flagValue('store'));
  let data: MetricData;
  try {
    // As after the refresh that follows an ingest (untimed: the bench's refresh phase times it).
    await refreshAggregates(store, tenant);
    const started = process.hrtime.bigint();
    data = await store.loadMetricData(tenant);
    report({ loadSeconds: Number(process.hrtime.bigint() - started) / 1e9 });
  } finally {
    await store.close();
  }
  const builds = [await buildAt(path.join(__dirname, '..', '..'), 'this build')];
  if (against !== null) builds.unshift(await buildAt(path.resolve(against), against));
  for (let run = 1; run <= runs; run += 1) {
    for (const build of builds) report({ run, build: build.name, ...runCells(build, data) });
  }
}

main().catch(failed);
