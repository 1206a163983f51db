import fs from 'node:fs';
import path from 'node:path';

import { main } from '../../cli/caliper';
import { readWorkbookCells, type SheetReadings } from '../support/libreOffice';
import { fixture, openTestStore, type TestStore } from '../support/testStore';

/*
 * The board pack as the board saw it, and what restated it (issue 15, item 3), through the CLI
 * on a real SQLite file: the north and south bundles (ingest 1) → the board's pack; then a
 * correction of north's sales (ingest 2: line S5 520.00 → 560.00 and a missing retail line S7 of
 * 45.50, both at L1 in April 2024) → the pack as reported at ingest 1 and its Restatements sheet.
 * Figures worked by hand in tests/fixtures/restatements/README.md:
 *   net revenue      L1 1,000.00 → 1,085.50   portfolio 1,579.00 → 1,664.50
 *   service revenue  L1   920.00 →   960.00   portfolio 1,400.00 → 1,440.00
 *   retail revenue   L1    80.00 →   125.50   portfolio    80.00 →   125.50
 *   average ticket   L1   333.33 →   361.83   portfolio   394.75 →   416.13
 * and, by the same hand: provider production (every L1 service line has a provider) L1 and the
 * portfolio 920.00 → 960.00; provider contribution +40.00 (compensation unchanged). L2 and every
 * count (visits, patients) are untouched.
 */

const CORRECTION = path.join(__dirname, '..', 'fixtures', 'restatements', 'north_correction');

let t: TestStore;
let board: Map<string, SheetReadings>;
let asReported: Map<string, SheetReadings>;

const run = (...args: string[]) => main(['report', ...args, '--store', t.file, '--tenant', 't1']);

beforeAll(async () => {
  t = openTestStore();
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  await t.ingest([fixture('north'), fixture('south')]);
  const boardFile = path.join(t.dir, 'board.xlsx');
  expect(await run('--period', '2024', '--out', boardFile)).toBe(0);
  board = await readWorkbookCells(boardFile);
  await t.ingest([CORRECTION]);
  const restatedFile = path.join(t.dir, 'as-reported.xlsx');
  expect(await run('--period', '2024', '--as-reported-at', '1', '--out', restatedFile)).toBe(0);
  asReported = await readWorkbookCells(restatedFile);
  jest.restoreAllMocks();
}, 60_000);
afterAll(async () => {
  await t.close();
});

/** Rows of a sheet as text cells and values, row by row (A, B, C…). */
function rows(sheet: SheetReadings | undefined): unknown[][] {
  const byRow = new Map<number, Map<string, unknown>>();
  for (const [address, r] of sheet ?? []) {
    const [, column, row] = /^([A-Z]+)(\d+)$/.exec(address) ?? [];
    const cells = byRow.get(Number(row)) ?? new Map<string, unknown>();
    cells.set(column ?? '', r.value);
    byRow.set(Number(row), cells);
  }
  return [...byRow.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, cells]) => ['A', 'B', 'C', 'D', 'E'].map((c) => cells.get(c) ?? null));
}

const round = (v: unknown) => (typeof v === 'number' ? Math.round(v * 100) / 100 : v);

