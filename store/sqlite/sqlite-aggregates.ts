import type Database from 'better-sqlite3';

import type { DailyMeasure } from '../../shared/engine/measures';
import type { PatientEvent, PatientRevenue } from '../../shared/engine/patientEvents';
import type { LocationAggregates, LocationFactsData } from '../../shared/engine/refresh';
import {
  type AppointmentRow,
  appointmentsFile,
  payrollFile,
  type PayrollRow,
  type SaleRow,
  salesFile,
  type ServiceCategory,
  type ShiftRow,
  shiftsFile,
} from '../../shared/model/canonicalBundle';
import { allEntitySpecs } from '../../shared/store/storedColumns';
import { standingAt } from '../sql/history';

const TABLES_WITH_LOCATION = [
  'locations',
  'providers',
  'appointments',
  'sales',
  'payroll',
  'shifts',
  'memberships',
  'marketing_spend',
  'leads',
] as const;

/**
 * The largest row id of each fact table before an ingest writes: rows with a larger id are
 * the ones it inserted (an INTEGER PRIMARY KEY takes max + 1), found by a range of the
 * primary key instead of a scan of the tenant's history.
 */
export type RowWatermarks = ReadonlyMap<string, number>;

export function rowWatermarks(db: Database.Database): RowWatermarks {
  return new Map(
    allEntitySpecs().map((spec) => {
      const row = db
        .prepare<[], { max: number | null }>(`SELECT MAX(row_id) AS max FROM ${spec.entity}`)
        .get();
      return [spec.entity, row?.max ?? 0] as const;
    }),
  );
}

/**
 * Marks the locations whose aggregates an ingest made stale, inside that ingest's transaction
 * (so facts and dirty marks commit together). Beyond the rows that name a location: a changed
 * service category touches every location; a changed patient (its person key) touches the
 * locations of its visits and sales; location-less payroll touches the provider's locations;
 * and because such payroll is split by production, every location sharing a provider with a
 * dirty location is dirty too.
 *
 * The ingest's rows are those above the watermark (inserted) or closed by it (through the
 * partial index of closed rows): the cost follows the ingest, not the tenant's history.
 */
export function markDirtyLocations(
  db: Database.Database,
  tenant: string,
  ingestId: number,
  watermarks: RowWatermarks,
): void {
  const changedIn = (table: string, alias = table) => {
    const since = watermarks.get(table);
    if (since === undefined) throw new Error(`No row watermark for ${table}`);
    // `+tenant_id`: not an index on the tenant (its whole history) but the row-id range and
    // the closed-rows index, each as small as the ingest.
    return `((${alias}.row_id > ${since} OR ${alias}.valid_to_ingest = @ingest) AND +${alias}.tenant_id = @tenant)`;
  };
  const args = { tenant, ingest: ingestId };
  // Per location, the first day the ingest's changes reach; null: every day.
  const dirty = new Map<string, string | null>();
  const mark = (location: string | null, from: string | null) => {
    if (location === null) return;
    const before = dirty.get(location);
    dirty.set(location, before === undefined ? from : earlierDay(before, from));
  };
  const collect = (sql: string, more: Record<string, string> = {}) => {
    for (const row of db
      .prepare<typeof args, { location_id: string | null; from_day: string | null }>(sql)
      .all({ ...args, ...more })) {
      mark(row.location_id, row.from_day);
    }
  };
  // Separate simple statements: one compound query let SQLite re-evaluate the union per row.
  for (const table of TABLES_WITH_LOCATION) {
    const day = FIRST_DAY_OF[table];
    collect(
      `SELECT location_id, ${day === undefined ? 'NULL' : `MIN(${day})`} AS from_day
       FROM ${table} WHERE ${changedIn(table)} GROUP BY location_id`,
    );
  }
  if (
    db.prepare<typeof args>(`SELECT 1 FROM services WHERE ${changedIn('services')} LIMIT 1`).get(args) !==
    undefined
  ) {
    collect(
      'SELECT location_id, NULL AS from_day FROM locations WHERE tenant_id = @tenant AND valid_to_ingest IS NULL',
    );
  }
  // The ingest's patients first (few, for a monthly export), then their facts by the patient
  // index: a semi-join with an empty patient list still scanned every fact of the tenant.
  const patients = db
    .prepare<typeof args, { patient_id: string; closed: number }>(
      `SELECT patient_id, valid_to_ingest IS NOT NULL AS closed FROM patients WHERE ${changedIn('patients')}`,
    )
    .all(args);
  // A changed patient may carry a new person key: every day of its visits and sales. A new
  // patient names the person of facts that may be older than the ingest's own: from theirs.
  const changedPatients = JSON.stringify(patients.filter((p) => p.closed).map((p) => p.patient_id));
  const newPatients = JSON.stringify(patients.filter((p) => !p.closed).map((p) => p.patient_id));
  for (const [facts, day] of [
    ['appointments', FIRST_DAY_OF.appointments],
    ['sales', FIRST_DAY_OF.sales],
  ] as const) {
    const ofPatients = `FROM ${facts} WHERE tenant_id = @tenant AND valid_to_ingest IS NULL
         AND patient_id IN (SELECT value FROM json_each(@ids))`;
    if (changedPatients !== '[]') {
      collect(`SELECT DISTINCT location_id, NULL AS from_day ${ofPatients}`, { ids: changedPatients });
    }
    if (newPatients !== '[]') {
      collect(`SELECT location_id, MIN(${day}) AS from_day ${ofPatients} GROUP BY location_id`, {
        ids: newPatients,
      });
    }
  }
  collect(
    `SELECT pr.location_id, MIN(py.period_start) AS from_day FROM payroll py JOIN providers pr
       ON pr.tenant_id = py.tenant_id AND pr.payroll_employee_id = py.payroll_employee_id AND pr.valid_to_ingest IS NULL
     WHERE py.location_id IS NULL AND ${changedIn('payroll', 'py')}
     GROUP BY pr.location_id`,
  );
  const sharing = db.prepare<{ tenant: string; location: string }, { location_id: string }>(
    `SELECT DISTINCT other.location_id FROM providers mine JOIN providers other
       ON other.tenant_id = mine.tenant_id AND other.provider_id = mine.provider_id AND other.valid_to_ingest IS NULL
     WHERE mine.tenant_id = @tenant AND mine.location_id = @location AND mine.valid_to_ingest IS NULL`,
  );
  for (const [location, from] of [...dirty]) {
    for (const other of sharing.all({ tenant, location })) mark(other.location_id, from);
  }
  // A mark left by an earlier ingest (not yet refreshed) keeps the earlier of the two days.
  const insert = db.prepare(
    `INSERT INTO agg_dirty (tenant_id, location_id, from_day) VALUES (@tenant, @location, @from)
     ON CONFLICT (tenant_id, location_id) DO UPDATE SET from_day = CASE
       WHEN agg_dirty.from_day IS NULL OR excluded.from_day IS NULL THEN NULL
       WHEN excluded.from_day < agg_dirty.from_day THEN excluded.from_day
       ELSE agg_dirty.from_day END`,
  );
  for (const [location, from] of dirty) insert.run({ tenant, location, from });
}

