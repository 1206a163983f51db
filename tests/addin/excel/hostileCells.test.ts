/*
 * Issue 11, item 6: every cell the add-in writes is a value, never a formula from source text.
 * The board pack and the snapshot are driven with hostile location, provider and benchmark
 * texts through the Excel stand-in (tests/addin/support/excelStandIn.ts), which reads what is
 * written as Excel does: a text starting with = + - @ written through values or formulas
 * becomes a formula there, as it would in Excel. No cell may hold a formula but Caliper's own.
 */
import fc from 'fast-check';

import { type BoardPackInput, type BoardPackSheet, boardPackSheets } from '../../../addin/excel/boardPack';
import { kpiCaliperFormula, kpiFormula } from '../../../addin/excel/formulas';
import { excelWorkbook } from '../../../addin/excel/workbook';
import { CaliperFormula, startsFormula } from '../../../shared/model/spreadsheetCells';
import {
  installExcelStandIn,
  STAND_IN_VALUE,
  type StandInCell,
  type StandInSheet,
  type StandInWindow,
} from '../support/excelStandIn';

const HOSTILE = [
  '=HYPERLINK("http://evil","x")',
  "+cmd|' /C calc'!A0",
  '@SUM(1)',
  '-2+3',
  '\t=1+1',
  '\r=1+1',
  "'=1+1",
  '=CALIPER.KPI("net_revenue","PORTFOLIO",$B$2)',
];
const HOSTILE_ID = 'L9"),HYPERLINK("http://evil","x"),("';

const GLOBALS = [
  'window',
  'Excel',
  'Office',
  'CustomFunctions',
  '__excelWrites',
  '__excelModel',
  '__officeAssociations',
  '__excelResults',
];

let excel: StandInWindow;

beforeEach(() => {
  const g = globalThis as unknown as Record<string, unknown>;
  g.window = globalThis;
  installExcelStandIn();
  excel = globalThis as unknown as StandInWindow;
});

afterEach(() => {
  for (const name of GLOBALS) delete (globalThis as unknown as Record<string, unknown>)[name];
});

function hostileInput(period = 'LTM'): BoardPackInput {
  const locations = [
    ...HOSTILE.map((name, i) => ({ id: `L${i + 1}`, name })),
    { id: HOSTILE_ID, name: 'Contour – Charleston' },
  ];
  const line = (providerId: string, name: string, locationId: string, production: number) => ({
    providerId,
    name,
    locationId,
    production,
    compensation: production / 2,
    contribution: production / 2,
  });
  return {
    period: { typed: period, cell: period, start: '2025-12-01', end: '2026-11-30' },
    asOfMonth: '2026-11',
    locations,
    sameStore: { comparable: locations.map((l) => l.id), excluded: [] },
    // Largest production first, as the sheet ranks them.
    providerLines: [
      line('P1', '=HYPERLINK("http://evil","provider")', 'L1', 400),
      line('P1', '=HYPERLINK("http://evil","provider")', HOSTILE_ID, 300),
      line('-P2', '@SUM(1)', 'L2', 200),
      // A provider at a location the portfolio does not name: the id is written as the name.
      line('P3', 'Jane Smith', '=cmd|"/C calc"!A0', 100),
    ],
    benchmarks: {
      metric: 'avg_ticket',
      label: '=EVIL()',
      unit: 'usd',
      rows: [
        {
          locationId: 'L1',
          value: -5,
          p25: 300,
          median: 380,
          p75: 450,
          percentile: 62,
          cohort: '+size band M',
          cohortSize: 8,
          note: '-2+3',
        },
        {
          locationId: '@L2',
          value: null,
          p25: null,
          median: null,
          p75: null,
          percentile: null,
          cohort: '',
          cohortSize: null,
          note: '=1+1',
        },
      ],
    },
  };
}

/** Every formula text the specs hold: the only formulas a cell may hold. */
function caliperFormulas(sheets: BoardPackSheet[]): Set<string> {
  return new Set(
    sheets.flatMap((s) => s.rows.flat().flatMap((c) => (c instanceof CaliperFormula ? [c.text] : []))),
  );
}

const allCells = (sheets: StandInSheet[]): [string, string, StandInCell][] =>
  sheets.flatMap((s) =>
    Object.entries(s.cells).map(([address, cell]): [string, string, StandInCell] => [s.name, address, cell]),
  );

