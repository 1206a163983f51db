/*
 * Every Excel.run of the add-in. Components and ribbon commands receive a `CaliperWorkbook`
 * and never touch the Excel object model themselves, so this is the one module to read (and
 * to test with office-addin-mock) for what the add-in does to a workbook.
 */
import { type BoardPackSheet, NUMBER_FORMATS, TABLE_HEADER_ROW } from './boardPack';
import { isCaliperFormula } from './formulas';

export type RefreshScope = 'selection' | 'sheet' | 'workbook';
export type SnapshotScope = 'sheet' | 'workbook';

export interface SnapshotResult {
  sheets: number;
  /** CALIPER cells now holding their last value. */
  cells: number;
}

export interface CaliperWorkbook {
  /** Writes the formula into `address` (`B2`, `Sheet1!B2`) or the active cell; answers the address. */
  insertFormula(formula: string, address?: string): Promise<string>;
  refresh(scope: RefreshScope): Promise<void>;
  /** Replaces every CALIPER formula in the active sheet or every sheet by its value. */
  snapshotToValues(scope: SnapshotScope): Promise<SnapshotResult>;
  /** Adds (or rebuilds) the sheets; answers their names. */
  buildBoardPack(sheets: readonly BoardPackSheet[]): Promise<string[]>;
}

/** Column letters of a 0-based index: 0 → A, 26 → AA. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    const rest = (n - 1) % 26;
    letters = String.fromCharCode(65 + rest) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/** `'Provider P&L'!B2` → sheet and cell; a bare `B2` has no sheet. */
export function splitAddress(address: string): { sheet?: string; cell: string } {
  const bang = address.lastIndexOf('!');
  if (bang < 0) return { cell: address };
  const sheet = address
    .slice(0, bang)
    .replace(/^'(.*)'$/, '$1')
    .replace(/''/g, "'");
  return { sheet, cell: address.slice(bang + 1) };
}

function targetRange(context: Excel.RequestContext, address: string | undefined): Excel.Range {
  if (address === undefined || address === '') return context.workbook.getActiveCell();
  const { sheet, cell } = splitAddress(address);
  const worksheet =
    sheet === undefined
      ? context.workbook.worksheets.getActiveWorksheet()
      : context.workbook.worksheets.getItem(sheet);
  return worksheet.getRange(cell);
}

async function insertFormula(formula: string, address?: string): Promise<string> {
  return Excel.run(async (context) => {
    const range = targetRange(context, address);
    range.formulas = [[formula]];
    range.load('address');
    await context.sync();
    return range.address;
  });
}

async function refresh(scope: RefreshScope): Promise<void> {
  await Excel.run(async (context) => {
    if (scope === 'selection') {
      context.workbook.getSelectedRange().calculate();
    } else if (scope === 'sheet') {
      // markAllDirty: CALIPER cells whose arguments did not change are recomputed too.
      context.workbook.worksheets.getActiveWorksheet().calculate(true);
    } else {
      context.workbook.application.calculate('Full');
    }
    await context.sync();
  });
}

async function snapshotToValues(scope: SnapshotScope): Promise<SnapshotResult> {
  return Excel.run(async (context) => {
    let sheets: Excel.Worksheet[];
    if (scope === 'sheet') {
      sheets = [context.workbook.worksheets.getActiveWorksheet()];
    } else {
      const all = context.workbook.worksheets;
      all.load('items');
      await context.sync();
      sheets = all.items;
    }
    const used = sheets.map((sheet) => {
      const range = sheet.getUsedRangeOrNullObject();
      range.load(['isNullObject', 'formulas', 'values']);
      return range;
    });
    await context.sync();
    let cells = 0;
    for (const range of used) {
      if (range.isNullObject) continue;
      range.formulas.forEach((row, r) => {
        row.forEach((formula, c) => {
          if (!isCaliperFormula(formula)) return;
          // Writing the value leaves the cell's number format as it was.
          range.getCell(r, c).values = [[range.values[r]?.[c]]];
          cells += 1;
        });
      });
    }
    await context.sync();
    return { sheets: sheets.length, cells };
  });
}

function tableMatrix(spec: BoardPackSheet): (string | number)[][] {
  const rows = spec.rows.length > 0 ? spec.rows : [spec.columns.map((_, i) => (i === 0 ? '(none)' : null))];
  return [spec.columns.map((c) => c.header), ...rows.map((row) => row.map((cell) => cell ?? ''))];
}

async function addBoardPackSheet(context: Excel.RequestContext, spec: BoardPackSheet): Promise<void> {
  const existing = context.workbook.worksheets.getItemOrNullObject(spec.name);
  existing.load('isNullObject');
  await context.sync();
  // The pack is generated: rebuilding replaces the earlier sheet rather than piling up copies.
  if (!existing.isNullObject) existing.delete();

  const sheet = context.workbook.worksheets.add(spec.name);
  const title = sheet.getRange('A1');
  title.values = [[spec.title]];
  title.format.font.bold = true;
  title.format.font.size = 14;
  sheet.getRange('A2:B2').values = [['Period', spec.period]];

  const matrix = tableMatrix(spec);
  const top = TABLE_HEADER_ROW;
  const bottom = top + matrix.length - 1;
  const last = columnLetter(spec.columns.length - 1);
  const block = sheet.getRange(`A${top}:${last}${bottom}`);
  block.formulas = matrix;

  const table = sheet.tables.add(block, true);
  table.name = spec.tableName;
  table.style = 'TableStyleMedium2';
  spec.columns.forEach((column, i) => {
    const letter = columnLetter(i);
    sheet.getRange(`${letter}${top + 1}:${letter}${bottom}`).numberFormat = matrix
      .slice(1)
      .map(() => [NUMBER_FORMATS[column.unit]]);
  });
  block.format.autofitColumns();

  const chartRows = Math.max(1, Math.min(spec.chart.rows, matrix.length - 1));
  const source = sheet.getRange(`A${top}:${columnLetter(spec.chart.series)}${top + chartRows}`);
  const chart = sheet.charts.add(spec.chart.type, source, 'Columns');
  chart.title.text = spec.chart.title;
  const chartLeft = columnLetter(spec.columns.length + 1);
  chart.setPosition(`${chartLeft}${top}`, `${columnLetter(spec.columns.length + 8)}${top + 18}`);
  await context.sync();
}

async function buildBoardPack(sheets: readonly BoardPackSheet[]): Promise<string[]> {
  return Excel.run(async (context) => {
    for (const spec of sheets) await addBoardPackSheet(context, spec);
    const first = sheets[0];
    if (first !== undefined) {
      context.workbook.worksheets.getItem(first.name).activate();
      await context.sync();
    }
    return sheets.map((s) => s.name);
  });
}

/** The workbook the add-in runs in, through the global `Excel` that Office.js provides. */
export const excelWorkbook: CaliperWorkbook = { insertFormula, refresh, snapshotToValues, buildBoardPack };

/**
 * The custom functions cache their answers; a refresh the user asks for must reach the API,
 * so the cache is dropped before Excel recalculates.
 */
export function clearingCacheOnRefresh(workbook: CaliperWorkbook, clearCache: () => void): CaliperWorkbook {
  return {
    ...workbook,
    refresh: (scope) => {
      clearCache();
      return workbook.refresh(scope);
    },
  };
}
