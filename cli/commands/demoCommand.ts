import path from 'node:path';

import { isYearMonth, type YearMonth } from '../../shared/model/localDate';
import { UsageError } from '../config';
import { writeDemoPortfolio } from '../demo/writeDemoPortfolio';
import { createProgress } from '../progress';

export interface DemoCommandOptions {
  locations: number;
  years: number;
  seed: number;
  out: string;
  end: YearMonth;
  json?: boolean;
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

export async function runDemo(options: DemoCommandOptions, out: (text: string) => void): Promise<string[]> {
  const progress = createProgress('Generating', 'items', !options.json && process.stderr.isTTY);
  const started = Date.now();
  let result: Awaited<ReturnType<typeof writeDemoPortfolio>>;
  try {
    result = await writeDemoPortfolio({
      locations: options.locations,
      years: options.years,
      seed: options.seed,
      endMonth: options.end,
      outDir: options.out,
      onProgress: (done, total, locationId) => progress.update(done, total, locationId),
    });
  } finally {
    progress.stop();
  }
  const seconds = (Date.now() - started) / 1000;
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
