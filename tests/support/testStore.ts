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

export function openTestStore(): TestStore {
  const dir = tempDir();
  const file = path.join(dir, 'caliper.db');
  const store = SqliteStore.open(file);
  const pseudonymizer = createPseudonymizer(TEST_SECRET);
  return {
    dir,
    file,
    store,
    pseudonymizer,
    async ingest(paths, tenant = 't1', threshold = {}) {
      const bundles = (await Promise.all(paths.map((p) => openBundles(p)))).flat();
      return ingestBundles(bundles, { store, tenant, pseudonymizer, ...threshold });
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
}

export function fixture(name: string): string {
  return path.join(FIXTURES, name);
}
