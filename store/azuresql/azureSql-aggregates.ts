import { type ConnectionPool, ISOLATION_LEVEL, Transaction } from 'mssql';

import type { LocationAggregates, LocationFactsData } from '../../shared/engine/refresh';
import {
  type AnyFileSpec,
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
import { standingAt } from '../sql/history';
import {
  BIN2,
  col,
  execute,
  JsonParam,
  queryRows,
  rollbackQuietly,
  type SqlParams,
  type SqlRunner,
  toNumber,
  withNumbers,
} from './azureSqlQuery';
import { bigintColumnsOf } from './migrations';

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
 * Rows per INSERT … SELECT FROM OPENJSON: bounds the size of one JSON document. OPENJSON reads
 * text as NVARCHAR(MAX) so an over-long value fails the insert instead of being truncated.
 */
const INSERT_CHUNK = 5000;

/**
 * Marks the locations whose aggregates an ingest made stale, inside that ingest's transaction
 * (so facts and dirty marks commit together). The same rules as the SQLite adapter: rows naming
 * a location; every location on a changed service; the locations of a changed patient's visits
 * and sales; the provider's locations for location-less payroll; and every location sharing a
 * provider with a dirty location.
 */
export async function markDirtyLocations(tx: Transaction, tenant: string, ingestId: number): Promise<void> {
  const args = { tenant, ingest: ingestId };
  const changed = 'tenant_id = @tenant AND (valid_from_ingest = @ingest OR valid_to_ingest = @ingest)';
  const dirty = new Set<string>();
  const collect = async (sql: string) => {
    for (const row of await queryRows<{ location_id: string | null }>(tx, sql, args)) {
      if (row.location_id !== null) dirty.add(row.location_id);
    }
  };
  for (const table of TABLES_WITH_LOCATION) {
    await collect(`SELECT DISTINCT location_id FROM ${table} WHERE ${changed}`);
  }
  const serviceChanged = await queryRows(tx, `SELECT TOP (1) 1 AS hit FROM services WHERE ${changed}`, args);
  if (serviceChanged.length > 0) {
    await collect('SELECT location_id FROM locations WHERE tenant_id = @tenant AND valid_to_ingest IS NULL');
  }
  for (const facts of ['appointments', 'sales']) {
    await collect(
      `SELECT DISTINCT location_id FROM ${facts}
       WHERE tenant_id = @tenant AND valid_to_ingest IS NULL
         AND patient_id IN (SELECT patient_id FROM patients WHERE ${changed})`,
    );
  }
  await collect(
    `SELECT DISTINCT pr.location_id FROM payroll py JOIN providers pr
       ON pr.tenant_id = py.tenant_id AND pr.payroll_employee_id = py.payroll_employee_id AND pr.valid_to_ingest IS NULL
     WHERE py.tenant_id = @tenant AND py.location_id IS NULL
       AND (py.valid_from_ingest = @ingest OR py.valid_to_ingest = @ingest)`,
  );
  if (dirty.size === 0) return;
  const locations = new JsonParam([...dirty]);
  const sharing = await queryRows<{ location_id: string }>(
    tx,
    `SELECT DISTINCT other.location_id FROM providers mine JOIN providers other
       ON other.tenant_id = mine.tenant_id AND other.provider_id = mine.provider_id AND other.valid_to_ingest IS NULL
     WHERE mine.tenant_id = @tenant AND mine.valid_to_ingest IS NULL
       AND mine.location_id IN (SELECT value ${BIN2} FROM OPENJSON(@locations))`,
    { tenant, locations },
  );
  for (const row of sharing) dirty.add(row.location_id);
  // INSERT OR IGNORE: only the marks not already there (a Set has no duplicates to insert twice).
  await execute(
    tx,
    `INSERT INTO agg_dirty (tenant_id, location_id)
     SELECT @tenant, j.location_id FROM (SELECT value ${BIN2} AS location_id FROM OPENJSON(@locations)) j
     WHERE NOT EXISTS (SELECT 1 FROM agg_dirty d WHERE d.tenant_id = @tenant AND d.location_id = j.location_id)`,
    { tenant, locations: new JsonParam([...dirty]) },
  );
}

export async function dirtyLocations(pool: ConnectionPool, tenant: string): Promise<string[]> {
  const rows = await queryRows<{ location_id: string }>(
    pool,
    'SELECT location_id FROM agg_dirty WHERE tenant_id = @tenant ORDER BY location_id',
    { tenant },
  );
  return rows.map((r) => r.location_id);
}

function columnsOf(spec: { columns: Record<string, unknown> }): string {
  return Object.keys(spec.columns).map(col).join(', ');
}

async function factRows<T>(on: SqlRunner, spec: AnyFileSpec, sql: string, args: SqlParams) {
  const rows = await queryRows<Record<string, unknown>>(on, sql, args);
  const numeric = bigintColumnsOf(spec);
  return rows.map((r) => withNumbers<T>(r, numeric));
}

/** A location's facts now, or as they stood after ingest `asOfIngest` (the as-reported figures). */
export async function loadLocationFacts(
  pool: ConnectionPool,
  tenant: string,
  locationId: string,
  asOfIngest?: number,
): Promise<LocationFactsData> {
  const current = `tenant_id = @tenant AND ${standingAt(asOfIngest)}`;
  const args = { tenant, location: locationId, asOf: asOfIngest ?? null };
  const sales = await factRows<SaleRow>(
    pool,
    salesFile as unknown as AnyFileSpec,
    `SELECT ${columnsOf(salesFile)} FROM sales WHERE ${current} AND location_id = @location`,
    args,
  );
  const appointments = await factRows<AppointmentRow>(
    pool,
    appointmentsFile as unknown as AnyFileSpec,
    `SELECT ${columnsOf(appointmentsFile)} FROM appointments WHERE ${current} AND location_id = @location`,
    args,
  );
  const shifts = await factRows<ShiftRow>(
    pool,
    shiftsFile as unknown as AnyFileSpec,
    `SELECT ${columnsOf(shiftsFile)} FROM shifts WHERE ${current} AND location_id = @location`,
    args,
  );
  const payroll = await factRows<PayrollRow>(
    pool,
    payrollFile as unknown as AnyFileSpec,
    `SELECT ${columnsOf(payrollFile)} FROM payroll WHERE ${current}
       AND (location_id = @location OR (location_id IS NULL AND payroll_employee_id IN (
         SELECT payroll_employee_id FROM providers WHERE ${current} AND location_id = @location)))`,
    args,
  );
  // Ordered: read as of an ingest (a table scan) they come in the same order as the current ones.
  const providers = await queryRows<LocationFactsData['providers'][number]>(
    pool,
    `SELECT provider_id, location_id, payroll_employee_id FROM providers WHERE ${current}
       ORDER BY provider_id, location_id`,
    args,
  );
  const categories = (
    await queryRows<{ service_code: string; category: ServiceCategory }>(
      pool,
      `SELECT service_code, category FROM services WHERE ${current} ORDER BY service_code`,
      args,
    )
  ).map((r) => [r.service_code, r.category] as const);
  const productionRows = (
    await queryRows<{ providerId: string; locationId: string; day: string; cents: unknown }>(
      pool,
      `SELECT provider_id AS providerId, location_id AS locationId, sold_on AS day,
              SUM(gross - COALESCE(discount, 0)) AS cents
       FROM sales WHERE ${current} AND kind IN ('service', 'package')
         AND provider_id IN (SELECT provider_id FROM providers WHERE ${current} AND location_id = @location)
       GROUP BY provider_id, location_id, sold_on`,
      args,
    )
  ).map((r) => ({
    providerId: r.providerId,
    locationId: r.locationId,
    day: r.day,
    cents: toNumber(r.cents),
  }));
  const personKeys = (
    await queryRows<{ patient_id: string; person_key: string }>(
      pool,
      `SELECT patient_id, person_key FROM patients WHERE ${current} AND patient_id IN (
         SELECT patient_id FROM appointments WHERE ${current} AND location_id = @location
         UNION SELECT patient_id FROM sales WHERE ${current} AND location_id = @location)`,
      args,
    )
  ).map((r) => [r.patient_id, r.person_key] as const);
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

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += INSERT_CHUNK) out.push(items.slice(i, i + INSERT_CHUNK));
  return out;
}

