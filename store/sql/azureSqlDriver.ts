import { ISOLATION_LEVEL, Transaction } from 'mssql';

import { execute, queryRows, rollbackQuietly, type SqlRunner, takeAppLock } from '../azuresql/azureSqlQuery';
import { AZURE_SQL_DIALECT } from './sqlDialect';
import type { SqlConnection, SqlDriver, SqlParams, SqlTransaction } from './sqlDriver';

/** How long `begin` waits for the lock: 4 minutes, within the 5-minute request timeout (azureSqlConfig.ts). */
const LOCK_TIMEOUT_MS = 240_000;

/**
 * The driver over an mssql pool (each statement on its own autocommit connection) or an open
 * transaction. Bulk loads (OPENJSON batches, JsonParam) stay in store/azuresql/: they have no
 * SQLite twin to share a statement with.
 */
export class AzureSqlDriver implements SqlConnection {
  readonly dialect = AZURE_SQL_DIALECT;

  constructor(private readonly on: SqlRunner) {}

  all<T>(sql: string, params: SqlParams = {}): Promise<T[]> {
    return queryRows<T>(this.on, sql, params);
  }

  /** mssql hands over a query's rows as one list: they are passed on from it. */
  async each<T>(sql: string, params: SqlParams, onRow: (row: T) => void): Promise<number> {
    const rows = await queryRows<T>(this.on, sql, params);
    for (const row of rows) onRow(row);
    return rows.length;
  }

  async get<T>(sql: string, params: SqlParams = {}): Promise<T | undefined> {
    const [row] = await queryRows<T>(this.on, sql, params);
    return row;
  }

  run(sql: string, params: SqlParams = {}): Promise<number> {
    return execute(this.on, sql, params);
  }

  /**
   * A READ COMMITTED transaction holding an exclusive application lock on `lockKey` until it
   * ends: the write lock SQLite takes with BEGIN IMMEDIATE, per key (the ingest's is per tenant),
   * so a second writer of the same key waits here instead of interleaving with this one.
   */
  async begin(lockKey: string): Promise<SqlTransaction> {
    if (this.on instanceof Transaction) throw new Error('A transaction is already open on this driver');
    const tx = new Transaction(this.on);
    await tx.begin(ISOLATION_LEVEL.READ_COMMITTED);
    try {
      await takeAppLock(tx, lockKey, LOCK_TIMEOUT_MS);
    } catch (error) {
      await rollbackQuietly(tx);
      throw error;
    }
    return new AzureSqlTransaction(tx);
  }

  /** READ COMMITTED, as the ingest's transaction; SQL Server has no nested transactions to offer. */
  async transaction<T>(work: (tx: SqlDriver) => Promise<T>): Promise<T> {
    if (this.on instanceof Transaction) throw new Error('A transaction is already open on this driver');
    const tx = new Transaction(this.on);
    await tx.begin(ISOLATION_LEVEL.READ_COMMITTED);
    try {
      const result = await work(new AzureSqlDriver(tx));
      await tx.commit();
      return result;
    } catch (error) {
      await rollbackQuietly(tx);
      throw error;
    }
  }

  /** The server keeps the pages; the pool holds nothing of a read once its rows are delivered. */
  releaseMemory(): Promise<void> {
    return Promise.resolve();
  }
}

/** The transaction `begin` opened: its statements run on it, its caller ends it. */
class AzureSqlTransaction extends AzureSqlDriver implements SqlTransaction {
  constructor(private readonly tx: Transaction) {
    super(tx);
  }

  commit(): Promise<void> {
    return this.tx.commit();
  }

  /** With XACT_ABORT on, a failed statement has already rolled back on the server. */
  rollback(): Promise<void> {
    return rollbackQuietly(this.tx);
  }
}
