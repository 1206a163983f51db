import { hkdfSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const TENANT_ID_RE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;

/**
 * The per-tenant pseudonymization secret. It is kept OUT of the store file (beside it, in
 * `secrets/<tenant>.key`, readable by the owner only) so a copied database alone cannot be
 * used to test guesses of patients' emails. `CALIPER_PSEUDONYM_SECRET` (base64, ≥ 32 bytes)
 * replaces the files, which is how production passes a master secret kept in Key Vault: each
 * tenant's secret is derived from it (HKDF-SHA-256 with the tenant id), so one patient has
 * different pseudonyms in two tenants and one tenant's data cannot be joined with another's.
 */
export function loadTenantSecret(storeFile: string, tenant: string, env = process.env): Buffer {
  if (!TENANT_ID_RE.test(tenant)) {
    throw new Error(`Tenant id ${JSON.stringify(tenant)} must be 1–63 letters, digits, - or _`);
  }
  const fromEnv = env.CALIPER_PSEUDONYM_SECRET;
  if (fromEnv) {
    const secret = Buffer.from(fromEnv, 'base64');
    if (secret.length < 32)
      throw new Error('CALIPER_PSEUDONYM_SECRET must be at least 32 bytes, base64-encoded');
    return Buffer.from(hkdfSync('sha256', secret, Buffer.from(tenant, 'utf8'), 'caliper pseudonym v1', 32));
  }
  const dir = path.join(path.dirname(path.resolve(storeFile)), 'secrets');
  const file = path.join(dir, `${tenant}.key`);
  if (fs.existsSync(file)) return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(32);
  // 'wx' fails if another process created it first; then read theirs so both agree.
  try {
    fs.writeFileSync(file, `${secret.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch {
    return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  }
}
