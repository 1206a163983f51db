/*
 * The Excel module against office-addin-mock's Excel object model. office-addin-mock requires
 * office-addin-manifest, whose main entry pulls ESM-only dependencies jest cannot load; the
 * mock only needs its OfficeApp enum, so the manifest package is narrowed to that file here.
 */
jest.mock('office-addin-manifest', () =>
  jest.requireActual<Record<string, unknown>>('office-addin-manifest/lib/officeApp.js'),
);

import { OfficeMockObject } from 'office-addin-mock';

import { type BoardPackSheet } from '../../../addin/excel/boardPack';
import { kpiCaliperFormula } from '../../../addin/excel/formulas';
import {
  clearingCacheOnRefresh,
  columnLetter,
  excelWorkbook,
  splitAddress,
} from '../../../addin/excel/workbook';
import { CaliperFormula } from '../../../shared/model/spreadsheetCells';

/** Each write target a mocked method hands out, by the call that made it. */
type Recorded = Record<string, Record<string, unknown>>;

interface MockWorld {
  mock: OfficeMockObject;
  targets: Recorded;
  calls: unknown[][];
}

/**
 * An Excel with one sheet `Sheet1`, active cell `Sheet1!C7`, whose used range holds CALIPER
 * formulas (answering a number, a text and an error), a plain formula and constants, plus
 * whatever `extra` adds to the workbook.
 */
function excelMock(extra: Record<string, unknown> = {}): MockWorld {
  const targets: Recorded = {};
  const calls: unknown[][] = [];
  const target = (name: string, fields: Record<string, unknown> = {}) => {
    if (targets[name] === undefined) {
      targets[name] = { ...fields };
      // Not enumerable: the assertions compare what was written, not the mock's plumbing.
      Object.defineProperty(targets[name], 'load', { value: () => undefined });
    }
    return targets[name];
  };
  const cellOf = (sheet: string) =>
    function getCell(r: number, c: number) {
      return target(`${sheet}:cell(${r},${c})`);
    };
  const usedRange = {
    isNullObject: false,
    formulas: [
      ['Net revenue', '=CALIPER.KPI("net_revenue","L1","LTM")'],
      ['Double', '=B1*2'],
      ['Visits', '=caliper.kpi("visits","L1",$B$9)/1000'],
      ['First location', '=INDEX(CALIPER.LOCATIONS(),2,2)'],
      ['Churn', '=CALIPER.KPI("membership_churn_rate","L9","LTM")'],
    ],
    values: [
      ['Net revenue', 1234.5],
      ['Double', 2469],
      ['Visits', 0.42],
      ['First location', '=HYPERLINK("http://evil","x")'],
      ['Churn', '#N/A'],
    ],
    valueTypes: [
      ['String', 'Double'],
      ['String', 'Double'],
      ['String', 'Double'],
      ['String', 'String'],
      ['String', 'Error'],
    ],
    getCell: cellOf('Sheet1'),
  };
  const sheet1 = {
    name: 'Sheet1',
    usedRange,
    getUsedRangeOrNullObject() {
      return this.usedRange;
    },
    getRange(address: string) {
      return target(`Sheet1!${address}`, { address: `Sheet1!${address}` });
    },
    calculate(markAllDirty: boolean) {
      calls.push(['worksheet.calculate', markAllDirty]);
    },
  };
  const data = {
    context: {
      workbook: {
        activeCell: { address: 'Sheet1!C7' },
        getActiveCell() {
          return this.activeCell;
        },
        getSelectedRange() {
          return {
            calculate: () => calls.push(['range.calculate']),
          };
        },
        application: {
          calculate: (type: string) => calls.push(['application.calculate', type]),
        },
        worksheets: {
          sheet1,
          getActiveWorksheet() {
            return this.sheet1;
          },
          getItem(name: string) {
            calls.push(['getItem', name]);
            return this.sheet1;
          },
        },
        ...extra,
      },
    },
    run: async function (this: { context: unknown }, callback: (context: unknown) => Promise<unknown>) {
      return callback(this.context);
    },
  };
  const mock = new OfficeMockObject(data);
  (global as unknown as { Excel: unknown }).Excel = mock;
  return { mock, targets, calls };
}

afterEach(() => {
  delete (global as unknown as { Excel?: unknown }).Excel;
});

