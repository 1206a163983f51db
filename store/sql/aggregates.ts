import type { DailyMeasure } from '../../shared/engine/measures';
import {
  decodePatientFacts,
  encodePatientFacts,
  type LocationPatientFacts,
} from '../../shared/engine/patientFactsCodec';
import type { LocationAggregates } from '../../shared/engine/refresh';
import type { SqlDriver } from './sqlDriver';

export {
  dirtyFrom,
  dirtyLocations,
  markDirtyLocations,
  type RowWatermarks,
  rowWatermarks,
} from './dirtyMarks';
export { loadLocationFacts, loadLocationFactsFrom } from './locationFacts';

/** The rows of one aggregate table to write (new or changed) and to delete (no longer computed). */
export interface RowChanges<T> {
  write: T[];
  remove: T[];
}

export interface AggregateChanges {
  tenant: string;
  locationId: string;
  daily: RowChanges<DailyMeasure>;
}

/**
 * How a database writes many aggregate rows inside the refresh's transaction: the one part of
 * the aggregates that stays per database, like the driver. A row written replaces the stored
 * row of its key (agg_daily: location, provider, measure, day); a row removed is deleted by its
 * key. SQLite runs one prepared statement per row (no round trip, so a loop is fastest); Azure
 * SQL sends batches as one JSON parameter each (a statement per row would be a network round
 * trip per row).
 */
export interface AggregateRowWriter {
  write(tx: SqlDriver, changes: AggregateChanges): Promise<void>;
}

/**
 * The stored rows compared with the new ones: only the difference is written, so a refresh
 * after one more month writes that month, not the location's whole history again (and its
 * index maintenance).
 */
function difference<T>(
  stored: readonly T[],
  rows: readonly T[],
  keyOf: (row: T) => string,
  same: (a: T, b: T) => boolean,
): RowChanges<T> {
  const before = new Map(stored.map((row) => [keyOf(row), row]));
  const write: T[] = [];
  for (const row of rows) {
    const key = keyOf(row);
    const old = before.get(key);
    before.delete(key);
    if (old === undefined || !same(old, row)) write.push(row);
  }
  return { write, remove: [...before.values()] };
}

// A NUL separates key parts: it occurs in none of them.
const dailyKey = (d: DailyMeasure) => `${d.providerId}\u0000${d.measure}\u0000${d.day}`;

const SAVE_PATIENT_FACTS = {
  table: 'patient_facts',
  values: { tenant_id: 'tenant', location_id: 'location', facts: 'facts' },
  key: ['tenant_id', 'location_id'],
  replace: ['facts'],
} as const;

/** A location's stored patient facts, decoded; none when the location has never been refreshed. */
export async function storedPatientFacts(
  sql: SqlDriver,
  tenant: string,
  locationId: string,
  pooled?: (text: string) => string,
): Promise<LocationPatientFacts | undefined> {
  const row = await sql.get<{ facts: Uint8Array }>(
    'SELECT facts FROM patient_facts WHERE tenant_id = @tenant AND location_id = @location',
    { tenant, location: locationId },
  );
  return row === undefined ? undefined : decodePatientFacts(locationId, row.facts, pooled);
}

/**
 * Replaces the location's aggregates — all, or with `from` only those of days from it on (the
 * rows before stay as they are) — and clears its dirty mark, in one transaction. The patient
 * facts are one value per location (shared/engine/patientFactsCodec.ts): with `from`, the
 * stored events starting before it and revenue of days before it are kept and the rest
 * replaced, and the value is written again whole (one location's: a few MB at most).
 */
export function replaceLocationAggregates(
  sql: SqlDriver,
  writer: AggregateRowWriter,
  tenant: string,
  locationId: string,
  aggregates: LocationAggregates,
  from?: string,
): Promise<void> {
  const d = sql.dialect;
  const args = { tenant, location: locationId, from: from ?? null };
  const here = 'tenant_id = @tenant AND location_id = @location';
  const onOrAfter = (column: string) => (from === undefined ? '' : `AND ${column} >= @from`);
  return sql.transaction(async (tx) => {
    const daily = await tx.all<DailyMeasure>(
      `SELECT location_id AS locationId, provider_id AS providerId, measure, day, ${d.quote('value')} AS value
       FROM agg_daily WHERE ${here} ${onOrAfter('day')}`,
      args,
    );
    await writer.write(tx, {
      tenant,
      locationId,
      daily: difference(daily, aggregates.daily, dailyKey, (a, b) => a.value === b.value),
    });
    const kept =
      from === undefined ? undefined : factsBefore(await storedPatientFacts(tx, tenant, locationId), from);
    const events = [...(kept?.events ?? []), ...aggregates.events];
    const revenue = [...(kept?.revenue ?? []), ...aggregates.revenue];
    // A location without patient facts (merged away, or none yet) keeps no value at all.
    if (events.length === 0 && revenue.length === 0)
      await tx.run(`DELETE FROM patient_facts WHERE ${here}`, args);
    else
      await tx.run(d.upsert(SAVE_PATIENT_FACTS), { ...args, facts: encodePatientFacts({ events, revenue }) });
    await tx.run(`DELETE FROM agg_dirty WHERE ${here}`, args);
  });
}

/** The events starting before `from` and the revenue of days before it (a start sorts after its own date). */
function factsBefore(facts: LocationPatientFacts | undefined, from: string): LocationPatientFacts {
  return {
    events: facts?.events.filter((e) => e.startAt < from) ?? [],
    revenue: facts?.revenue.filter((r) => r.day < from) ?? [],
  };
}
