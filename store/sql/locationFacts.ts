import { earliestPayPeriodStart, type LocationFactsData } from '../../shared/engine/refresh';
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
import { storedColumnsOf } from '../../shared/store/storedColumns';
import { standingAt } from './history';
import type { SqlDriver, SqlParams } from './sqlDriver';
import { JsonParam } from './sqlValues';

/** A location's facts now, or as they stood after ingest `asOfIngest` (the as-reported figures). */
export function loadLocationFacts(
  sql: SqlDriver,
  tenant: string,
  locationId: string,
  asOfIngest?: number,
): Promise<LocationFactsData> {
  return readLocationFacts(sql, tenant, locationId, { asOfIngest });
}

/**
 * The location's current facts that the days a change from `day` on reaches depend on, from the
 * earliest start of the pay periods reaching `day` (AggregateStore): the payroll lines tell
 * that day, so they are read first, and again from it when it is earlier.
 */
export async function loadLocationFactsFrom(
  sql: SqlDriver,
  tenant: string,
  locationId: string,
  day: string,
): Promise<LocationFactsData & { from: string }> {
  const reaching = await payrollLines(sql, tenant, locationId, { from: day });
  const from = earliestPayPeriodStart(reaching, day);
  const payroll = from < day ? await payrollLines(sql, tenant, locationId, { from }) : reaching;
  return { ...(await readLocationFacts(sql, tenant, locationId, { from }, payroll)), from };
}

/** The rows of a fact table, its INTEGER columns as numbers (tedious delivers BIGINT as text). */
async function factRows<T>(sql: SqlDriver, spec: AnyFileSpec, where: string, args: SqlParams): Promise<T[]> {
  const columns = Object.keys(spec.columns).map(sql.dialect.quote).join(', ');
  const rows = await sql.all<Record<string, unknown>>(
    `SELECT ${columns} FROM ${spec.entity} WHERE ${where}`,
    args,
  );
  const numeric = storedColumnsOf(spec)
    .filter((c) => c.type === 'INTEGER' && c.name in spec.columns)
    .map((c) => c.name);
  sql.dialect.numbersIn(rows, numeric);
  return rows as T[];
}

interface FactsWindow {
  asOfIngest?: number;
  from?: string;
}

/**
 * The location's payroll lines standing in the window (from a day: those whose pay period ends
 * on or after it): its own, and the location-less lines of its providers. Two statements, not
 * one with an OR: with the OR, SQLite read every payroll line of the tenant through the
 * employee index (73 k at 200 locations) for each location's few hundred.
 */
async function payrollLines(
  sql: SqlDriver,
  tenant: string,
  locationId: string,
  window: FactsWindow,
): Promise<PayrollRow[]> {
  const { asOfIngest, from } = window;
  const current = `tenant_id = @tenant AND ${standingAt(asOfIngest)}`;
  const args = { tenant, location: locationId, asOf: asOfIngest ?? null, from: from ?? null };
  const onOrAfter = from === undefined ? '' : 'AND period_end >= @from';
  const spec = payrollFile as unknown as AnyFileSpec;
  const own = await factRows<PayrollRow>(
    sql,
    spec,
    `${current} AND location_id = @location ${onOrAfter}`,
    args,
  );
  const ofProviders = await factRows<PayrollRow>(
    sql,
    spec,
    `${current} ${onOrAfter} AND location_id IS NULL AND payroll_employee_id IN (
       SELECT payroll_employee_id FROM providers WHERE ${current} AND location_id = @location)`,
    args,
  );
  return [...own, ...ofProviders];
}

async function readLocationFacts(
  sql: SqlDriver,
  tenant: string,
  locationId: string,
  window: FactsWindow,
  payrollRead?: PayrollRow[],
): Promise<LocationFactsData> {
  const d = sql.dialect;
  const { asOfIngest, from } = window;
  const current = `tenant_id = @tenant AND ${standingAt(asOfIngest)}`;
  const args = { tenant, location: locationId, asOf: asOfIngest ?? null, from: from ?? null };
  const onOrAfter = (column: string) => (from === undefined ? '' : `AND ${column} >= @from`);
  const sales = await factRows<SaleRow>(
    sql,
    salesFile as unknown as AnyFileSpec,
    `${current} AND location_id = @location ${onOrAfter('sold_on')}`,
    args,
  );
  // From a day on: also the earlier appointments those sales paid for (their category).
  const paidFor = sales.flatMap((s) => (s.appointment_id === null ? [] : [s.appointment_id]));
  const appointments = await factRows<AppointmentRow>(
    sql,
    appointmentsFile as unknown as AnyFileSpec,
    `${current} AND location_id = @location
     ${from === undefined ? '' : `AND (start_at >= @from OR ${d.inJsonList('appointment_id', 'paidFor')})`}`,
    { ...args, ...(from === undefined ? {} : { paidFor: new JsonParam(paidFor) }) },
  );
  const shifts = await factRows<ShiftRow>(
    sql,
    shiftsFile as unknown as AnyFileSpec,
    `${current} AND location_id = @location ${onOrAfter(d.quote('date'))}`,
    args,
  );
  const payroll = payrollRead ?? (await payrollLines(sql, tenant, locationId, window));
  // Production splits location-less pay over each pay period: from the earliest one read.
  const productionFrom =
    from === undefined
      ? null
      : payroll.reduce(
          (earliest, line) => (line.period_start < earliest ? line.period_start : earliest),
          from,
        );
  // Ordered: read as of an ingest (a table scan) they come in the same order as the current ones.
  const providers = await sql.all<LocationFactsData['providers'][number]>(
    `SELECT provider_id, location_id, payroll_employee_id FROM providers WHERE ${current}
     ORDER BY provider_id, location_id`,
    args,
  );
  const categories = (
    await sql.all<{ service_code: string; category: ServiceCategory }>(
      `SELECT service_code, category FROM services WHERE ${current} ORDER BY service_code`,
      args,
    )
  ).map((r) => [r.service_code, r.category] as const);
  const productionRows = await sql.all<{
    providerId: string;
    locationId: string;
    day: string;
    cents: number;
  }>(
    `SELECT provider_id AS providerId, location_id AS locationId, sold_on AS day,
            SUM(gross - COALESCE(discount, 0)) AS cents
     FROM sales WHERE ${current} AND kind IN ('service', 'package')
       ${productionFrom === null ? '' : 'AND sold_on >= @productionFrom'}
       AND provider_id IN (SELECT provider_id FROM providers WHERE ${current} AND location_id = @location)
     GROUP BY provider_id, location_id, sold_on`,
    { ...args, ...(productionFrom === null ? {} : { productionFrom }) },
  );
  d.numbersIn(productionRows, ['cents']);
  // The patients of the rows just read, looked up by id: a subquery over appointments and sales
  // let SQLite walk the tenant's whole patient index per location (quadratic in locations).
  const patientIds = new Set<string>();
  for (const row of [...appointments, ...sales]) if (row.patient_id !== null) patientIds.add(row.patient_id);
  const personKeys = (
    await sql.all<{ patient_id: string; person_key: string }>(
      `SELECT patient_id, person_key FROM patients WHERE ${current} AND ${d.inJsonList('patient_id', 'ids')}`,
      { ...args, ids: new JsonParam([...patientIds]) },
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
