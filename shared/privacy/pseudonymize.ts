import { createHmac } from 'node:crypto';

/**
 * Patient and lead emails and phones are personal health information. They are replaced by
 * HMAC-SHA-256 under a per-tenant secret right after normalization, so the same person gets
 * the same key in every system and location of a tenant, while the key means nothing outside
 * that tenant and cannot be reversed without the secret (canonical-bundle.md, Privacy).
 */
export type PersonalField = 'email' | 'phone';

export interface Pseudonymizer {
  pseudonymize(field: PersonalField, normalizedValue: string): string;
}

export function createPseudonymizer(tenantSecret: Buffer): Pseudonymizer {
  if (tenantSecret.length < 32) {
    throw new Error('A tenant pseudonymization secret must be at least 32 bytes');
  }
  return {
    pseudonymize(field, normalizedValue) {
      // The field name is part of the message so an email and a phone never share a key.
      return createHmac('sha256', tenantSecret).update(`${field}:${normalizedValue}`).digest('base64url');
    },
  };
}
