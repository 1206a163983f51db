import fs from 'node:fs';
import path from 'node:path';

import { SqliteStore } from '../../../store/sqlite/sqlite-store';
import { tempDir } from '../../support/testStore';
import { describeStoreContract, takeContractTenants } from './storeContract';

// SQLite runs everywhere, so the contract always runs at least against it.
describeStoreContract('SQLite', () => {
  const dir = tempDir('caliper-contract-sqlite-');
  const store = SqliteStore.open(path.join(dir, 'caliper.db'));
  return Promise.resolve({
    store,
    async cleanup() {
      takeContractTenants();
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  });
});

// The same contract with each ingest's transaction on a worker thread (workerIngest.ts), as the
// CLI and the API run it: the compiled worker (npm test builds dist/ before jest runs).
const INGEST_WORKER = path.join(__dirname, '..', '..', '..', 'dist', 'store', 'sqlite', 'ingestWorker.js');

describeStoreContract('SQLite, ingest on a worker thread', () => {
  const dir = tempDir('caliper-contract-sqlite-worker-');
  const store = SqliteStore.open(path.join(dir, 'caliper.db'), {
    ingestWorker: INGEST_WORKER,
    // Every ingest, however small, so the contract's run on the worker.
    ingestWorkerMinBytes: 0,
  });
  return Promise.resolve({
    store,
    async cleanup() {
      takeContractTenants();
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  });
});
