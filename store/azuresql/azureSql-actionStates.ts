import type { ConnectionPool } from 'mssql';

import type { ActionStateRecord } from '../../shared/actions/actionState';
import { actionStateKey } from '../../shared/store/actionStateKey';
import { execute, queryRows } from './azureSqlQuery';

/** One statement, so two writers of the same action cannot both insert it (the key is the PK). */
export async function setActionState(
  pool: ConnectionPool,
  tenant: string,
  state: ActionStateRecord,
): Promise<void> {
  await execute(
    pool,
    `MERGE action_states WITH (HOLDLOCK) AS target
     USING (SELECT @tenant AS tenant_id, @key AS action_key) AS source
     ON target.tenant_id = source.tenant_id AND target.action_key = source.action_key
     WHEN MATCHED THEN UPDATE SET status = @status, snoozed_until = @until, updated_at = @updatedAt
     WHEN NOT MATCHED THEN INSERT (tenant_id, action_key, action_id, status, snoozed_until, updated_at)
       VALUES (@tenant, @key, @actionId, @status, @until, @updatedAt);`,
    {
      tenant,
      key: actionStateKey(state.action_id),
      actionId: state.action_id,
      status: state.status,
      until: state.snoozed_until,
      updatedAt: state.updated_at,
    },
  );
}

export async function actionStates(pool: ConnectionPool, tenant: string): Promise<ActionStateRecord[]> {
  const rows = await queryRows<ActionStateRecord>(
    pool,
    'SELECT action_id, status, snoozed_until, updated_at FROM action_states WHERE tenant_id = @tenant',
    { tenant },
  );
  // Sorted here rather than by the database, so both stores order ids the same way.
  return rows.sort((a, b) => (a.action_id < b.action_id ? -1 : a.action_id > b.action_id ? 1 : 0));
}
