import type Database from 'better-sqlite3';

import type { ApiKeyRecord, NewApiKey } from '../../shared/store/store.port';

export function addApiKey(db: Database.Database, key: NewApiKey): void {
  db.prepare(
    'INSERT INTO api_keys (tenant_id, prefix, key_hash, label, created_at) VALUES (?, ?, ?, ?, ?)',
  ).run(key.tenant, key.prefix, key.hash, key.label, new Date().toISOString());
}

export function apiKeyTenant(db: Database.Database, hash: string): string | null {
  const row = db
    .prepare<[string], { tenant_id: string }>(
      'SELECT tenant_id FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL',
    )
    .get(hash);
  return row?.tenant_id ?? null;
}

export function listApiKeys(db: Database.Database, tenant: string | undefined): ApiKeyRecord[] {
  const select = `SELECT tenant_id AS tenant, prefix, label, created_at, revoked_at FROM api_keys`;
  return tenant === undefined
    ? db.prepare<[], ApiKeyRecord>(`${select} ORDER BY key_id`).all()
    : db.prepare<[string], ApiKeyRecord>(`${select} WHERE tenant_id = ? ORDER BY key_id`).all(tenant);
}

export function revokeApiKey(db: Database.Database, prefix: string): boolean {
  const result = db
    .prepare('UPDATE api_keys SET revoked_at = ? WHERE prefix = ? AND revoked_at IS NULL')
    .run(new Date().toISOString(), prefix);
  return result.changes > 0;
}
