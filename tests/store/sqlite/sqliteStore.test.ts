import fs from 'node:fs';
import path from 'node:path';

import type Database from 'better-sqlite3';

import { refreshAggregates } from '../../../shared/engine/refresh';
import type { MetricData } from '../../../shared/metrics/metricData';
import { allEntitySpecs, storedColumnsOf } from '../../../shared/store/storedColumns';
import { MIGRATIONS } from '../../../store/sqlite/migrations';
import { SqliteStore } from '../../../store/sqlite/sqlite-store';
import { fixture, openTestStore, tempDir } from '../../support/testStore';

describe('the SQLite store', () => {
  it('creates its schema on first open and does not re-apply migrations when reopened', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'nested', 'caliper.db');
    const first = SqliteStore.open(file);
    const applied = first.db.prepare('SELECT version FROM schema_migrations').all();
    await first.close();

    const second = SqliteStore.open(file);
    expect(second.db.prepare('SELECT version FROM schema_migrations').all()).toEqual(applied);
    expect(applied).toEqual(MIGRATIONS.map((m) => ({ version: m.version })));
    await second.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /**
   * The aggregate tables as they stood before migration 11 (a row per measure and day, per
   * appointment, per person-day: one daily row per location here), and migration 11 unrecorded,
   * with `versions` unrecorded too, so the next open runs them again.
   */
  function rewindAggregates(db: Database.Database, versions: number[]): void {
    db.exec(`DROP TABLE location_aggregates;
      CREATE TABLE agg_daily (tenant_id TEXT NOT NULL, location_id TEXT NOT NULL, provider_id TEXT NOT NULL,
        measure TEXT NOT NULL, day TEXT NOT NULL, value REAL NOT NULL);
      INSERT INTO agg_daily VALUES ('t1', 'L1', '', 'net.service', '2024-05-01', 1), ('t1', 'L2', '', 'net.service', '2024-05-01', 1);
      CREATE TABLE patient_events (tenant_id TEXT NOT NULL, location_id TEXT NOT NULL, appointment_id TEXT NOT NULL);
      CREATE TABLE patient_revenue (tenant_id TEXT NOT NULL, location_id TEXT NOT NULL, person_key TEXT NOT NULL);`);
    const unrecord = db.prepare('DELETE FROM schema_migrations WHERE version = ?');
    // Migration 12 alters the table migration 11 creates: unrecorded too, it runs again after it.
    for (const version of [...versions, 11, 12]) unrecord.run(version);
  }

  /** The north and south fixtures ingested and refreshed, and the metric data the store then loads. */
  async function refreshedStore() {
    const t = openTestStore();
    await t.ingest([fixture('north'), fixture('south')]);
    await refreshAggregates(t.store, 't1');
    return { t, before: await t.store.loadMetricData('t1') };
  }

  /** What a load reads back of the aggregates is what it read before. */
  function expectSameAggregates(after: MetricData, before: MetricData): void {
    expect(after.events).toEqual(before.events);
    expect(after.revenue.toArray()).toEqual(before.revenue.toArray());
    expect(after.daily).toEqual(before.daily);
  }

  it('refreshes every location of a store written before exact pay once (migration 8)', async () => {
    const { t } = await refreshedStore();
    expect(await t.store.dirtyLocations('t1')).toEqual([]);
    // The store as it stood before migration 8: its aggregates carry pay as rounded doubles.
    rewindAggregates(t.store.db, [8]);
    await t.store.close();
    const reopened = SqliteStore.open(t.file);
    expect((await reopened.dirtyLocations('t1')).sort()).toEqual(['L1', 'L2']);
    await reopened.close();
    fs.rmSync(t.dir, { recursive: true, force: true });
  });

  it('rebuilds every location’s aggregates once from a store that kept them as rows (migration 11)', async () => {
    const { t, before } = await refreshedStore();
    // The store as it stood before migration 11, one location marked from a day on (the
    // migration widens it to every day).
    rewindAggregates(t.store.db, []);
    t.store.db.exec(
      "INSERT INTO agg_dirty (tenant_id, location_id, from_day) VALUES ('t1', 'L1', '2024-05-01')",
    );
    await t.store.close();

    const reopened = SqliteStore.open(t.file);
    const tables = reopened.db
      .prepare<[], { name: string }>(
        `SELECT name FROM sqlite_master
         WHERE name IN ('agg_daily', 'patient_events', 'patient_revenue', 'location_aggregates')`,
      )
      .all()
      .map((r) => r.name);
    expect(tables).toEqual(['location_aggregates']);
    expect(
      reopened.db.prepare('SELECT location_id, from_day FROM agg_dirty ORDER BY location_id').all(),
    ).toEqual([
      { location_id: 'L1', from_day: null },
      { location_id: 'L2', from_day: null },
    ]);
    await refreshAggregates(reopened, 't1');
    const after = await reopened.loadMetricData('t1');
    expectSameAggregates(after, before);
    await reopened.close();
    fs.rmSync(t.dir, { recursive: true, force: true });
  });

  it('rebuilds a location whose stored aggregates are of another format, instead of refusing every query', async () => {
    const { t, before } = await refreshedStore();
    // L1's value as another version of Caliper would have written it: a format this one cannot read.
    const otherFormat = Buffer.from('{"format":0}');
    const header = Buffer.alloc(4);
    header.writeUInt32LE(otherFormat.length);
    t.store.db
      .prepare("UPDATE location_aggregates SET aggregates = ?, value_format = 0 WHERE location_id = 'L1'")
      .run(Buffer.concat([header, otherFormat]));
    await expect(t.store.loadMetricData('t1')).rejects.toThrow(
      'The stored aggregates of location L1 are unreadable: format 0, this version reads 2',
    );
    expect(await t.store.dirtyLocations('t1')).toEqual(['L1']);
    // No mark: the refresh recomputes every day of it.
    expect(await t.store.dirtyMark('t1', 'L1')).toBeNull();

    expect(await refreshAggregates(t.store, 't1')).toEqual(['L1']);
    expect(await t.store.dirtyLocations('t1')).toEqual([]);
    const after = await t.store.loadMetricData('t1');
    expectSameAggregates(after, before);
    await t.store.close();
    fs.rmSync(t.dir, { recursive: true, force: true });
  });

  it('has a table for every canonical file with every stored column, a tenant and an origin', async () => {
    const t = openTestStore();
    for (const spec of allEntitySpecs()) {
      const columns = (
        t.store.db.prepare(`PRAGMA table_info(${spec.entity})`).all() as { name: string }[]
      ).map((c) => c.name);
      for (const stored of storedColumnsOf(spec)) expect(columns).toContain(stored.name);
      for (const lineage of [
        'tenant_id',
        'source_file_id',
        'source_row',
        'valid_from_ingest',
        'valid_to_ingest',
      ]) {
        expect(columns).toContain(lineage);
      }
      // Personal columns exist only as hashes.
      expect(columns).not.toContain('email');
      expect(columns).not.toContain('phone');
    }
    await t.close();
  });

  it('keeps the ingest log with the totals of each committed ingest', async () => {
    const t = openTestStore();
    await t.ingest([fixture('north')]);
    await t.ingest([fixture('north')]);

    const log = await t.store.ingests('t1');
    expect(log.map((i) => [i.rows_inserted, i.rows_updated, i.rows_unchanged, i.rows_rejected])).toEqual([
      [30, 0, 0, 0],
      [0, 0, 30, 0],
    ]);
    expect(await t.store.ingests('someone-else')).toEqual([]);
    await t.close();
  });

  it('summarizes net revenue by location excluding tax, tips and gift cards', async () => {
    const t = openTestStore();
    await t.ingest([fixture('north'), fixture('south')]);

    const rows = await t.store.locationSummaries('t1', '2024-01-01', '2024-12-31');
    // North: S1 520.00 − 20.00 + S2 80.00 + S3 −100.00 + S5 520.00 + S6 0.00 = 1,000.00 (S4 gift card excluded,
    // the 6.60 tax and 50.00 tip are not revenue). South: 480.00 + 99.00 membership fee = 579.00.
    // Visits = completed appointments: north A1, A2, A5 (A3 no-show, A4 late cancel); south appointment 1.
    expect(rows.map((r) => [r.location_id, r.net_revenue_cents, r.visits, r.providers, r.patients])).toEqual([
      ['L1', 100000, 3, 2, 3],
      ['L2', 57900, 1, 0, 2],
    ]);
    expect(await t.store.salesDateRange('t1')).toEqual({ first: '2024-01-05', last: '2024-05-03' });
    await t.close();
  });

  it('refuses to open a second ingest on the same connection while one is open', async () => {
    const t = openTestStore();
    const tx = await t.store.beginIngest('t1', 'first');
    expect(() => t.store.beginIngest('t1', 'second')).toThrow('An ingest is already open');
    await tx.rollback();
    await t.close();
  });
});
