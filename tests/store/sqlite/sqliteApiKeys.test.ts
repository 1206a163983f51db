import path from 'node:path';

import { SqliteStore } from '../../../store/sqlite/sqlite-store';
import { openTestStore, type TestStore } from '../../support/testStore';

let t: TestStore;
beforeEach(() => {
  t = openTestStore();
});
afterEach(async () => {
  await t.close();
});

const key = (tenant: string, n: number) => ({
  tenant,
  prefix: `cal_${tenant}_prefix${n}`,
  hash: `${tenant}-hash-${n}`,
  label: n === 1 ? 'excel' : null,
});

describe('the SQLite store API keys', () => {
  it('resolves an active key hash to its tenant and an unknown one to null', async () => {
    await t.store.addApiKey(key('t1', 1));
    await t.store.addApiKey(key('t2', 2));
    expect(await t.store.apiKeyTenant('t1-hash-1')).toBe('t1');
    expect(await t.store.apiKeyTenant('t2-hash-2')).toBe('t2');
    expect(await t.store.apiKeyTenant('t1-hash-2')).toBeNull();
  });

  it('lists keys with prefix, tenant, label and dates but never their hash', async () => {
    await t.store.addApiKey(key('t1', 1));
    await t.store.addApiKey(key('t2', 2));
    await t.store.addApiKey(key('t1', 3));
    const all = await t.store.listApiKeys();
    expect(all.map((k) => k.prefix)).toEqual(['cal_t1_prefix1', 'cal_t2_prefix2', 'cal_t1_prefix3']);
    expect(Object.keys(all[0]!).sort()).toEqual(['created_at', 'label', 'prefix', 'revoked_at', 'tenant']);
    expect(all[0]).toMatchObject({ tenant: 't1', label: 'excel', revoked_at: null });
    expect(Number.isNaN(Date.parse(all[0]!.created_at))).toBe(false);
    expect((await t.store.listApiKeys('t2')).map((k) => k.prefix)).toEqual(['cal_t2_prefix2']);
    expect(await t.store.listApiKeys('nobody')).toEqual([]);
  });

  it('revokes a key by prefix once, after which it no longer resolves but is still listed', async () => {
    await t.store.addApiKey(key('t1', 1));
    expect(await t.store.revokeApiKey('cal_t1_prefix1')).toBe(true);
    expect(await t.store.revokeApiKey('cal_t1_prefix1')).toBe(false);
    expect(await t.store.revokeApiKey('cal_t1_nope')).toBe(false);
    expect(await t.store.apiKeyTenant('t1-hash-1')).toBeNull();
    const [listed] = await t.store.listApiKeys();
    expect(listed?.revoked_at).not.toBeNull();
  });

  it('refuses a second key with the same prefix or hash', async () => {
    await t.store.addApiKey(key('t1', 1));
    // Matched by code, not toThrow: better-sqlite3's error fails jest's Error check in workers.
    const unique = { code: 'SQLITE_CONSTRAINT_UNIQUE' };
    await expect(async () =>
      t.store.addApiKey({ ...key('t1', 2), prefix: 'cal_t1_prefix1' }),
    ).rejects.toMatchObject(unique);
    await expect(async () => t.store.addApiKey({ ...key('t2', 2), hash: 't1-hash-1' })).rejects.toMatchObject(
      unique,
    );
  });

  it('keeps keys across reopening the store file', async () => {
    await t.store.addApiKey(key('t1', 1));
    const again = SqliteStore.open(path.join(t.dir, 'caliper.db'));
    try {
      expect(await again.apiKeyTenant('t1-hash-1')).toBe('t1');
    } finally {
      await again.close();
    }
  });
});
