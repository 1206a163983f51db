import type { SqlDriver } from './sqlDriver';

/**
 * The tenant's latest ingest id, or 0 before the first ingest. Every change to a tenant's facts
 * goes through an ingest, so this is enough to know when cached metrics are stale; it runs on
 * every metrics request, so it is one indexed query rather than the listing of `ingests`.
 */
export async function dataVersion(sql: SqlDriver, tenant: string): Promise<number> {
  const row = await sql.get<{ version: unknown }>(
    'SELECT MAX(ingest_id) AS version FROM ingests WHERE tenant_id = @tenant',
    { tenant },
  );
  return sql.dialect.toNumberOrNull(row?.version) ?? 0;
}
