import { spawnSync } from 'node:child_process';
import path from 'node:path';

import { growOldGenerationByAQuarter, WANTED_HEAP_GROWING_PERCENT } from '../../io/heapGrowth';

/*
 * The API's hosts set the old generation's growth in-process (they are never re-launched): in
 * a real Node process, and never over a --heap-growing-percent the user or the platform gave.
 */

const COMPILED = path.resolve(__dirname, '../../dist/io/heapGrowth.js');

function setIn(nodeFlags: string[], env: Record<string, string> = {}): string {
  const result = spawnSync(
    process.execPath,
    [
      ...nodeFlags,
      '-e',
      `process.stdout.write(String(require(${JSON.stringify(COMPILED)}).growOldGenerationByAQuarter()))`,
    ],
    { encoding: 'utf8', env: { ...process.env, ...env } },
  );
  expect(result.status).toBe(0);
  return result.stdout;
}

describe('the old generation grown by a quarter in a running host', () => {
  it('is set in a process that names no growth of its own', () => {
    expect(WANTED_HEAP_GROWING_PERCENT).toBe(25);
    expect(setIn([])).toBe('true');
  });

  it('leaves a growth given on the command line (or among the flags in force) as it is', () => {
    expect(setIn(['--heap-growing-percent=50'])).toBe('false');
    expect(growOldGenerationByAQuarter(' --max-old-space-size=4096 --heap-growing-percent=10')).toBe(false);
  });
});
