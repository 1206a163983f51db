/**
 * Metric query benchmark: a demo portfolio is generated and ingested, then we time the
 * aggregate refresh, loading the metric data, every metric for every scope for one period,
 * and 10,000 single-value lookups (the shape of a workbook full of =CALIPER.KPI cells).
 *
 *   npm run bench:metrics -- [--locations 50] [--years 3] [--period LTM]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { writeDemoPortfolio } from '../cli/demo/writeDemoPortfolio';
import { openBundles } from '../io/bundleFiles';
import { refreshAggregates } from '../shared/engine/refresh';
import { ingestBundles } from '../shared/ingest/ingestBundles';
import { METRICS } from '../shared/metrics/catalog';
import { computeMetric } from '../shared/metrics/computeMetric';
import { MetricContext } from '../shared/metrics/metricContext';
import { listMetricValues, scopesFor } from '../shared/metrics/metricListing';
import { createPseudonymizer } from '../shared/privacy/pseudonymize';
import { SqliteStore } from '../store/sqlite/sqlite-store';

function flag(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : (process.argv[index + 1] ?? fallback);
}

function timed<T>(label: string, run: () => T): T {
  const started = process.hrtime.bigint();
  const result = run();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  console.log(`${label}: ${ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`}`);
  return result;
}

async function main(): Promise<void> {
  const locations = Number(flag('locations', '50'));
  const years = Number(flag('years', '3'));
  const period = flag('period', 'LTM');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caliper-bench-metrics-'));
  try {
    const demo = await writeDemoPortfolio({
      locations,
      years,
      seed: 42,
      endMonth: '2026-10',
      outDir: path.join(dir, 'demo'),
    });
    const store = SqliteStore.open(path.join(dir, 'bench.db'));
    const bundles = (await Promise.all(demo.bundles.map((b) => openBundles(b)))).flat();
    let started = Date.now();
    const report = await ingestBundles(bundles, {
      store,
      tenant: 'bench',
      pseudonymizer: createPseudonymizer(Buffer.alloc(32, 1)),
    });
    console.log(
      `ingest: ${report.totals.rows_accepted.toLocaleString('en-US')} rows in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    started = Date.now();
    await refreshAggregates(store, 'bench');
    console.log(
      `refresh aggregates (${locations} locations): ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    const data = await timed('load metric data', () => store.loadMetricData('bench'));
    const ctx = new MetricContext(data);
    const listed = timed(`all metrics × all scopes for ${period} (first run)`, () =>
      listMetricValues(ctx, period),
    );
    if (!listed.ok) throw new Error(listed.error.message);
    console.log(`  ${listed.records.length.toLocaleString('en-US')} values`);
    timed(`all metrics × all scopes for ${period} (warm)`, () => listMetricValues(ctx, period));

    // 10,000 lookups drawn deterministically from every (metric, scope) pair and a few periods.
    const requests: { metric: string; scope: Parameters<typeof computeMetric>[2]; period: string }[] = [];
    const periods = ['LTM', 'YTD', '2026-09', '2026-Q3', 'FY2026', '2025'];
    const pairs = METRICS.filter((m) => m.singleValue !== false).flatMap((m) =>
      scopesFor(ctx, m.scopes, {}).map((scope) => ({ metric: m.id, scope })),
    );
    for (let i = 0; requests.length < 10_000; i += 1) {
      const pair = pairs[(i * 7919) % pairs.length]!;
      requests.push({ ...pair, period: periods[i % periods.length]! });
    }
    timed('10,000 single-value lookups', () => {
      for (const r of requests) computeMetric(ctx, r.metric, r.scope, r.period);
    });
    await store.close();
    console.log(`node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'})`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main();
