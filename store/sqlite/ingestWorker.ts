import { parentPort, workerData } from 'node:worker_threads';

import type { IngestTransaction } from '../../shared/store/store.port';
import { SqliteStore } from './sqlite-store';
import { carried, type IngestAnswer, type IngestCall, type IngestWorkerData } from './workerIngest';

/** One ingest's transaction on its own connection (see workerIngest.ts); ends with it. */
function isIngestWorkerData(data: unknown): data is IngestWorkerData {
  return typeof data === 'object' && data !== null && 'ingestWorkerFile' in data;
}

async function serve(port: NonNullable<typeof parentPort>, data: IngestWorkerData): Promise<void> {
  // This connection runs the ingest itself: it never hands it to another worker.
  const store = SqliteStore.open(data.ingestWorkerFile, { ingestWorker: null });
  let tx: IngestTransaction;
  try {
    tx = await store.beginIngest(data.tenant, data.label);
  } catch (error) {
    // The caller stops this worker when it hears of the failure.
    await store.close();
    port.postMessage({ failed: carried(error) } satisfies IngestAnswer);
    return;
  }
  port.postMessage({ ready: tx.ingestId } satisfies IngestAnswer);
  // One call at a time, in the order sent: a transaction's statements never interleave.
  let last: Promise<void> = Promise.resolve();
  port.on('message', (call: IngestCall) => {
    last = last.then(async () => {
      let answer: IngestAnswer;
      try {
        const calls = tx as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
        answer = { id: call.id, value: await calls[call.method]?.(...call.args) };
      } catch (error) {
        answer = { id: call.id, error: carried(error) };
      }
      // The connection closes before the caller hears the ingest ended (closing also ends a
      // transaction a failed COMMIT left open); the caller then stops this worker.
      if (call.method === 'commit' || call.method === 'rollback') await store.close();
      port.postMessage(answer);
    });
  });
}

if (parentPort !== null && isIngestWorkerData(workerData)) void serve(parentPort, workerData);
