import {
  identitiesOf,
  LOCATION_COLUMNS,
  type LocationRecord,
  type LocationRow,
  normalizeLocationName,
} from '../../shared/connectors/locationIdentity';
import { REVENUE_KINDS } from '../../shared/engine/measures';
import type { LocationSummary } from '../../shared/store/store.port';
import type { SqlDriver } from './sqlDriver';

/** The sale kinds that count as revenue (shared/engine/measures.ts), as an SQL list. */
const REVENUE_KINDS_SQL = `(${REVENUE_KINDS.map((kind) => `'${kind}'`).join(',')})`;

/** The tenant's current locations with the aliases (other systems' names) that resolve to them. */
export async function locationIdentities(sql: SqlDriver, tenant: string): Promise<LocationRecord[]> {
  const rows = await sql.all<LocationRow>(
    `SELECT ${LOCATION_COLUMNS.map(sql.dialect.quote).join(', ')} FROM locations WHERE tenant_id = @tenant AND valid_to_ingest IS NULL ORDER BY location_id`,
    { tenant },
  );
  sql.dialect.numbersIn(rows, ['rooms']);
  const aliases = await sql.all<{ location_id: string; alias: string }>(
    'SELECT location_id, alias FROM location_aliases WHERE tenant_id = @tenant ORDER BY alias_key',
    { tenant },
  );
  return identitiesOf(rows, aliases);
}

/** Saves one alias (keyed by its normalized form: an alias that named another location moves). */
export async function saveLocationAlias(
  sql: SqlDriver,
  tenant: string,
  locationId: string,
  alias: string,
): Promise<void> {
  await sql.run(
    sql.dialect.upsert({
      table: 'location_aliases',
      values: {
        tenant_id: 'tenant',
        alias_key: 'aliasKey',
        alias: 'alias',
        location_id: 'locationId',
        created_at: 'createdAt',
      },
      key: ['tenant_id', 'alias_key'],
      replace: ['alias', 'location_id', 'created_at'],
    }),
    {
      tenant,
      aliasKey: normalizeLocationName(alias),
      alias: alias.trim(),
      locationId,
      createdAt: new Date().toISOString(),
    },
  );
}

export async function salesDateRange(
  sql: SqlDriver,
  tenant: string,
): Promise<{ first: string; last: string } | null> {
  const row = await sql.get<{ first: string | null; last: string | null }>(
    'SELECT MIN(sold_on) AS first, MAX(sold_on) AS last FROM sales WHERE tenant_id = @tenant AND valid_to_ingest IS NULL',
    { tenant },
  );
  return row?.first && row.last ? { first: row.first, last: row.last } : null;
}

/** Each current location with its sales range, head counts, and visits and revenue from `from` to `to`. */
export async function locationSummaries(
  sql: SqlDriver,
  tenant: string,
  from: string,
  to: string,
): Promise<LocationSummary[]> {
  const rows = await sql.all<LocationSummary>(
    `SELECT l.location_id, l.name, l.region, l.emr_system, l.opened_on, l.closed_on,
       s.first_sale_on, s.last_sale_on,
       COALESCE(p.providers, 0) AS providers,
       COALESCE(pt.patients, 0) AS patients,
       COALESCE(a.visits, 0) AS visits,
       COALESCE(s.net_revenue_cents, 0) AS net_revenue_cents
     FROM locations l
     LEFT JOIN (
       SELECT location_id, MIN(sold_on) AS first_sale_on, MAX(sold_on) AS last_sale_on,
         SUM(CASE WHEN kind IN ${REVENUE_KINDS_SQL} AND sold_on BETWEEN @from AND @to
             THEN gross - COALESCE(discount, 0) ELSE 0 END) AS net_revenue_cents
       FROM sales WHERE tenant_id = @tenant AND valid_to_ingest IS NULL GROUP BY location_id
     ) s ON s.location_id = l.location_id
     LEFT JOIN (
       SELECT location_id, COUNT(DISTINCT provider_id) AS providers
       FROM providers WHERE tenant_id = @tenant AND valid_to_ingest IS NULL GROUP BY location_id
     ) p ON p.location_id = l.location_id
     LEFT JOIN (
       SELECT home_location_id AS location_id, COUNT(*) AS patients
       FROM patients WHERE tenant_id = @tenant AND valid_to_ingest IS NULL GROUP BY home_location_id
     ) pt ON pt.location_id = l.location_id
     LEFT JOIN (
       SELECT location_id, COUNT(*) AS visits FROM appointments
       WHERE tenant_id = @tenant AND valid_to_ingest IS NULL AND status = 'completed'
         AND ${sql.dialect.left('start_at', 10)} BETWEEN @from AND @to
       GROUP BY location_id
     ) a ON a.location_id = l.location_id
     WHERE l.tenant_id = @tenant AND l.valid_to_ingest IS NULL
     ORDER BY l.location_id`,
    { tenant, from, to },
  );
  sql.dialect.numbersIn(rows, ['net_revenue_cents']);
  return rows;
}
