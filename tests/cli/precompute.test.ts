import fs from 'node:fs';
import path from 'node:path';

import { main } from '../../cli/caliper';
import { engineFingerprint } from '../../io/engineFingerprint';
import { METRICS } from '../../shared/metrics/catalog';
import { standardCells, storedCellKey } from '../../shared/metrics/cellAnswers';
import { openMetrics } from '../../shared/metrics/openMetrics';
import { SqliteStore } from '../../store/sqlite/sqlite-store';
import { fixture, tempDir } from '../support/testStore';

/*
 * `caliper precompute` after `caliper ingest`: every metric a location is asked for, for the
 * portfolio and each location (the north and south fixtures: L1 and L2) over the 42 standard
 * periods, stored under the data version; a tenant without data is told so and nothing is stored.
 */

let dir: string;
let store: string;
let stdout: string;

async function run(args: string[]): Promise<number> {
  stdout = '';
  return main([...args, '--store', store, '--tenant', 't1']);
}

beforeAll(() => {
  dir = tempDir('caliper-precompute-');
  store = path.join(dir, 'caliper.db');
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterAll(() => {
  jest.restoreAllMocks();
  // The store and the tenant's key (secrets/) with it: nothing of a test's tenant left in the temp folder.
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('caliper precompute', () => {
  it('says a tenant without data has nothing to precompute, and exits 1', async () => {
    expect(await run(['precompute'])).toBe(1);
    expect(stdout).toContain('no ingested data yet');
  });

  it('stores every standard cell of the ingested data under its data version', async () => {
    expect(await run(['ingest', fixture('north'), fixture('south')])).toBe(0);
    expect(await run(['precompute', '--json'])).toBe(0);
    const metrics = METRICS.filter((m) => m.scopes.includes('location') && m.id !== 'utilization_heatmap');
    // 42 periods × (the portfolio, L1, L2) × the metrics.
    const cells = 42 * 3 * metrics.length;
    const s = SqliteStore.open(store);
    try {
      const version = await s.dataVersion('t1');
      expect(JSON.parse(stdout)).toEqual({ data_version: version, cells, stored: true });
      const ctx = await openMetrics(s, 't1');
      const keys = standardCells(ctx).map((c) =>
        storedCellKey({ settings: ctx.settings, engine: engineFingerprint() }, c),
      );
      expect(keys).toHaveLength(cells);
      expect((await s.storedAnswers('t1', version, keys)).filter((a) => a !== undefined)).toHaveLength(cells);
    } finally {
      await s.close();
    }
    expect(await run(['precompute'])).toBe(0);
    expect(stdout).toContain(`Stored ${cells.toLocaleString('en-US')} answers of data version`);
  });
});
