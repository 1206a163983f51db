import { SqliteStore } from '../store/sqlite/sqlite-store';

/** Opens the store for one command and closes it whatever happens. */
export async function withStore<T>(storeFile: string, run: (store: SqliteStore) => Promise<T>): Promise<T> {
  const store = SqliteStore.open(storeFile);
  try {
    return await run(store);
  } finally {
    await store.close();
  }
}
