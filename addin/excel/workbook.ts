/*
 * Every Excel.run of the add-in. Components and ribbon commands receive a `CaliperWorkbook`
 * and never touch the Excel object model themselves, so this is the one module to read (and
 * to test with office-addin-mock) for what the add-in does to a workbook. Every cell it
 * writes goes through `writeCells`: strings as text, formulas only as `CaliperFormula`s.
 */
import { CaliperFormula, type CellValue, ExcelError, officeWrite } from '../../shared/model/spreadsheetCells';
import {
  type BoardPackColumn,
  type BoardPackSheet,
  type BoardPackTable,
  NUMBER_FORMATS,
  TABLE_HEADER_ROW,
} from './boardPack';
import { factFormat, type ValuesSheet } from './callListSheet';
import { caliperFormulaFromText, isCaliperFormula } from './formulas';

export type RefreshScope = 'selection' | 'sheet' | 'workbook';
export type SnapshotScope = 'sheet' | 'workbook';

export interface SnapshotResult {
  sheets: number;
  /** CALIPER cells now holding their last value. */
  cells: number;
}

export interface CaliperWorkbook {
  /**
   * Writes the formula into `address` (`B2`, `Sheet1!B2`) or the active cell; answers the
   * address. A string must be a `caliperCall` text (the formula builder's, any function): it
   * is rebuilt from its parts, and anything else is refused.
   */
  insertFormula(formula: CaliperFormula | string, address?: string): Promise<string>;
  refresh(scope: RefreshScope): Promise<void>;
  /** Replaces every CALIPER formula in the active sheet or every sheet by its value. */
  snapshotToValues(scope: SnapshotScope): Promise<SnapshotResult>;
  /** Adds (or rebuilds) the sheets; answers their names. */
  buildBoardPack(sheets: readonly BoardPackSheet[]): Promise<string[]>;
  /** Which of these sheet names the workbook already has (reads only), in the order asked. */
  existingSheets(names: readonly string[]): Promise<string[]>;
  /** Adds a new sheet of values (a call list); answers its name. */
  addValuesSheet(spec: ValuesSheet): Promise<string>;
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

/**
 * The one place a cell's content is written: values through `Range.values` (text behind the
 * quote prefix where Excel would read it otherwise), CaliperFormulas through `Range.formulas`,
 * each matrix null where the other one writes.
 */
function writeCells(range: Excel.Range, rows: readonly (readonly CellValue[])[]): void {
  const { values, formulas } = officeWrite(rows);
  if (values !== null) range.values = values;
  if (formulas !== null) range.formulas = formulas;
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

async function insertFormula(formula: CaliperFormula | string, address?: string): Promise<string> {
  const caliperFormula = formula instanceof CaliperFormula ? formula : caliperFormulaFromText(formula);
  return Excel.run(async (context) => {
    const range = targetRange(context, address);
    writeCells(range, [[caliperFormula]]);
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
      range.load(['isNullObject', 'formulas', 'values', 'valueTypes']);
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
          writeCells(range.getCell(r, c), [[calculated(range.values[r]?.[c], range.valueTypes?.[r]?.[c])]]);
          cells += 1;
        });
      });
    }
    await context.sync();
    return { sheets: sheets.length, cells };
  });
}

/**
 * A CALIPER cell's last value as it is kept: an error stays that error, a text (a function may
 * answer names) stays text, whatever it starts with.
 */
function calculated(value: unknown, type: unknown): CellValue {
  if (type === 'Error' && typeof value === 'string') return ExcelError.of(value) ?? value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') return value;
  return null;
}

function tableMatrix(columns: readonly BoardPackColumn[], rows: BoardPackTable['rows']): CellValue[][] {
  const body = rows.length > 0 ? rows : [columns.map((_, i) => (i === 0 ? '(none)' : null))];
  return [columns.map((c) => c.header), ...body];
}

/** Writes a formatted Excel table with its header row at `top`; answers its last row. */
function addTable(sheet: Excel.Worksheet, top: number, table: Omit<BoardPackTable, 'caption'>): number {
  const matrix = tableMatrix(table.columns, table.rows);
  const bottom = top + matrix.length - 1;
  const last = columnLetter(table.columns.length - 1);
  const block = sheet.getRange(`A${top}:${last}${bottom}`);
  writeCells(block, matrix);

  const added = sheet.tables.add(block, true);
  added.name = table.tableName;
  added.style = 'TableStyleMedium2';
  table.columns.forEach((column, i) => {
    const letter = columnLetter(i);
    sheet.getRange(`${letter}${top + 1}:${letter}${bottom}`).numberFormat = matrix
      .slice(1)
      .map(() => [NUMBER_FORMATS[column.unit]]);
  });
  block.format.autofitColumns();
  return bottom;
}

