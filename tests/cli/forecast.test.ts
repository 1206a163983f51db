import fs from 'node:fs';
import path from 'node:path';

import { main } from '../../cli/caliper';
import { writeDemoPortfolio } from '../../cli/demo/writeDemoPortfolio';
import { openTestStore, type TestStore } from '../support/testStore';

let t: TestStore;
let stdout: string;
let stderr: string;
let patientIds: string[];

beforeAll(async () => {
  t = openTestStore();
  const demo = await writeDemoPortfolio({
    locations: 1,
    years: 1,
    seed: 5,
    endMonth: '2026-10',
    outDir: path.join(t.dir, 'demo'),
  });
  await t.ingest(demo.bundles);
  patientIds = fs
    .readFileSync(path.join(demo.bundles[0] as string, 'patients.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1, 40)
    .map((line) => line.split(',')[0] as string);
}, 60_000);

afterAll(async () => {
  await t.close();
});

beforeEach(() => {
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
});

afterEach(() => {
  jest.restoreAllMocks();
});

async function run(...args: string[]): Promise<number> {
  stdout = '';
  stderr = '';
  return main(['forecast', ...args, '--store', t.file, '--tenant', 't1']);
}

interface MonthJson {
  month: string;
  horizon: number;
  total_cents: number;
  components: { returning_cents: number; new_patients_cents: number; other_cents: number };
  categories: Record<string, { cents: number; returning_cents: number; new_patients_cents: number }>;
  seasonal_naive: { from: string; total_cents: number | null; reason?: string };
}

interface ForecastJson {
  location_id: string;
  origin: string;
  category: string | null;
  months: MonthJson[];
  inputs: { patients: number; bgnbd: { r: number } | null; p_alive: string };
}

describe('caliper forecast', () => {
  it('prints the next 3 months in dollars: total, components, seasonal naive, and by category', async () => {
    expect(await run('--location', 'L001')).toBe(0);
    expect(stdout).toContain('Revenue forecast for L001: 3 month(s) after 2026-10 (data through 2026-10-31)');
    expect(stdout).toMatch(/month\s+net revenue\s+returning\s+new patients\s+other\s+seasonal naive/);
    for (const month of ['2026-11', '2026-12', '2027-01'])
      expect(stdout).toMatch(new RegExp(`${month}\\s+\\$[\\d,]+\\.\\d\\d`));
    expect(stdout).toContain('By service category:');
    expect(stdout).toMatch(/neurotoxin\s+\$/);
    expect(stdout).toMatch(/P\(alive\): BG\/NBD r=/);
  });

  it('prints JSON in integer cents whose parts add up, with no patient identifier', async () => {
    expect(await run('--location', 'L001', '--json')).toBe(0);
    const json = JSON.parse(stdout) as ForecastJson;
    expect(json).toMatchObject({ location_id: 'L001', origin: '2026-10', category: null });
    expect(json.inputs.p_alive).toBe('bgnbd');
    expect(json.months.map((m) => m.month)).toEqual(['2026-11', '2026-12', '2027-01']);
    for (const m of json.months) {
      const parts = Object.values(m.categories);
      expect(parts.reduce((s, c) => s + c.cents, 0) + m.components.other_cents).toBe(m.total_cents);
      expect(parts.reduce((s, c) => s + c.returning_cents, 0)).toBe(m.components.returning_cents);
      expect(Number.isInteger(m.total_cents)).toBe(true);
      expect(m.total_cents).toBeGreaterThan(0);
      // One year of data: the same month a year earlier is in it.
      expect(m.seasonal_naive.total_cents).not.toBeNull();
    }
    expect(patientIds.length).toBeGreaterThan(10);
    for (const id of patientIds) expect(stdout).not.toContain(id);
  });

  it('--category, --months and --as-of', async () => {
    expect(
      await run(
        '--location',
        'L001',
        '--category',
        'neurotoxin',
        '--months',
        '2',
        '--as-of',
        '2026-08',
        '--json',
      ),
    ).toBe(0);
    const json = JSON.parse(stdout) as ForecastJson;
    expect(json).toMatchObject({ origin: '2026-08', category: 'neurotoxin' });
    expect(json.months.map((m) => m.month)).toEqual(['2026-09', '2026-10']);
    expect(Object.keys(json.months[0]!.categories)).toEqual(['neurotoxin']);

    expect(await run('--location', 'L001', '--category', 'neurotoxin')).toBe(0);
    expect(stdout).toMatch(/month\s+neurotoxin\s+returning\s+new patients/);
    expect(stdout).not.toContain('By service category:');
  });

  it('exits 1 with the reason when the location has too little history before the origin', async () => {
    expect(await run('--location', 'L001', '--as-of', '2026-02')).toBe(1);
    expect(stderr).toMatch(
      /error: L001 has 2025-11 … 2026-02 before the origin: the forecast needs 7 complete months/,
    );
    expect(await run('--location', 'L001', '--as-of', '2026-02', '--json')).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({
      location_id: 'L001',
      error: { code: 'insufficient_history' },
    });
  });

  it('exits 2 on a usage error', async () => {
    expect(await run('--location', 'L001', '--months', '13')).toBe(2);
    expect(stderr).toContain('--months "13": expected a whole number from 1 to 12');
    expect(await run('--location', 'L001', '--as-of', '2026-13')).toBe(2);
    expect(await run('--location', 'L001', '--category', 'botox')).toBe(2);
    expect(await run('--location', 'NOPE')).toBe(2);
    expect(stderr).toContain('Unknown location "NOPE"');
    expect(await run('--location', 'L001', '--as-of', '2027-01')).toBe(2);
    expect(await run()).toBe(2);
  });
});
