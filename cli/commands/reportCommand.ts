import fs from 'node:fs';
import path from 'node:path';

import type { Command } from 'commander';

import { writeReportWorkbook } from '../../io/reportWorkbook';
import { loadBoardReport } from '../../shared/report/loadBoardReport';
import { type CliConfig, resolveConfig, UsageError } from '../config';
import { withStore } from '../withStore';

export interface ReportOptions {
  period: string;
  locations?: string;
  asReportedAt?: string;
  out?: string;
}

/** `board-pack-FY2025.xlsx`: the period in the name, nothing a file system refuses. */
export function defaultReportFile(period: string): string {
  return `board-pack-${period.replace(/[^A-Za-z0-9@._-]+/g, '_')}.xlsx`;
}

function locationList(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const ids = text
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  if (ids.length === 0) throw new UsageError('--locations: expected location ids separated by commas');
  return ids;
}

/**
 * Writes the board pack to a temporary file beside the target and renames it into place, so an
 * interrupted run never leaves a half-written workbook under the name asked for.
 */
export async function runReport(
  config: CliConfig,
  options: ReportOptions,
  print: (text: string) => void,
  now = new Date(),
): Promise<number> {
  const target = path.resolve(options.out ?? defaultReportFile(options.period));
  if (!target.toLowerCase().endsWith('.xlsx'))
    throw new UsageError(`--out ${JSON.stringify(options.out)}: expected a .xlsx file`);
  const locationIds = locationList(options.locations);
  return withStore(config.storeFile, async (store) => {
    const result = await loadBoardReport(store, config.tenant, {
      period: options.period,
      ...(locationIds === undefined ? {} : { locationIds }),
      ...(options.asReportedAt === undefined ? {} : { asReportedAt: options.asReportedAt }),
      now: now.toISOString(),
    });
    if (!result.ok) throw new UsageError(result.message);
    const partial = `${target}.${process.pid}.partial`;
    try {
      await writeReportWorkbook(result.workbook, partial);
      fs.renameSync(partial, target);
    } finally {
      fs.rmSync(partial, { force: true });
    }
    print(`Wrote ${target}: ${result.workbook.sheets.map((s) => s.name).join(', ')}`);
    return 0;
  });
}

export function registerReportCommand(
  program: Command,
  storeOptions: (command: Command) => Command,
  setExitCode: (code: number) => void,
  print: (text: string) => void,
): void {
  storeOptions(
    program
      .command('report')
      .description(
        'Write the board pack as an Excel workbook (Summary, Same-store, Providers, Membership, Patients, Benchmarks, Money at stake, Data quality, Definitions) with live totals, growth and ratio formulas; --as-reported-at writes it as the board saw it after an earlier ingest, with a Restatements sheet.',
      ),
  )
    .requiredOption('--period <P>', 'period, as for `caliper metrics` (FY2025, 2025-Q3, LTM…)')
    .option(
      '--locations <ids>',
      "only these locations, comma-separated (portfolio figures stay the whole tenant's)",
    )
    .option(
      '--as-reported-at <INGEST|DATE>',
      'the figures as they were after this ingest id, or the last ingest on or before this date',
    )
    .option('--out <file.xlsx>', 'where to write the workbook (default: board-pack-<period>.xlsx)')
    .action(async (flags: ReportOptions & { store?: string; tenant?: string }) => {
      setExitCode(await runReport(resolveConfig(flags), flags, print));
    });
}
