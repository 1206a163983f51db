/*
 * The board pack asks before replacing: `existingSheets` tells the pane which of its sheets
 * the workbook already has, reading only. Driven through the Excel stand-in.
 */
import { BOARD_PACK_SHEET_NAMES } from '../../../addin/excel/boardPack';
import { excelWorkbook } from '../../../addin/excel/workbook';
import { installExcelStandIn, type StandInWindow } from '../support/excelStandIn';

const GLOBALS = ['window', 'Excel', 'Office', 'CustomFunctions', '__excelWrites', '__excelModel'];
let excel: StandInWindow;

beforeEach(() => {
  (globalThis as unknown as Record<string, unknown>).window = globalThis;
  installExcelStandIn();
  excel = globalThis as unknown as StandInWindow;
});

afterEach(() => {
  for (const name of GLOBALS) delete (globalThis as unknown as Record<string, unknown>)[name];
});

describe('existingSheets', () => {
  it('names the pack’s sheets already in the workbook, whatever their case, and writes nothing', async () => {
    expect(await excelWorkbook.existingSheets(BOARD_PACK_SHEET_NAMES)).toEqual([]);
    await Excel.run(async (context) => {
      context.workbook.worksheets.add('membership');
      context.workbook.worksheets.add('Benchmarks');
      await context.sync();
    });
    const writesBefore = excel.__excelWrites.length;
    expect(await excelWorkbook.existingSheets(BOARD_PACK_SHEET_NAMES)).toEqual(['Membership', 'Benchmarks']);
    expect(excel.__excelWrites.length).toBe(writesBefore);
  });
});
