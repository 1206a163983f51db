import fs from 'node:fs';
import path from 'node:path';

import { createPseudonymizer } from '../../../shared/privacy/pseudonymize';
import { SqliteStore } from '../../../store/sqlite/sqlite-store';
import { fixture, ingestInto, tempDir, TEST_SECRET } from '../../support/testStore';

// The compiled worker (npm test builds dist/ before jest runs), as the CLI and the API run it.
const INGEST_WORKER = path.join(__dirname, '..', '..', '..', 'dist', 'store', 'sqlite', 'ingestWorker.js');
const pseudonymizer = createPseudonymizer(TEST_SECRET);

/**
 * Every row of every table but those of times (`ingests`, `schema_migrations`) and the planner's
 * statistics (a closing connection refreshes them: the worker's does).
 */
function dump(store: SqliteStore): Record<string, unknown[]> {
  const tables = store.db
    .prepare<[], { name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('ingests', 'schema_migrations') AND name NOT LIKE 'sqlite_stat%' ORDER BY name",
    )
    .all()
    .map((t) => t.name);
  return Object.fromEntries(tables.map((t) => [t, store.db.prepare(`SELECT * FROM ${t}`).all()]));
}

describe('an ingest whose transaction runs on a worker thread (workerIngest.ts)', () => {
  let dir: string;
  let store: SqliteStore;
  beforeEach(() => {
    dir = tempDir();
    store = SqliteStore.open(path.join(dir, 'caliper.db'), {
      ingestWorker: INGEST_WORKER,
      // Every ingest, however small: these run on the worker.
      ingestWorkerMinBytes: 0,
    });
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes row for row what the ingest on the main connection writes, and reports the same', async () => {
    const here = SqliteStore.open(path.join(dir, 'here.db'), { ingestWorker: null });
    try {
      const bundles = [fixture('north'), fixture('south'), fixture('rejects')];
      // The rejects bundle is over the rejection threshold: accepted, so its rows go in.
      const accept = { acceptRejected: true };
      const onWorker = await ingestInto(store, pseudonymizer, bundles, 't1', accept);
      const onMain = await ingestInto(here, pseudonymizer, bundles, 't1', accept);
      expect(onWorker.committed).toBe(true);
      expect(onWorker).toEqual(onMain);
      expect(onWorker.totals.rows_rejected).toBeGreaterThan(0);
      expect(dump(store)).toEqual(dump(here));
    } finally {
      await here.close();
    }
  });

  it('fails as a whole when a write fails on the worker, naming the file the write was for', async () => {
    expect((await ingestInto(store, pseudonymizer, [fixture('north')], 't1')).committed).toBe(true);
    // A refusal inside the database, where only the worker's statements meet it.
    store.db.exec(`CREATE TRIGGER refuse BEFORE INSERT ON appointments
      WHEN NEW.appointment_id = 'urn:blvd:Appointment:2'
      BEGIN SELECT RAISE(ABORT, 'refused by the test trigger'); END`);
    const before = dump(store);
    const report = await ingestInto(store, pseudonymizer, [fixture('south')], 't1');
    expect(report.committed).toBe(false);
    // The appointments were read before the sales: the failure surfaced while the sales were
    // being read, and still names the appointments.
    expect(report.failure).toBe(
      `${path.join(fixture('south'), 'appointments.csv')}: refused by the test trigger; nothing was written (the ingest is all-or-nothing)`,
    );
    expect(report.files.map((f) => path.basename(f.file))).toEqual([
      'locations.csv',
      'patients.csv',
      'appointments.csv',
    ]);
    expect(dump(store)).toEqual(before);
    // The worker is gone and its lock with it: the next ingest goes in.
    store.db.exec('DROP TRIGGER refuse');
    expect((await ingestInto(store, pseudonymizer, [fixture('south')], 't1')).committed).toBe(true);
  });

  it('runs an ingest smaller than ingestWorkerMinBytes on its own connection, a larger one on the worker', async () => {
    const sized = SqliteStore.open(path.join(dir, 'sized.db'), {
      ingestWorker: INGEST_WORKER,
      ingestWorkerMinBytes: 1000,
    });
    try {
      const small = await sized.beginIngest('t1', 'one month', { bytes: 999 });
      expect(sized.db.inTransaction).toBe(true);
      expect(small.ordersCalls).toBeUndefined();
      await small.rollback();
      const large = await sized.beginIngest('t1', 'three years', { bytes: 1000 });
      expect(sized.db.inTransaction).toBe(false);
      expect(large.ordersCalls).toBe(true);
      await large.rollback();
    } finally {
      await sized.close();
    }
  });

  it('refuses a second ingest on the same store while one is open on the worker', async () => {
    const tx = await store.beginIngest('t1', 'first');
    expect(() => store.beginIngest('t1', 'second')).toThrow('An ingest is already open');
    await tx.rollback();
    const next = await store.beginIngest('t1', 'second');
    await next.rollback();
  });
});
