import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { RUN_CACHE_ENV } from './runCache';

/**
 * Jest's global setup: the run's cache folder (tests/support/runCache.ts), in the environment
 * the test workers are started with. globalTeardown.ts removes it.
 */
export default function globalSetup(): void {
  process.env[RUN_CACHE_ENV] = fs.mkdtempSync(path.join(os.tmpdir(), 'caliper-test-run-'));
}