function earlierDay(a: string | null, b: string | null): string | null {
  if (a === null || b === null) return null;
  return a < b ? a : b;
}

/** The first day a changed row reaches, per table (none: every day, e.g. a location's row). */
const FIRST_DAY_OF: Partial<Record<(typeof TABLES_WITH_LOCATION)[number], string>> = {
  appointments: 'substr(start_at, 1, 10)',
  sales: 'sold_on',
  shifts: 'date',
  payroll: 'period_start',
  // Memberships, spend and leads feed no aggregate; marked from their day, a refresh costs days.
  memberships: 'started_on',
  marketing_spend: 'date',
  leads: 'substr(created_at, 1, 10)',
};

/** The first day the location's pending changes reach (null: every day, or no mark). */
export function dirtyFrom(db: Database.Database, tenant: string, locationId: string): string | null {
  return (
    db
      .prepare<[string, string], { from_day: string | null }>(
        'SELECT from_day FROM agg_dirty WHERE tenant_id = ? AND location_id = ?',
      )
      .get(tenant, locationId)?.from_day ?? null
  );
}

export function dirtyLocations(db: Database.Database, tenant: string): string[] {
  return db
    .prepare<[string], { location_id: string }>(
      'SELECT location_id FROM agg_dirty WHERE tenant_id = ? ORDER BY location_id',
    )
    .all(tenant)
    .map((r) => r.location_id);
}

function columnsOf(spec: { columns: Record<string, unknown> }): string {
  return Object.keys(spec.columns).join(', ');
}

/** A location's facts now, or as they stood after ingest `asOfIngest` (the as-reported figures). */
export function loadLocationFacts(
  db: Database.Database,
  tenant: string,
  locationId: string,
  asOfIngest?: number,
): LocationFactsData {
  return readLocationFacts(db, tenant, locationId, { asOfIngest });
}

/** The location's current facts that days from `from` on depend on (AggregateStore). */
export function loadLocationFactsFrom(
  db: Database.Database,
  tenant: string,
  locationId: string,
  from: string,
): LocationFactsData {
  return readLocationFacts(db, tenant, locationId, { from });
}

