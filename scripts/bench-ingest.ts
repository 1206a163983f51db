/**
 * Ingest benchmark: generates a demo portfolio, ingests it into a fresh SQLite store, then
 * ingests it again (the idempotent no-op path), and prints rows/s and MB/s for both.
 *
 *   npm run bench:ingest -- [--locations N] [--years Y] [--seed S]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { writeDemoPortfolio } from '../cli/demo/writeDemoPortfolio';
import { openBundles } from '../io/bundleFiles';
import { ingestBundles } from '../shared/ingest/ingestBundles';
import { createPseudonymizer } from '../shared/privacy/pseudonymize';
import { SqliteStore } from '../store/sqlite/sqlite-store';

function flag(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index === -1 ? undefined : process.argv[index + 1];
  return value === undefined ? fallback : Number(value);
}

async function main(): Promise<void> {
  const locations = flag('locations', 20);
  const years = flag('years', 3);
  const seed = flag('seed', 42);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caliper-bench-'));
  let peakRss = 0;
  const sample = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 100);
  try {
    let started = Date.now();
    const demo = await writeDemoPortfolio({
      locations,
      years,
      seed,
      endMonth: '2026-10',
      outDir: path.join(dir, 'demo'),
    });
    const generateSeconds = (Date.now() - started) / 1000;
    const rows = Object.values(demo.rows).reduce((a, b) => a + b, 0);
    console.log(
      `demo: ${locations} locations × ${years} years, ${rows.toLocaleString('en-US')} rows, ` +
        `${(demo.bytes / 1e6).toFixed(1)} MB generated in ${generateSeconds.toFixed(1)} s`,
    );

    const store = SqliteStore.open(path.join(dir, 'bench.db'));
    const pseudonymizer = createPseudonymizer(Buffer.alloc(32, 1));
    for (const pass of ['first ingest', 're-ingest (no-op)']) {
      const bundles = (await Promise.all(demo.bundles.map((b) => openBundles(b)))).flat();
      started = Date.now();
      const report = await ingestBundles(bundles, { store, tenant: 'bench', pseudonymizer });
      const seconds = (Date.now() - started) / 1000;
      const t = report.totals;
      console.log(
        `${pass}: ${t.rows_read.toLocaleString('en-US')} rows (${t.rows_inserted} new, ${t.rows_unchanged} unchanged, ` +
          `${t.rows_rejected} rejected) in ${seconds.toFixed(1)} s = ` +
          `${Math.round(t.rows_read / seconds).toLocaleString('en-US')} rows/s, ${(t.bytes / 1e6 / seconds).toFixed(1)} MB/s`,
      );
    }
    await store.close();
    console.log(
      `store file: ${(fs.statSync(path.join(dir, 'bench.db')).size / 1e6).toFixed(1)} MB; peak RSS ${(peakRss / 1e6).toFixed(0)} MB`,
    );
    console.log(`node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'})`);
  } finally {
    clearInterval(sample);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main();
