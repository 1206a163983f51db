import type { StoredBriefing } from '../../shared/store/store.port';
import type { SqlDriver, Upsert } from './sqlDriver';

/** A briefing saved again for the same day replaces the earlier one. */
export const SAVE_BRIEFING: Upsert = {
  table: 'briefings',
  values: { tenant_id: 'tenant', briefing_date: 'date', body_json: 'body', created_at: 'createdAt' },
  key: ['tenant_id', 'briefing_date'],
  replace: ['body_json', 'created_at'],
};

/** One statement, so two timers writing the same day cannot both insert it (the key is the PK). */
export async function saveBriefing(sql: SqlDriver, tenant: string, b: StoredBriefing): Promise<void> {
  await sql.run(sql.dialect.upsert(SAVE_BRIEFING), {
    tenant,
    date: b.date,
    body: b.body_json,
    createdAt: b.created_at,
  });
}

export async function briefingOn(
  sql: SqlDriver,
  tenant: string,
  date: string,
): Promise<StoredBriefing | null> {
  const row = await sql.get<StoredBriefing>(
    'SELECT briefing_date AS date, body_json, created_at FROM briefings WHERE tenant_id = @tenant AND briefing_date = @date',
    { tenant, date },
  );
  return row ?? null;
}

/**
 * Tenants with an ingest (a tenant with only an API key has nothing to brief on), sorted here
 * so both databases order them the same way whatever their collation.
 */
export async function tenants(sql: SqlDriver): Promise<string[]> {
  const rows = await sql.all<{ tenant_id: string }>('SELECT DISTINCT tenant_id FROM ingests');
  return rows.map((r) => r.tenant_id).sort();
}