async function addBoardPackSheet(context: Excel.RequestContext, spec: BoardPackSheet): Promise<void> {
  const existing = context.workbook.worksheets.getItemOrNullObject(spec.name);
  existing.load('isNullObject');
  await context.sync();
  // The pane asked before replacing (see existingSheets): the pack is rebuilt, not piled up.
  if (!existing.isNullObject) existing.delete();

  const sheet = context.workbook.worksheets.add(spec.name);
  const title = sheet.getRange('A1');
  writeCells(title, [[spec.title]]);
  title.format.font.bold = true;
  title.format.font.size = 14;
  writeCells(sheet.getRange('A2:C2'), [['Period', spec.period, spec.heading]]);

  const top = TABLE_HEADER_ROW;
  let bottom = addTable(sheet, top, spec);
  for (const more of spec.moreTables ?? []) {
    const caption = sheet.getRange(`A${bottom + 2}`);
    writeCells(caption, [[more.caption]]);
    caption.format.font.bold = true;
    bottom = addTable(sheet, bottom + 3, more);
  }

  const dataRows = Math.max(spec.rows.length, 1);
  const chartRows = Math.max(1, Math.min(spec.chart.rows, dataRows));
  const source = sheet.getRange(`A${top}:${columnLetter(spec.chart.series)}${top + chartRows}`);
  const chart = sheet.charts.add(spec.chart.type, source, 'Columns');
  chart.title.text = spec.chart.title;
  const chartLeft = columnLetter(spec.columns.length + 1);
  chart.setPosition(`${chartLeft}${top}`, `${columnLetter(spec.columns.length + 8)}${top + 18}`);
  await context.sync();
}

async function existingSheets(names: readonly string[]): Promise<string[]> {
  return Excel.run(async (context) => {
    const all = context.workbook.worksheets;
    all.load('items/name');
    await context.sync();
    // Excel's sheet names are unique regardless of case: "same-store" is in the way too.
    const present = new Set(all.items.map((sheet) => sheet.name.toLowerCase()));
    return names.filter((name) => present.has(name.toLowerCase()));
  });
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

/**
 * A new sheet — never over an earlier one, which may hold the desk's notes — with the title and
 * facts in A:B and the rows as an Excel table below them, every cell a value.
 */
async function addValuesSheet(spec: ValuesSheet): Promise<string> {
  return Excel.run(async (context) => {
    const all = context.workbook.worksheets;
    all.load('items/name');
    await context.sync();
    const taken = new Set(all.items.map((s) => s.name));
    let name = spec.baseName;
    for (let i = 2; taken.has(name); i++) name = `${spec.baseName} (${i})`;
    const sheet = all.add(name);
    writeCells(sheet.getRange('A1'), [[spec.title]]);
    sheet.getRange('A1').format.font.bold = true;
    if (spec.facts.length > 0) {
      const facts = sheet.getRange(`A2:B${1 + spec.facts.length}`);
      writeCells(facts, spec.facts);
      sheet.getRange(`B2:B${1 + spec.facts.length}`).numberFormat = spec.facts.map(([l, v]) => [
        factFormat(l, v),
      ]);
    }
    const top = spec.facts.length + 3;
    const bottom = top + Math.max(spec.rows.length, 1);
    const last = columnLetter(spec.columns.length - 1);
    const block = sheet.getRange(`A${top}:${last}${bottom}`);
    const rows = spec.rows.length > 0 ? spec.rows : [spec.columns.map((_, i) => (i === 0 ? '(none)' : null))];
    writeCells(block, [spec.columns.map((c) => c.header), ...rows]);
    sheet.tables.add(block, true).style = 'TableStyleMedium2';
    spec.columns.forEach((column, i) => {
      const letter = columnLetter(i);
      sheet.getRange(`${letter}${top + 1}:${letter}${bottom}`).numberFormat = rows.map(() => [
        column.numberFormat,
      ]);
    });
    block.format.autofitColumns();
    sheet.activate();
    await context.sync();
    return name;
  });
}

/** The workbook the add-in runs in, through the global `Excel` that Office.js provides. */
export const excelWorkbook: CaliperWorkbook = {
  insertFormula,
  refresh,
  snapshotToValues,
  buildBoardPack,
  existingSheets,
  addValuesSheet,
};

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