function readLocationFacts(
  db: Database.Database,
  tenant: string,
  locationId: string,
  window: { asOfIngest?: number; from?: string },
): LocationFactsData {
  const { asOfIngest, from } = window;
  const current = `tenant_id = @tenant AND ${standingAt(asOfIngest)}`;
  const args = { tenant, location: locationId, asOf: asOfIngest ?? null, from: from ?? null };
  const onOrAfter = (column: string) => (from === undefined ? '' : `AND ${column} >= @from`);
  const sales = db
    .prepare(
      `SELECT ${columnsOf(salesFile)} FROM sales WHERE ${current} AND location_id = @location ${onOrAfter('sold_on')}`,
    )
    .all(args) as SaleRow[];
  // From a day on: also the earlier appointments those sales paid for (their category).
  const paidFor = JSON.stringify(sales.flatMap((s) => (s.appointment_id === null ? [] : [s.appointment_id])));
  const appointments = db
    .prepare(
      `SELECT ${columnsOf(appointmentsFile)} FROM appointments WHERE ${current} AND location_id = @location
       ${from === undefined ? '' : 'AND (start_at >= @from OR appointment_id IN (SELECT value FROM json_each(@paidFor)))'}`,
    )
    .all({ ...args, ...(from === undefined ? {} : { paidFor }) }) as AppointmentRow[];
  const shifts = db
    .prepare(
      `SELECT ${columnsOf(shiftsFile)} FROM shifts WHERE ${current} AND location_id = @location ${onOrAfter('date')}`,
    )
    .all(args) as ShiftRow[];
  const payroll = db
    .prepare(
      `SELECT ${columnsOf(payrollFile)} FROM payroll WHERE ${current} ${onOrAfter('period_end')}
         AND (location_id = @location OR (location_id IS NULL AND payroll_employee_id IN (
           SELECT payroll_employee_id FROM providers WHERE ${current} AND location_id = @location)))`,
    )
    .all(args) as PayrollRow[];
  // Production splits location-less pay over each pay period: from the earliest one read.
  const productionFrom =
    from === undefined
      ? null
      : payroll.reduce(
          (earliest, line) => (line.period_start < earliest ? line.period_start : earliest),
          from,
        );
  const providers = db
    .prepare(
      `SELECT provider_id, location_id, payroll_employee_id FROM providers WHERE ${current}
       ORDER BY provider_id, location_id`,
    )
    .all(args) as LocationFactsData['providers'];
  const categories = db
    .prepare<typeof args, { service_code: string; category: ServiceCategory }>(
      `SELECT service_code, category FROM services WHERE ${current} ORDER BY service_code`,
    )
    .all(args)
    .map((r) => [r.service_code, r.category] as const);
  const productionRows = db
    .prepare<typeof args, { providerId: string; locationId: string; day: string; cents: number }>(
      `SELECT provider_id AS providerId, location_id AS locationId, sold_on AS day,
              SUM(gross - COALESCE(discount, 0)) AS cents
       FROM sales WHERE ${current} AND kind IN ('service', 'package')
         ${productionFrom === null ? '' : 'AND sold_on >= @productionFrom'}
         AND provider_id IN (SELECT provider_id FROM providers WHERE ${current} AND location_id = @location)
       GROUP BY provider_id, location_id, sold_on`,
    )
    .all({ ...args, ...(productionFrom === null ? {} : { productionFrom }) });
  // The patients of the rows just read, looked up by id: a subquery over appointments and sales
  // let SQLite walk the tenant's whole patient index per location (quadratic in locations).
  const patientIds = new Set<string>();
  for (const row of [...appointments, ...sales]) if (row.patient_id !== null) patientIds.add(row.patient_id);
  const personKeys = db
    .prepare<typeof args & { ids: string }, { patient_id: string; person_key: string }>(
      `SELECT patient_id, person_key FROM patients WHERE ${current}
         AND patient_id IN (SELECT value FROM json_each(@ids))`,
    )
    .all({ ...args, ids: JSON.stringify([...patientIds]) })
    .map((r) => [r.patient_id, r.person_key] as const);
  return {
    locationId,
    categories,
    sales,
    appointments,
    shifts,
    payroll,
    providers,
    productionRows,
    personKeys,
  };
}

/**
 * Rows keyed by text and the statements that write them: the stored aggregates are compared
 * with the new ones and only the difference is written, so a refresh after one more month
 * writes that month, not the location's whole history again (and its index maintenance).
 */
interface KeyedTable<T> {
  stored: Map<string, T>;
  upsert: (row: T) => void;
  remove: (key: string) => void;
}

function writeDifference<T>(
  table: KeyedTable<T>,
  rows: readonly T[],
  keyOf: (row: T) => string,
  same: (a: T, b: T) => boolean,
): void {
  for (const row of rows) {
    const key = keyOf(row);
    const before = table.stored.get(key);
    table.stored.delete(key);
    if (before === undefined || !same(before, row)) table.upsert(row);
  }
  for (const key of table.stored.keys()) table.remove(key);
}