describe('caliper report --as-reported-at', () => {
  it('gives the board the pack it saw: every figure of the pack as reported equals the first pack', () => {
    for (const name of ['Summary', 'Same-store', 'Providers', 'Membership', 'Patients', 'Money at stake']) {
      expect({
        name,
        rows: rows(asReported.get(name)).filter((r) => !String(r[0]).startsWith('Basis')),
      }).toEqual({
        name,
        rows: rows(board.get(name)).filter((r) => !String(r[0]).startsWith('Basis')),
      });
    }
  });

  it('lists exactly the figures that changed, with both values and the change', () => {
    const restated = rows(asReported.get('Restatements'))
      .filter((r) => (r[1] === 'L1' || r[1] === 'L2' || r[1] === 'Portfolio') && typeof r[2] === 'number')
      .map((r) => [r[0], r[1], round(r[2]), round(r[3]), round(r[4])]);
    expect(restated).toEqual(
      expect.arrayContaining([
        ['Net revenue', 'Portfolio', 1579, 1664.5, 85.5],
        ['Net revenue', 'L1', 1000, 1085.5, 85.5],
        ['Service revenue', 'Portfolio', 1400, 1440, 40],
        ['Service revenue', 'L1', 920, 960, 40],
        ['Retail revenue', 'Portfolio', 80, 125.5, 45.5],
        ['Retail revenue', 'L1', 80, 125.5, 45.5],
        ['Average ticket', 'Portfolio', 394.75, 416.13, 21.38],
        ['Average ticket', 'L1', 333.33, 361.83, 28.5],
        ['Provider production', 'Portfolio', 920, 960, 40],
        ['Provider production', 'L1', 920, 960, 40],
      ]),
    );
    const contribution = restated.filter((r) => r[0] === 'Provider contribution');
    expect(contribution.map((r) => [r[1], r[4]])).toEqual([
      ['Portfolio', 40],
      ['L1', 40],
    ]);
    // Nothing of L2 and no count changed; each figure is listed once.
    expect(restated.filter((r) => r[1] === 'L2')).toEqual([]);
    for (const count of ['Visits', 'New patients', 'Active patients', 'Active members', 'Leads']) {
      expect(restated.filter((r) => r[0] === count)).toEqual([]);
    }
    const keys = restated.map((r) => `${String(r[0])}@${String(r[1])}`);
    expect(new Set(keys).size).toBe(keys.length);
    // The other figures listed are those that read the two lines' dollars: per hour of capacity,
    // the gap dollars priced at revenue per visit or hour, the pay ratio, the top-10 % share.
    expect([...new Set(restated.map((r) => r[0]))].sort()).toEqual([
      'Average ticket',
      'Capacity gap ($)',
      'Compensation to production ratio',
      'Net revenue',
      'No-show gap ($)',
      'Provider compensation gap ($)',
      'Provider contribution',
      'Provider production',
      'Provider revenue per hour',
      'Rebooking gap dollars',
      'Retail revenue',
      'Revenue per available provider hour',
      'Service revenue',
      'Top-10% patient revenue share',
    ]);
    expect(restated.length).toBe(28);
  });

  it('names the rows that changed each figure: S5 corrected, S7 added', () => {
    const cited = rows(asReported.get('Restatements'))
      .filter((r) => r[0] === 'Net revenue' && r[1] === 'L1')
      .map((r) => r);
    expect(cited).toHaveLength(1);
    const sheet = asReported.get('Restatements');
    const netRow = [...(sheet?.entries() ?? [])].find(
      ([a, r]) => a.startsWith('A') && r.value === 'Net revenue',
    )?.[0];
    const rowsCell = [...(sheet?.entries() ?? [])].find(
      ([a]) => a.startsWith('G') && a.slice(1) === netRow?.slice(1),
    )?.[1].value;
    expect(rowsCell).toBe(
      'sales.csv S5 (updated by ingest #2, sales.csv row 2); sales.csv S7 (inserted by ingest #2, sales.csv row 3)',
    );
  });

  it('says on the Summary which ingest the figures are as of and that some were restated', () => {
    const basis = rows(asReported.get('Summary')).find((r) => String(r[0]).startsWith('Basis'))?.[0];
    expect(basis).toMatch(
      /^Basis: as reported at ingest #1 of .* UTC; 28 figures restated since \(Restatements sheet\), latest data ingest #2 of /,
    );
    expect(fs.existsSync(path.join(t.dir, 'as-reported.xlsx'))).toBe(true);
  });

  it('refuses an ingest the tenant does not have, naming it', async () => {
    let stderr = '';
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr += String(chunk);
      return true;
    });
    try {
      expect(
        await run('--period', '2024', '--as-reported-at', '7', '--out', path.join(t.dir, 'x.xlsx')),
      ).toBe(2);
    } finally {
      jest.restoreAllMocks();
    }
    expect(stderr).toContain('no ingest #7');
    expect(fs.existsSync(path.join(t.dir, 'x.xlsx'))).toBe(false);
  });
});
