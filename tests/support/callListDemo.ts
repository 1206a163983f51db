import fs from 'node:fs';
import path from 'node:path';

import { type DemoCommandOptions, runDemo } from '../../cli/commands/demoCommand';
import { runIngest } from '../../cli/commands/ingestCommand';
import { resolveConfig } from '../../cli/config';
import { createPseudonymizer } from '../../shared/privacy/pseudonymize';
import { SqliteStore } from '../../store/sqlite/sqlite-store';
import { cached } from './runCache';
import { ingestInto, replaceStoreFile, TEST_SECRET, type TestStore } from './testStore';

/**
 * The smallest demo the churn score learns from, for the call list's tests: 3 locations, one
 * year, seed 5, ending 2025-12 — L001 trained on its own history, L002 closed in September,
 * L003 young (trained on the portfolio). Its patients.csv carry emails and phones.
 */
export const CALL_LIST_DEMO = { locations: 3, years: 1, seed: 5, end: '2025-12' } as const;

/**
 * Another demo of the same size, for tests that need it: 2 locations (seed 5, ending 2025-12)
 * are both open with 11 complete months, the forecast's portfolio of two.
 */
export interface DemoShape {
  locations: number;
  years: number;
  seed: number;
  end: string;
}
export const TWO_LOCATION_DEMO: DemoShape = { locations: 2, years: 1, seed: 5, end: '2025-12' };

/** `caliper demo`'s options but the folder (`formats` canonical unless said). */
export type DemoOptions = Omit<DemoCommandOptions, 'out' | 'json'>;

function keyOf(demo: DemoOptions): string {
  const { locations, years, seed, end, formats = 'canonical' } = demo;
  return JSON.stringify({ locations, years, seed, end, formats });
}

/**
 * What `runDemo` writes to `out` for `demo` (the demo is deterministic and its files do not
 * depend on the folder): generated once per jest run (tests/support/runCache.ts) and copied.
 */
export async function writeDemo(out: string, demo: DemoOptions): Promise<void> {
  const entry = await cached(`demo ${keyOf(demo)}`, async (dir) => {
    await runDemo({ ...demo, out: path.join(dir, 'demo'), json: false }, () => undefined);
  });
  if (entry === undefined) await runDemo({ ...demo, out, json: false }, () => undefined);
  else fs.cpSync(path.join(entry, 'demo'), out, { recursive: true });
}

/** Writes the demo's canonical bundles under `dir`; the folder of each location. */
export async function writeCallListDemo(dir: string, demo: DemoShape = CALL_LIST_DEMO): Promise<string[]> {
  const out = path.join(dir, demo === CALL_LIST_DEMO ? 'demo' : `demo-${demo.locations}-${demo.seed}`);
  await writeDemo(out, demo);
  return locationFolders(out);
}

function locationFolders(out: string): string[] {
  return fs
    .readdirSync(out)
    .filter((name) => fs.statSync(path.join(out, name)).isDirectory())
    .sort()
    .map((name) => path.join(out, name));
}

