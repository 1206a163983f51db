/**
 * Demo generator benchmark: writes a demo portfolio to a temporary folder and prints
 * seconds, rows per file, MB, rows/s and peak RSS, then deletes the output (it is large).
 *
 *   npm run build && node dist/scripts/bench-demo.js [--locations 200] [--years 3] [--seed 42] [--keep]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { writeDemoPortfolio } from '../cli/demo/writeDemoPortfolio';

function flag(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index === -1 ? undefined : process.argv[index + 1];
  return value === undefined ? fallback : Number(value);
}

async function main(): Promise<void> {
  const locations = flag('locations', 200);
  const years = flag('years', 3);
  const seed = flag('seed', 42);
  const keep = process.argv.includes('--keep');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caliper-demo-bench-'));
  let peakRss = process.memoryUsage().rss;
  const sample = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 50);
  try {
    const started = process.hrtime.bigint();
    const result = await writeDemoPortfolio({
      locations,
      years,
      seed,
      endMonth: '2025-12',
      outDir: dir,
      onProgress: (done, total) => {
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
        if (done % 20 === 0 || done === total) process.stderr.write(`  ${done}/${total} locations\n`);
      },
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const rows = Object.values(result.rows).reduce((a, b) => a + b, 0);
    console.log(`demo ${locations} locations x ${years} years (seed ${seed})`);
    console.log(`  seconds   ${seconds.toFixed(1)}`);
    console.log(
      `  rows      ${rows.toLocaleString('en-US')} (${Math.round(rows / seconds).toLocaleString('en-US')} rows/s)`,
    );
    console.log(
      `  MB        ${(result.bytes / 1e6).toFixed(1)} (${(result.bytes / 1e6 / seconds).toFixed(1)} MB/s)`,
    );
    console.log(`  peak RSS  ${(peakRss / 1e6).toFixed(0)} MB`);
    for (const [file, n] of Object.entries(result.rows)) {
      console.log(`    ${file.padEnd(20)} ${n.toLocaleString('en-US').padStart(12)}`);
    }
    if (keep) console.log(`  output    ${dir}`);
  } finally {
    clearInterval(sample);
    if (!keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
