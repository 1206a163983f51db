/**
 * Child process of `npm run bench`: the DuckDB baseline in its own process, so its peak RSS
 * (DuckDB's native memory included) is not mixed with the bench's. Reads the bundles'
 * CSVs, computes the core KPIs for the period, and reports times, RSS and the values.
 *
 *   node dist/scripts/bench/duckdbPhase.js --period LTM BUNDLE_DIR...
 */
import { failed, flagValue, peakRssBytes, report } from './childFlags';
import { DuckDbBaseline } from './duckdbKpis';

async function main(): Promise<void> {
  const period = flagValue('period');
  const bundleDirs = process.argv
    .slice(2)
    .filter((a, i, all) => a !== '--period' && all[i - 1] !== '--period');
  const db = await DuckDbBaseline.open();
  try {
    let started = process.hrtime.bigint();
    const rowsPerTable = await db.readBundles(bundleDirs);
    const readSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const readPeakRss = peakRssBytes();
    started = process.hrtime.bigint();
    const { range, values } = await db.coreKpis(period);
    const kpiSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    report({
      rows: Object.values(rowsPerTable).reduce((a, b) => a + b, 0),
      rowsPerTable,
      readSeconds,
      readPeakRss,
      kpiSeconds,
      kpiPeakRss: peakRssBytes(),
      range,
      values,
    });
  } finally {
    db.close();
  }
}

main().catch(failed);
