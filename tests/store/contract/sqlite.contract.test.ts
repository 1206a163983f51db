import fs from 'node:fs';
import path from 'node:path';

import { SqliteStore } from '../../../store/sqlite/sqlite-store';
import { tempDir } from '../../support/testStore';
import { describeStoreContract, takeContractTenants } from './storeContract';

/** The contract over a fresh SQLite file opened with `options`, removed afterwards. */
function describeSqliteContract(name: string, options: Parameters<typeof SqliteStore.open>[1]): void {
  describeStoreContract(name, () => {
    const dir = tempDir('caliper-contract-sqlite-');
    const store = SqliteStore.open(path.join(dir, 'caliper.db'), options);
    return Promise.resolve({
      store,
      async cleanup() {
        takeContractTenants();
        await store.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    });
  });
}

// SQLite runs everywhere, so the contract always runs at least against it.
describeSqliteContract('SQLite', {});

// The same contract with each ingest's transaction on a worker thread (workerIngest.ts), as the
// CLI and the API run it: the compiled worker (npm test builds dist/ before jest runs), for
// every ingest however small.
describeSqliteContract('SQLite, ingest on a worker thread', {
  ingestWorker: path.join(__dirname, '..', '..', '..', 'dist', 'store', 'sqlite', 'ingestWorker.js'),
  ingestWorkerMinBytes: 0,
});
