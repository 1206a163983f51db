import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * A folder of things built once per jest run and copied by every suite that needs them (the
 * demos' CSVs, the stores they ingest into, the built add-in): many suites start from the same
 * few, and generating and ingesting them again in each one cost most of the run. The folder is
 * made by tests/support/globalSetup.ts and removed by globalTeardown.ts, so nothing outlives a
 * run and nothing from an older checkout is ever reused. Without it (a run that skips the global
 * setup), `cached` answers undefined and callers build their own, as before.
 */
export const RUN_CACHE_ENV = 'CALIPER_TEST_RUN_CACHE';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The cache entry named by `key`: a folder that `build` filled, once in this run, whichever test
 * worker got there first (the others wait for it). Callers copy out of it and never write into
 * it. A build that throws leaves no entry: the error is the calling suite's, and the next caller
 * builds again.
 */
export async function cached(
  key: string,
  build: (dir: string) => Promise<void>,
): Promise<string | undefined> {
  const root = process.env[RUN_CACHE_ENV];
  if (root === undefined || root === '' || !fs.existsSync(root)) return undefined;
  const entry = path.join(root, createHash('sha256').update(key).digest('hex').slice(0, 24));
  const lock = `${entry}.lock`;
  for (;;) {
    if (fs.existsSync(entry)) return entry;
    try {
      fs.mkdirSync(lock);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // Another worker builds it. A builder that died (or never wrote its pid within a minute)
      // leaves its lock behind: take it over.
      const pidFile = path.join(lock, 'pid');
      const pid = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8')) : NaN;
      const stale = Number.isInteger(pid)
        ? !alive(pid)
        : Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? 0) > 60_000;
      if (stale) fs.rmSync(lock, { recursive: true, force: true });
      else await sleep(100);
      continue;
    }
    const building = `${entry}.building-${process.pid}`;
    try {
      fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
      fs.rmSync(building, { recursive: true, force: true });
      fs.mkdirSync(building);
      fs.writeFileSync(path.join(building, 'key.txt'), `${key}\n`);
      await build(building);
      fs.renameSync(building, entry);
      return entry;
    } finally {
      fs.rmSync(building, { recursive: true, force: true });
      fs.rmSync(lock, { recursive: true, force: true });
    }
  }
}
