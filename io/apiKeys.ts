import { createHash, randomBytes } from 'node:crypto';

import { TENANT_ID_RE } from './tenantSecrets';

export const API_KEY_PREFIX = 'cal_';
/** Random characters shown in the prefix: enough to tell keys apart, far too few to guess one. */
const PREFIX_RANDOM_CHARS = 8;

/**
 * SHA-256 without salt or stretching is enough here: the key is 192 random bits, so there is
 * no dictionary to try, and a fast hash keeps the per-request look-up cheap.
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** A new key, shown once; the store keeps only `hash` and `prefix`. */
export function newApiKey(tenant: string): { key: string; prefix: string; hash: string } {
  if (!TENANT_ID_RE.test(tenant)) throw new Error(`Tenant id ${JSON.stringify(tenant)} is not valid`);
  const random = randomBytes(24).toString('base64url');
  const key = `${API_KEY_PREFIX}${tenant}_${random}`;
  return {
    key,
    prefix: `${API_KEY_PREFIX}${tenant}_${random.slice(0, PREFIX_RANDOM_CHARS)}`,
    hash: hashApiKey(key),
  };
}
