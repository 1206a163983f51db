import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { writeDemoPortfolio } from '../cli/demo/writeDemoPortfolio';
import { openBundles } from '../io/bundleFiles';
import { ingestBundles } from '../shared/ingest/ingestBundles';
import { createPseudonymizer } from '../shared/privacy/pseudonymize';
import { SqliteStore } from '../store/sqlite/sqlite-store';

/**
 * The store the model scripts (backtests, the model benchmark) run on: the demo portfolio
 * generated and ingested into a temp folder, or an existing store given with `--store FILE
 * [--tenant T]`. One place, so every script reads the same flags and cleans up the same way.
 */

/** The demo's last month: fixed, so a rerun on another day gives the same figures. */
export const DEMO_END_MONTH = '2026-10';

export function flag(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
}

export function numberFlag(name: string, fallback: number): number {
  const value = flag(name);
  const n = value === undefined ? fallback : Number(value);
  if (!Number.isInteger(n)) throw new Error(`--${name} must be a whole number, got ${value}`);
  return n;
}

export function seconds(since: bigint): string {
  return `${(Number(process.hrtime.bigint() - since) / 1e9).toFixed(1)} s`;
}

export interface ModelStore {
  store: SqliteStore;
  tenant: string;
  /** What the store holds, in words, for the report's heading. */
  source: string;
  /** Closes the store and removes the temp folder (if the demo was generated). */
  close: () => Promise<void>;
}

/**
 * `--store FILE [--tenant T]`, or the demo: `--locations` (default `defaultLocations`),
 * `--years` (3), `--seed` (42), ending DEMO_END_MONTH; progress goes to `log`.
 */
export async function openModelStore(
  purpose: string,
  log: (line: string) => void,
  defaultLocations = 8,
): Promise<ModelStore> {
  const storeFile = flag('store');
  if (storeFile !== undefined) {
    if (!fs.existsSync(storeFile)) throw new Error(`no store at ${storeFile}`);
    const tenant = flag('tenant') ?? 'default';
    const store = SqliteStore.open(storeFile);
    return { store, tenant, source: `store ${storeFile}, tenant "${tenant}"`, close: () => store.close() };
  }
  const locations = numberFlag('locations', defaultLocations);
  const years = numberFlag('years', 3);
  const seed = numberFlag('seed', 42);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `caliper-${purpose}-`));
  const cleanUp = () => fs.rmSync(dir, { recursive: true, force: true });
  let store: SqliteStore | null = null;
  try {
    let started = process.hrtime.bigint();
    const demo = await writeDemoPortfolio({
      locations,
      years,
      seed,
      endMonth: DEMO_END_MONTH,
      outDir: path.join(dir, 'demo'),
    });
    log(
      `demo ${locations} locations × ${years} years (seed ${seed}, ending ${DEMO_END_MONTH}): ${seconds(started)}`,
    );
    started = process.hrtime.bigint();
    const tenant = purpose;
    store = SqliteStore.open(path.join(dir, `${purpose}.db`));
    const bundles = (await Promise.all(demo.bundles.map((b) => openBundles(b)))).flat();
    await ingestBundles(bundles, { store, tenant, pseudonymizer: createPseudonymizer(Buffer.alloc(32, 1)) });
    log(`ingest: ${seconds(started)}`);
    const opened = store;
    return {
      store: opened,
      tenant,
      source: `demo portfolio, ${locations} locations × ${years} years, seed ${seed}, ending ${DEMO_END_MONTH}`,
      close: async () => {
        await opened.close();
        cleanUp();
      },
    };
  } catch (error) {
    await store?.close();
    cleanUp();
    throw error;
  }
}
