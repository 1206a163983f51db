import fs from 'node:fs';
import path from 'node:path';

import { refreshLocation } from '../../../shared/engine/refresh';
import { refreshInWorkers } from '../../../store/sqlite/refreshPool';
import { SqliteStore } from '../../../store/sqlite/sqlite-store';
import { ingestCallListDemo } from '../../support/callListDemo';
import { openTestStore, type TestStore } from '../../support/testStore';

// The workers run the compiled worker (npm test builds dist/ before jest runs).
const SCRIPT = path.join(__dirname, '..', '..', '..', 'dist', 'store', 'sqlite', 'refreshWorker.js');
const AGGREGATES = ['location_aggregates', 'agg_dirty'];

/** Every row of the aggregate tables, ordered by all their columns. */
function aggregates(store: SqliteStore): Record<string, unknown[]> {
  return Object.fromEntries(
    AGGREGATES.map((table) => {
      const columns = store.db.pragma(`table_info(${table})`) as { name: string }[];
      const order = columns.map((c) => `"${c.name}"`).join(', ');
      return [table, store.db.prepare(`SELECT * FROM ${table} ORDER BY ${order}`).all()];
    }),
  );
}

describe('refreshInWorkers (the local refresh, locations side by side on worker threads)', () => {
  let t: TestStore;
  let copy: string;
  beforeEach(async () => {
    t = openTestStore();
    await ingestCallListDemo(t);
    // The same ingested store twice: one refreshed here, one by the workers.
    t.store.db.pragma('wal_checkpoint(TRUNCATE)');
    copy = path.join(t.dir, 'copy.db');
    fs.copyFileSync(t.file, copy);
  });
  afterEach(async () => {
    await t.close();
  });

  it('writes exactly the aggregates of a refresh one location after the other, and clears every dirty mark', async () => {
    const dirty = await t.store.dirtyLocations('t1');
    expect(dirty).toEqual(['L001', 'L002', 'L003']);
    for (const locationId of dirty) await refreshLocation(t.store, 't1', locationId);

    const done: string[] = [];
    await refreshInWorkers(copy, 't1', dirty, (id) => done.push(id), { workers: 2, script: SCRIPT });

    expect([...done].sort()).toEqual(dirty);
    const workers = SqliteStore.open(copy);
    try {
      expect(await workers.dirtyLocations('t1')).toEqual([]);
      const expected = aggregates(t.store);
      expect(expected.location_aggregates!.length).toBe(3);
      expect(aggregates(workers)).toEqual(expected);
    } finally {
      await workers.close();
    }
  });

  it('names the location whose refresh failed and leaves it dirty; the others are refreshed', async () => {
    const broken = SqliteStore.open(copy);
    broken.db.exec(`CREATE TRIGGER fail_l002 BEFORE INSERT ON location_aggregates WHEN NEW.location_id = 'L002'
      BEGIN SELECT RAISE(ABORT, 'disk full (test)'); END`);
    await broken.close();

    const done: string[] = [];
    await expect(
      refreshInWorkers(copy, 't1', ['L001', 'L002', 'L003'], (id) => done.push(id), {
        workers: 2,
        script: SCRIPT,
      }),
    ).rejects.toThrow('Refresh of location L002 failed: disk full (test)');

    const after = SqliteStore.open(copy);
    try {
      expect(await after.dirtyLocations('t1')).toContain('L002');
      expect(done).not.toContain('L002');
      const l002 = after.db
        .prepare("SELECT COUNT(*) AS n FROM location_aggregates WHERE location_id = 'L002'")
        .get();
      expect(l002).toEqual({ n: 0 });
    } finally {
      await after.close();
    }
  });
});
