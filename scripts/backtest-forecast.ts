/**
 * Backtest of the revenue forecast (docs/models.md "Revenue forecast"): generates a demo portfolio
 * into a temp folder, ingests it into a temp SQLite store, forecasts every location from each of
 * its latest origins with only the data up to that origin, and scores each month against the
 * engine's net_revenue — the model beside the seasonal-naive baseline (and, for reference, the
 * trailing 12-month mean). Prints markdown tables (or `--json`), then deletes the temp folder.
 *
 *   npm run backtest:forecast -- [--locations 8] [--years 3] [--seed 42] [--origins 12] [--horizons 3] [--json]
 *   npm run backtest:forecast -- --store .caliper/caliper.db --tenant default     (an existing store)
 */
import { openMetrics } from '../shared/metrics/openMetrics';
import { type BacktestResult, type MapeRow, runForecastBacktest } from '../shared/models/forecastBacktest';
import { numberFlag, openModelStore, seconds } from './modelStore';

const pct = (v: number | null) => (v === null ? 'n/a' : `${(v * 100).toFixed(1)} %`);
/** model / seasonal naive / trailing mean, flagged where the baseline is better. */
const cell = (r: MapeRow) =>
  `${pct(r.model)} / ${pct(r.naive)} / ${pct(r.trailingMean)}${r.model !== null && r.naive !== null && r.model >= r.naive ? ' **(naive better)**' : ''}`;
const beats = (r: MapeRow) =>
  r.model === null || r.naive === null ? '' : r.model < r.naive ? 'yes' : '**no**';

function markdown(result: BacktestResult, source: string, elapsed: string): string {
  const lines = [
    `## Revenue forecast backtest`,
    '',
    `${source}; ${result.points.length} forecast months scored; ${elapsed}.`,
    '',
    'MAPE of monthly net revenue, pooled over locations and origins (pairs where the model, the seasonal-naive',
    'baseline and the trailing mean all have a value):',
    '',
    '| horizon | pairs | model | seasonal naive | trailing 12-month mean | model beats naive | model, all its pairs |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...result.pooled.map(
      (r) =>
        `| ${r.horizon} | ${r.pairs} | ${pct(r.model)} | ${pct(r.naive)} | ${pct(r.trailingMean)} | ${beats(r)} | ${pct(r.modelAll)} (${r.modelAllPairs}) |`,
    ),
    '',
    'Per location (model / seasonal naive / trailing 12-month mean):',
    '',
    `| location | origins | ${result.pooled.map((r) => `h${r.horizon}`).join(' | ')} |`,
    `| --- | --- | ${result.pooled.map(() => '---').join(' | ')} |`,
    ...result.locations.map((l) =>
      l.skipped
        ? `| ${l.locationId} | — | ${l.skipped} |${' |'.repeat(result.horizons - 1)}`
        : `| ${l.locationId} | ${l.origins[0] ?? ''} … ${l.origins[l.origins.length - 1] ?? ''} | ${l.byHorizon
            .map((r) => cell(r))
            .join(' | ')} |`,
    ),
    '',
    'Per service category with at least 5 % of the location’s service revenue (model / seasonal naive / trailing 12-month mean):',
    '',
    `| category | pairs | ${result.pooled.map((r) => `h${r.horizon}`).join(' | ')} |`,
    `| --- | --- | ${result.pooled.map(() => '---').join(' | ')} |`,
    ...result.byCategory.map(
      (c) =>
        `| ${c.category} | ${c.byHorizon[0]?.pairs ?? 0} | ${c.byHorizon.map((r) => cell(r)).join(' | ')} |`,
    ),
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const horizons = numberFlag('horizons', 3);
  const origins = numberFlag('origins', 12);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const started = process.hrtime.bigint();
  const { store, tenant, source, close } = await openModelStore('backtest-forecast', log);
  try {
    log(`prepared in ${seconds(started)}; loading the metric data…`);
    const ctx = await openMetrics(store, tenant);
    const backtestStarted = process.hrtime.bigint();
    const result = runForecastBacktest(ctx, {
      horizons,
      origins,
      onProgress: (locationId, origin) => log(`  ${locationId} @ ${origin}`),
    });
    const elapsed = `backtest ${seconds(backtestStarted)}, total ${seconds(started)}`;
    if (json) {
      const { points, ...summary } = result;
      process.stdout.write(`${JSON.stringify({ source, elapsed, ...summary, points }, null, 2)}\n`);
    } else {
      process.stdout.write(`${markdown(result, source, elapsed)}\n`);
    }
  } finally {
    await close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