/** The tables of a store and their row counts. */
function rowCounts(store: SqliteStore): Record<string, number> {
  const tables = store.db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .all()
    .map((t) => t.name);
  return Object.fromEntries(
    tables.map((t) => [t, store.db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM "${t}"`).get()!.n]),
  );
}

const totalChanges = (store: SqliteStore) =>
  store.db.prepare<[], { n: number }>('SELECT total_changes() AS n').get()!.n;

/**
 * The demos ingested into a test store by `ingestCallListDemo` (tenant and demo, in order), with
 * what the store held right after: another ingest of a demo starts from the same file only if
 * nothing else was written since.
 */
const history = new WeakMap<TestStore, { ingests: string[]; counts: string; changes: number }>();

/**
 * The store file that the ingests of `ingests` (each `[tenant, demo]`), in order, into a new test
 * store leave: made once per jest run, each from the one before it.
 */
async function demoStoreTemplate(
  ingests: readonly (readonly [string, DemoShape])[],
): Promise<string | undefined> {
  const entry = await cached(`test store ${JSON.stringify(ingests)}`, async (dir) => {
    const file = path.join(dir, 'caliper.db');
    const before = ingests.length > 1 ? await demoStoreTemplate(ingests.slice(0, -1)) : undefined;
    if (before !== undefined) fs.copyFileSync(before, file);
    const [tenant, demo] = ingests.at(-1)!;
    const store = SqliteStore.open(file);
    try {
      const report = await ingestInto(
        store,
        createPseudonymizer(TEST_SECRET),
        await writeCallListDemo(dir, demo),
        tenant,
      );
      if (!report.committed) throw new Error(`the demo did not ingest: ${report.failure ?? ''}`);
    } finally {
      // Closed as the test's own connection would still be open: checkpointed, no `PRAGMA
      // optimize` statistics the ingest itself did not write.
      store.db.close();
    }
  });
  return entry === undefined ? undefined : path.join(entry, 'caliper.db');
}

/**
 * The demo written and ingested into `t` for `tenant`. Into a new store (or one that only holds
 * demos ingested by this function), the store is the copy of one the same ingests made earlier in
 * the run: every row the same but the ingest's timestamps and file paths.
 */
export async function ingestCallListDemo(
  t: TestStore,
  tenant = 't1',
  demo: DemoShape = CALL_LIST_DEMO,
): Promise<void> {
  const counts = rowCounts(t.store);
  const before = history.get(t);
  const fresh =
    before === undefined
      ? Object.entries(counts).every(([table, n]) => n === 0 || table === 'schema_migrations')
      : JSON.stringify(counts) === before.counts && totalChanges(t.store) === before.changes;
  const ingests = [...(fresh && before !== undefined ? before.ingests : []), JSON.stringify([tenant, demo])];
  const template = fresh
    ? await demoStoreTemplate(ingests.map((i) => JSON.parse(i) as [string, DemoShape]))
    : undefined;
  if (template !== undefined) {
    await replaceStoreFile(t, template);
    history.set(t, {
      ingests,
      counts: JSON.stringify(rowCounts(t.store)),
      changes: totalChanges(t.store),
    });
    return;
  }
  history.delete(t);
  const report = await t.ingest(await writeCallListDemo(t.dir, demo), tenant);
  if (!report.committed) throw new Error(`the demo did not ingest: ${report.failure ?? ''}`);
}

/**
 * `caliper ingest` of the demo's location folders, no flag, into `storeFile`, a store that does
 * not exist yet (its tenant as the CLI resolves it, the store's own pseudonym secret beside it in
 * `secrets/`): the copy of a store made so once per jest run.
 */
export async function cliIngestDemo(storeFile: string, demo: DemoShape = CALL_LIST_DEMO): Promise<void> {
  if (fs.existsSync(storeFile)) throw new Error(`${storeFile} exists: the demo goes into a new store`);
  const ingest = async (file: string, dir: string) => {
    const config = resolveConfig({ store: file });
    const folders = await writeCallListDemo(dir, demo);
    const { exitCode } = await runIngest(folders, config, { json: true }, () => undefined);
    if (exitCode !== 0) throw new Error(`caliper ingest of the demo exited ${exitCode}`);
  };
  const entry = await cached(`cli store ${resolveConfig({}).tenant} ${keyOf(demo)}`, async (dir) => {
    await ingest(path.join(dir, 'store', 'caliper.db'), dir);
  });
  if (entry === undefined) {
    await ingest(storeFile, fs.mkdtempSync(path.join(path.dirname(storeFile), 'demo-')));
    return;
  }
  const target = path.dirname(storeFile);
  fs.mkdirSync(target, { recursive: true });
  fs.copyFileSync(path.join(entry, 'store', 'caliper.db'), storeFile);
  fs.cpSync(path.join(entry, 'store', 'secrets'), path.join(target, 'secrets'), { recursive: true });
}
