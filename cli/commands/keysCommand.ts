import { newApiKey } from '../../io/apiKeys';
import type { ApiKeyRecord, ApiKeyStore } from '../../shared/store/store.port';

/** Creates a key for `tenant`; the returned key is the only copy there will ever be. */
export async function createKey(
  store: ApiKeyStore,
  tenant: string,
  label: string | null,
): Promise<{ key: string; prefix: string; tenant: string; label: string | null }> {
  const { key, prefix, hash } = newApiKey(tenant);
  await store.addApiKey({ tenant, prefix, hash, label });
  return { key, prefix, tenant, label };
}

export function formatCreatedKey(created: { key: string; prefix: string; tenant: string }): string {
  return [
    created.key,
    '',
    `API key ${created.prefix}… for tenant "${created.tenant}". It is shown only this once: store it now.`,
    'Send it as "Authorization: Bearer <key>" or "x-api-key: <key>".',
  ].join('\n');
}

export function formatKeyList(keys: readonly ApiKeyRecord[]): string {
  if (keys.length === 0) return 'No API keys. Create one with: caliper keys create --tenant <id>';
  const prefixWidth = Math.max(6, ...keys.map((k) => k.prefix.length));
  const tenantWidth = Math.max(6, ...keys.map((k) => k.tenant.length));
  const lines = [
    `${'prefix'.padEnd(prefixWidth)}  ${'tenant'.padEnd(tenantWidth)}  ${'created'.padEnd(24)}  ${'status'.padEnd(7)}  label`,
  ];
  for (const k of keys) {
    lines.push(
      `${k.prefix.padEnd(prefixWidth)}  ${k.tenant.padEnd(tenantWidth)}  ${k.created_at.padEnd(24)}  ${(k.revoked_at === null ? 'active' : 'revoked').padEnd(7)}  ${k.label ?? ''}`,
    );
  }
  return lines.join('\n');
}
