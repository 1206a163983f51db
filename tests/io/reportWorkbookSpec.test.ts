/*
 * What the workbook writer refuses (a spec Excel would "repair" by dropping parts of it) and
 * what it makes of awkward values, without LibreOffice: read back with exceljs.
 */

import { ReportSpecError, reportWorkbookBuffer } from '../../io/reportWorkbook';
import type { ReportSheet, ReportTable, ReportWorkbook } from '../../shared/report/reportSpec';
import { loadWorkbook } from '../support/libreOffice';

function table(over: Partial<ReportTable> = {}): ReportTable {
  return {
    name: 'Tbl',
    columns: [
      { key: 'name', header: 'Name', unit: 'text' },
      { key: 'a', header: 'A', unit: 'usd' },
      { key: 'b', header: 'B', unit: 'usd' },
    ],
    rows: [['x', 1, 2]],
    ...over,
  };
}

function book(sheet: Partial<ReportSheet> = {}, over: Partial<ReportWorkbook> = {}): ReportWorkbook {
  return {
    title: 'T',
    createdAt: '2026-01-01T00:00:00Z',
    sheets: [{ name: 'S', title: 'S', subtitle: [], tables: [table()], orientation: 'portrait', ...sheet }],
    namedCells: [],
    ...over,
  };
}

async function refused(spec: ReportWorkbook): Promise<string> {
  try {
    await reportWorkbookBuffer(spec);
  } catch (error) {
    expect(error).toBeInstanceOf(ReportSpecError);
    return (error as Error).message;
  }
  throw new Error('the spec was accepted');
}

describe('refuses a spec Excel would repair', () => {
  it.each<[string, ReportWorkbook, RegExp]>([
    ['a sheet name with a colon', book({ name: 'Q1: revenue' }), /Sheet name/],
    ['a 32-character sheet name', book({ name: 'x'.repeat(32) }), /1–31/],
    ['a table name with a space', book({ tables: [table({ name: 'Net revenue' })] }), /Table name/],
    ['a table name like a cell', book({ tables: [table({ name: 'AB12' })] }), /Table name/],
    ['two tables of one name', book({ tables: [table(), table({ name: 'tbl' })] }), /used twice/],
    [
      'a named cell named like a table',
      book({}, { namedCells: [{ name: 'Tbl', table: 'Tbl', row: 0, column: 'a' }] }),
      /used twice/,
    ],
    [
      'a named cell of no row',
      book({}, { namedCells: [{ name: 'N', table: 'Tbl', row: 3, column: 'a' }] }),
      /no row 3/,
    ],
    [
      'a named total of no total',
      book({}, { namedCells: [{ name: 'N', table: 'Tbl', row: 'total', column: 'a' }] }),
      /no total row/,
    ],
    [
      'a formula over an unknown column',
      book({
        tables: [
          table({
            rows: [['x', 1, { formula: { kind: 'growth', current: 'a', prior: 'zz', value: null } }]],
          }),
        ],
      }),
      /no column "zz"/,
    ],
    [
      'a sum in a data row',
      book({ tables: [table({ rows: [['x', 1, { formula: { kind: 'sum', value: 1 } }]] })] }),
      /total row only/,
    ],
    [
      'a row longer than the columns',
      book({ tables: [table({ rows: [['x', 1, 2, 3]] })] }),
      /4 cells for 3 columns/,
    ],
    [
      'a chart of another sheet’s table',
      book({
        charts: [
          { kind: 'column', title: 'C', table: 'Elsewhere', categoryColumn: 'name', valueColumns: ['a'] },
        ],
      }),
      /plots no table/,
    ],
    ['a creation date that is none', book({}, { createdAt: 'yesterday' }), /createdAt/],
  ])('%s', async (_what, spec, message) => {
    expect(await refused(spec)).toMatch(message);
  });
});

describe('awkward values', () => {
  it('writes non-finite numbers as #NUM!, old dates as text, headers as a table takes them', async () => {
    const spec = book({
      tables: [
        {
          name: 'Tbl',
          columns: [
            { key: 'd', header: 'Day', unit: 'date' },
            { key: 'a', header: 'Amount\nLTM', unit: 'usd' },
            { key: 'b', header: 'amount ltm', unit: 'usd' },
            { key: 'c', header: '  ', unit: 'count' },
          ],
          rows: [
            ['1899-12-31', Number.NaN, Number.POSITIVE_INFINITY, 1],
            ['2026-02-30', 1.005, -2.5, null],
          ],
        },
      ],
    });
    const wb = await loadWorkbook(await reportWorkbookBuffer(spec));
    const ws = wb.getWorksheet('S')!;
    expect(['A3', 'B3', 'C3', 'D3'].map((a) => ws.getCell(a).value)).toEqual([
      'Day',
      'Amount LTM',
      'amount ltm (2)',
      'Column4',
    ]);
    expect(ws.getCell('A4').value).toBe('1899-12-31');
    expect(ws.getCell('A5').value).toBe('2026-02-30');
    expect(ws.getCell('B4').value).toEqual({ error: '#NUM!' });
    expect(ws.getCell('C4').value).toEqual({ error: '#NUM!' });
    expect(ws.getCell('B5').value).toBe(1.005);
    expect(ws.getCell('D5').value).toBeNull();
  });

  it('cuts a text at the 32,767 characters a cell holds', async () => {
    const long = '='.repeat(40_000);
    const wb = await loadWorkbook(
      await reportWorkbookBuffer(book({ tables: [table({ rows: [[long, 1, 2]] })] })),
    );
    const value = wb.getWorksheet('S')!.getCell('A4').value as string;
    expect(value).toHaveLength(32_767);
    expect(value.endsWith('…')).toBe(true);
  });

  it('writes a sheet without tables (no panes, no title rows)', async () => {
    const wb = await loadWorkbook(
      await reportWorkbookBuffer(book({ tables: [], notes: ['Nothing to report'] })),
    );
    const ws = wb.getWorksheet('S')!;
    expect(ws.getCell('A3').value).toBe('Nothing to report');
    expect(ws.views[0]?.state).not.toBe('frozen');
  });
});