export function replaceLocationAggregates(
  db: Database.Database,
  tenant: string,
  locationId: string,
  aggregates: LocationAggregates,
  from?: string,
): void {
  const args = { tenant, location: locationId, from: from ?? null };
  const here = 'tenant_id = @tenant AND location_id = @location';
  // With `from`, only the days from it on are replaced; the rows before stay as they are.
  const onOrAfter = (column: string) => (from === undefined ? '' : `AND ${column} >= @from`);
  // A NUL separates key parts: it occurs in none of them.
  const dailyKey = (d: { providerId: string; measure: string; day: string }) =>
    `${d.providerId}\u0000${d.measure}\u0000${d.day}`;
  const revenueKey = (r: { personKey: string; day: string }) => `${r.personKey}\u0000${r.day}`;
  db.transaction(() => {
    const daily = db
      .prepare<typeof args, DailyMeasure>(
        `SELECT location_id AS locationId, provider_id AS providerId, measure, day, value FROM agg_daily WHERE ${here} ${onOrAfter('day')}`,
      )
      .all(args);
    const upsertDaily = db.prepare(
      'INSERT OR REPLACE INTO agg_daily (tenant_id, location_id, provider_id, measure, day, value) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const deleteDaily = db.prepare(
      `DELETE FROM agg_daily WHERE ${here} AND provider_id = @providerId AND measure = @measure AND day = @day`,
    );
    writeDifference<DailyMeasure>(
      {
        stored: new Map(daily.map((d) => [dailyKey(d), d])),
        upsert: (d) => upsertDaily.run(tenant, locationId, d.providerId, d.measure, d.day, d.value),
        remove: (key) => {
          const [providerId, measure, day] = key.split('\u0000');
          deleteDaily.run({ ...args, providerId, measure, day });
        },
      },
      aggregates.daily,
      dailyKey,
      (a, b) => a.value === b.value,
    );

    const events = db
      .prepare<typeof args, PatientEvent>(
        `SELECT location_id AS locationId, appointment_id AS appointmentId, person_key AS personKey,
                patient_id AS patientId, provider_id AS providerId, category, status, start_at AS startAt,
                booked_on AS bookedOn, duration_min AS durationMin
         FROM patient_events WHERE ${here} ${onOrAfter('start_at')}`,
      )
      .all(args);
    const upsertEvent = db.prepare(
      `INSERT OR REPLACE INTO patient_events (tenant_id, location_id, appointment_id, person_key, patient_id, provider_id,
         category, status, start_at, booked_on, duration_min) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const deleteEvent = db.prepare(`DELETE FROM patient_events WHERE ${here} AND appointment_id = @key`);
    writeDifference<PatientEvent>(
      {
        stored: new Map(events.map((e) => [e.appointmentId, e])),
        upsert: (e) =>
          upsertEvent.run(
            tenant,
            locationId,
            e.appointmentId,
            e.personKey,
            e.patientId,
            e.providerId,
            e.category,
            e.status,
            e.startAt,
            e.bookedOn,
            e.durationMin,
          ),
        remove: (key) => deleteEvent.run({ ...args, key }),
      },
      aggregates.events,
      (e) => e.appointmentId,
      (a, b) =>
        a.personKey === b.personKey &&
        a.patientId === b.patientId &&
        a.providerId === b.providerId &&
        a.category === b.category &&
        a.status === b.status &&
        a.startAt === b.startAt &&
        a.bookedOn === b.bookedOn &&
        a.durationMin === b.durationMin,
    );

    const revenue = db
      .prepare<typeof args, PatientRevenue>(
        `SELECT location_id AS locationId, person_key AS personKey, day, net_cents AS netCents FROM patient_revenue WHERE ${here} ${onOrAfter('day')}`,
      )
      .all(args);
    const upsertRevenue = db.prepare(
      'INSERT OR REPLACE INTO patient_revenue (tenant_id, location_id, person_key, day, net_cents) VALUES (?, ?, ?, ?, ?)',
    );
    const deleteRevenue = db.prepare(
      `DELETE FROM patient_revenue WHERE ${here} AND person_key = @personKey AND day = @day`,
    );
    writeDifference<PatientRevenue>(
      {
        stored: new Map(revenue.map((r) => [revenueKey(r), r])),
        upsert: (r) => upsertRevenue.run(tenant, locationId, r.personKey, r.day, r.netCents),
        remove: (key) => {
          const [personKey, day] = key.split('\u0000');
          deleteRevenue.run({ ...args, personKey, day });
        },
      },
      aggregates.revenue,
      revenueKey,
      (a, b) => a.netCents === b.netCents,
    );

    db.prepare(`DELETE FROM agg_dirty WHERE ${here}`).run(args);
  })();
}
