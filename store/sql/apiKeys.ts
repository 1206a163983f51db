import type { ApiKeyRecord, NewApiKey } from '../../shared/store/store.port';
import type { SqlDriver } from './sqlDriver';

export async function addApiKey(sql: SqlDriver, key: NewApiKey): Promise<void> {
  await sql.run(
    `INSERT INTO api_keys (tenant_id, prefix, key_hash, label, created_at)
     VALUES (@tenant, @prefix, @hash, @label, @createdAt)`,
    {
      tenant: key.tenant,
      prefix: key.prefix,
      hash: key.hash,
      label: key.label,
      createdAt: new Date().toISOString(),
    },
  );
}

export async function apiKeyTenant(sql: SqlDriver, hash: string): Promise<string | null> {
  const row = await sql.get<{ tenant_id: string }>(
    'SELECT tenant_id FROM api_keys WHERE key_hash = @hash AND revoked_at IS NULL',
    { hash },
  );
  return row?.tenant_id ?? null;
}

export function listApiKeys(sql: SqlDriver, tenant: string | undefined): Promise<ApiKeyRecord[]> {
  const select = 'SELECT tenant_id AS tenant, prefix, label, created_at, revoked_at FROM api_keys';
  return tenant === undefined
    ? sql.all<ApiKeyRecord>(`${select} ORDER BY key_id`)
    : sql.all<ApiKeyRecord>(`${select} WHERE tenant_id = @tenant ORDER BY key_id`, { tenant });
}

export async function revokeApiKey(sql: SqlDriver, prefix: string): Promise<boolean> {
  const changed = await sql.run(
    'UPDATE api_keys SET revoked_at = @revokedAt WHERE prefix = @prefix AND revoked_at IS NULL',
    { revokedAt: new Date().toISOString(), prefix },
  );
  return changed > 0;
}
