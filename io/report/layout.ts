/*
 * Where everything of a board-pack sheet goes, decided (and the spec checked) before anything
 * is written: the title in A1, the subtitle lines, each table under its caption with its total
 * row right below it and its charts below that, then the notes.
 */

import type {
  ReportCell,
  ReportChart,
  ReportSheet,
  ReportTable,
  ReportWorkbook,
} from '../../shared/report/reportSpec';
import { columnWidth, headerLines, isNumeric } from './formats';
import {
  address,
  checkDefinedName,
  checkSheetName,
  checkTableName,
  NameRegistry,
  quotedSheet,
  ReportSpecError,
} from './names';

/** Rows a chart takes (at the default 15 pt row height: 20 px a row, 400 px a chart). */
export const CHART_ROWS = 20;
/** A chart is at least this wide (px), wider when its table is. */
const MIN_CHART_PX = 640;

export interface PlacedChart {
  chart: ReportChart;
  /** 1-based first row of the chart's anchor; it spans CHART_ROWS rows. */
  row: number;
  /** Its right edge: a 1-based column and the pixels into it. */
  toColumn: number;
  toColumnOffsetPx: number;
}

export interface PlacedTable {
  table: ReportTable;
  /** Column headers as written (blank ones named, line breaks flattened, duplicates numbered). */
  headers: string[];
  captionRow: number | null;
  headerRow: number;
  firstDataRow: number;
  /** At least the first data row: an Excel table has a data row, so an empty table gets a blank one. */
  lastDataRow: number;
  totalRow: number | null;
  /** The spec's rows, each padded with blanks to the columns. */
  rows: ReportCell[][];
  totalCells: ReportCell[] | null;
  columnOf: (key: string) => number | undefined;
  charts: PlacedChart[];
}

export interface SheetLayout {
  sheet: ReportSheet;
  subtitleRows: number[];
  tables: PlacedTable[];
  noteRows: number[];
  /** Character widths of columns A, B, … */
  widths: number[];
  /** The first table's header row: panes freeze under it. */
  headerRow: number | null;
  /**
   * The row every printed page repeats: the header of the sheet's only table. With several
   * tables the first one's header would head pages of the others, so none is repeated.
   */
  printTitleRow: number | null;
}

export interface NamedAddress {
  name: string;
  /** `'Sheet'!$C$12` */
  reference: string;
}

export interface WorkbookLayout {
  sheets: SheetLayout[];
  names: NamedAddress[];
}

const FORMULA_KINDS = new Set(['sum', 'growth', 'ratio', 'difference']);

function isReportCell(cell: unknown): cell is ReportCell {
  if (cell === null || typeof cell === 'string' || typeof cell === 'number') return true;
  if (typeof cell !== 'object') return false;
  const formula: unknown = (cell as { formula?: unknown }).formula;
  return (
    typeof formula === 'object' &&
    formula !== null &&
    FORMULA_KINDS.has(String((formula as { kind?: unknown }).kind))
  );
}

function checkCells(table: ReportTable, cells: unknown, what: string): ReportCell[] {
  if (!Array.isArray(cells)) throw new ReportSpecError(`Table ${table.name}: ${what} is not a list of cells`);
  const list: readonly unknown[] = cells;
  if (list.length > table.columns.length) {
    throw new ReportSpecError(
      `Table ${table.name}: ${what} has ${list.length} cells for ${table.columns.length} columns`,
    );
  }
  const checked = list.map((cell) => {
    if (!isReportCell(cell))
      throw new ReportSpecError(`Table ${table.name}: ${what} holds a cell that is not a ReportCell`);
    return cell;
  });
  return [...checked, ...Array<ReportCell>(table.columns.length - checked.length).fill(null)];
}

