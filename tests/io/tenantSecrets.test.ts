import fs from 'node:fs';
import path from 'node:path';

import { loadTenantSecret } from '../../io/tenantSecrets';
import { tempDir } from '../support/testStore';

describe('tenant pseudonymization secrets', () => {
  it('creates a 32-byte secret beside the store, readable by its owner only, and reuses it', () => {
    const dir = tempDir();
    const store = path.join(dir, 'caliper.db');
    const first = loadTenantSecret(store, 'acme', {});
    const again = loadTenantSecret(store, 'acme', {});
    expect(first.length).toBe(32);
    expect(again.equals(first)).toBe(true);
    const file = path.join(dir, 'secrets', 'acme.key');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(loadTenantSecret(store, 'other', {}).equals(first)).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('takes the secret from CALIPER_PSEUDONYM_SECRET when it is set', () => {
    const secret = Buffer.alloc(32, 9);
    expect(
      loadTenantSecret('/nowhere/caliper.db', 'acme', {
        CALIPER_PSEUDONYM_SECRET: secret.toString('base64'),
      }),
    ).toEqual(secret);
    expect(() =>
      loadTenantSecret('/nowhere/caliper.db', 'acme', { CALIPER_PSEUDONYM_SECRET: 'c2hvcnQ=' }),
    ).toThrow('at least 32 bytes');
  });

  it('refuses a tenant id that could escape the secrets folder', () => {
    expect(() => loadTenantSecret('/tmp/x.db', '../etc', {})).toThrow('must be 1–63 letters');
  });
});
