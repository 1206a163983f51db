/*
 * The board-pack workbook spec (shared/report/reportSpec.ts) written as a finished .xlsx with
 * exceljs: titled sheets of real Excel tables, totals and ratios as live formulas carrying the
 * engine's values, number formats by unit, frozen headers, print setup, named key figures and
 * charts.
 *
 * The workbook is built in memory (exceljs' Workbook, not its streaming WorkbookWriter, which
 * writes no tables) and then finished as a zip (io/report/package.ts: quote prefixes, names,
 * charts — none of which exceljs writes), so it is buffered whole before the first byte goes
 * out; board packs are tens of kB to a few MB.
 */

import fs from 'node:fs';

import * as ExcelJS from 'exceljs';

import { excelSerial } from '../shared/model/spreadsheetCells';
import type { ReportCell, ReportColumn, ReportWorkbook } from '../shared/report/reportSpec';
import { type ChartPart, type ChartSeries } from './report/charts';
import { AXIS_FORMATS, cellText, NUMBER_FORMATS, quotePrefixed, specDate } from './report/formats';
import { excelFormula } from './report/formulas';
import {
  alignsRight,
  CHART_ROWS,
  headerHeight,
  layoutWorkbook,
  type PlacedTable,
  type SheetLayout,
} from './report/layout';
import { address, quotedSheet, ReportSpecError } from './report/names';
import { finishPackage, type SheetPatch } from './report/package';

export { ReportSpecError } from './report/names';

const INK = 'FF262626';
const MUTED = 'FF595959';
const HEADER_FILL = 'FF1F3864';
const RULE = 'FF404040';
const HAIRLINE = 'FFD9D9D9';
/** Low → high: Excel's red–yellow–green scale. */
const COLOR_SCALE = ['FFF8696B', 'FFFFEB84', 'FF63BE7B'];

/** What a header/footer shows literally (`&` starts a code there). */
function headerFooterText(text: string, max = 80): string {
  const cut = text.length > max ? `${text.slice(0, max - 1)}…` : text;
  return cut.replace(/&/g, '&&');
}

/** A spec cell as exceljs takes it. `text` is set when a text was written (it may need the quote prefix). */
function cellValue(cell: ReportCell, column: ReportColumn): { value: ExcelJS.CellValue; text?: string } {
  if (cell === null) return { value: null };
  if (typeof cell === 'number') return { value: Number.isFinite(cell) ? cell : { error: '#NUM!' } };
  if (typeof cell === 'string') {
    if (column.unit === 'date' || column.unit === 'datetime') {
      const date = specDate(cell, column.unit);
      if (date !== null) return { value: date };
    }
    const text = cellText(cell);
    return { value: text, text };
  }
  throw new Error('formulas are written by writeFormula');
}

/** Numbers right; texts left, indented off a number column before them. */
function horizontal(placed: PlacedTable, index: number): Partial<ExcelJS.Alignment> {
  if (alignsRight(placed, index)) return { horizontal: 'right' };
  return index === 0 ? { horizontal: 'left' } : { horizontal: 'left', indent: 1 };
}

function categoryText(cell: ReportCell): string {
  if (cell === null) return '';
  if (typeof cell === 'object') return cell.formula.value === null ? '' : String(cell.formula.value);
  return String(cell);
}

function categoryNumber(cell: ReportCell, column: ReportColumn): number | null {
  if (typeof cell === 'number') return cell;
  if (cell !== null && typeof cell === 'object') return cell.formula.value;
  if (typeof cell === 'string' && (column.unit === 'date' || column.unit === 'datetime')) {
    const date = specDate(cell, column.unit);
    return date === null ? null : excelSerial(date);
  }
  return null;
}

class SheetWriter {
  readonly quotePrefixCells = new Set<string>();
  readonly charts: ChartPart[] = [];

  constructor(
    private readonly ws: ExcelJS.Worksheet,
    private readonly layout: SheetLayout,
  ) {}

  private text(row: number, column: number, value: string, font: Partial<ExcelJS.Font>): void {
    const cell = this.ws.getCell(row, column);
    const text = cellText(value);
    cell.value = text;
    cell.font = font;
    if (quotePrefixed(text)) this.quotePrefixCells.add(address(column, row));
  }

  write(): void {
    const { ws, layout } = this;
    const { sheet } = layout;
    layout.widths.forEach((width, i) => {
      ws.getColumn(i + 1).width = width;
    });
    this.text(1, 1, sheet.title, { name: 'Calibri', size: 16, bold: true, color: { argb: INK } });
    ws.getRow(1).height = 24;
    sheet.subtitle.forEach((line, i) => {
      this.text(layout.subtitleRows[i] ?? 0, 1, line, { name: 'Calibri', size: 10, color: { argb: MUTED } });
    });
    for (const placed of layout.tables) this.table(placed);
    (sheet.notes ?? []).forEach((note, i) => {
      this.text(layout.noteRows[i] ?? 0, 1, note, {
        name: 'Calibri',
        size: 9,
        italic: true,
        color: { argb: MUTED },
      });
    });
  }

