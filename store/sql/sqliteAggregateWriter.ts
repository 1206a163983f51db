import type Database from 'better-sqlite3';

import type { AggregateChanges, AggregateRowWriter } from './aggregates';

/**
 * SQLite's bulk write of aggregate rows: prepared once, run per row on the connection the
 * refresh's transaction is open on (better-sqlite3 is synchronous and in-process, so a loop of
 * prepared statements is the fastest load there is; batching would only add JSON work).
 */
export class SqliteAggregateWriter implements AggregateRowWriter {
  private statements?: ReturnType<typeof prepare>;

  constructor(private readonly db: Database.Database) {}

  write(_tx: unknown, changes: AggregateChanges): Promise<void> {
    const s = (this.statements ??= prepare(this.db));
    const { tenant, locationId: location } = changes;
    for (const d of changes.daily.write)
      s.upsertDaily.run(tenant, location, d.providerId, d.measure, d.day, d.value);
    for (const d of changes.daily.remove) s.deleteDaily.run(tenant, location, d.providerId, d.measure, d.day);
    return Promise.resolve();
  }
}

const here = 'tenant_id = ? AND location_id = ?';

function prepare(db: Database.Database) {
  return {
    upsertDaily: db.prepare(
      'INSERT OR REPLACE INTO agg_daily (tenant_id, location_id, provider_id, measure, day, value) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    deleteDaily: db.prepare(
      `DELETE FROM agg_daily WHERE ${here} AND provider_id = ? AND measure = ? AND day = ?`,
    ),
  };
}
