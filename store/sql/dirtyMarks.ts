import { AGGREGATES_FORMAT } from '../../shared/engine/aggregatesCodec';
import type { DirtyMark } from '../../shared/engine/refresh';
import { allEntitySpecs } from '../../shared/store/storedColumns';
import type { SqlDriver } from './sqlDriver';
import { JsonParam } from './sqlValues';

/** The fact tables whose rows name a location (every fact table but services and patients). */
function tablesWithLocation(): string[] {
  return allEntitySpecs()
    .filter((spec) => 'location_id' in spec.columns)
    .map((spec) => spec.entity);
}

/**
 * The largest row id of each fact table before an ingest writes: rows with a larger id are
 * the ones it inserted (an INTEGER PRIMARY KEY takes max + 1, an IDENTITY only grows), found
 * by a range of the primary key instead of a scan of the tenant's history.
 */
export type RowWatermarks = ReadonlyMap<string, number>;

export async function rowWatermarks(sql: SqlDriver): Promise<RowWatermarks> {
  const marks = new Map<string, number>();
  for (const spec of allEntitySpecs()) {
    const row = await sql.get<{ max: unknown }>(`SELECT MAX(row_id) AS max FROM ${spec.entity}`);
    marks.set(spec.entity, sql.dialect.toNumberOrNull(row?.max) ?? 0);
  }
  return marks;
}

/**
 * The first day a changed row reaches, per table (none: every day, e.g. a location's row).
 * Memberships, spend and leads feed no aggregate; marked from their day, a refresh costs days.
 */
function firstDayOf(sql: SqlDriver, table: string): string | undefined {
  const left = sql.dialect.left;
  const days: Record<string, string | undefined> = {
    appointments: left('start_at', 10),
    sales: 'sold_on',
    shifts: sql.dialect.quote('date'),
    payroll: 'period_start',
    memberships: 'started_on',
    marketing_spend: sql.dialect.quote('date'),
    leads: left('created_at', 10),
  };
  return days[table];
}

function earlierDay(a: string | null, b: string | null): string | null {
  if (a === null || b === null) return null;
  return a < b ? a : b;
}

/**
 * Marks the locations whose aggregates an ingest made stale, inside that ingest's transaction
 * (so facts and dirty marks commit together; `sql` must run in it). Beyond the rows that name
 * a location: a changed service category touches every location; a changed patient (its
 * person key) touches the locations of its visits and sales; location-less payroll touches
 * the provider's locations; and because such payroll is split by production, every location
 * sharing a provider with a dirty location is dirty too.
 *
 * The ingest's rows are those above the watermark (inserted) or closed by it (through the
 * partial index of closed rows): the cost follows the ingest, not the tenant's history.
 */
export async function markDirtyLocations(
  sql: SqlDriver,
  tenant: string,
  ingestId: number,
  watermarks: RowWatermarks,
): Promise<void> {
  const d = sql.dialect;
  const changedIn = (table: string, alias = table) => {
    const since = watermarks.get(table);
    if (since === undefined) throw new Error(`No row watermark for ${table}`);
    // Not an index on the tenant (its whole history) but the row-id range and the
    // closed-rows index, each as small as the ingest.
    return `((${alias}.row_id > ${since} OR ${alias}.valid_to_ingest = @ingest) AND ${d.unindexed(`${alias}.tenant_id`)} = @tenant)`;
  };
  const args = { tenant, ingest: ingestId };
  // Per location, the first day the ingest's changes reach; null: every day.
  const dirty = new Map<string, string | null>();
  const mark = (location: string | null, from: string | null) => {
    if (location === null) return;
    const before = dirty.get(location);
    dirty.set(location, before === undefined ? from : earlierDay(before, from));
  };
  const collect = async (query: string, more: Record<string, JsonParam | string> = {}) => {
    const rows = await sql.all<{ location_id: string | null; from_day: string | null }>(query, {
      ...args,
      ...more,
    });
    for (const row of rows) mark(row.location_id, row.from_day);
  };
  // Separate simple statements: one compound query let SQLite re-evaluate the union per row.
  for (const table of tablesWithLocation()) {
    const day = firstDayOf(sql, table);
    await collect(
      `SELECT location_id, ${day === undefined ? 'NULL' : `MIN(${day})`} AS from_day
       FROM ${table} WHERE ${changedIn(table)} GROUP BY location_id`,
    );
  }
  const service = await sql.get<{ hit: unknown }>(
    `SELECT CASE WHEN EXISTS (SELECT 1 FROM services WHERE ${changedIn('services')}) THEN 1 ELSE 0 END AS hit`,
    args,
  );
  if (d.toNumber(service?.hit) === 1) {
    await collect(
      'SELECT location_id, NULL AS from_day FROM locations WHERE tenant_id = @tenant AND valid_to_ingest IS NULL',
    );
  }
  // The ingest's patients first (few, for a monthly export), then their facts by the patient
  // index: a semi-join with an empty patient list still scanned every fact of the tenant.
  const patients = await sql.all<{ patient_id: string; closed: unknown }>(
    `SELECT patient_id, CASE WHEN valid_to_ingest IS NULL THEN 0 ELSE 1 END AS closed
     FROM patients WHERE ${changedIn('patients')}`,
    args,
  );
  // A changed patient may carry a new person key: every day of its visits and sales. A new
  // patient names the person of facts that may be older than the ingest's own: from theirs.
  const changedPatients = patients.filter((p) => d.toNumber(p.closed) === 1).map((p) => p.patient_id);
  const newPatients = patients.filter((p) => d.toNumber(p.closed) === 0).map((p) => p.patient_id);
  for (const facts of ['appointments', 'sales'] as const) {
    const ofPatients = `FROM ${facts} WHERE tenant_id = @tenant AND valid_to_ingest IS NULL
         AND ${d.inJsonList('patient_id', 'ids')}`;
    if (changedPatients.length > 0) {
      await collect(`SELECT DISTINCT location_id, NULL AS from_day ${ofPatients}`, {
        ids: new JsonParam(changedPatients),
      });
    }
    if (newPatients.length > 0) {
      await collect(
        `SELECT location_id, MIN(${firstDayOf(sql, facts)}) AS from_day ${ofPatients} GROUP BY location_id`,
        { ids: new JsonParam(newPatients) },
      );
    }
  }
  await collect(
    `SELECT pr.location_id, MIN(py.period_start) AS from_day FROM payroll py JOIN providers pr
       ON pr.tenant_id = py.tenant_id AND pr.payroll_employee_id = py.payroll_employee_id AND pr.valid_to_ingest IS NULL
     WHERE py.location_id IS NULL AND ${changedIn('payroll', 'py')}
     GROUP BY pr.location_id`,
  );
  for (const [location, from] of [...dirty]) {
    const sharing = await sql.all<{ location_id: string }>(
      `SELECT DISTINCT other.location_id FROM providers mine JOIN providers other
         ON other.tenant_id = mine.tenant_id AND other.provider_id = mine.provider_id AND other.valid_to_ingest IS NULL
       WHERE mine.tenant_id = @tenant AND mine.location_id = @location AND mine.valid_to_ingest IS NULL`,
      { tenant, location },
    );
    for (const other of sharing) mark(other.location_id, from);
  }
  if (dirty.size === 0) return;
  // A mark left by an earlier ingest (not yet refreshed) keeps the earlier of the two days.
  const pending = await sql.all<{ location_id: string; from_day: string | null }>(
    `SELECT location_id, from_day FROM agg_dirty WHERE tenant_id = @tenant AND ${d.inJsonList('location_id', 'locations')}`,
    { tenant, locations: new JsonParam([...dirty.keys()]) },
  );
  for (const row of pending) mark(row.location_id, row.from_day);
  // Each mark names this ingest: a refresh that read the location before it committed clears
  // only the mark it read (replaceLocationAggregates), so this one stays for the next.
  const upsert = d.upsert({
    table: 'agg_dirty',
    values: { tenant_id: 'tenant', location_id: 'location', from_day: 'from', marked_by_ingest: 'ingest' },
    key: ['tenant_id', 'location_id'],
    replace: ['from_day', 'marked_by_ingest'],
  });
  for (const [location, from] of dirty) await sql.run(upsert, { tenant, location, from, ingest: ingestId });
}

