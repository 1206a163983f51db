import path from 'node:path';

import { describeLocation } from '../../demo/vendorFormats/portfolio';
import { isYearMonth, type YearMonth } from '../../shared/model/localDate';
import { UsageError } from '../config';
import { writeDemoPortfolio } from '../demo/writeDemoPortfolio';
import { writeVendorDemo } from '../demo/writeVendorDemo';
import { createProgress } from '../progress';

export type DemoFormats = 'canonical' | 'vendor';

export interface DemoCommandOptions {
  locations: number;
  years: number;
  seed: number;
  out: string;
  end: YearMonth;
  json?: boolean;
  /** `--formats`: canonical bundles (default) or each location's vendor exports. */
  formats?: DemoFormats;
}

export function parseDemoFormats(text: string): DemoFormats {
  if (text !== 'canonical' && text !== 'vendor') {
    throw new UsageError(`--formats ${JSON.stringify(text)}: expected canonical or vendor`);
  }
  return text;
}

/** The last complete calendar month before `today`: the natural end of a demo's data. */
export function lastCompleteMonth(today = new Date()): YearMonth {
  const year = today.getFullYear();
  const month = today.getMonth(); // 0-based, so this is already the previous month (1-based)
  return month === 0 ? `${year - 1}-12` : `${year}-${String(month).padStart(2, '0')}`;
}

export function parseDemoNumber(name: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new UsageError(`--${name} ${JSON.stringify(text)}: expected a whole number from ${min} to ${max}`);
  }
  return Number(text);
}

export function parseDemoEnd(text: string): YearMonth {
  if (!isYearMonth(text)) throw new UsageError(`--end ${JSON.stringify(text)}: expected a month as YYYY-MM`);
  return text;
}

interface DemoWriterOptions {
  locations: number;
  years: number;
  seed: number;
  endMonth: YearMonth;
  outDir: string;
  onProgress: (done: number, total: number, locationId: string) => void;
}

/** Runs a demo writer with the progress bar on a terminal, timing it. */
async function generate<T>(
  options: DemoCommandOptions,
  write: (writerOptions: DemoWriterOptions) => Promise<T>,
): Promise<{ result: T; seconds: number }> {
  const progress = createProgress('Generating', 'items', !options.json && process.stderr.isTTY);
  const started = Date.now();
  try {
    const result = await write({
      locations: options.locations,
      years: options.years,
      seed: options.seed,
      endMonth: options.end,
      outDir: options.out,
      onProgress: (done, total, locationId) => progress.update(done, total, locationId),
    });
    return { result, seconds: (Date.now() - started) / 1000 };
  } finally {
    progress.stop();
  }
}

export async function runDemo(options: DemoCommandOptions, out: (text: string) => void): Promise<string[]> {
  if (options.formats === 'vendor') return runVendorDemo(options, out);
  const { result, seconds } = await generate(options, writeDemoPortfolio);
  const totalRows = Object.values(result.rows).reduce((a, b) => a + b, 0);
  if (options.json) {
    out(JSON.stringify({ out: path.resolve(options.out), ...result, seconds }, null, 2));
  } else {
    out(
      `Wrote ${result.bundles.length} location bundles (${totalRows.toLocaleString('en-US')} rows, ` +
        `${(result.bytes / 1e6).toFixed(1)} MB) to ${options.out} in ${seconds.toFixed(1)} s` +
        ` — seed ${options.seed}, ${options.years} year(s) ending ${options.end}.\n` +
        Object.entries(result.rows)
          .map(([file, n]) => `  ${file.padEnd(20)} ${n.toLocaleString('en-US').padStart(12)}`)
          .join('\n') +
        `\nIngest them with: caliper ingest ${path.join(options.out, '*')}`,
    );
  }
  return result.bundles;
}

/** A path as a shell word, quoted only when it needs to be (so the printed commands can be pasted). */
function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** `--formats vendor`: what each location's folder holds, and the ingest commands that load it. */
async function runVendorDemo(options: DemoCommandOptions, out: (text: string) => void): Promise<string[]> {
  const { result, seconds } = await generate(options, writeVendorDemo);
  const commands = result.ingest.map((args) => `caliper ${args.map(shellWord).join(' ')}`);
  const folders = result.locations.map((l) => path.join(options.out, l.ingest.folder));
  if (options.json) {
    out(
      JSON.stringify(
        {
          out: path.resolve(options.out),
          formats: 'vendor',
          locations: result.locations.map((l) => ({
            location_id: l.locationId,
            emr: l.emrSystem,
            pos: l.roles.pos.length > 0 ? 'Square' : null,
            payroll: l.assignment.payroll,
            files: l.roles,
          })),
          files: result.files,
          bytes: result.bytes,
          ingest: result.ingest,
          seconds,
        },
        null,
        2,
      ),
    );
    return folders;
  }
  const lines = [
    `Wrote ${result.locations.length} locations in vendor formats (${result.files.length} files, ` +
      `${(result.bytes / 1e6).toFixed(1)} MB) to ${options.out} in ${seconds.toFixed(1)} s` +
      ` — seed ${options.seed}, ${options.years} year(s) ending ${options.end}.`,
    ...result.locations.flatMap(describeLocation),
  ];
  lines.push(
    `See ${path.join(options.out, 'README.txt')}. Ingest it as it is (or upload it zipped in the task pane):`,
    ...commands.map((c) => `  ${c}`),
  );
  out(lines.join('\n'));
  return folders;
}
