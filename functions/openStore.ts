import type { CaliperStore } from '../shared/store/store.port';
import { openAzureSqlStore } from '../store/azuresql/azureSqlStore';
import { SqliteStore } from '../store/sqlite/sqlite-store';
import type { FunctionsConfig } from './config';

/**
 * A store whose connection is opened on first use. Azure SQL connects (and migrates) over the
 * network, which cannot happen while a trigger registers; every port method waits for the
 * one shared open and then delegates, so the handlers see a plain CaliperStore.
 */
export function lazyStore(open: () => Promise<CaliperStore>): CaliperStore {
  let opened: Promise<CaliperStore> | undefined;
  const ready = () => {
    opened ??= open().catch((error: unknown) => {
      // A failed connect is retried by the next request rather than remembered forever.
      opened = undefined;
      throw error;
    });
    return opened;
  };
  return new Proxy({} as CaliperStore, {
    get(_target, name: string | symbol) {
      if (name === 'then') return undefined;
      if (name === 'close') return async () => (opened ? (await opened).close() : undefined);
      return async (...args: unknown[]) => {
        const store = (await ready()) as unknown as Record<string | symbol, (...a: unknown[]) => unknown>;
        const method = store[name];
        if (typeof method !== 'function') throw new TypeError(`The store has no method ${String(name)}`);
        return method.apply(store, args);
      };
    },
  });
}

/** The store the configuration names: Azure SQL when a connection string is set, else the SQLite file. */
export function openStore(config: FunctionsConfig): CaliperStore {
  const connection = config.azureSqlConnectionString;
  if (connection === undefined) return SqliteStore.open(config.storeFile);
  return lazyStore(() => openAzureSqlStore(connection));
}