/** Replaces the location's aggregates and clears its dirty mark in one transaction. */
export async function replaceLocationAggregates(
  pool: ConnectionPool,
  tenant: string,
  locationId: string,
  aggregates: LocationAggregates,
): Promise<void> {
  const args = { tenant, location: locationId };
  const tx = new Transaction(pool);
  await tx.begin(ISOLATION_LEVEL.READ_COMMITTED);
  try {
    for (const table of ['agg_daily', 'patient_events', 'patient_revenue', 'agg_dirty']) {
      await execute(tx, `DELETE FROM ${table} WHERE tenant_id = @tenant AND location_id = @location`, args);
    }
    for (const batch of chunks(aggregates.daily)) {
      await execute(
        tx,
        `INSERT INTO agg_daily (tenant_id, location_id, provider_id, measure, day, [value])
         SELECT @tenant, @location, j.provider_id, j.measure, j.day, j.[value] FROM OPENJSON(@rows)
         WITH (provider_id NVARCHAR(MAX) '$.providerId', measure NVARCHAR(MAX) '$.measure',
               day NVARCHAR(MAX) '$.day', [value] FLOAT '$.value') AS j`,
        { ...args, rows: new JsonParam(batch) },
      );
    }
    for (const batch of chunks(aggregates.events)) {
      await execute(
        tx,
        `INSERT INTO patient_events (tenant_id, location_id, appointment_id, person_key, patient_id, provider_id,
           category, status, start_at, booked_on, duration_min)
         SELECT @tenant, @location, j.appointment_id, j.person_key, j.patient_id, j.provider_id,
           j.category, j.status, j.start_at, j.booked_on, j.duration_min FROM OPENJSON(@rows)
         WITH (appointment_id NVARCHAR(MAX) '$.appointmentId', person_key NVARCHAR(MAX) '$.personKey',
               patient_id NVARCHAR(MAX) '$.patientId', provider_id NVARCHAR(MAX) '$.providerId',
               category NVARCHAR(MAX) '$.category', status NVARCHAR(MAX) '$.status',
               start_at NVARCHAR(MAX) '$.startAt', booked_on NVARCHAR(MAX) '$.bookedOn',
               duration_min BIGINT '$.durationMin') AS j`,
        { ...args, rows: new JsonParam(batch) },
      );
    }
    for (const batch of chunks(aggregates.revenue)) {
      await execute(
        tx,
        `INSERT INTO patient_revenue (tenant_id, location_id, person_key, day, net_cents)
         SELECT @tenant, @location, j.person_key, j.day, j.net_cents FROM OPENJSON(@rows)
         WITH (person_key NVARCHAR(MAX) '$.personKey', day NVARCHAR(MAX) '$.day',
               net_cents BIGINT '$.netCents') AS j`,
        { ...args, rows: new JsonParam(batch) },
      );
    }
    await tx.commit();
  } catch (error) {
    await rollbackQuietly(tx);
    throw error;
  }
}
