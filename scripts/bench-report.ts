/**
 * The board-pack workbook at portfolio scale (docs/benchmarks.md "Board pack"): on the demo
 * portfolio (50 locations × 3 years by default) or an existing store, the time and memory to
 * load the metric data, build every sheet of the pack from the engine and write the .xlsx.
 *
 *   npm run bench:report -- [--locations 50] [--years 3] [--seed 42] [--period FY2026]
 *   npm run bench:report -- --store .caliper/caliper.db --tenant default --period LTM
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { reportWorkbookBuffer } from '../io/reportWorkbook';
import { openMetrics } from '../shared/metrics/openMetrics';
import { boardReport } from '../shared/report/boardReport';
import { flag, openModelStore, seconds } from './modelStore';

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
const peakRss = () => mb(process.resourceUsage().maxRSS * 1024);

async function main(): Promise<void> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const period = flag('period') ?? 'LTM';
  const { store, tenant, source, close } = await openModelStore('bench-report', log, 50);
  const rows: string[] = [];
  const row = (step: string, took: string, detail: string) => {
    rows.push(`| ${step} | ${took} | ${peakRss()} | ${detail} |`);
    log(`${step}: ${took} (${detail}), peak RSS ${peakRss()}`);
  };
  try {
    let started = process.hrtime.bigint();
    const ctx = await openMetrics(store, tenant);
    row('load the metric data (refresh + load)', seconds(started), `${ctx.data.locations.length} locations`);
    started = process.hrtime.bigint();
    const sources = await store.reportSources(tenant);
    const made = boardReport({
      ctx,
      period,
      basis: 'current data',
      sources,
      generatedAt: new Date().toISOString(),
    });
    if (!made.ok) throw new Error(made.message);
    const cells = made.workbook.sheets.reduce(
      (n, s) =>
        n + s.tables.reduce((m, t) => m + (t.rows.length + (t.totalRow ? 1 : 0)) * t.columns.length, 0),
      0,
    );
    row(
      'build the pack from the engine',
      seconds(started),
      `${made.workbook.sheets.length} sheets, ${cells.toLocaleString('en-US')} table cells`,
    );
    started = process.hrtime.bigint();
    const bytes = await reportWorkbookBuffer(made.workbook);
    const out = path.join(os.tmpdir(), `caliper-bench-report-${process.pid}.xlsx`);
    fs.writeFileSync(out, bytes);
    row('write the .xlsx (exceljs + charts)', seconds(started), `${Math.round(bytes.length / 1024)} KB`);
    fs.rmSync(out, { force: true });
    process.stdout.write(
      [
        `Board pack for ${period} on ${source}; Node ${process.version}, ${os.cpus().length} cores`,
        '',
        '| step | time | peak RSS | detail |',
        '|---|---|---|---|',
        ...rows,
        '',
      ].join('\n'),
    );
  } finally {
    await close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