  private table(placed: PlacedTable): void {
    const { ws } = this;
    const { table } = placed;
    if (placed.captionRow !== null && table.caption !== undefined) {
      this.text(placed.captionRow, 1, table.caption, {
        name: 'Calibri',
        size: 12,
        bold: true,
        color: { argb: INK },
      });
    }
    const dataRows = placed.rows.length > 0 ? placed.rows : [table.columns.map(() => null)];
    ws.addTable({
      name: table.name,
      displayName: table.name,
      ref: address(1, placed.headerRow),
      headerRow: true,
      totalsRow: false,
      style: { theme: 'TableStyleMedium2', showRowStripes: true, showColumnStripes: false },
      columns: placed.headers.map((name) => ({ name, filterButton: false })),
      rows: dataRows.map(() => table.columns.map(() => null)),
    });

    // Header cells carry their look themselves too: LibreOffice does not draw table styles.
    placed.headers.forEach((header, i) => {
      const cell = ws.getCell(placed.headerRow, i + 1);
      cell.font = { name: 'Calibri', size: 11, bold: true, color: { argb: 'FFFFFFFF' } };
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: HEADER_FILL } };
      cell.alignment = { vertical: 'bottom', wrapText: true, ...horizontal(placed, i) };
      if (quotePrefixed(header)) this.quotePrefixCells.add(address(i + 1, placed.headerRow));
    });
    ws.getRow(placed.headerRow).height = headerHeight(placed, this.layout.widths);

    dataRows.forEach((cells, r) => this.row(placed, cells, placed.firstDataRow + r, false));
    if (placed.totalRow !== null && placed.totalCells !== null) {
      this.row(placed, placed.totalCells, placed.totalRow, true);
    }

    let priority = 1;
    for (const key of table.colorScaleColumns ?? []) {
      const column = placed.columnOf(key) ?? 0;
      ws.addConditionalFormatting({
        ref: `${address(column, placed.firstDataRow)}:${address(column, placed.lastDataRow)}`,
        rules: [
          {
            type: 'colorScale',
            priority: priority++,
            cfvo: [{ type: 'min' }, { type: 'percentile', value: 50 }, { type: 'max' }],
            color: COLOR_SCALE.map((argb) => ({ argb })),
          },
        ],
      });
    }
    for (const chart of placed.charts) this.chart(placed, chart);
  }

  private row(placed: PlacedTable, cells: readonly ReportCell[], row: number, total: boolean): void {
    const { ws } = this;
    placed.table.columns.forEach((column, i) => {
      const spec = cells[i] ?? null;
      const cell = ws.getCell(row, i + 1);
      if (spec !== null && typeof spec === 'object') {
        const f = excelFormula(spec.formula, {
          table: placed.table.name,
          row,
          column: i + 1,
          inTotalRow: total,
          firstDataRow: placed.firstDataRow,
          lastDataRow: placed.lastDataRow,
          columnOf: placed.columnOf,
        });
        const result = spec.formula.value;
        cell.value = {
          formula: f.text.slice(1),
          result: result === null || !Number.isFinite(result) ? '' : result,
        };
      } else {
        const { value, text } = cellValue(spec, column);
        cell.value = value;
        if (text !== undefined && quotePrefixed(text)) this.quotePrefixCells.add(address(i + 1, row));
      }
      const numFmt = NUMBER_FORMATS[column.unit];
      if (numFmt !== undefined) cell.numFmt = numFmt;
      cell.alignment = horizontal(placed, i);
      if (total) {
        cell.font = { name: 'Calibri', size: 11, bold: true, color: { argb: INK } };
        cell.border = {
          top: { style: 'thin', color: { argb: RULE } },
          bottom: { style: 'double', color: { argb: RULE } },
        };
      } else {
        // A hairline under each row reads on paper where a table style's banding does not print
        // (LibreOffice draws no table styles at all).
        cell.border = { bottom: { style: 'thin', color: { argb: HAIRLINE } } };
      }
    });
  }

  private chart(placed: PlacedTable, at: PlacedTable['charts'][number]): void {
    const { chart } = at;
    const sheetRef = quotedSheet(this.layout.sheet.name);
    const range = (column: number) =>
      `${sheetRef}!${address(column, placed.firstDataRow, true)}:${address(column, placed.lastDataRow, true)}`;
    const keyIndex = (key: string) => (placed.columnOf(key) ?? 1) - 1;
    const categoryIndex = keyIndex(chart.categoryColumn);
    const categoryColumn = placed.table.columns[categoryIndex];
    const categoryCells = placed.rows.map((cells) => cells[categoryIndex] ?? null);
    const categories: ChartPart['categories'] =
      categoryColumn === undefined || categoryColumn.unit === 'text'
        ? { kind: 'text', values: categoryCells.map(categoryText) }
        : {
            kind: 'number',
            values: categoryCells.map((c) => categoryNumber(c, categoryColumn)),
            format: NUMBER_FORMATS[categoryColumn.unit] ?? 'General',
          };
    const series = chart.valueColumns.map((key): ChartSeries => {
      const i = keyIndex(key);
      return {
        name: placed.headers[i] ?? key,
        nameRef: `${sheetRef}!${address(i + 1, placed.headerRow, true)}`,
        valuesRef: range(i + 1),
        values: placed.rows.map((cells) => {
          const c = cells[i];
          if (typeof c === 'number') return c;
          if (c !== null && typeof c === 'object') return c.formula.value;
          return null;
        }),
      };
    });
    const firstValue = placed.table.columns[keyIndex(chart.valueColumns[0] ?? '')];
    this.charts.push({
      kind: chart.kind,
      title: chart.title,
      categoryRef: range(categoryIndex + 1),
      categories,
      series,
      numberFormat: firstValue === undefined ? 'General' : AXIS_FORMATS[firstValue.unit],
      anchor: {
        fromColumn: 0,
        fromRow: at.row - 1,
        toColumn: at.toColumn - 1,
        toColumnOffsetPx: at.toColumnOffsetPx,
        toRow: at.row - 1 + CHART_ROWS,
      },
    });
  }
}

