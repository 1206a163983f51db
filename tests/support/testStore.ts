import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { openBundles } from '../../io/bundleFiles';
import type { IngestReport } from '../../shared/ingest/dataQuality';
import { ingestBundles, type IngestOptions } from '../../shared/ingest/ingestBundles';
import { createPseudonymizer, type Pseudonymizer } from '../../shared/privacy/pseudonymize';
import { SqliteStore } from '../../store/sqlite/sqlite-store';

export const FIXTURES = path.join(__dirname, '..', 'fixtures', 'bundles');
export const TEST_SECRET = Buffer.alloc(32, 7);

export function tempDir(prefix = 'caliper-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface TestStore {
  dir: string;
  file: string;
  store: SqliteStore;
  pseudonymizer: Pseudonymizer;
  ingest(
    paths: string[],
    tenant?: string,
    threshold?: Pick<IngestOptions, 'maxRejected' | 'acceptRejected'>,
  ): Promise<IngestReport>;
  /** Every row of every table, for "exactly as before" comparisons. */
  dump(): Record<string, unknown[]>;
  close(): Promise<void>;
}

/**
 * Replaces a test store's file with a copy of `template` (a closed store file of the same schema)
 * and reopens it: `t.store`, `t.ingest` and `t.dump` then work on the copy. Used by
 * tests/support/callListDemo.ts to hand out a demo ingested once per run.
 */
const replaceFile = new WeakMap<TestStore, (template: string) => Promise<void>>();

export async function replaceStoreFile(t: TestStore, template: string): Promise<void> {
  const replace = replaceFile.get(t);
  if (replace === undefined) throw new Error('not a store opened by openTestStore');
  await replace(template);
}

export function openTestStore(): TestStore {
  const dir = tempDir();
  const file = path.join(dir, 'caliper.db');
  let store = SqliteStore.open(file);
  const pseudonymizer = createPseudonymizer(TEST_SECRET);
  const t: TestStore = {
    dir,
    file,
    get store() {
      return store;
    },
    pseudonymizer,
    async ingest(paths, tenant = 't1', threshold = {}) {
      return ingestInto(store, pseudonymizer, paths, tenant, threshold);
    },
    dump() {
      const tables = store.db
        .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .all()
        .map((t) => t.name);
      return Object.fromEntries(tables.map((t) => [t, store.db.prepare(`SELECT * FROM ${t}`).all()]));
    },
    async close() {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  replaceFile.set(t, async (template) => {
    await store.close();
    // Closing the only connection checkpoints the WAL and removes it; no page of the old file
    // may be read back into the copy.
    for (const sidecar of ['-wal', '-shm', '-journal']) fs.rmSync(`${file}${sidecar}`, { force: true });
    fs.copyFileSync(template, file);
    store = SqliteStore.open(file);
  });
  return t;
}

/** What `TestStore.ingest` does: the bundles under `paths` ingested into `store` for `tenant`. */
export async function ingestInto(
  store: SqliteStore,
  pseudonymizer: Pseudonymizer,
  paths: string[],
  tenant: string,
  threshold: Pick<IngestOptions, 'maxRejected' | 'acceptRejected'> = {},
): Promise<IngestReport> {
  const bundles = (await Promise.all(paths.map((p) => openBundles(p)))).flat();
  return ingestBundles(bundles, { store, tenant, pseudonymizer, ...threshold });
}

export function fixture(name: string): string {
  return path.join(FIXTURES, name);
}
