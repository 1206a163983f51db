import type { ActionStateRecord } from '../../shared/actions/actionState';
import { actionStateKey } from '../../shared/store/actionStateKey';
import type { SqlDriver, Upsert } from './sqlDriver';

/** A later state of an action replaces the earlier one; the action id is only inserted (the key is its hash). */
export const SET_ACTION_STATE: Upsert = {
  table: 'action_states',
  values: {
    tenant_id: 'tenant',
    action_key: 'key',
    action_id: 'actionId',
    status: 'status',
    snoozed_until: 'until',
    updated_at: 'updatedAt',
  },
  key: ['tenant_id', 'action_key'],
  replace: ['status', 'snoozed_until', 'updated_at'],
};

/** One statement, so two writers of the same action cannot both insert it (the key is the PK). */
export async function setActionState(
  sql: SqlDriver,
  tenant: string,
  state: ActionStateRecord,
): Promise<void> {
  await sql.run(sql.dialect.upsert(SET_ACTION_STATE), {
    tenant,
    key: actionStateKey(state.action_id),
    actionId: state.action_id,
    status: state.status,
    until: state.snoozed_until,
    updatedAt: state.updated_at,
  });
}

export async function actionStates(sql: SqlDriver, tenant: string): Promise<ActionStateRecord[]> {
  const rows = await sql.all<ActionStateRecord>(
    'SELECT action_id, status, snoozed_until, updated_at FROM action_states WHERE tenant_id = @tenant',
    { tenant },
  );
  // Sorted here rather than by the database, so both stores order ids the same way.
  return rows.sort((a, b) => (a.action_id < b.action_id ? -1 : a.action_id > b.action_id ? 1 : 0));
}
