import type { JWTVerifyGetKey } from 'jose';

import type { CaliperStore } from '../shared/store/store.port';
import { type Authenticator, createAuthenticator } from './auth';
import { type FunctionsConfig, readFunctionsConfig } from './config';
import { IngestJobs } from './ingestJobs';
import { MetricsCache } from './metricsCache';
import { openStore } from './openStore';

/** What the handlers need from the outside world, built once per process. */
export interface Runtime {
  config: FunctionsConfig;
  store: CaliperStore;
  metrics: MetricsCache;
  authenticate: Authenticator;
  ingestJobs: IngestJobs;
}

/** `jwks` stands in for Entra's signing keys, so tests can sign tokens with a local key pair. */
export function createRuntime(
  config: FunctionsConfig,
  store: CaliperStore,
  options: { jwks?: JWTVerifyGetKey } = {},
): Runtime {
  return {
    config,
    store,
    metrics: new MetricsCache(store),
    authenticate: createAuthenticator(config.auth, store, options.jwks),
    ingestJobs: new IngestJobs(),
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
