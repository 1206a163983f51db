import fs from 'node:fs';
import path from 'node:path';

import { SqliteStore } from '../store/sqlite/sqlite-store';
import { lastCompleteMonth, runDemo } from './commands/demoCommand';
import { runIngest } from './commands/ingestCommand';
import { formatSummary, portfolioSummary } from './commands/summaryCommand';
import { resolveConfig } from './config';

/** Size of the portfolio `npm start` seeds an empty store with. */
const DEMO = { locations: 8, years: 3, seed: 42 };

/**
 * `npm start`: a fresh clone shows something real at once. An empty store is seeded with the
 * demo portfolio (generated, then ingested like any user's bundles); then the summary prints.
 */
async function start(): Promise<number> {
  const config = resolveConfig({});
  const print = (text: string) => process.stdout.write(`${text}\n`);
  const store = SqliteStore.open(config.storeFile);
  const counts = await store.rowCounts(config.tenant);
  await store.close();
  if (counts.locations === 0) {
    const out = path.join(path.dirname(config.storeFile), 'demo');
    print(
      `The store ${config.storeFile} has no data for tenant "${config.tenant}": seeding the demo portfolio.`,
    );
    fs.rmSync(out, { recursive: true, force: true });
    const bundles = await runDemo({ ...DEMO, end: lastCompleteMonth(), out }, print);
    const { exitCode } = await runIngest(
      bundles,
      config,
      { json: false, progress: process.stderr.isTTY },
      (text) => print(text.split('\n').slice(-1).join('\n')),
    );
    if (exitCode !== 0) return exitCode;
    print('');
  }
  const reopened = SqliteStore.open(config.storeFile);
  try {
    print(formatSummary(await portfolioSummary(reopened, config.tenant)));
  } finally {
    await reopened.close();
  }
  print(
    '\nNext: `npx caliper ingest <bundle folder or .zip>` adds your own data; `npx caliper --help` lists the commands.',
  );
  return 0;
}

void start().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
