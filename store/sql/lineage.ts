import type { SourceQuery, SourceRecords } from '../../shared/metrics/lineage';
import type { SqlDialect, SqlDriver, SqlValue } from './sqlDriver';
import { JsonParam } from './sqlValues';

interface FactTable {
  table: string;
  /** SQL condition on the period (named parameters @from, @to); null = not dated. */
  dated: ((d: SqlDialect) => string) | null;
  provider: string | null;
}

/** How each canonical file's rows are dated and tied to a provider. */
const FACT_TABLES: Record<string, FactTable> = {
  'sales.csv': { table: 'sales', dated: () => 'f.sold_on BETWEEN @from AND @to', provider: 'provider_id' },
  'appointments.csv': {
    table: 'appointments',
    dated: (d) => `${d.left('f.start_at', 10)} BETWEEN @from AND @to`,
    provider: 'provider_id',
  },
  'shifts.csv': {
    table: 'shifts',
    dated: (d) => `f.${d.quote('date')} BETWEEN @from AND @to`,
    provider: 'provider_id',
  },
  // A pay period counts when it overlaps the period (its cost accrues over its days).
  'payroll.csv': {
    table: 'payroll',
    dated: () => 'f.period_start <= @to AND f.period_end >= @from',
    provider: null,
  },
  'memberships.csv': {
    table: 'memberships',
    dated: () => 'f.started_on <= @to AND (f.cancelled_on IS NULL OR f.cancelled_on > @from)',
    provider: null,
  },
  // A spend row is a month (YYYY-MM) or a day.
  'marketing_spend.csv': {
    table: 'marketing_spend',
    dated: (d) => {
      const date = `f.${d.quote('date')}`;
      return `(${d.length(date)} = 7 AND ${date} BETWEEN ${d.left('@from', 7)} AND ${d.left('@to', 7)}) OR ${date} BETWEEN @from AND @to`;
    },
    provider: null,
  },
  'leads.csv': {
    table: 'leads',
    dated: (d) => `${d.left('f.created_at', 10)} BETWEEN @from AND @to`,
    provider: null,
  },
  'locations.csv': { table: 'locations', dated: null, provider: null },
  'providers.csv': { table: 'providers', dated: null, provider: 'provider_id' },
  'services.csv': { table: 'services', dated: null, provider: null },
  'patients.csv': { table: 'patients', dated: null, provider: null },
};

const SAMPLE_ROWS = 20;

export async function sourceRecords(
  sql: SqlDriver,
  tenant: string,
  query: SourceQuery,
): Promise<SourceRecords[]> {
  const fact = FACT_TABLES[query.fact];
  if (!fact) return [];
  const d = sql.dialect;
  const where = ['f.tenant_id = @tenant', 'f.valid_to_ingest IS NULL'];
  const params: Record<string, SqlValue> = { tenant, from: query.from, to: query.to };
  if (fact.dated) where.push(`(${fact.dated(d)})`);
  const hasLocation = fact.table !== 'services' && fact.table !== 'patients';
  // IN lists travel as one JSON array each: no parameter-count limit, one statement per shape.
  const inList = (expression: string, values: readonly string[], param: string) => {
    params[param] = new JsonParam(values);
    return d.inJsonList(expression, param);
  };
  if (query.locationIds !== null && hasLocation) {
    const column = fact.table === 'payroll' ? "COALESCE(f.location_id, '')" : 'f.location_id';
    // Location-less payroll lines are split across the provider's locations: keep them.
    const extra = fact.table === 'payroll' ? ' OR f.location_id IS NULL' : '';
    where.push(`(${inList(column, query.locationIds, 'locations')}${extra})`);
  }
  if (fact.table === 'sales' && query.saleKinds) where.push(inList('f.kind', query.saleKinds, 'kinds'));
  if (fact.table === 'appointments' && query.appointmentStatuses) {
    where.push(inList('f.status', query.appointmentStatuses, 'statuses'));
  }
  if (query.providerId !== null && fact.provider !== null) {
    params.provider = query.providerId;
    where.push(`f.${fact.provider} = @provider`);
  }
  const rows = await sql.all<{ file: string; ingest_id: unknown; rows: unknown; sample: string | null }>(
    `WITH hits AS (
       SELECT f.source_file_id, f.source_row FROM ${fact.table} f WHERE ${where.join(' AND ')}
     ),
     per_file AS (
       SELECT source_file_id, COUNT(*) AS n FROM hits GROUP BY source_file_id
     )
     SELECT sf.path AS ${d.quote('file')}, sf.ingest_id AS ingest_id, pf.n AS ${d.quote('rows')},
            (SELECT ${d.joinedIntegers('s.source_row')}
             FROM (SELECT h2.source_row FROM hits h2
                   WHERE h2.source_file_id = sf.source_file_id
                   ORDER BY h2.source_row ${d.limit(SAMPLE_ROWS)}) s) AS sample
     FROM per_file pf JOIN source_files sf ON sf.source_file_id = pf.source_file_id
     WHERE sf.tenant_id = @tenant
     ORDER BY sf.source_file_id`,
    params,
  );
  return rows.map((r) => ({
    fact: query.fact,
    file: r.file,
    ingest_id: d.toNumber(r.ingest_id),
    rows: d.toNumber(r.rows),
    sample_rows: r.sample ? r.sample.split(',').map(Number) : [],
  }));
}
