import { type ConnectionPool, MAX, NVarChar, type Transaction, VarBinary } from 'mssql';

import { JsonParam } from '../sql/sqlValues';

/** Where a statement runs: the pool (its own autocommit connection) or an open transaction. */
export type SqlRunner = ConnectionPool | Transaction;

export type SqlParams = Record<string, JsonParam | string | number | null | Uint8Array>;

function requestOn(on: SqlRunner, params: SqlParams) {
  const request = on.request();
  for (const [name, value] of Object.entries(params)) {
    if (value instanceof JsonParam) request.input(name, NVarChar(MAX), JSON.stringify(value.value));
    else if (value instanceof Uint8Array)
      request.input(name, VarBinary(MAX), Buffer.from(value.buffer, value.byteOffset, value.byteLength));
    else request.input(name, value);
  }
  return request;
}

/** Runs one statement with named parameters (`@name`) and returns its first result set's rows. */
export async function queryRows<T>(on: SqlRunner, sql: string, params: SqlParams = {}): Promise<T[]> {
  const result = await requestOn(on, params).query<T>(sql);
  // A statement without a SELECT has no record set, whatever the typings say.
  const rows: T[] | undefined = result.recordset;
  return rows ?? [];
}

/** Runs one statement that returns no rows; answers how many rows it changed. */
export async function execute(on: SqlRunner, sql: string, params: SqlParams = {}): Promise<number> {
  const result = await requestOn(on, params).query(sql);
  return result.rowsAffected.reduce((sum, n) => sum + n, 0);
}

/**
 * Takes an exclusive application lock held until the transaction ends. sp_getapplock answers a
 * timeout with a negative status rather than an error, so the status is checked here.
 */
export async function takeAppLock(tx: Transaction, resource: string, timeoutMs: number): Promise<void> {
  await queryRows(
    tx,
    `DECLARE @status INT;
     EXEC @status = sp_getapplock @Resource = @resource, @LockMode = 'Exclusive',
       @LockOwner = 'Transaction', @LockTimeout = @timeout;
     IF @status < 0 RAISERROR('Timed out waiting for the lock %s (status %d)', 16, 1, @resource, @status);`,
    { resource, timeout: timeoutMs },
  );
}

/**
 * Rolls back unless the server already did: with XACT_ABORT on, a failed statement ends the
 * transaction server-side and mssql then refuses a second rollback with EABORT.
 */
export async function rollbackQuietly(tx: Transaction): Promise<void> {
  try {
    await tx.rollback();
  } catch (error) {
    if (!(
      error instanceof Error &&
      'code' in error &&
      (error.code === 'EABORT' || error.code === 'ENOTBEGUN')
    )) {
      throw error;
    }
  }
}
