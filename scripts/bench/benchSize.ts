/**
 * One size of `npm run bench`: the demo portfolio generated once, then Caliper's phases, each
 * in its own process (ingest, refresh, all metrics for one period, a cold and a warm
 * 10,000-cell batch over HTTP, `caliper precompute` and the cold batch again, reading its
 * stored answers), then the DuckDB baseline over the same CSVs in its own process, and the two
 * compared on the core KPIs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { writeDemoPortfolio } from '../../cli/demo/writeDemoPortfolio';
import { type CaliperRecord, compareKpis, type Comparison } from './compareKpis';
import type { KpiValue } from './duckdbKpis';
import type { DateRange } from './duckdbPeriod';
import { writeNextMonthBundle } from './nextMonth';
import { type ChildRun, lastJsonLine, mustSucceed, runChild } from './runChild';

export interface PhaseRow {
  phase: string;
  /** What the phase handled: CSV rows, metric values, batch cells. */
  rows: number | null;
  caliperSeconds: number | null;
  caliperRss: number | null;
  duckdbPhase: string | null;
  duckdbSeconds: number | null;
  duckdbRss: number | null;
  /** Why Caliper's side of the phase failed (then its seconds are how long it ran), or null. */
  failure: string | null;
}

export interface SizeResult {
  locations: number;
  years: number;
  period: string;
  /** The period's dates as the DuckDB baseline resolved it. */
  range: DateRange | null;
  generateSeconds: number;
  csvRows: number;
  csvBytes: number;
  phases: PhaseRow[];
  endToEnd: PhaseRow;
  comparison: Comparison | null;
  batchErrors: { cold: number; warm: number; stored: number } | null;
  /** The 1-minute load average, sampled every 5 s while this size ran: the machine is shared. */
  load: { min: number; max: number };
}

interface BatchOutcome {
  seconds: number;
  results: number;
  errors: number;
  peakRss: number;
}

interface DuckdbOutcome {
  rows: number;
  readSeconds: number;
  readPeakRss: number;
  kpiSeconds: number;
  kpiPeakRss: number;
  range: DateRange;
  values: KpiValue[];
}

const TENANT = 'bench';

/** dist/ of this build: children run the compiled CLI and scripts, as a user would. */
const DIST = path.join(__dirname, '..', '..');

