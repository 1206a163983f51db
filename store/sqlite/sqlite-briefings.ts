import type Database from 'better-sqlite3';

import type { StoredBriefing } from '../../shared/store/store.port';

export function saveBriefing(db: Database.Database, tenant: string, b: StoredBriefing): void {
  db.prepare(
    `INSERT INTO briefings (tenant_id, briefing_date, body_json, created_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (tenant_id, briefing_date) DO UPDATE SET
       body_json = excluded.body_json, created_at = excluded.created_at`,
  ).run(tenant, b.date, b.body_json, b.created_at);
}

export function briefingOn(db: Database.Database, tenant: string, date: string): StoredBriefing | null {
  return (
    db
      .prepare<[string, string], StoredBriefing>(
        'SELECT briefing_date AS date, body_json, created_at FROM briefings WHERE tenant_id = ? AND briefing_date = ?',
      )
      .get(tenant, date) ?? null
  );
}

/** Tenants with an ingest: a tenant with only an API key has nothing to brief on. */
export function tenants(db: Database.Database): string[] {
  return db
    .prepare<[], { tenant_id: string }>('SELECT DISTINCT tenant_id FROM ingests')
    .all()
    .map((r) => r.tenant_id)
    .sort();
}
