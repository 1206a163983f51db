import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import type { CaliperStore, StoredBriefing } from '../../shared/store/store.port';
import { AZURE_SQL_CONNECTION_STRING_ENV } from '../../store/azuresql/azureSqlConfig';
import { execute } from '../../store/azuresql/azureSqlQuery';
import { openAzureSqlStore } from '../../store/azuresql/azureSqlStore';
import { JsonParam } from '../../store/sql/sqlValues';
import { SqliteStore } from '../../store/sqlite/sqlite-store';
import { tempDir } from '../support/testStore';

/*
 * The daily briefings of the store port (migration 7), against every store that is reachable: a
 * real SQLite file always, Azure SQL when CALIPER_AZURE_SQL_CONNECTION_STRING names a database
 * (its tenants are random and removed afterwards; the suite is reported skipped otherwise).
 */

const briefingOf = (date: string, body: unknown, at = '2026-07-02T06:00:00.000Z'): StoredBriefing => ({
  date,
  body_json: JSON.stringify(body),
  created_at: at,
});

function describeBriefings(
  name: string,
  open: () => Promise<{ store: CaliperStore; cleanup(tenants: string[]): Promise<void> }>,
): void {
  describe(`briefings in ${name}`, () => {
    it('keeps one briefing per tenant and day, a later one replacing the earlier, each tenant its own', async () => {
      const opened = await open();
      const store = opened.store;
      const a = `briefings-${randomBytes(4).toString('hex')}-a`;
      const b = `briefings-${randomBytes(4).toString('hex')}-b`;
      try {
        await store.saveBriefing(a, briefingOf('2026-07-02', { items: [1] }));
        await store.saveBriefing(a, briefingOf('2026-07-02', { items: [2] }, '2026-07-02T07:00:00.000Z'));
        await store.saveBriefing(a, briefingOf('2026-07-03', { items: [3] }));
        expect(await store.briefingOn(a, '2026-07-02')).toEqual(
          briefingOf('2026-07-02', { items: [2] }, '2026-07-02T07:00:00.000Z'),
        );
        expect(await store.briefingOn(a, '2026-07-03')).toEqual(briefingOf('2026-07-03', { items: [3] }));
        expect(await store.briefingOn(b, '2026-07-02')).toBeNull();
      } finally {
        await opened.cleanup([a, b]);
      }
    });
  });
}

describeBriefings('a SQLite file', () => {
  const dir = tempDir('caliper-briefings-');
  const store = SqliteStore.open(path.join(dir, 'caliper.db'));
  return Promise.resolve({
    store,
    async cleanup() {
      // A store without an ingest lists no tenant: a key or a briefing alone is nothing to brief.
      expect(await store.tenants()).toEqual([]);
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  });
});

const connectionString = process.env[AZURE_SQL_CONNECTION_STRING_ENV];
if (connectionString) {
  describeBriefings('Azure SQL', async () => {
    const store = await openAzureSqlStore(connectionString);
    return {
      store,
      async cleanup(tenants) {
        try {
          await execute(
            store.pool,
            'DELETE FROM briefings WHERE tenant_id IN (SELECT value COLLATE Latin1_General_100_BIN2 FROM OPENJSON(@tenants))',
            { tenants: new JsonParam(tenants) },
          );
        } finally {
          await store.close();
        }
      },
    };
  });
} else {
  describe('briefings in Azure SQL', () => {
    it.skip(`Azure SQL: set ${AZURE_SQL_CONNECTION_STRING_ENV} to run`, () => {
      // Never runs: registered so every test report shows that this suite did not run.
    });
  });
}