describe('insertFormula', () => {
  it('writes the formula into the active cell and answers its address', async () => {
    const { mock } = excelMock();
    const address = await excelWorkbook.insertFormula('=CALIPER.KPI("L1","net_revenue","LTM")');
    expect(address).toBe('Sheet1!C7');
    const cell = (mock as unknown as { context: { workbook: { activeCell: { formulas: unknown } } } }).context
      .workbook.activeCell;
    expect(cell.formulas).toEqual([['=CALIPER.KPI("L1","net_revenue","LTM")']]);
  });

  it('writes into a named cell of a named sheet when given an address', async () => {
    const { targets, calls } = excelMock();
    await excelWorkbook.insertFormula('=CALIPER.KPI("PORTFOLIO","visits","2024")', "'Same-store'!B9");
    expect(calls).toEqual([['getItem', 'Same-store']]);
    expect(targets['Sheet1!B9']).toEqual({
      address: 'Sheet1!B9',
      formulas: [['=CALIPER.KPI("PORTFOLIO","visits","2024")']],
    });
  });

  it('writes the builder’s formula of any function', async () => {
    const { targets } = excelMock();
    for (const text of [
      '=CALIPER.CALLLIST("L1",10)',
      '=CALIPER.ASOF()',
      '=CALIPER.SERIES("PORTFOLIO","visits","2025-01","2025-06","grain=quarter")',
    ]) {
      await excelWorkbook.insertFormula(text, 'B9');
      expect(targets['Sheet1!B9']?.formulas).toEqual([[text]]);
    }
  });
});

describe('insertFormula, refusing what is not a formula of the builder', () => {
  it('writes a CaliperFormula as it is', async () => {
    const { mock } = excelMock();
    await excelWorkbook.insertFormula(
      kpiCaliperFormula({ metric: 'visits', location: 'L1', provider: 'P"1', period: { text: 'LTM' } }),
    );
    const cell = (mock as unknown as { context: { workbook: { activeCell: { formulas: unknown } } } }).context
      .workbook.activeCell;
    expect(cell.formulas).toEqual([['=CALIPER.KPI("L1/P""1","visits","LTM")']]);
  });

  it('refuses any other text, writing nothing', async () => {
    const { targets } = excelMock();
    for (const text of [
      '=HYPERLINK("http://evil","x")',
      '=CALIPER.KPI("L1","visits","LTM")+HYPERLINK("http://evil","x")',
      "=cmd|'/c calc'!A1",
    ]) {
      await expect(excelWorkbook.insertFormula(text, 'B2')).rejects.toThrow(
        /Not a CALIPER formula of the formula builder/,
      );
    }
    expect(targets).toEqual({});
  });
});

describe('refresh', () => {
  it('recalculates the selection, the active sheet (all dirty) or the whole workbook (full)', async () => {
    const { calls } = excelMock();
    await excelWorkbook.refresh('selection');
    await excelWorkbook.refresh('sheet');
    await excelWorkbook.refresh('workbook');
    expect(calls).toEqual([
      ['range.calculate'],
      ['worksheet.calculate', true],
      ['application.calculate', 'Full'],
    ]);
  });

  it('drops the custom functions’ cache before each refresh when wrapped for it', async () => {
    const { calls } = excelMock();
    const workbook = clearingCacheOnRefresh(excelWorkbook, () => calls.push(['clearCache']));
    await workbook.refresh('workbook');
    expect(calls).toEqual([['clearCache'], ['application.calculate', 'Full']]);
  });
});

describe('snapshotToValues', () => {
  it('replaces only the CALIPER formulas of the active sheet with their values', async () => {
    const { targets } = excelMock();
    const result = await excelWorkbook.snapshotToValues('sheet');
    expect(result).toEqual({ sheets: 1, cells: 4 });
    expect(targets).toEqual({
      'Sheet1:cell(0,1)': { values: [[1234.5]] },
      'Sheet1:cell(2,1)': { values: [[0.42]] },
      // A text answer stays text (behind the quote prefix), never a formula; an error stays one.
      'Sheet1:cell(3,1)': { values: [['\'=HYPERLINK("http://evil","x")']] },
      'Sheet1:cell(4,1)': { values: [['#N/A']] },
    });
  });

  it('covers every sheet of the workbook and skips an empty one', async () => {
    const { targets } = excelMock();
    // office-addin-mock keeps arrays as loadable scalars: the collection's items are given whole.
    const items = [
      { getUsedRangeOrNullObject: () => ({ isNullObject: true, load: () => undefined }) },
      {
        getUsedRangeOrNullObject: () => ({
          isNullObject: false,
          load: () => undefined,
          formulas: [['=CALIPER.SAMESTORE("LTM")']],
          values: [[0.031]],
          valueTypes: [['Double']],
          getCell: (r: number, c: number) => (targets[`Other:cell(${r},${c})`] = {}),
        }),
      },
    ];
    // setValue is how office-addin-mock adds a property after construction (public in its docs, private in its types).
    const worksheets = (
      global as unknown as {
        Excel: { context: { workbook: { worksheets: { setValue(name: string, value: unknown): void } } } };
      }
    ).Excel.context.workbook.worksheets;
    worksheets.setValue('items', items);
    const result = await excelWorkbook.snapshotToValues('workbook');
    expect(result).toEqual({ sheets: 2, cells: 1 });
    expect(targets).toEqual({ 'Other:cell(0,0)': { values: [[0.031]] } });
  });
});

