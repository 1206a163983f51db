import fs from 'node:fs';
import path from 'node:path';

import { main } from '../../cli/caliper';
import { readWorkbookCells } from '../support/libreOffice';
import { openTestStore, type TestStore } from '../support/testStore';

// tests/fixtures/metrics/sameStore/portfolio: portfolio net revenue 2025 = 40,300.00 against
// 34,600.00 in 2024 (worked by hand in tests/shared/report/boardReport.test.ts).

let t: TestStore;
let stdout: string;
let stderr: string;

beforeAll(async () => {
  t = openTestStore();
  await t.ingest([path.join(__dirname, '..', 'fixtures', 'metrics', 'sameStore', 'portfolio')]);
});
afterAll(async () => {
  await t.close();
});

beforeEach(() => {
  stdout = '';
  stderr = '';
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

const run = (...args: string[]) => main(['report', ...args, '--store', t.file, '--tenant', 't1']);

describe('caliper report', () => {
  it('writes the board pack to the file named, and only that file', async () => {
    const out = path.join(t.dir, 'packs', 'board.xlsx');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    expect(await run('--period', '2025', '--out', out)).toBe(0);
    expect(stdout).toContain(`Wrote ${out}: Summary, Same-store, Providers`);
    expect(fs.readdirSync(path.dirname(out))).toEqual(['board.xlsx']);
    const cells = await readWorkbookCells(out);
    expect([...cells.keys()]).toEqual([
      'Summary',
      'Same-store',
      'Providers',
      'Membership',
      'Patients',
      'Benchmarks',
      'Money at stake',
      'Data quality',
      'Definitions',
    ]);
    const summary = cells.get('Summary');
    const netRow = [...(summary?.entries() ?? [])].find(([, r]) => r.value === 'Net revenue')?.[0];
    const row = netRow?.replace(/^[A-Z]+/, '');
    expect(summary?.get(`B${row}`)?.value).toBe(40300);
    expect(summary?.get(`C${row}`)?.value).toBe(34600);
    // The Definitions sheet names the files the figures came from.
    const sources = [...(cells.get('Definitions')?.values() ?? [])].map((r) => r.value);
    expect(sources).toEqual(expect.arrayContaining(['sales.csv', 'locations.csv']));
  });

  it('names a default file after the period in the working folder', async () => {
    const cwd = process.cwd();
    const folder = path.join(t.dir, 'cwd');
    fs.mkdirSync(folder, { recursive: true });
    process.chdir(folder);
    try {
      expect(await run('--period', '2025-Q4')).toBe(0);
    } finally {
      process.chdir(cwd);
    }
    expect(fs.readdirSync(folder)).toEqual(['board-pack-2025-Q4.xlsx']);
  });

  it('refuses a bad period, an unknown location and a file that is not .xlsx, writing nothing', async () => {
    const out = path.join(t.dir, 'refused.xlsx');
    expect(await run('--period', '2025-Q5', '--out', out)).toBe(2);
    expect(stderr).toContain('2025-Q5');
    expect(await run('--period', '2025', '--locations', 'C1,NOPE', '--out', out)).toBe(2);
    expect(stderr).toContain('Unknown location "NOPE"');
    expect(await run('--period', '2025', '--out', path.join(t.dir, 'board.csv'))).toBe(2);
    expect(stderr).toContain('expected a .xlsx file');
    expect(fs.existsSync(out)).toBe(false);
  });
});
