import { readFunctionsConfig } from '../../functions/config';
import { lazyStore, openStore } from '../../functions/openStore';
import type { CaliperStore } from '../../shared/store/store.port';
import { SqliteStore } from '../../store/sqlite/sqlite-store';
import { fixture, openTestStore, type TestStore } from '../support/testStore';

let t: TestStore;
beforeAll(async () => {
  t = openTestStore();
  await t.ingest([fixture('north')]);
});
afterAll(() => t.close());

describe('lazyStore', () => {
  it('opens the store once, on first use, and then answers exactly as the store itself', async () => {
    let opens = 0;
    const store = lazyStore(() => {
      opens += 1;
      return Promise.resolve(t.store as CaliperStore);
    });
    expect(opens).toBe(0);
    const [lazy, direct] = await Promise.all([store.rowCounts('t1'), t.store.rowCounts('t1')]);
    await store.salesDateRange('t1');
    expect(opens).toBe(1);
    expect(lazy).toEqual(direct);
  });

  it('tries again on the next call after a failed open instead of failing forever', async () => {
    let attempts = 0;
    const store = lazyStore(() => {
      attempts += 1;
      return attempts === 1
        ? Promise.reject(new Error('login timeout'))
        : Promise.resolve(t.store as CaliperStore);
    });
    await expect(store.ingests('t1')).rejects.toThrow('login timeout');
    expect((await store.ingests('t1')).length).toBe(1);
    expect(attempts).toBe(2);
  });

  it('closes nothing when it was never opened', async () => {
    const store = lazyStore(() => Promise.reject(new Error('must not open')));
    await expect(store.close()).resolves.toBeUndefined();
  });
});

describe('openStore', () => {
  it('opens the SQLite file unless an Azure SQL connection string is configured', async () => {
    const store = openStore(readFunctionsConfig({ CALIPER_STORE: t.file }));
    expect(store).toBeInstanceOf(SqliteStore);
    await store.close();
    const connection =
      'Server=tcp:caliper.database.windows.net,1433;Database=caliper;Authentication=Active Directory Default';
    expect(() => readFunctionsConfig({ CALIPER_AZURE_SQL_CONNECTION_STRING: connection })).toThrow(
      /CALIPER_PSEUDONYM_SECRET is required with the Azure SQL store/,
    );
    const config = readFunctionsConfig({
      CALIPER_AZURE_SQL_CONNECTION_STRING: connection,
      CALIPER_PSEUDONYM_SECRET: Buffer.alloc(32, 7).toString('base64'),
    });
    expect(config.azureSqlConnectionString).toMatch(/^Server=tcp:caliper/);
    // Nothing connects until the first query: building the runtime never touches the network.
    expect(openStore(config)).not.toBeInstanceOf(SqliteStore);
  });
});
