import type { ConnectionPool } from 'mssql';

import type { ApiKeyRecord, NewApiKey } from '../../shared/store/store.port';
import { execute, queryRows } from './azureSqlQuery';

export async function addApiKey(pool: ConnectionPool, key: NewApiKey): Promise<void> {
  await execute(
    pool,
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

export async function apiKeyTenant(pool: ConnectionPool, hash: string): Promise<string | null> {
  const [row] = await queryRows<{ tenant_id: string }>(
    pool,
    'SELECT tenant_id FROM api_keys WHERE key_hash = @hash AND revoked_at IS NULL',
    { hash },
  );
  return row?.tenant_id ?? null;
}

export async function listApiKeys(pool: ConnectionPool, tenant: string | undefined): Promise<ApiKeyRecord[]> {
  const select = 'SELECT tenant_id AS tenant, prefix, label, created_at, revoked_at FROM api_keys';
  return tenant === undefined
    ? queryRows<ApiKeyRecord>(pool, `${select} ORDER BY key_id`)
    : queryRows<ApiKeyRecord>(pool, `${select} WHERE tenant_id = @tenant ORDER BY key_id`, { tenant });
}

export async function revokeApiKey(pool: ConnectionPool, prefix: string): Promise<boolean> {
  const changed = await execute(
    pool,
    'UPDATE api_keys SET revoked_at = @revokedAt WHERE prefix = @prefix AND revoked_at IS NULL',
    { revokedAt: new Date().toISOString(), prefix },
  );
  return changed > 0;
}
