import type { DailyMeasure } from '../../shared/engine/measures';
import type { PatientEvent, PatientRevenue } from '../../shared/engine/patientEvents';
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
  events: RowChanges<PatientEvent>;
  revenue: RowChanges<PatientRevenue>;
}

/**
 * How a database writes many aggregate rows inside the refresh's transaction: the one part of
 * the aggregates that stays per database, like the driver. A row written replaces the stored
 * row of its key (agg_daily: location, provider, measure, day; patient_events: appointment;
 * patient_revenue: person and day); a row removed is deleted by its key. SQLite runs one
 * prepared statement per row (no round trip, so a loop is fastest); Azure SQL sends batches as
 * one JSON parameter each (a statement per row would be a network round trip per row).
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
const revenueKey = (r: PatientRevenue) => `${r.personKey}\u0000${r.day}`;

function sameEvent(a: PatientEvent, b: PatientEvent): boolean {
  return (
    a.personKey === b.personKey &&
    a.patientId === b.patientId &&
    a.providerId === b.providerId &&
    a.category === b.category &&
    a.status === b.status &&
    a.startAt === b.startAt &&
    a.bookedOn === b.bookedOn &&
    a.durationMin === b.durationMin
  );
}

/**
 * Replaces the location's aggregates — all, or with `from` only those of days from it on (the
 * rows before stay as they are) — and clears its dirty mark, in one transaction.
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
    const events = await tx.all<PatientEvent>(
      `SELECT location_id AS locationId, appointment_id AS appointmentId, person_key AS personKey,
              patient_id AS patientId, provider_id AS providerId, category, status, start_at AS startAt,
              booked_on AS bookedOn, duration_min AS durationMin
       FROM patient_events WHERE ${here} ${onOrAfter('start_at')}`,
      args,
    );
    d.numbersIn(events, ['durationMin']);
    const revenue = await tx.all<PatientRevenue>(
      `SELECT location_id AS locationId, person_key AS personKey, day, net_cents AS netCents
       FROM patient_revenue WHERE ${here} ${onOrAfter('day')}`,
      args,
    );
    d.numbersIn(revenue, ['netCents']);
    await writer.write(tx, {
      tenant,
      locationId,
      daily: difference(daily, aggregates.daily, dailyKey, (a, b) => a.value === b.value),
      events: difference(events, aggregates.events, (e) => e.appointmentId, sameEvent),
      revenue: difference(revenue, aggregates.revenue, revenueKey, (a, b) => a.netCents === b.netCents),
    });
    await tx.run(`DELETE FROM agg_dirty WHERE ${here}`, args);
  });
}
