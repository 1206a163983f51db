import type Database from 'better-sqlite3';

import type { ActionStateRecord } from '../../shared/actions/actionState';
import { actionStateKey } from '../../shared/store/actionStateKey';

export function setActionState(db: Database.Database, tenant: string, state: ActionStateRecord): void {
  db.prepare(
    `INSERT INTO action_states (tenant_id, action_key, action_id, status, snoozed_until, updated_at)
     VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (tenant_id, action_key) DO UPDATE SET
       status = excluded.status, snoozed_until = excluded.snoozed_until, updated_at = excluded.updated_at`,
  ).run(
    tenant,
    actionStateKey(state.action_id),
    state.action_id,
    state.status,
    state.snoozed_until,
    state.updated_at,
  );
}

export function actionStates(db: Database.Database, tenant: string): ActionStateRecord[] {
  return db
    .prepare<[string], ActionStateRecord>(
      'SELECT action_id, status, snoozed_until, updated_at FROM action_states WHERE tenant_id = ?',
    )
    .all(tenant)
    .sort((a, b) => (a.action_id < b.action_id ? -1 : a.action_id > b.action_id ? 1 : 0));
}
