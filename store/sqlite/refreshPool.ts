import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * The refresh of several locations on worker threads, each with its own connection to the
 * store's file: a location's refresh reads its facts and computes its aggregates (most of the
 * time) without any lock, and writes them in a transaction of its own, so two locations go
 * side by side and only the writes take turns (SQLite has one writer at a time; WAL lets the
 * others read meanwhile). This is the local counterpart of the Functions app's fan-out, one
 * queue message per location. The refresh of a location is idempotent and clears its dirty
 * mark only when its aggregates are written, so a failure leaves the rest for the next run.
 */

/** What the pool tells a worker, and what a worker answers. */
export type RefreshRequest = { locationId: string } | { stop: true };
export type RefreshReply = { refreshed: string } | { failed: string; message: string };

export interface RefreshWorkerData {
  refreshWorkerFile: string;
  tenant: string;
}

/** More workers than this only queue on the write lock. */
const MAX_WORKERS = 4;

/** The compiled worker beside this module; absent when the TypeScript source runs (tests). */
export const REFRESH_WORKER = path.join(__dirname, 'refreshWorker.js');

export function refreshWorkerCount(locations: number): number {
  return Math.max(1, Math.min(MAX_WORKERS, os.availableParallelism(), locations));
}

/** Whether the pool can run: a file store (a second connection sees the same data) and a built worker. */
export function canRefreshInWorkers(file: string, script = REFRESH_WORKER): boolean {
  return file !== ':memory:' && file !== '' && fs.existsSync(script);
}

/**
 * Refreshes `locationIds` of `tenant` in the store at `file` on `workers` threads, handing
 * each the next location as it finishes one; resolves when all are done, rejects with the
 * first failure (after the running ones finish: none is cut off mid-transaction).
 */
export async function refreshInWorkers(
  file: string,
  tenant: string,
  locationIds: readonly string[],
  onRefreshed: (locationId: string) => void,
  options: { workers?: number; script?: string } = {},
): Promise<void> {
  const queue = [...locationIds];
  const count = options.workers ?? refreshWorkerCount(queue.length);
  const workerData: RefreshWorkerData = { refreshWorkerFile: file, tenant };
  const failures: Error[] = [];
  const run = (worker: Worker) =>
    new Promise<void>((resolve) => {
      const next = () => {
        const locationId = failures.length === 0 ? queue.shift() : undefined;
        worker.postMessage(locationId === undefined ? { stop: true } : { locationId });
      };
      worker.on('message', (reply: RefreshReply) => {
        if ('refreshed' in reply) onRefreshed(reply.refreshed);
        else failures.push(new Error(`Refresh of location ${reply.failed} failed: ${reply.message}`));
        next();
      });
      worker.on('error', (error) => failures.push(error));
      worker.on('exit', () => resolve());
      next();
    });
  const workers = Array.from(
    { length: count },
    () => new Worker(options.script ?? REFRESH_WORKER, { workerData }),
  );
  await Promise.all(workers.map(run));
  if (failures[0] !== undefined) throw failures[0];
  if (queue.length > 0) throw new Error(`The refresh workers stopped with ${queue.length} locations left`);
}
