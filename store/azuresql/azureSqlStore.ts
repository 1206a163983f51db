import { ConnectionPool } from 'mssql';

import { AzureSqlDriver } from '../sql/azureSqlDriver';
import { AzureSqlIngestWriter } from '../sql/azureSqlIngestWriter';
import { SqlStore } from '../sql/sqlStore';
import { type AzureSqlConfig, parseAzureSqlConnectionString, toMssqlConfig } from './azureSqlConfig';
import { migrateAzureSql } from './migrations';

/**
 * The Azure SQL store: the same schema and statements as the SQLite file (SqlStore,
 * store/sql/), on a tedious connection pool (through mssql), with Azure SQL's bulk loads. Every
 * statement is filtered by tenant; one ingest is one transaction, and ingests of the same
 * tenant are serialized by an application lock (AzureSqlDriver.begin).
 */
export class AzureSqlStore extends SqlStore {
  private constructor(readonly pool: ConnectionPool) {
    super(new AzureSqlDriver(pool), {
      ingest: new AzureSqlIngestWriter(),
    });
  }

  /** Connects and brings the schema forward (see migrations.ts). */
  static async open(config: AzureSqlConfig): Promise<AzureSqlStore> {
    const pool = new ConnectionPool(toMssqlConfig(config));
    await pool.connect();
    try {
      await migrateAzureSql(pool);
    } catch (error) {
      await pool.close();
      throw error;
    }
    return new AzureSqlStore(pool);
  }

  async close(): Promise<void> {
    if (this.pool.connected) await this.pool.close();
  }
}

/** Opens the store named by an ADO.NET-style connection string (see azureSqlConfig.ts). */
export function openAzureSqlStore(connectionString: string): Promise<AzureSqlStore> {
  return AzureSqlStore.open(parseAzureSqlConnectionString(connectionString));
}
