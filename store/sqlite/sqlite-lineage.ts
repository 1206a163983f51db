import type Database from 'better-sqlite3';

import type { SourceQuery, SourceRecords } from '../../shared/metrics/lineage';

interface FactTable {
  table: string;
  /** SQL condition on the period (named parameters @from, @to); null = not dated. */
  dated: string | null;
  provider: string | null;
}

/** How each canonical file's rows are dated and tied to a provider. */
const FACT_TABLES: Record<string, FactTable> = {
  'sales.csv': { table: 'sales', dated: 'sold_on BETWEEN @from AND @to', provider: 'provider_id' },
  'appointments.csv': {
    table: 'appointments',
    dated: 'substr(start_at, 1, 10) BETWEEN @from AND @to',
    provider: 'provider_id',
  },
  'shifts.csv': { table: 'shifts', dated: 'date BETWEEN @from AND @to', provider: 'provider_id' },
  // A pay period counts when it overlaps the period (its cost accrues over its days).
  'payroll.csv': {
    table: 'payroll',
    dated: 'period_start <= @to AND period_end >= @from',
    provider: null,
  },
  'memberships.csv': {
    table: 'memberships',
    dated: 'started_on <= @to AND (cancelled_on IS NULL OR cancelled_on > @from)',
    provider: null,
  },
  'marketing_spend.csv': {
    table: 'marketing_spend',
    dated:
      '(length(date) = 7 AND date BETWEEN substr(@from, 1, 7) AND substr(@to, 1, 7)) OR date BETWEEN @from AND @to',
    provider: null,
  },
  'leads.csv': { table: 'leads', dated: 'substr(created_at, 1, 10) BETWEEN @from AND @to', provider: null },
  'locations.csv': { table: 'locations', dated: null, provider: null },
  'providers.csv': { table: 'providers', dated: null, provider: 'provider_id' },
  'services.csv': { table: 'services', dated: null, provider: null },
  'patients.csv': { table: 'patients', dated: null, provider: null },
};

const SAMPLE_ROWS = 20;

export function sourceRecords(db: Database.Database, tenant: string, query: SourceQuery): SourceRecords[] {
  const fact = FACT_TABLES[query.fact];
  if (!fact) return [];
  const where = [`f.tenant_id = @tenant`, 'f.valid_to_ingest IS NULL'];
  const params: Record<string, string> = { tenant, from: query.from, to: query.to };
  if (fact.dated) where.push(`(${fact.dated})`);
  const hasLocation = fact.table !== 'services' && fact.table !== 'patients';
  if (query.locationIds !== null && hasLocation) {
    const names = query.locationIds.map((id, i) => {
      params[`loc${i}`] = id;
      return `@loc${i}`;
    });
    const column = fact.table === 'payroll' ? "COALESCE(f.location_id, '')" : 'f.location_id';
    // Location-less payroll lines are split across the provider's locations: keep them.
    const extra = fact.table === 'payroll' ? ` OR f.location_id IS NULL` : '';
    where.push(`(${column} IN (${names.join(', ') || "''"})${extra})`);
  }
  const inList = (column: string, values: readonly string[], prefix: string) => {
    const names = values.map((v, i) => {
      params[`${prefix}${i}`] = v;
      return `@${prefix}${i}`;
    });
    where.push(`f.${column} IN (${names.join(', ')})`);
  };
  if (fact.table === 'sales' && query.saleKinds) inList('kind', query.saleKinds, 'kind');
  if (fact.table === 'appointments' && query.appointmentStatuses) {
    inList('status', query.appointmentStatuses, 'status');
  }
  if (query.providerId !== null && fact.provider !== null) {
    params.provider = query.providerId;
    where.push(`f.${fact.provider} = @provider`);
  }
  const rows = db
    .prepare<
      Record<string, string>,
      { file: string; ingest_id: number; rows: number; sample: string | null }
    >(
      `WITH hits AS (
         SELECT f.source_file_id, f.source_row FROM ${fact.table} f WHERE ${where.join(' AND ')}
       )
       SELECT sf.path AS file, sf.ingest_id AS ingest_id, COUNT(*) AS rows,
              (SELECT group_concat(source_row) FROM (
                 SELECT h2.source_row FROM hits h2 WHERE h2.source_file_id = sf.source_file_id
                 ORDER BY h2.source_row LIMIT ${SAMPLE_ROWS})) AS sample
       FROM hits h JOIN source_files sf ON sf.source_file_id = h.source_file_id
       GROUP BY sf.source_file_id ORDER BY sf.source_file_id`,
    )
    .all(params);
  return rows.map((r) => ({
    fact: query.fact,
    file: r.file,
    ingest_id: r.ingest_id,
    rows: r.rows,
    sample_rows: r.sample ? r.sample.split(',').map(Number) : [],
  }));
}
