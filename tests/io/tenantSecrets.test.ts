import { hkdfSync } from 'node:crypto';
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

  it('derives each tenant its own secret from CALIPER_PSEUDONYM_SECRET when it is set', () => {
    const master = Buffer.alloc(32, 9);
    const env = { CALIPER_PSEUDONYM_SECRET: master.toString('base64') };
    const acme = loadTenantSecret('/nowhere/caliper.db', 'acme', env);
    expect(acme).toEqual(Buffer.from(hkdfSync('sha256', master, 'acme', 'caliper pseudonym v1', 32)));
    expect(acme).toHaveLength(32);
    expect(acme.equals(master)).toBe(false);
    expect(loadTenantSecret('/nowhere/caliper.db', 'acme', env)).toEqual(acme);
    expect(loadTenantSecret('/nowhere/caliper.db', 'other', env).equals(acme)).toBe(false);
    expect(() =>
      loadTenantSecret('/nowhere/caliper.db', 'acme', { CALIPER_PSEUDONYM_SECRET: 'c2hvcnQ=' }),
    ).toThrow('at least 32 bytes');
  });

  it('refuses a tenant id that could escape the secrets folder', () => {
    expect(() => loadTenantSecret('/tmp/x.db', '../etc', {})).toThrow('must be 1–63 letters');
  });
});
