import type Database from 'better-sqlite3';

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
import { standingAt } from './sqlite-history';

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
 * Marks the locations whose aggregates an ingest made stale, inside that ingest's transaction
 * (so facts and dirty marks commit together). Beyond the rows that name a location: a changed
 * service category touches every location; a changed patient (its person key) touches the
 * locations of its visits and sales; location-less payroll touches the provider's locations;
 * and because such payroll is split by production, every location sharing a provider with a
 * dirty location is dirty too.
 */
export function markDirtyLocations(db: Database.Database, tenant: string, ingestId: number): void {
  const args = { tenant, ingest: ingestId };
  const changed = 'tenant_id = @tenant AND (valid_from_ingest = @ingest OR valid_to_ingest = @ingest)';
  const dirty = new Set<string>();
  const collect = (sql: string) => {
    for (const row of db.prepare<typeof args, { location_id: string | null }>(sql).all(args)) {
      if (row.location_id !== null) dirty.add(row.location_id);
    }
  };
  // Separate simple statements: one compound query let SQLite re-evaluate the union per row.
  for (const table of TABLES_WITH_LOCATION) {
    collect(`SELECT DISTINCT location_id FROM ${table} WHERE ${changed}`);
  }
  if (db.prepare<typeof args>(`SELECT 1 FROM services WHERE ${changed} LIMIT 1`).get(args) !== undefined) {
    collect('SELECT location_id FROM locations WHERE tenant_id = @tenant AND valid_to_ingest IS NULL');
  }
  for (const facts of ['appointments', 'sales']) {
    // An IN list, not a join: without table statistics SQLite would nest a scan of patients
    // inside the facts (quadratic); a semi-join over an ephemeral index is linear.
    collect(
      `SELECT DISTINCT location_id FROM ${facts}
       WHERE tenant_id = @tenant AND valid_to_ingest IS NULL
         AND patient_id IN (SELECT patient_id FROM patients WHERE ${changed})`,
    );
  }
  collect(
    `SELECT DISTINCT pr.location_id FROM payroll py JOIN providers pr
       ON pr.tenant_id = py.tenant_id AND pr.payroll_employee_id = py.payroll_employee_id AND pr.valid_to_ingest IS NULL
     WHERE py.tenant_id = @tenant AND py.location_id IS NULL
       AND (py.valid_from_ingest = @ingest OR py.valid_to_ingest = @ingest)`,
  );
  const sharing = db.prepare<{ tenant: string; location: string }, { location_id: string }>(
    `SELECT DISTINCT other.location_id FROM providers mine JOIN providers other
       ON other.tenant_id = mine.tenant_id AND other.provider_id = mine.provider_id AND other.valid_to_ingest IS NULL
     WHERE mine.tenant_id = @tenant AND mine.location_id = @location AND mine.valid_to_ingest IS NULL`,
  );
  const insert = db.prepare('INSERT OR IGNORE INTO agg_dirty (tenant_id, location_id) VALUES (?, ?)');
  for (const location of dirty) {
    insert.run(tenant, location);
    for (const other of sharing.all({ tenant, location })) insert.run(tenant, other.location_id);
  }
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
  const current = `tenant_id = @tenant AND ${standingAt(asOfIngest)}`;
  const args = { tenant, location: locationId, asOf: asOfIngest ?? null };
  const sales = db
    .prepare(`SELECT ${columnsOf(salesFile)} FROM sales WHERE ${current} AND location_id = @location`)
    .all(args) as SaleRow[];
  const appointments = db
    .prepare(
      `SELECT ${columnsOf(appointmentsFile)} FROM appointments WHERE ${current} AND location_id = @location`,
    )
    .all(args) as AppointmentRow[];
  const shifts = db
    .prepare(`SELECT ${columnsOf(shiftsFile)} FROM shifts WHERE ${current} AND location_id = @location`)
    .all(args) as ShiftRow[];
  const payroll = db
    .prepare(
      `SELECT ${columnsOf(payrollFile)} FROM payroll WHERE ${current}
         AND (location_id = @location OR (location_id IS NULL AND payroll_employee_id IN (
           SELECT payroll_employee_id FROM providers WHERE ${current} AND location_id = @location)))`,
    )
    .all(args) as PayrollRow[];
  // Ordered: read as of an ingest (a table scan) they come in the same order as the current ones.
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
         AND provider_id IN (SELECT provider_id FROM providers WHERE ${current} AND location_id = @location)
       GROUP BY provider_id, location_id, sold_on`,
    )
    .all(args);
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

export function replaceLocationAggregates(
  db: Database.Database,
  tenant: string,
  locationId: string,
  aggregates: LocationAggregates,
): void {
  const args = { tenant, location: locationId };
  const insertDaily = db.prepare(
    'INSERT INTO agg_daily (tenant_id, location_id, provider_id, measure, day, value) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const insertEvent = db.prepare(
    `INSERT INTO patient_events (tenant_id, location_id, appointment_id, person_key, patient_id, provider_id,
       category, status, start_at, booked_on, duration_min) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertRevenue = db.prepare(
    'INSERT INTO patient_revenue (tenant_id, location_id, person_key, day, net_cents) VALUES (?, ?, ?, ?, ?)',
  );
  db.transaction(() => {
    for (const table of ['agg_daily', 'patient_events', 'patient_revenue', 'agg_dirty']) {
      db.prepare(`DELETE FROM ${table} WHERE tenant_id = @tenant AND location_id = @location`).run(args);
    }
    for (const d of aggregates.daily)
      insertDaily.run(tenant, locationId, d.providerId, d.measure, d.day, d.value);
    for (const e of aggregates.events) {
      insertEvent.run(
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
      );
    }
    for (const r of aggregates.revenue) insertRevenue.run(tenant, locationId, r.personKey, r.day, r.netCents);
  })();
}