function sheet(name: string): StandInSheet {
  const found = excel.__excelModel().find((s) => s.name === name);
  if (found === undefined) throw new Error(`no sheet ${name}`);
  return found;
}

/** Every string written through Range.values; every entry written through Range.formulas. */
function written(op: 'values' | 'formulas'): unknown[] {
  return excel.__excelWrites.filter((w) => w.op === op).flatMap((w) => (w.data as unknown[][]).flat());
}

describe('the board pack with hostile names, ids and notes', () => {
  it('holds no formula but Caliper’s own, and shows every text as it came', async () => {
    const sheets = boardPackSheets(hostileInput());
    const ours = caliperFormulas(sheets);
    await excelWorkbook.buildBoardPack(sheets);

    const cells = allCells(excel.__excelModel());
    const formulaCells = cells.filter(([, , c]) => c.formula !== null);
    expect(formulaCells.map(([, , c]) => c.formula).filter((f) => !ours.has(f!))).toEqual([]);
    expect(formulaCells).toHaveLength(
      sheets.reduce((n, s) => n + s.rows.flat().filter((c) => c instanceof CaliperFormula).length, 0),
    );

    // Nothing reaches Excel that it would read as a formula, but Caliper's formulas.
    expect(written('values').filter((v) => typeof v === 'string' && startsFormula(v))).toEqual([]);
    expect(written('formulas').filter((f) => f !== null && !ours.has(f as string))).toEqual([]);

    // Each hostile name is the cell's text, unchanged, and a text.
    const sameStore = sheet('Same-store');
    HOSTILE.forEach((name, i) => {
      expect(sameStore.cells[`A${5 + i}`]).toMatchObject({ formula: null, value: name, quotePrefix: true });
    });
    expect(sameStore.cells[`A${5 + HOSTILE.length}`]).toEqual({
      formula: null,
      value: 'Contour – Charleston',
      numberFormat: 'General',
    });

    const pnl = sheet('Provider P&L');
    expect(pnl.cells.A5).toMatchObject({ formula: null, value: '=HYPERLINK("http://evil","provider")' });
    expect(pnl.cells.F6).toMatchObject({ formula: null, value: 'Contour – Charleston' });
    expect(pnl.cells.A7).toMatchObject({ formula: null, value: '@SUM(1)' });
    expect(pnl.cells.F8).toMatchObject({ formula: null, value: '=cmd|"/C calc"!A0', quotePrefix: true });

    const benchmarks = sheet('Benchmarks');
    expect(benchmarks.cells.B4).toMatchObject({ formula: null, value: '=EVIL()' });
    expect(benchmarks.cells.A6).toMatchObject({ formula: null, value: '@L2' });
    expect(benchmarks.cells.G5).toMatchObject({ formula: null, value: '+size band M', quotePrefix: true });
    expect(benchmarks.cells.I5).toMatchObject({ formula: null, value: '-2+3' });
    expect(benchmarks.cells.I6).toMatchObject({ formula: null, value: '=1+1' });
    // A negative number is a number.
    expect(benchmarks.cells.B5).toEqual({ formula: null, value: -5, numberFormat: '$#,##0' });
  });

  it('keeps Caliper’s formulas formulas, hostile ids inside their string literals', async () => {
    await excelWorkbook.buildBoardPack(boardPackSheets(hostileInput()));
    const sameStore = sheet('Same-store');
    expect(sameStore.cells.B5).toEqual({
      formula: kpiFormula({ metric: 'net_revenue', location: 'L1', period: { ref: '$B$2' } }),
      value: STAND_IN_VALUE,
      numberFormat: '$#,##0',
    });
    const hostileRow = 5 + HOSTILE.length;
    expect(sameStore.cells[`B${hostileRow}`]?.formula).toBe(
      kpiFormula({ metric: 'net_revenue', location: HOSTILE_ID, period: { ref: '$B$2' } }),
    );
    // The comparable set's total: a SUM over its rows, and the engine's same-store growth.
    expect(sameStore.cells[`B${hostileRow + 1}`]?.formula).toBe(`=SUM(B5:B${hostileRow})`);
    expect(sameStore.cells[`C${hostileRow + 1}`]?.formula).toBe(
      kpiFormula({ metric: 'same_store_revenue_growth', period: { ref: '$B$2' } }),
    );
    for (const [, , cell] of allCells(excel.__excelModel())) {
      if (cell.formula !== null)
        expect(cell.formula.replace(/"(?:[^"]|"")*"/g, '')).toMatch(
          /^=CALIPER\.KPI\(,,\$B\$2\)$|^=SUM\(B5:B\d+\)$|^=SUM\(D5:D\d+\)$/,
        );
    }
  });

  it('writes the period as text, so "2024" stays the calendar year and "-1+1" no formula', async () => {
    await excelWorkbook.buildBoardPack(boardPackSheets(hostileInput('2024')));
    expect(sheet('Same-store').cells.B2).toMatchObject({ formula: null, value: '2024', quotePrefix: true });
    await excelWorkbook.buildBoardPack(boardPackSheets(hostileInput('-1+1')));
    expect(sheet('Membership').cells.B2).toMatchObject({ formula: null, value: '-1+1', quotePrefix: true });
  });

  it('holds no formula but Caliper’s own for any location or provider name (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ unit: 'grapheme' }), { minLength: 1, maxLength: 4 }),
        async (names) => {
          const input: BoardPackInput = {
            ...hostileInput(),
            locations: names.map((name, i) => ({ id: `L${i}`, name })),
            sameStore: { comparable: names.map((_, i) => `L${i}`), excluded: [] },
            providerLines: names.map((name, i) => ({
              providerId: `P${i}`,
              name,
              locationId: `L${i}`,
              production: 100 - i,
              compensation: null,
              contribution: null,
            })),
          };
          const sheets = boardPackSheets(input);
          const ours = caliperFormulas(sheets);
          await excelWorkbook.buildBoardPack(sheets);
          const stray = allCells(excel.__excelModel()).filter(
            ([, , c]) => c.formula !== null && !ours.has(c.formula),
          );
          const shown = names.map((_, i) => sheet('Same-store').cells[`A${5 + i}`]?.value ?? '');
          return stray.length === 0 && shown.every((v, i) => v === names[i]);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('the snapshot of CALIPER cells answering hostile text', () => {
  it('keeps a text answer text, an error an error, a number a number: no CALIPER formula remains', async () => {
    const hyperlink = '=HYPERLINK("http://evil","x")';
    const l1 = kpiCaliperFormula({ metric: 'net_revenue', location: 'L1', period: { ref: '$B$2' } });
    const l2 = kpiCaliperFormula({ metric: 'net_revenue', location: 'L2', period: { ref: '$B$2' } });
    excel.__excelResults[l1.text] = hyperlink;
    excel.__excelResults[l2.text] = '#N/A';
    await excelWorkbook.buildBoardPack(boardPackSheets(hostileInput()));
    expect(sheet('Same-store').cells.B5).toMatchObject({ formula: l1.text, value: hyperlink });

    const result = await excelWorkbook.snapshotToValues('workbook');
    expect(result.cells).toBeGreaterThan(20);

    const cells = allCells(excel.__excelModel());
    // No CALIPER formula remains; the comparable set's SUMs need no add-in, so they stay live.
    expect(
      cells.filter(([, , c]) => c.formula !== null).map(([name, address, c]) => [name, address, c.formula]),
    ).toEqual([
      ['Same-store', 'B14', '=SUM(B5:B13)'],
      ['Same-store', 'D14', '=SUM(D5:D13)'],
    ]);
    const sameStore = sheet('Same-store');
    expect(sameStore.cells.B5).toEqual({
      formula: null,
      value: hyperlink,
      numberFormat: '$#,##0',
      quotePrefix: true,
    });
    // Written as Excel's #N/A constant (not behind a quote prefix): it stays an error.
    expect(sameStore.cells.B6).toEqual({ formula: null, value: '#N/A', numberFormat: '$#,##0' });
    expect(sameStore.cells.C5).toEqual({ formula: null, value: STAND_IN_VALUE, numberFormat: '0.0%' });
    expect(sameStore.cells.A5).toMatchObject({ formula: null, value: HOSTILE[0], quotePrefix: true });
  });
});

describe('insertFormula through the stand-in', () => {
  it('writes the builder’s formula, and refuses a hostile one', async () => {
    const address = await excelWorkbook.insertFormula('=CALIPER.KPI("visits","L1","LTM")', 'C9');
    expect(address).toBe('Sheet1!C9');
    expect(sheet('Sheet1').cells.C9).toMatchObject({ formula: '=CALIPER.KPI("visits","L1","LTM")' });
    await expect(excelWorkbook.insertFormula('=HYPERLINK("http://evil","x")', 'C10')).rejects.toThrow();
    expect(sheet('Sheet1').cells.C10).toBeUndefined();
  });
});
