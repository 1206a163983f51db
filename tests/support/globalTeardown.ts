import fs from 'node:fs';

import { RUN_CACHE_ENV } from './runCache';

/** Jest's global teardown: the run's cache folder made by globalSetup.ts goes. */
export default function globalTeardown(): void {
  const root = process.env[RUN_CACHE_ENV];
  if (root !== undefined && root !== '') fs.rmSync(root, { recursive: true, force: true });
  delete process.env[RUN_CACHE_ENV];
}
