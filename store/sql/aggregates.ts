import {
  AGGREGATES_FORMAT,
  decodeLocationFacts,
  spliceLocationAggregates,
} from '../../shared/engine/aggregatesCodec';
import type { DirtyMark, LocationAggregates } from '../../shared/engine/refresh';
import { stillMarkedAs } from './dirtyMarks';
import type { SqlDriver } from './sqlDriver';

export {
  dirtyLocations,
  dirtyMark,
  markDirtyLocations,
  type RowWatermarks,
  rowWatermarks,
} from './dirtyMarks';
export { loadLocationFacts, loadLocationFactsFrom } from './locationFacts';

const SAVE_AGGREGATES = {
  table: 'location_aggregates',
  values: {
    tenant_id: 'tenant',
    location_id: 'location',
    first_day: 'first',
    last_day: 'last',
    aggregates: 'value',
    value_format: 'format',
  },
  key: ['tenant_id', 'location_id'],
  replace: ['first_day', 'last_day', 'aggregates', 'value_format'],
} as const;

function storedValue(
  sql: SqlDriver,
  tenant: string,
  locationId: string,
): Promise<{ aggregates: Uint8Array } | undefined> {
  return sql.get<{ aggregates: Uint8Array }>(
    'SELECT aggregates FROM location_aggregates WHERE tenant_id = @tenant AND location_id = @location',
    { tenant, location: locationId },
  );
}

/** A location's stored aggregates as columns (what the metric load keeps); none when it has none. */
export async function storedLocationFacts(
  sql: SqlDriver,
  tenant: string,
  locationId: string,
  pooled: (text: string) => string,
): Promise<ReturnType<typeof decodeLocationFacts> | undefined> {
  const row = await storedValue(sql, tenant, locationId);
  return row === undefined ? undefined : decodeLocationFacts(locationId, row.aggregates, pooled);
}

/**
 * Replaces the location's aggregates — all, or with `from` only those of days from it on (the
 * stored daily measures, events starting and revenue of days before it stay as they are) — and
 * clears its dirty mark if it is still `seen`, the mark the refresh read before the facts (null:
 * there was none, nothing is cleared), in one transaction: an ingest that committed meanwhile
 * re-marked the location, and that mark stays for the next refresh. A location's aggregates are
 * one value (shared/engine/aggregatesCodec.ts), written whole (0.3–8.6 MB at 50 locations), by
 * the same statement on every database; a refresh from a day splices its rows into the stored value.
 */
export async function replaceLocationAggregates(
  sql: SqlDriver,
  tenant: string,
  locationId: string,
  aggregates: LocationAggregates,
  seen: DirtyMark | null,
  from?: string,
): Promise<void> {
  const args = { tenant, location: locationId };
  const here = 'tenant_id = @tenant AND location_id = @location';
  // A whole value depends on nothing stored: it is encoded before the write lock is taken (a
  // quarter of a location's refresh), so the other locations' workers write meanwhile. A splice
  // reads the stored value, so it is made inside the transaction that replaces it.
  const whole =
    from === undefined ? spliceLocationAggregates(locationId, undefined, undefined, aggregates) : null;
  return sql.transaction(async (tx) => {
    const value =
      whole ??
      spliceLocationAggregates(
        locationId,
        (await storedValue(tx, tenant, locationId))?.aggregates,
        from,
        aggregates,
      );
    // A location without aggregates (merged away, or no facts yet) keeps no value at all.
    if (value.rows === 0) await tx.run(`DELETE FROM location_aggregates WHERE ${here}`, args);
    else {
      await tx.run(sql.dialect.upsert(SAVE_AGGREGATES), {
        ...args,
        first: value.firstDay,
        last: value.lastDay,
        value: value.value,
        format: AGGREGATES_FORMAT,
      });
    }
    if (seen !== null) {
      const mark = stillMarkedAs(seen);
      await tx.run(`DELETE FROM agg_dirty WHERE ${here} AND ${mark.where}`, { ...args, ...mark.args });
    }
  });
}
