import type { JWTVerifyGetKey } from 'jose';

import type { CaliperStore } from '../shared/store/store.port';
import { SqliteStore } from '../store/sqlite/sqlite-store';
import { type Authenticator, createAuthenticator } from './auth';
import { type FunctionsConfig, ingestLimitsOf, readFunctionsConfig } from './config';
import { IngestJobs } from './ingestJobs';
import { TenantQueues } from './ingestQueue';
import { sweepStaleUploads, uploadRoot } from './ingestUpload';
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
  /** The store's writer: one for the process on SQLite (one file holds every tenant), one per tenant otherwise. */
  writeLock: WriteLock;
  /** One ingest at a time per tenant, a bounded line behind it (`CALIPER_INGEST_QUEUE`). */
  ingestQueues: TenantQueues;
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
  // SQLite: one write transaction per file, and every tenant is in the one file. Azure SQL
  // serializes a tenant's ingests itself (an application lock per tenant) and lets tenants write
  // side by side.
  const writeLock = new WriteLock(store instanceof SqliteStore ? 'store' : 'tenant');
  const metrics = new MetricsCache(store, writer, writeLock);
  return {
    config,
    store,
    writer,
    writeLock,
    ingestQueues: new TenantQueues(ingestLimitsOf(config).queuedPerTenant),
    metrics,
    authenticate: createAuthenticator(config.auth, store, options.jwks),
    ingestJobs: new IngestJobs(),
    close: async () => {
      // Answers being stored in the background (after an ingest job) finish on open connections.
      await metrics.settle();
      if (owned) await writer.close();
    },
  };
}

let current: Runtime | undefined;

/** An upload folder older than this belongs to no live ingest: the time limit, and a minute's grace. */
export function staleUploadAge(config: FunctionsConfig): number {
  return ingestLimitsOf(config).timeoutMs + 60_000;
}

/**
 * At start: removes the upload folders of processes that died mid-ingest (killed, crashed,
 * out of memory) and any older than the longest an ingest may take. Logged, never fatal.
 */
export async function sweepUploads(config: FunctionsConfig): Promise<string[]> {
  const limits = ingestLimitsOf(config);
  try {
    return await sweepStaleUploads(uploadRoot(limits.uploadRoot), staleUploadAge(config));
  } catch (error) {
    console.error('Could not sweep stale upload folders:', error);
    return [];
  }
}

/** Opened on first use rather than at import, so registering triggers never touches the disk. */
export function runtime(): Runtime {
  if (!current) {
    const config = readFunctionsConfig();
    current = createRuntime(config, openStore(config));
    // The Functions host's first invocation of this instance: what a crashed one left goes.
    void sweepUploads(config);
  }
  return current;
}

/** Tests point the handlers at a temporary store; `undefined` goes back to the environment. */
export function setRuntimeForTests(next: Runtime | undefined): void {
  current = next;
}