function createdDate(createdAt: string): Date {
  const date = new Date(createdAt);
  if (Number.isNaN(date.getTime())) throw new ReportSpecError(`createdAt is not a date: "${createdAt}"`);
  return date;
}

/** The finished workbook as bytes. Throws ReportSpecError when Excel could not open the spec as written. */
export async function reportWorkbookBuffer(spec: ReportWorkbook): Promise<Buffer> {
  const layout = layoutWorkbook(spec);
  const created = createdDate(spec.createdAt);
  const wb = new ExcelJS.Workbook();
  wb.title = spec.title;
  wb.creator = 'Caliper';
  wb.lastModifiedBy = 'Caliper';
  wb.created = created;
  wb.modified = created;
  // Excel recalculates every formula on opening (the cached values are the engine's).
  wb.calcProperties.fullCalcOnLoad = true;

  const patches: SheetPatch[] = layout.sheets.map((sheetLayout) => {
    const { sheet } = sheetLayout;
    const ws = wb.addWorksheet(sheet.name, {
      views: [
        sheetLayout.headerRow === null
          ? { state: 'normal', showGridLines: false }
          : {
              state: 'frozen',
              xSplit: 0,
              ySplit: sheetLayout.headerRow,
              topLeftCell: address(1, sheetLayout.headerRow + 1),
              showGridLines: false,
            },
      ],
      pageSetup: {
        orientation: sheet.orientation,
        fitToPage: true,
        fitToWidth: 1,
        fitToHeight: 0,
        horizontalCentered: false,
        margins: { left: 0.5, right: 0.5, top: 0.75, bottom: 0.75, header: 0.3, footer: 0.3 },
      },
      headerFooter: {
        oddHeader: `&L&"Calibri,Bold"&A&R${headerFooterText(spec.title)}`,
        oddFooter: `&LCaliper · ${headerFooterText(spec.createdAt.slice(0, 10), 10)}&RPage &P of &N`,
      },
    });
    const writer = new SheetWriter(ws, sheetLayout);
    writer.write();
    return {
      quotePrefixCells: writer.quotePrefixCells,
      charts: writer.charts,
      printTitleRow: sheetLayout.printTitleRow,
      quotedName: quotedSheet(sheet.name),
    };
  });

  const written = Buffer.from(await wb.xlsx.writeBuffer());
  return finishPackage(written, patches, layout.names);
}

/**
 * Writes the finished workbook to a file path, or to a stream which it then ends (an HTTP
 * response, say); resolves once the stream has taken every byte.
 */
export async function writeReportWorkbook(
  spec: ReportWorkbook,
  out: NodeJS.WritableStream | string,
): Promise<void> {
  const bytes = await reportWorkbookBuffer(spec);
  if (typeof out === 'string') {
    await fs.promises.writeFile(out, bytes);
    return;
  }
  await new Promise<void>((resolve, reject) => {
    out.once('error', reject);
    out.end(bytes, () => {
      out.removeListener('error', reject);
      resolve();
    });
  });
}