/**
 * The location's dirty mark (null: none): the first day its pending changes reach (null: every
 * day) and the ingest that made it. A stored value of another format than this version's cannot
 * be read, so none of it is kept: every day, marked or not.
 */
export async function dirtyMark(
  sql: SqlDriver,
  tenant: string,
  locationId: string,
): Promise<DirtyMark | null> {
  const args = { tenant, location: locationId, format: AGGREGATES_FORMAT };
  // The tenant's values of another format (usually none), from the format index alone: asked
  // by location, SQLite read the row, and the format (written after the value) only at the end
  // of the value's overflow pages — 0.1 s a location at 200 locations, every incremental refresh.
  const stale = await sql.all<{ location_id: string }>(
    'SELECT location_id FROM location_aggregates WHERE tenant_id = @tenant AND value_format <> @format',
    args,
  );
  const row = await sql.get<{ from_day: string | null; marked_by_ingest: unknown }>(
    'SELECT from_day, marked_by_ingest FROM agg_dirty WHERE tenant_id = @tenant AND location_id = @location',
    args,
  );
  if (row === undefined) return null;
  const ingest = sql.dialect.toNumberOrNull(row.marked_by_ingest);
  const everyDay = stale.some((r) => r.location_id === locationId);
  return { from: everyDay ? null : row.from_day, ingest };
}

/**
 * The SQL condition that holds for the location's mark while it is still `seen` (the mark a
 * refresh read before the facts): an ingest committed since re-marked it with its own id.
 */
export function stillMarkedAs(seen: DirtyMark): { where: string; args: { seenIngest: number | null } } {
  return {
    where: seen.ingest === null ? 'marked_by_ingest IS NULL' : 'marked_by_ingest = @seenIngest',
    args: { seenIngest: seen.ingest },
  };
}

/**
 * The locations to refresh: those an ingest marked, and those whose stored aggregates are of
 * another format than this version reads (written by an earlier or later version of Caliper),
 * which the refresh then rebuilds whole instead of every query failing on them.
 */
export async function dirtyLocations(sql: SqlDriver, tenant: string): Promise<string[]> {
  // Two statements, not one UNION: ordered by location, SQLite merged the union in primary-key
  // order and so read every stored value to reach its format (written after it): 0.25 s at 200
  // locations with the file cached, 5 s from disk. Alone, the format index answers it.
  const marked = await sql.all<{ location_id: string }>(
    'SELECT location_id FROM agg_dirty WHERE tenant_id = @tenant',
    { tenant },
  );
  const otherFormat = await sql.all<{ location_id: string }>(
    'SELECT location_id FROM location_aggregates WHERE tenant_id = @tenant AND value_format <> @format',
    { tenant, format: AGGREGATES_FORMAT },
  );
  const locations = new Set([...marked, ...otherFormat].map((r) => r.location_id));
  return [...locations].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