/** Headers as an Excel table takes them: non-blank, one line, unique regardless of case. */
function tableHeaders(table: ReportTable): string[] {
  const used = new Set<string>();
  return table.columns.map((column, i) => {
    // eslint-disable-next-line no-control-regex
    const base = column.header.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim() || `Column${i + 1}`;
    let header = base;
    for (let n = 2; used.has(header.toUpperCase()); n++) header = `${base} (${n})`;
    used.add(header.toUpperCase());
    return header;
  });
}

function columnsPx(widths: readonly number[], fromColumn: number, px: number) {
  let left = px;
  let column = fromColumn;
  for (;;) {
    const width = Math.round((widths[column - 1] ?? 8.43) * 7 + 5);
    if (left <= width) return { toColumn: column, toColumnOffsetPx: left };
    left -= width;
    column += 1;
  }
}

function layoutSheet(sheet: ReportSheet, tableNames: NameRegistry): SheetLayout {
  checkSheetName(sheet.name);
  let row = 1; // the title
  const subtitleRows = sheet.subtitle.map(() => ++row);
  row += 2; // a blank row, then the first caption or header
  const tables: PlacedTable[] = [];
  const byName = new Map<string, PlacedTable>();
  for (const table of sheet.tables) {
    checkTableName(table.name);
    tableNames.claim(table.name, `sheet ${sheet.name}`);
    if (table.columns.length === 0) throw new ReportSpecError(`Table ${table.name} has no columns`);
    const keys = new Map<string, number>();
    table.columns.forEach((c, i) => {
      if (keys.has(c.key))
        throw new ReportSpecError(`Table ${table.name}: column key "${c.key}" is used twice`);
      keys.set(c.key, i + 1);
    });
    const captionRow = table.caption === undefined ? null : row++;
    const headerRow = row++;
    const rows = table.rows.map((cells, i) => checkCells(table, cells, `row ${i}`));
    const firstDataRow = row;
    const lastDataRow = firstDataRow + Math.max(rows.length, 1) - 1;
    row = lastDataRow + 1;
    const totalCells =
      table.totalRow === undefined ? null : checkCells(table, table.totalRow, 'the total row');
    const totalRow = totalCells === null ? null : row++;
    for (const key of table.colorScaleColumns ?? []) {
      if (!keys.has(key))
        throw new ReportSpecError(`Table ${table.name}: colour scale names no column "${key}"`);
    }
    const placed: PlacedTable = {
      table,
      headers: tableHeaders(table),
      captionRow,
      headerRow,
      firstDataRow,
      lastDataRow,
      totalRow,
      rows,
      totalCells,
      columnOf: (key) => keys.get(key),
      charts: [],
    };
    tables.push(placed);
    byName.set(table.name, placed);
    row += 1; // a blank row between tables (charts go into it and below)
  }

  const widths: number[] = [];
  for (const placed of tables) {
    placed.table.columns.forEach((column, i) => {
      const texts = placed.rows.map((r) => r[i]).filter((c): c is string => typeof c === 'string');
      const total = placed.totalCells?.[i];
      if (typeof total === 'string') texts.push(total);
      const width = columnWidth(column.unit, placed.headers[i] ?? '', texts, column.width);
      widths[i] = Math.max(widths[i] ?? 0, width);
    });
  }

  // Charts sit under their table: rows are inserted there, so what follows moves down.
  let shift = 0;
  for (const placed of tables) {
    placed.captionRow = placed.captionRow === null ? null : placed.captionRow + shift;
    placed.headerRow += shift;
    placed.firstDataRow += shift;
    placed.lastDataRow += shift;
    placed.totalRow = placed.totalRow === null ? null : placed.totalRow + shift;
    const charts = (sheet.charts ?? []).filter((c) => c.table === placed.table.name);
    let chartRow = (placed.totalRow ?? placed.lastDataRow) + 2;
    const tablePx = placed.table.columns.reduce(
      (px, _c, i) => px + Math.round((widths[i] ?? 8.43) * 7 + 5),
      0,
    );
    for (const chart of charts) {
      checkChart(chart, placed);
      placed.charts.push({ chart, row: chartRow, ...columnsPx(widths, 1, Math.max(tablePx, MIN_CHART_PX)) });
      chartRow += CHART_ROWS + 1;
      shift += CHART_ROWS + 1;
    }
  }
  for (const chart of sheet.charts ?? []) {
    if (!byName.has(chart.table)) {
      throw new ReportSpecError(
        `Sheet ${sheet.name}: chart "${chart.title}" plots no table of the sheet: ${chart.table}`,
      );
    }
  }
  const noteRows = (sheet.notes ?? []).map((_n, i) => row + shift + i);
  const headerRow = tables[0]?.headerRow ?? null;
  return {
    sheet,
    subtitleRows,
    tables,
    noteRows,
    widths,
    headerRow,
    printTitleRow: tables.length === 1 ? headerRow : null,
  };
}

