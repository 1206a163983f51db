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
