import { ISOLATION_LEVEL, Transaction } from 'mssql';

import { execute, queryRows, rollbackQuietly, type SqlRunner } from '../azuresql/azureSqlQuery';
import { AZURE_SQL_DIALECT } from './sqlDialect';
import type { SqlDriver, SqlParams } from './sqlDriver';

/**
 * The driver over an mssql pool (each statement on its own autocommit connection) or an open
 * transaction. Bulk loads (OPENJSON batches, JsonParam) stay in store/azuresql/: they have no
 * SQLite twin to share a statement with.
 */
export class AzureSqlDriver implements SqlDriver {
  readonly dialect = AZURE_SQL_DIALECT;

  constructor(private readonly on: SqlRunner) {}

  all<T>(sql: string, params: SqlParams = {}): Promise<T[]> {
    return queryRows<T>(this.on, sql, params);
  }

  async get<T>(sql: string, params: SqlParams = {}): Promise<T | undefined> {
    const [row] = await queryRows<T>(this.on, sql, params);
    return row;
  }

  run(sql: string, params: SqlParams = {}): Promise<number> {
    return execute(this.on, sql, params);
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
}