function checkChart(chart: ReportChart, placed: PlacedTable): void {
  const what = `Chart "${chart.title}"`;
  if (!['column', 'bar', 'line'].includes(chart.kind))
    throw new ReportSpecError(`${what}: unknown kind ${chart.kind}`);
  if (placed.columnOf(chart.categoryColumn) === undefined) {
    throw new ReportSpecError(`${what}: table ${placed.table.name} has no column "${chart.categoryColumn}"`);
  }
  if (chart.valueColumns.length === 0) throw new ReportSpecError(`${what}: no value columns`);
  for (const key of chart.valueColumns) {
    if (placed.columnOf(key) === undefined) {
      throw new ReportSpecError(`${what}: table ${placed.table.name} has no column "${key}"`);
    }
  }
}

/** The layout of every sheet and the address of every named cell; throws ReportSpecError on a bad spec. */
export function layoutWorkbook(spec: ReportWorkbook): WorkbookLayout {
  const sheetNames = new NameRegistry('Sheet name');
  // Excel keeps table names and defined names in one namespace.
  const names = new NameRegistry('Table or cell name');
  const sheets = spec.sheets.map((sheet) => {
    sheetNames.claim(sheet.name, 'a sheet');
    return layoutSheet(sheet, names);
  });
  if (sheets.length === 0) throw new ReportSpecError('A workbook needs at least one sheet');
  const named = spec.namedCells.map((n): NamedAddress => {
    checkDefinedName(n.name);
    names.claim(n.name, 'a named cell');
    for (const layout of sheets) {
      const placed = layout.tables.find((t) => t.table.name === n.table);
      if (placed === undefined) continue;
      const column = placed.columnOf(n.column);
      if (column === undefined)
        throw new ReportSpecError(`Named cell ${n.name}: table ${n.table} has no column "${n.column}"`);
      let row: number;
      if (n.row === 'total') {
        if (placed.totalRow === null)
          throw new ReportSpecError(`Named cell ${n.name}: table ${n.table} has no total row`);
        row = placed.totalRow;
      } else {
        if (!Number.isInteger(n.row) || n.row < 0 || n.row >= placed.table.rows.length) {
          throw new ReportSpecError(`Named cell ${n.name}: table ${n.table} has no row ${n.row}`);
        }
        row = placed.firstDataRow + n.row;
      }
      return { name: n.name, reference: `${quotedSheet(layout.sheet.name)}!${address(column, row, true)}` };
    }
    throw new ReportSpecError(`Named cell ${n.name}: no table ${n.table}`);
  });
  return { sheets, names: named };
}

/** Whether a column's cells align right (numbers and their blanks and texts). */
export function alignsRight(placed: PlacedTable, index: number): boolean {
  const column = placed.table.columns[index];
  return column !== undefined && isNumeric(column.unit);
}

/** Header rows wrap: the height (pt) that shows every header whole. */
export function headerHeight(placed: PlacedTable, widths: readonly number[]): number {
  const lines = Math.max(...placed.headers.map((h, i) => headerLines(h, widths[i] ?? 10)));
  return Math.max(15, lines * 15);
}
