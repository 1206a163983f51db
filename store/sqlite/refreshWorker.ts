import { parentPort, workerData } from 'node:worker_threads';

import { refreshLocation } from '../../shared/engine/refresh';
import type { RefreshReply, RefreshRequest, RefreshWorkerData } from './refreshPool';
import { SqliteStore } from './sqlite-store';

/** One refresh worker (see refreshPool.ts): its own connection, one location at a time. */
function isRefreshWorkerData(data: unknown): data is RefreshWorkerData {
  return typeof data === 'object' && data !== null && 'refreshWorkerFile' in data && 'tenant' in data;
}

if (parentPort !== null && isRefreshWorkerData(workerData)) {
  const port = parentPort;
  const { refreshWorkerFile, tenant } = workerData;
  const store = SqliteStore.open(refreshWorkerFile);
  port.on('message', (request: RefreshRequest) => {
    if ('stop' in request) {
      void store.close().finally(() => port.close());
      return;
    }
    refreshLocation(store, tenant, request.locationId).then(
      () => port.postMessage({ refreshed: request.locationId } satisfies RefreshReply),
      (error: unknown) =>
        port.postMessage({
          failed: request.locationId,
          message: error instanceof Error ? error.message : String(error),
        } satisfies RefreshReply),
    );
  });
}
