import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import type { ActionStateRecord } from '../../shared/actions/actionState';
import type { CaliperStore } from '../../shared/store/store.port';
import { AZURE_SQL_CONNECTION_STRING_ENV } from '../../store/azuresql/azureSqlConfig';
import { execute } from '../../store/azuresql/azureSqlQuery';
import { type AzureSqlStore, openAzureSqlStore } from '../../store/azuresql/azureSqlStore';
import { JsonParam } from '../../store/sql/sqlValues';
import { SqliteStore } from '../../store/sqlite/sqlite-store';
import { tempDir } from '../support/testStore';

/*
 * The action states of the store port (snoozed or done), against every store that is reachable:
 * a real SQLite file always, Azure SQL when CALIPER_AZURE_SQL_CONNECTION_STRING names a database
 * (its tenants are random and removed afterwards; the suite is reported skipped otherwise).
 */

interface OpenedStore {
  store: CaliperStore;
  /** Opens the same store again: a state must outlive the connection that wrote it. */
  reopen(): Promise<CaliperStore>;
  cleanup(tenants: string[]): Promise<void>;
}

const snoozed = (id: string, until: string, at = '2026-07-01T09:00:00.000Z'): ActionStateRecord => ({
  action_id: id,
  status: 'snoozed',
  snoozed_until: until,
  updated_at: at,
});
const done = (id: string, at = '2026-07-02T09:00:00.000Z'): ActionStateRecord => ({
  action_id: id,
  status: 'done',
  snoozed_until: null,
  updated_at: at,
});

function describeActionStates(name: string, open: () => Promise<OpenedStore>): void {
  describe(`action states in ${name}`, () => {
    let opened: OpenedStore;
    const tenants: string[] = [];
    const tenant = (label: string) => {
      const id = `actions-${randomBytes(4).toString('hex')}-${label}`;
      tenants.push(id);
      return id;
    };
    beforeEach(async () => {
      opened = await open();
    });
    afterEach(async () => {
      await opened.cleanup(tenants.splice(0));
    });

    it('keeps one state per action, a later one replacing the earlier, and outlives the connection', async () => {
      const t = tenant('a');
      const id = 'vip_past_due:L001:L001-P000123:2026-11';
      await opened.store.setActionState(t, snoozed(id, '2026-12-20'));
      await opened.store.setActionState(t, snoozed('cadence_broken:L001:zenoti~3A55:2026-11', '2026-12-01'));
      await opened.store.setActionState(t, done(id));
      const again = await opened.reopen();
      expect(await again.actionStates(t)).toEqual([
        snoozed('cadence_broken:L001:zenoti~3A55:2026-11', '2026-12-01'),
        done(id),
      ]);
      await opened.store.setActionState(t, snoozed(id, '2027-01-15', '2026-12-03T10:00:00.000Z'));
      expect(await opened.store.actionStates(t)).toContainEqual(
        snoozed(id, '2027-01-15', '2026-12-03T10:00:00.000Z'),
      );
    });

    it('keeps each tenant’s states to itself, the same id included', async () => {
      const a = tenant('a');
      const b = tenant('b');
      const id = 'no_show_spike:L1:L1:2026-06';
      await opened.store.setActionState(a, done(id));
      expect(await opened.store.actionStates(b)).toEqual([]);
      await opened.store.setActionState(b, snoozed(id, '2026-08-01'));
      expect(await opened.store.actionStates(a)).toEqual([done(id)]);
      expect(await opened.store.actionStates(b)).toEqual([snoozed(id, '2026-08-01')]);
    });

    it('files long ids and ids with any character exactly as given', async () => {
      const t = tenant('long');
      const ids = [`vip_past_due:L001:${'x'.repeat(2000)}:2026-11`, 'vip_past_due:L~C3~A9:Zoë:2026-11'];
      for (const id of ids) await opened.store.setActionState(t, done(id));
      expect((await opened.store.actionStates(t)).map((s) => s.action_id).sort()).toEqual([...ids].sort());
    });
  });
}

describeActionStates('a SQLite file', () => {
  const dir = tempDir('caliper-action-states-');
  const file = path.join(dir, 'caliper.db');
  const store = SqliteStore.open(file);
  const reopened: SqliteStore[] = [];
  return Promise.resolve({
    store,
    reopen() {
      const again = SqliteStore.open(file);
      reopened.push(again);
      return Promise.resolve(again);
    },
    async cleanup() {
      for (const s of [store, ...reopened]) await s.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  });
});

const connectionString = process.env[AZURE_SQL_CONNECTION_STRING_ENV];
if (connectionString) {
  describeActionStates('Azure SQL', async () => {
    const store = await openAzureSqlStore(connectionString);
    const reopened: AzureSqlStore[] = [];
    return {
      store,
      async reopen() {
        const again = await openAzureSqlStore(connectionString);
        reopened.push(again);
        return again;
      },
      async cleanup(tenants) {
        try {
          await execute(
            store.pool,
            'DELETE FROM action_states WHERE tenant_id IN (SELECT value COLLATE Latin1_General_100_BIN2 FROM OPENJSON(@tenants))',
            { tenants: new JsonParam(tenants) },
          );
        } finally {
          for (const s of [store, ...reopened]) await s.close();
        }
      },
    };
  });
} else {
  describe('action states in Azure SQL', () => {
    it.skip(`Azure SQL: set ${AZURE_SQL_CONNECTION_STRING_ENV} to run`, () => {
      // Never runs: registered so every test report shows that this suite did not run.
    });
  });
}