describe('buildBoardPack', () => {
  const spec: BoardPackSheet = {
    name: 'Same-store',
    tableName: 'CaliperSameStore',
    title: 'Same-store performance',
    period: 'LTM@2025-11',
    heading: 'LTM — Dec 2024 to Nov 2025 (as of Nov 2025)',
    columns: [
      { header: 'Location', unit: 'text' },
      { header: 'Net revenue', unit: 'usd' },
      { header: 'Growth', unit: 'ratio' },
    ],
    rows: [
      [
        'North',
        kpiCaliperFormula({ metric: 'net_revenue', location: 'L1', period: { ref: '$B$2' } }),
        kpiCaliperFormula({ metric: 'same_store_revenue_growth', location: 'L1', period: { ref: '$B$2' } }),
      ],
      ['Portfolio', kpiCaliperFormula({ metric: 'net_revenue', period: { ref: '$B$2' } }), null],
    ],
    chart: { type: 'ColumnClustered', title: 'Net revenue by location', series: 1, rows: 1 },
  };

  it('replaces an existing sheet with a titled, formatted table and a chart beside it', async () => {
    const log: unknown[][] = [];
    const ranges: Record<string, Record<string, unknown>> = {};
    const range = (address: string) => {
      ranges[address] ??= {
        address,
        format: { font: {}, autofitColumns: () => log.push(['autofit', address]) },
      };
      return ranges[address];
    };
    const table: Record<string, unknown> = {};
    const chart: Record<string, unknown> = {
      title: {},
      setPosition: (from: string, to: string) => log.push(['chart.setPosition', from, to]),
    };
    const added = {
      getRange: range,
      tables: {
        add: (source: { address: string }, headers: boolean) => (
          log.push(['tables.add', source.address, headers]),
          table
        ),
      },
      charts: {
        add: (type: string, source: { address: string }, by: string) => (
          log.push(['charts.add', type, source.address, by]),
          chart
        ),
      },
      activate: () => log.push(['activate']),
    };
    excelMock();
    const worksheets = (
      global as unknown as { Excel: { context: { workbook: { worksheets: Record<string, unknown> } } } }
    ).Excel.context.workbook.worksheets;
    worksheets.getItemOrNullObject = (name: string) => ({
      isNullObject: false,
      load: () => undefined,
      delete: () => log.push(['delete', name]),
    });
    worksheets.add = (name: string) => (log.push(['add', name]), added);
    worksheets.getItem = () => added;

    expect(await excelWorkbook.buildBoardPack([spec])).toEqual(['Same-store']);
    expect(log).toEqual([
      ['delete', 'Same-store'],
      ['add', 'Same-store'],
      ['tables.add', 'A4:C6', true],
      ['autofit', 'A4:C6'],
      ['charts.add', 'ColumnClustered', 'A4:B5', 'Columns'],
      ['chart.setPosition', 'E4', 'L22'],
      ['activate'],
    ]);
    expect(ranges.A1).toMatchObject({
      values: [['Same-store performance']],
      format: { font: { bold: true, size: 14 } },
    });
    // Texts with digits go behind the quote prefix, so Excel keeps them text.
    expect(ranges['A2:C2']?.values).toEqual([
      ['Period', "'LTM@2025-11", "'LTM — Dec 2024 to Nov 2025 (as of Nov 2025)"],
    ]);
    // Values and Caliper's formulas in two writes, each null where the other one writes.
    expect(ranges['A4:C6']?.values).toEqual([
      ['Location', 'Net revenue', 'Growth'],
      ['North', null, null],
      ['Portfolio', null, ''],
    ]);
    const text = (cell: unknown) => (cell instanceof CaliperFormula ? cell.text : null);
    expect(ranges['A4:C6']?.formulas).toEqual([
      [null, null, null],
      [null, text(spec.rows[0]?.[1]), text(spec.rows[0]?.[2])],
      [null, text(spec.rows[1]?.[1]), null],
    ]);
    expect(table).toEqual({ name: 'CaliperSameStore', style: 'TableStyleMedium2' });
    expect(ranges['A5:A6']?.numberFormat).toEqual([['General'], ['General']]);
    expect(ranges['B5:B6']?.numberFormat).toEqual([['$#,##0'], ['$#,##0']]);
    expect(ranges['C5:C6']?.numberFormat).toEqual([['0.0%'], ['0.0%']]);
    expect((chart.title as { text?: string }).text).toBe('Net revenue by location');
  });
});

describe('addresses', () => {
  it('letters columns as Excel does', () => {
    expect([0, 1, 25, 26, 27, 51, 52, 701, 702].map(columnLetter)).toEqual([
      'A',
      'B',
      'Z',
      'AA',
      'AB',
      'AZ',
      'BA',
      'ZZ',
      'AAA',
    ]);
  });

  it('splits a sheet-qualified address, unquoting the sheet name', () => {
    expect(splitAddress('B2')).toEqual({ cell: 'B2' });
    expect(splitAddress('Sheet1!B2')).toEqual({ sheet: 'Sheet1', cell: 'B2' });
    expect(splitAddress("'Provider P&L'!C4")).toEqual({ sheet: 'Provider P&L', cell: 'C4' });
    expect(splitAddress("'O''Neil''s'!A1")).toEqual({ sheet: "O'Neil's", cell: 'A1' });
  });
});
