import type { JWTVerifyGetKey } from 'jose';

import type { CaliperStore } from '../shared/store/store.port';
import { SqliteStore } from '../store/sqlite/sqlite-store';
import { type Authenticator, createAuthenticator } from './auth';
import { type FunctionsConfig, readFunctionsConfig } from './config';
import { IngestJobs } from './ingestJobs';
import { MetricsCache } from './metricsCache';
import { openStore } from './openStore';
import { WriteLock } from './writeLock';

/** What the handlers need from the outside world, built once per process. */
export interface Runtime {
  config: FunctionsConfig;
  /** Reads: sees committed data only. */
  store: CaliperStore;
  /** Ingests and refreshes, one at a time under `writeLock`: a second SQLite connection to the same file. */
  writer: CaliperStore;
  writeLock: WriteLock;
  metrics: MetricsCache;
  authenticate: Authenticator;
  ingestJobs: IngestJobs;
  /** Closes the connections the runtime opened itself (the writer), not the store it was given. */
  close(): Promise<void>;
}

/**
 * On SQLite a write transaction spans many awaits while an upload streams in; requests served
 * meanwhile on the same connection would read its uncommitted rows. A second connection to the
 * same file (WAL: readers see the last commit) keeps them apart. Other stores isolate
 * transactions themselves.
 */
function writerFor(store: CaliperStore): { writer: CaliperStore; owned: boolean } {
  if (store instanceof SqliteStore && store.db.name !== ':memory:' && !store.db.memory) {
    return { writer: SqliteStore.open(store.db.name), owned: true };
  }
  return { writer: store, owned: false };
}

/** `jwks` stands in for Entra's signing keys, so tests can sign tokens with a local key pair. */
export function createRuntime(
  config: FunctionsConfig,
  store: CaliperStore,
  options: { jwks?: JWTVerifyGetKey } = {},
): Runtime {
  const { writer, owned } = writerFor(store);
  const writeLock = new WriteLock();
  return {
    config,
    store,
    writer,
    writeLock,
    metrics: new MetricsCache(store, writer, writeLock),
    authenticate: createAuthenticator(config.auth, store, options.jwks),
    ingestJobs: new IngestJobs(),
    close: async () => {
      if (owned) await writer.close();
    },
  };
}

let current: Runtime | undefined;

/** Opened on first use rather than at import, so registering triggers never touches the disk. */
export function runtime(): Runtime {
  if (!current) {
    const config = readFunctionsConfig();
    current = createRuntime(config, openStore(config));
  }
  return current;
}

/** Tests point the handlers at a temporary store; `undefined` goes back to the environment. */
export function setRuntimeForTests(next: Runtime | undefined): void {
  current = next;
}