export async function benchSize(
  options: { locations: number; years: number; period: string; skipDuckdb: boolean },
  log: (line: string) => void,
): Promise<SizeResult> {
  const { locations, years, period } = options;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caliper-bench-'));
  const loads = [os.loadavg()[0] ?? 0];
  const sampler = setInterval(() => loads.push(os.loadavg()[0] ?? 0), 5000);
  // A stopped run would otherwise leave its demo and store behind: gigabytes at 200 locations.
  const removeOnSignal = (signal: NodeJS.Signals) => {
    fs.rmSync(dir, { recursive: true, force: true });
    process.kill(process.pid, signal);
  };
  process.once('SIGINT', removeOnSignal);
  process.once('SIGTERM', removeOnSignal);
  try {
    const started = process.hrtime.bigint();
    const demo = await writeDemoPortfolio({
      locations,
      years,
      seed: 42,
      endMonth: '2026-10',
      outDir: path.join(dir, 'demo'),
    });
    const generateSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const csvRows = Object.values(demo.rows).reduce((a, b) => a + b, 0);
    log(
      `${locations} × ${years}: ${csvRows.toLocaleString('en-US')} CSV rows generated in ${generateSeconds.toFixed(1)} s`,
    );

    const store = path.join(dir, 'bench.db');
    const storeFlags = ['--store', store, '--tenant', TENANT];
    const cli = path.join(DIST, 'cli', 'caliper.js');

    const ingest = mustSucceed(
      await runChild([cli, 'ingest', ...demo.bundles, ...storeFlags, '--json']),
      'caliper ingest',
    );
    const ingested = JSON.parse(ingest.stdout) as { committed: boolean; totals: { rows_read: number } };
    if (!ingested.committed) throw new Error('caliper ingest committed nothing');
    log(`  ingest ${ingest.seconds.toFixed(1)} s`);

    // From here a failed phase (at 200 locations: out of memory) is recorded and the run goes on.
    const refresh = await runChild([path.join(DIST, 'scripts', 'bench', 'refreshPhase.js'), ...storeFlags]);
    log(`  refresh ${said(refresh)}`);

    const metrics = await runChild([cli, 'metrics', '--period', period, '--format', 'json', ...storeFlags]);
    const records = metrics.failure === null ? (JSON.parse(metrics.stdout) as CaliperRecord[]) : null;
    log(`  metrics ${said(metrics)}${records === null ? '' : `, ${records.length} values`}`);

    const { run: batchRun, batch } = await runBatchPhase(storeFlags);
    log(
      batch === null
        ? `  batch ${said(batchRun)}`
        : `  batch cold ${batch.cold.seconds.toFixed(2)} s, warm ${batch.warm.seconds.toFixed(2)} s`,
    );

    // The step after the refresh that stores the standard answers, then the same cold batch again:
    // a new API process that reads them (the bench's periods are all standard ones).
    const precompute = await runChild([cli, 'precompute', '--json', ...storeFlags]);
    const precomputed =
      precompute.failure === null
        ? (JSON.parse(precompute.stdout) as { cells: number; stored: boolean })
        : null;
    log(`  precompute ${said(precompute)}${precomputed === null ? '' : `, ${precomputed.cells} answers`}`);
    const { run: storedRun, batch: stored } = await runBatchPhase(storeFlags);
    log(
      stored === null
        ? `  batch from stored answers ${said(storedRun)}`
        : `  batch from stored answers: cold ${stored.cold.seconds.toFixed(2)} s`,
    );

    // The monthly case: one location brings one more month; the refresh should touch that month.
    const nextMonthDir = path.join(dir, 'next-month', path.basename(demo.bundles[0]!));
    const nextMonth = writeNextMonthBundle(demo.bundles[0]!, nextMonthDir);
    const incrementalIngest = await runChild([cli, 'ingest', nextMonthDir, ...storeFlags, '--json']);
    const incrementalRefresh = await runChild([
      path.join(DIST, 'scripts', 'bench', 'refreshPhase.js'),
      ...storeFlags,
    ]);
    const refreshedLocations =
      incrementalRefresh.failure === null
        ? lastJsonLine<{ locations: number }>(incrementalRefresh.stdout).locations
        : null;
    log(
      `  one more month (${nextMonth.month}) for one location: ingest ${said(incrementalIngest)}, ` +
        `refresh ${said(incrementalRefresh)} (${refreshedLocations ?? '?'} locations)`,
    );

    let duckdb: DuckdbOutcome | null = null;
    if (!options.skipDuckdb) {
      const run = mustSucceed(
        await runChild([
          path.join(DIST, 'scripts', 'bench', 'duckdbPhase.js'),
          '--period',
          period,
          ...demo.bundles,
        ]),
        'the DuckDB baseline',
      );
      duckdb = lastJsonLine<DuckdbOutcome>(run.stdout);
      log(`  duckdb read_csv ${duckdb.readSeconds.toFixed(1)} s, KPIs ${duckdb.kpiSeconds.toFixed(1)} s`);
    }

    const phases: PhaseRow[] = [
      {
        phase: '`caliper ingest` ↔ `read_csv` into tables',
        rows: ingested.totals.rows_read,
        ...caliperSide(ingest),
        duckdbPhase: 'read_csv',
        duckdbSeconds: duckdb?.readSeconds ?? null,
        duckdbRss: duckdb?.readPeakRss ?? null,
      },
      {
        phase: 'aggregate refresh (first question after the ingest)',
        rows: null,
        ...caliperSide(refresh),
        duckdbPhase: null,
        duckdbSeconds: null,
        duckdbRss: null,
      },
      {
        phase: `\`caliper metrics --period ${period} --format json\` ↔ core KPI SQL`,
        rows: records?.length ?? null,
        ...caliperSide(metrics),
        duckdbPhase: 'KPI SQL',
        duckdbSeconds: duckdb?.kpiSeconds ?? null,
        duckdbRss: duckdb?.kpiPeakRss ?? null,
      },
      {
        phase: 'cold 10,000-cell batch, right after the API started',
        rows: batch?.cells ?? null,
        ...(batch === null ? caliperSide(batchRun) : { ...fromBatch(batch.cold), failure: null }),
        duckdbPhase: null,
        duckdbSeconds: null,
        duckdbRss: null,
      },
      {
        phase: 'the same batch, warm',
        rows: batch?.cells ?? null,
        ...(batch === null
          ? { ...caliperSide(batchRun), caliperSeconds: null }
          : { ...fromBatch(batch.warm), failure: null }),
        duckdbPhase: null,
        duckdbSeconds: null,
        duckdbRss: null,
      },
      {
        phase: '`caliper precompute`: every metric, the portfolio and each location, 42 standard periods',
        rows: precomputed?.cells ?? null,
        ...caliperSide(precompute),
        duckdbPhase: null,
        duckdbSeconds: null,
        duckdbRss: null,
      },
      {
        phase: 'cold 10,000-cell batch after `caliper precompute`, right after the API started',
        rows: stored?.cells ?? null,
        ...(stored === null ? caliperSide(storedRun) : { ...fromBatch(stored.cold), failure: null }),
        duckdbPhase: null,
        duckdbSeconds: null,
        duckdbRss: null,
      },
      {
        phase: `one location's next month (${nextMonth.month}): \`caliper ingest\``,
        rows: nextMonth.rows,
        ...caliperSide(incrementalIngest),
        duckdbPhase: null,
        duckdbSeconds: null,
        duckdbRss: null,
      },
      {
        phase: `its refresh (${refreshedLocations ?? '?'} locations: it and those sharing a provider)`,
        rows: null,
        ...caliperSide(incrementalRefresh),
        duckdbPhase: null,
        duckdbSeconds: null,
        duckdbRss: null,
      },
    ];
    const endToEndRuns = [ingest, refresh, metrics];
    const endToEndFailure = endToEndRuns.find((run) => run.failure !== null)?.failure ?? null;
    const endToEnd: PhaseRow = {
      phase: 'end to end: ingest + refresh + metrics ↔ read_csv + KPI SQL',
      rows: ingested.totals.rows_read,
      caliperSeconds: endToEndFailure === null ? ingest.seconds + refresh.seconds + metrics.seconds : null,
      caliperRss: Math.max(...endToEndRuns.map((run) => run.peakRss ?? 0)) || null,
      duckdbPhase: 'read_csv + KPI SQL',
      duckdbSeconds: duckdb === null ? null : duckdb.readSeconds + duckdb.kpiSeconds,
      duckdbRss: duckdb?.kpiPeakRss ?? null,
      failure: endToEndFailure,
    };
    return {
      locations,
      years,
      period,
      range: duckdb?.range ?? null,
      generateSeconds,
      csvRows,
      csvBytes: demo.bytes,
      phases,
      endToEnd,
      comparison: duckdb === null || records === null ? null : compareKpis(records, duckdb.values),
      batchErrors:
        batch === null
          ? null
          : { cold: batch.cold.errors, warm: batch.warm.errors, stored: stored?.cold.errors ?? 0 },
      load: { min: Math.min(...loads), max: Math.max(...loads) },
    };
  } finally {
    clearInterval(sampler);
    process.off('SIGINT', removeOnSignal);
    process.off('SIGTERM', removeOnSignal);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The batch phase's child (a new API process, the cold then the warm batch) and what it reported. */
async function runBatchPhase(
  storeFlags: string[],
): Promise<{ run: ChildRun; batch: { cells: number; cold: BatchOutcome; warm: BatchOutcome } | null }> {
  const run = await runChild([path.join(DIST, 'scripts', 'bench', 'batchPhase.js'), ...storeFlags]);
  return {
    run,
    batch:
      run.failure === null
        ? lastJsonLine<{ cells: number; cold: BatchOutcome; warm: BatchOutcome }>(run.stdout)
        : null,
  };
}

/** Caliper's columns of a phase row from the child that ran it. */
function caliperSide(run: ChildRun): Pick<PhaseRow, 'caliperSeconds' | 'caliperRss' | 'failure'> {
  return { caliperSeconds: run.seconds, caliperRss: run.peakRss, failure: run.failure };
}

function fromBatch(outcome: BatchOutcome): Pick<PhaseRow, 'caliperSeconds' | 'caliperRss'> {
  return { caliperSeconds: outcome.seconds, caliperRss: outcome.peakRss };
}

/** A phase's time as the progress log says it, with its failure if it failed. */
function said(run: ChildRun): string {
  return run.failure === null
    ? `${run.seconds.toFixed(2)} s`
    : `failed after ${run.seconds.toFixed(1)} s (${run.failure})`;
}
