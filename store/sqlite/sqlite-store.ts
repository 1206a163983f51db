import fs from 'node:fs';
import path from 'node:path';

import Database from 'better-sqlite3';

import type { IngestTransaction } from '../../shared/store/store.port';
import { SqliteDriver } from '../sql/sqliteDriver';
import { SqliteIngestWriter } from '../sql/sqliteIngestWriter';
import { SqlStore } from '../sql/sqlStore';
import { migrate } from './migrations';
import { canRefreshInWorkers, refreshInWorkers } from './refreshPool';
import { beginIngestOnWorker, canIngestOnWorker, INGEST_WORKER } from './workerIngest';

/**
 * Workers start with a cost (their module load, connection and cold page cache: 2 locations'
 * next month at 200 locations took 2.2 s on workers, 0.4 s here), which a few locations'
 * refresh does not earn back.
 */
const MIN_LOCATIONS_FOR_WORKERS = 4;

/**
 * An ingest smaller than this runs its transaction on this connection: the worker's start-up
 * (its modules and connection) costs more than it saves on a few thousand rows, such as one
 * location's next month.
 */
export const MIN_BYTES_FOR_INGEST_WORKER = 4 * 2 ** 20;

/**
 * The embedded store: one SQLite file (WAL mode), opened by better-sqlite3. Its statements are
 * SqlStore's (store/sql/); this adds the file, its settings and SQLite's bulk loads. The calls
 * are synchronous underneath; the async port lets the Azure SQL store share the same contract.
 */
export class SqliteStore extends SqlStore {
  /** The ingest open on a worker (workerIngest.ts), if any: one at a time, as on this connection. */
  private workerIngestOpen = false;

  private constructor(
    readonly db: Database.Database,
    private readonly ingestWorker: { script: string; minBytes: number } | null,
  ) {
    super(new SqliteDriver(db), {
      ingest: new SqliteIngestWriter(db),
    });
  }

  /**
   * `ingestWorker`: the compiled worker an ingest of `ingestWorkerMinBytes` or more runs its
   * transaction on (workerIngest.ts), or null to run every ingest on this connection; they also
   * run here for an in-memory store and when the worker is not built (the TypeScript source
   * under jest).
   */
  static open(
    file: string,
    options: { ingestWorker?: string | null; ingestWorkerMinBytes?: number } = {},
  ): SqliteStore {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 10000');
    // 64 MB of page cache instead of 2 MB: an ingest's index inserts and a refresh's reads stay
    // in memory (6 % off a 10-location ingest; more as the indexes outgrow the default).
    db.pragma('cache_size = -65536');
    migrate(db);
    const script = options.ingestWorker === undefined ? INGEST_WORKER : options.ingestWorker;
    const minBytes = options.ingestWorkerMinBytes ?? MIN_BYTES_FOR_INGEST_WORKER;
    return new SqliteStore(db, script === null ? null : { script, minBytes });
  }

  /**
   * One connection holds one transaction and every statement on it joins it: a second ingest
   * on this store fails at the call rather than nesting inside the first.
   */
  override beginIngest(tenant: string, label: string, size?: { bytes: number }): Promise<IngestTransaction> {
    if (this.db.inTransaction || this.workerIngestOpen) {
      throw new Error('An ingest is already open on this store connection');
    }
    const worker = this.ingestWorker;
    const small = size !== undefined && worker !== null && size.bytes < worker.minBytes;
    if (worker === null || small || this.db.memory || !canIngestOnWorker(this.db.name, worker.script)) {
      return super.beginIngest(tenant, label);
    }
    this.workerIngestOpen = true;
    const ended = () => {
      this.workerIngestOpen = false;
    };
    return beginIngestOnWorker(this.db.name, tenant, label, worker.script, ended).catch((error: unknown) => {
      ended();
      throw error;
    });
  }

  /**
   * A file store refreshes several locations on worker threads, each with its own connection
   * (refreshPool.ts). It declines (null) for a few locations, an in-memory store, or a run
   * without the compiled worker (the TypeScript source under jest): the refresh then runs here.
   */
  refreshSideBySide(
    tenant: string,
    locationIds: readonly string[],
    onRefreshed: (locationId: string) => void,
  ): Promise<void> | null {
    const few = locationIds.length < MIN_LOCATIONS_FOR_WORKERS;
    if (few || this.db.memory || !canRefreshInWorkers(this.db.name)) return null;
    return refreshInWorkers(this.db.name, tenant, locationIds, onRefreshed);
  }

  close(): Promise<void> {
    if (this.db.open) {
      // Keeps the planner's statistics current for the next connection (SQLite's advice).
      this.db.pragma('optimize');
      this.db.close();
    }
    return Promise.resolve();
  }
}
