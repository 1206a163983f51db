/**
 * The prescriptive models at portfolio scale (docs/benchmarks.md "Models"): on the demo
 * portfolio (50 locations × 3 years by default) or an existing store, the time and memory to
 * load the metric data, fit and score the churn model at every location, build the portfolio's
 * call list from those fits, and forecast every location's next 3 months.
 *
 *   npm run bench:models -- [--locations 50] [--years 3] [--seed 42]
 *   npm run bench:models -- --store .caliper/caliper.db --tenant default
 */
import { callList } from '../shared/actions/callList';
import { openMetrics } from '../shared/metrics/openMetrics';
import { scoreChurnRisk } from '../shared/models/churnRisk';
import { ChurnCache } from '../shared/models/churnTraining';
import { forecastRevenue } from '../shared/models/revenueForecast';
import { openModelStore, seconds } from './modelStore';

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
const peakRss = () => mb(process.resourceUsage().maxRSS * 1024);

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

async function main(): Promise<void> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const { store, tenant, source, close } = await openModelStore('bench-models', log, 50);
  const rows: string[] = [];
  const row = (step: string, took: string, detail: string) => {
    rows.push(`| ${step} | ${took} | ${peakRss()} | ${detail} |`);
    log(`${step}: ${took} (${detail}), peak RSS ${peakRss()}`);
  };
  try {
    let started = process.hrtime.bigint();
    const ctx = await openMetrics(store, tenant);
    const data = ctx.data;
    row(
      'load the metric data (refresh + load)',
      seconds(started),
      `${data.events.length.toLocaleString('en-US')} appointments`,
    );

    const cache = new ChurnCache();
    const perLocation: number[] = [];
    let patients = 0;
    let fallbacks = 0;
    let unscored = 0;
    started = process.hrtime.bigint();
    for (const site of data.locations) {
      const t = process.hrtime.bigint();
      const scores = scoreChurnRisk(data, site.location_id, { cache });
      perLocation.push(Number(process.hrtime.bigint() - t) / 1e9);
      patients += scores.patients.length;
      if (!scores.scored) unscored++;
      else if ((scores.model?.fallbacks.length ?? 0) > 0) fallbacks++;
    }
    perLocation.sort((a, b) => a - b);
    row(
      'fit and score churn, every location',
      seconds(started),
      `${data.locations.length} locations, ${patients.toLocaleString('en-US')} patients; per location median ${quantile(perLocation, 0.5).toFixed(2)} s, max ${quantile(perLocation, 1).toFixed(2)} s; ${fallbacks} with a fallback, ${unscored} not scored`,
    );

    started = process.hrtime.bigint();
    const list = callList(data, null, { n: 25, cache });
    row('portfolio call list (fits reused)', seconds(started), list.ok ? '25 rows' : list.error.message);

    started = process.hrtime.bigint();
    let forecasts = 0;
    for (const site of data.locations) if (forecastRevenue(ctx, site.location_id).ok) forecasts++;
    row(
      'forecast every location, 3 months',
      seconds(started),
      `${forecasts} of ${data.locations.length} forecast`,
    );
  } finally {
    await close();
  }
  console.log(
    [
      `## Models — ${source}`,
      '',
      '| step | time | peak RSS so far | detail |',
      '| --- | ---: | ---: | --- |',
      ...rows,
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
