import fs from 'node:fs';
import path from 'node:path';

import Database from 'better-sqlite3';

import { main } from '../../cli/caliper';
import { fixture, tempDir } from '../support/testStore';

/*
 * `caliper metrics --as-reported-at` through the real CLI on a real SQLite file: north and south
 * (ingest 1), then a correction of north's sales (ingest 2: S5 520.00 → 560.00, S7 45.50 added;
 * tests/fixtures/restatements/README.md works the numbers out by hand). The two ingests are dated
 * 2025-01-10 and 2025-02-10 in the file, so dates can name them.
 */

const CORRECTION = path.join(__dirname, '..', 'fixtures', 'restatements', 'north_correction');

let dir: string;
let store: string;
let out = '';
let err = '';

async function run(...args: string[]): Promise<number> {
  out = '';
  err = '';
  return main([...args, '--store', store]);
}

interface Listing {
  as_reported: { ingest_id: number; finished_at: string; label: string };
  records: { metric: string; location_id: string | null; provider_id: string | null; value: number | null }[];
}

async function netRevenue(asReportedAt: string): Promise<Listing> {
  expect(
    await run(
      'metrics',
      '--period',
      '2024',
      '--metric',
      'net_revenue',
      '--json',
      '--as-reported-at',
      asReportedAt,
    ),
  ).toBe(0);
  return JSON.parse(out) as Listing;
}

const byScope = (listing: Listing) =>
  Object.fromEntries(
    listing.records.filter((r) => r.provider_id === null).map((r) => [r.location_id ?? 'portfolio', r.value]),
  );

beforeAll(async () => {
  dir = tempDir('caliper-as-reported-cli-');
  store = path.join(dir, 'caliper.db');
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  });
  expect(await run('ingest', fixture('north'), fixture('south'))).toBe(0);
  expect(await run('ingest', CORRECTION)).toBe(0);
  const db = new Database(store);
  try {
    const date = db.prepare('UPDATE ingests SET finished_at = ? WHERE ingest_id = ?');
    date.run('2025-01-10T12:00:00.000Z', 1);
    date.run('2025-02-10T12:00:00.000Z', 2);
  } finally {
    db.close();
  }
});

afterAll(() => {
  jest.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('caliper metrics --as-reported-at', () => {
  it('lists the figures as they stood after ingest 1, by its id or by a date, and says which ingest', async () => {
    for (const asReportedAt of ['1', '#1', '2025-01-31', '2025-02-10T11:59']) {
      const listing = await netRevenue(asReportedAt);
      expect(listing.as_reported).toMatchObject({ ingest_id: 1, finished_at: '2025-01-10T12:00:00.000Z' });
      expect(byScope(listing)).toEqual({ portfolio: 1579, L1: 1000, L2: 579 });
    }
    const corrected = await netRevenue('2025-02-10');
    expect(corrected.as_reported.ingest_id).toBe(2);
    expect(byScope(corrected)).toEqual({ portfolio: 1664.5, L1: 1085.5, L2: 579 });
  });

  it('prints the ingest above the table, and the current figures without the option', async () => {
    expect(await run('metrics', '--period', '2024', '--metric', 'net_revenue', '--as-reported-at', '1')).toBe(
      0,
    );
    expect(out).toMatch(/^As reported at ingest #1, committed 2025-01-10T12:00:00\.000Z:\nMetrics for 2024/);
    expect(out).toMatch(/\nPortfolio\n {2}Net revenue\s+net_revenue\s+\$1,579\.00/);
    expect(out).toMatch(/\nL1 · North Dallas\n {2}Net revenue\s+net_revenue\s+\$1,000\.00/);

    expect(await run('metrics', '--period', '2024', '--metric', 'net_revenue')).toBe(0);
    expect(out).not.toContain('As reported');
    expect(out).toMatch(/\nPortfolio\n {2}Net revenue\s+net_revenue\s+\$1,664\.50/);
    expect(out).toMatch(/\nL1 · North Dallas\n {2}Net revenue\s+net_revenue\s+\$1,085\.50/);
  });

  it('exits 2 naming the value for an unknown ingest, a date before the first ingest, or neither', async () => {
    expect(await run('metrics', '--period', '2024', '--as-reported-at', '7')).toBe(2);
    expect(err).toContain('--as-reported-at "7": no ingest #7 in this tenant (its ingests: #1, #2)');
    expect(await run('metrics', '--period', '2024', '--as-reported-at', '2025-01-09')).toBe(2);
    expect(err).toContain(
      '--as-reported-at "2025-01-09": no ingest had finished by the end of 2025-01-09 (UTC); the first, #1, finished at 2025-01-10T12:00:00.000Z',
    );
    expect(await run('metrics', '--period', '2024', '--as-reported-at', 'yesterday')).toBe(2);
    expect(err).toContain(
      '--as-reported-at "yesterday": expected an ingest id (e.g. 3) or a date (YYYY-MM-DD',
    );
    expect(out).toBe('');
  });
});
