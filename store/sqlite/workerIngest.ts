import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';

import { WORKER_YOUNG_GENERATION_MB } from '../../io/heapGrowth';
import type { IngestReport } from '../../shared/ingest/dataQuality';
import type { IngestTransaction } from '../../shared/store/store.port';

/**
 * An ingest whose transaction runs on a worker thread, on the worker's own connection to the
 * store's file: SQLite's writes (a third of an ingest's time) leave the thread that reads and
 * checks the files, which goes on with the next batch meanwhile (`SerialWrites`), and a server's
 * event loop is not held by another tenant's upload. The transaction is the same `SqlIngest`
 * as on the main thread; this class only carries its calls across, in order.
 */

/** The compiled worker beside this module; absent when the TypeScript source runs (tests). */
export const INGEST_WORKER = path.join(__dirname, 'ingestWorker.js');

export interface IngestWorkerData {
  ingestWorkerFile: string;
  tenant: string;
  label: string;
}

type IngestMethod = Exclude<keyof IngestTransaction, 'ingestId'>;

export interface IngestCall {
  id: number;
  method: IngestMethod;
  args: unknown[];
}

/** What an error keeps across the thread boundary: SQLite's code (SQLITE_BUSY, SQLITE_FULL) too. */
export interface CarriedError {
  name: string;
  message: string;
  code?: string;
}

export type IngestAnswer =
  | { id: number; value: unknown }
  | { id: number; error: CarriedError }
  | { ready: number }
  | { failed: CarriedError };

export function carried(error: unknown): CarriedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const code = (error as { code?: unknown }).code;
  return { name: error.name, message: error.message, ...(typeof code === 'string' ? { code } : {}) };
}

function rebuilt(error: CarriedError): Error {
  const rebuiltError = new Error(error.message) as Error & { code?: string };
  rebuiltError.name = error.name;
  if (error.code !== undefined) rebuiltError.code = error.code;
  return rebuiltError;
}

/** Whether an ingest can go to a worker: a file store (the worker's connection sees it) and a built worker. */
export function canIngestOnWorker(file: string, script: string): boolean {
  return file !== ':memory:' && file !== '' && fs.existsSync(script);
}

/** Opens the ingest on a new worker; resolves once its transaction holds the write lock. */
export function beginIngestOnWorker(
  file: string,
  tenant: string,
  label: string,
  script: string,
  onEnd: () => void,
): Promise<IngestTransaction> {
  const workerData: IngestWorkerData = { ingestWorkerFile: file, tenant, label };
  const worker = new Worker(script, {
    workerData,
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
  });
  return new Promise((resolve, reject) => {
    const stopped = (code: number) =>
      reject(new Error(`the ingest worker stopped (exit ${code}) before it began`));
    const opening = (answer: IngestAnswer) => {
      if (!('ready' in answer) && !('failed' in answer)) return;
      // Only these listeners go: Worker keeps listeners of its own that start its port.
      worker.off('message', opening);
      worker.off('error', reject);
      worker.off('exit', stopped);
      if ('ready' in answer) resolve(new WorkerIngest(worker, answer.ready, onEnd));
      else void worker.terminate().finally(() => reject(rebuilt(answer.failed)));
    };
    worker.on('message', opening);
    worker.on('error', reject);
    worker.on('exit', stopped);
  });
}

class WorkerIngest implements IngestTransaction {
  /** The worker takes the calls one at a time, in the order they were posted. */
  readonly ordersCalls = true;
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  private failure: Error | null = null;
  private readonly exited: Promise<void>;

  constructor(
    private readonly worker: Worker,
    readonly ingestId: number,
    private readonly onEnd: () => void,
  ) {
    worker.on('message', (answer: IngestAnswer) => {
      if (!('id' in answer)) return;
      const call = this.pending.get(answer.id);
      if (!call) return;
      this.pending.delete(answer.id);
      if ('error' in answer) call.reject(rebuilt(answer.error));
      else call.resolve(answer.value);
    });
    worker.on('error', (error) => this.fail(error));
    this.exited = new Promise((resolve) => {
      worker.on('exit', (code) => {
        this.fail(new Error(`the ingest worker stopped (exit ${code}) before the ingest ended`));
        resolve();
      });
    });
  }

  /** Every call still waiting, and every later one, fails with the worker's end. */
  private fail(error: Error): void {
    this.failure ??= error;
    for (const call of this.pending.values()) call.reject(error);
    this.pending.clear();
  }

  private call<T>(method: IngestMethod, ...args: unknown[]): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.postMessage({ id, method, args } satisfies IngestCall);
    });
  }

  knownLocations: IngestTransaction['knownLocations'] = () => this.call('knownLocations');
  knownIds: IngestTransaction['knownIds'] = (...args) => this.call('knownIds', ...args);
  addSourceFile: IngestTransaction['addSourceFile'] = (...args) => this.call('addSourceFile', ...args);
  finishSourceFile: IngestTransaction['finishSourceFile'] = (...args) =>
    this.call('finishSourceFile', ...args);
  upsert: IngestTransaction['upsert'] = (...args) => this.call('upsert', ...args);
  addIssues: IngestTransaction['addIssues'] = (...args) => this.call('addIssues', ...args);
  currentRows: IngestTransaction['currentRows'] = (...args) => this.call('currentRows', ...args);
  currentRowsByKey: IngestTransaction['currentRowsByKey'] = (...args) =>
    this.call('currentRowsByKey', ...args);
  retire: IngestTransaction['retire'] = (...args) => this.call('retire', ...args);
  locationAliases: IngestTransaction['locationAliases'] = () => this.call('locationAliases');
  moveLocationAliases: IngestTransaction['moveLocationAliases'] = (...args) =>
    this.call('moveLocationAliases', ...args);

  /** Commits on the worker, which closes its connection before it answers; then stops it. */
  async commit(report: IngestReport): Promise<void> {
    try {
      await this.call('commit', report);
    } finally {
      await this.stop();
    }
  }

  /** Rolls back (a worker already gone took its transaction with it: nothing is left to undo). */
  async rollback(): Promise<void> {
    try {
      if (this.failure === null) await this.call('rollback');
    } finally {
      await this.stop();
    }
  }

  private async stop(): Promise<void> {
    this.failure ??= new Error(`Ingest ${this.ingestId} is already finished`);
    await this.worker.terminate();
    await this.exited;
    this.onEnd();
  }
}
