/**
 * `npm run bench:cells` (scripts/bench/batchInProcess.ts) as a real process on a store of the two
 * fixture bundles: it refreshes, loads once, computes the batch's cells on a fresh context per
 * run, and with `--against` alternates another build — here the same build, so both give the
 * same answers, which is what the MD5 is for. No timing is asserted.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { fixture, openTestStore } from '../../support/testStore';

const DIST = path.join(__dirname, '..', '..', '..', 'dist');
const SCRIPT = path.join(DIST, 'scripts', 'bench', 'batchInProcess.js');

describe('the batch cells in one process', () => {
  it('answers every run of both builds alike, alternating them', async () => {
    expect(fs.existsSync(SCRIPT)).toBe(true); // `npm test` builds before running jest
    const t = openTestStore();
    try {
      await t.ingest([fixture('north'), fixture('south')]);
      await t.store.close();
      const run = spawnSync(
        process.execPath,
        ['--expose-gc', SCRIPT, '--store', t.file, '--tenant', 't1', '--runs', '2', '--against', DIST],
        { encoding: 'utf8' },
      );
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const [load, ...runs] = run.stdout
        .trim()
        .split('\n')
        .map(
          (line) => JSON.parse(line) as { loadSeconds?: number; run?: number; build?: string; md5?: string },
        );
      expect(typeof load?.loadSeconds).toBe('number');
      expect(runs.map((r) => [r.run, r.build])).toEqual([
        [1, DIST],
        [1, 'this build'],
        [2, DIST],
        [2, 'this build'],
      ]);
      expect(new Set(runs.map((r) => r.md5)).size).toBe(1);
    } finally {
      fs.rmSync(t.dir, { recursive: true, force: true });
    }
  });
});
