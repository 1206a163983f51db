import type { ConnectionPool } from 'mssql';

import type { StoredBriefing } from '../../shared/store/store.port';
import { execute, queryRows } from './azureSqlQuery';

/** One statement, so two timers writing the same day cannot both insert it (the key is the PK). */
export async function saveBriefing(pool: ConnectionPool, tenant: string, b: StoredBriefing): Promise<void> {
  await execute(
    pool,
    `MERGE briefings WITH (HOLDLOCK) AS target
     USING (SELECT @tenant AS tenant_id, @date AS briefing_date) AS source
     ON target.tenant_id = source.tenant_id AND target.briefing_date = source.briefing_date
     WHEN MATCHED THEN UPDATE SET body_json = @body, created_at = @createdAt
     WHEN NOT MATCHED THEN INSERT (tenant_id, briefing_date, body_json, created_at)
       VALUES (@tenant, @date, @body, @createdAt);`,
    { tenant, date: b.date, body: b.body_json, createdAt: b.created_at },
  );
}

export async function briefingOn(
  pool: ConnectionPool,
  tenant: string,
  date: string,
): Promise<StoredBriefing | null> {
  const rows = await queryRows<StoredBriefing>(
    pool,
    'SELECT briefing_date AS date, body_json, created_at FROM briefings WHERE tenant_id = @tenant AND briefing_date = @date',
    { tenant, date },
  );
  return rows[0] ?? null;
}

/** Tenants with an ingest, sorted here so both stores order them the same way. */
export async function tenants(pool: ConnectionPool): Promise<string[]> {
  const rows = await queryRows<{ tenant_id: string }>(pool, 'SELECT DISTINCT tenant_id FROM ingests');
  return rows.map((r) => r.tenant_id).sort();
}
