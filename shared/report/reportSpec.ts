/*
 * The board-pack workbook as data: sheets of titled tables whose cells are engine values,
 * text from the data (always written as text, never a formula) or live formulas an auditor
 * can check in the workbook (totals, growth, ratios), each carrying the engine's value.
 * shared/report builds this from the metric engine; io/reportWorkbook.ts writes it with
 * exceljs. Keeping the layout as data lets it be tested without a spreadsheet and keeps the
 * adapter free of any metric rule.
 */

/** How a column's numbers are formatted (and what its values are in). */
export type ReportUnit =
  | 'text'
  | 'usd' // dollars, to the cent
  | 'ratio' // a fraction shown as a percentage
  | 'count'
  | 'hours'
  | 'minutes'
  | 'percentile' // 0–100
  | 'date' // 'YYYY-MM-DD' text in the spec, an Excel date in the workbook
  | 'datetime'; // 'YYYY-MM-DDTHH:MM:SS' text in the spec, an Excel date-time in the workbook

/**
 * A formula over cells of the same table, by column key; the writer turns keys into
 * addresses. `value` is what the engine says the formula evaluates to (null when the engine
 * has no value): the LibreOffice test checks the recalculated cell against it.
 */
export type ReportFormula =
  /** In a total row: the sum of the column's data rows. */
  | { kind: 'sum'; value: number | null }
  /** current / prior − 1 in the same row (blank when prior is blank or zero). */
  | { kind: 'growth'; current: string; prior: string; value: number | null }
  /**
   * numerator / denominator in the same row (blank when either is blank or the denominator is
   * zero, or not positive when `denominatorMustBePositive`).
   */
  | {
      kind: 'ratio';
      numerator: string;
      denominator: string;
      denominatorMustBePositive?: boolean;
      value: number | null;
    }
  /** minuend − subtrahend in the same row. */
  | { kind: 'difference'; minuend: string; subtrahend: string; value: number | null };

/**
 * null = no value (a blank cell; the reason sits in a note column of the table).
 * A string is always written as text, however it starts. A number is a value in the
 * column's unit. `formula` marks a live formula.
 */
export type ReportCell = null | string | number | { formula: ReportFormula };

export interface ReportColumn {
  /** Identifies the column within its table (formulas refer to it). */
  key: string;
  header: string;
  unit: ReportUnit;
  /** Character width; the writer picks one from the unit when absent. */
  width?: number;
}

export interface ReportTable {
  /** An Excel table name: letters, digits and underscores, unique in the workbook. */
  name: string;
  /** A caption written above the table. */
  caption?: string;
  columns: ReportColumn[];
  rows: ReportCell[][];
  /** A last row in bold under a rule (a total), cells by column like a data row. */
  totalRow?: ReportCell[];
  /** Columns shown as a colour scale (low → high), e.g. a heatmap grid. */
  colorScaleColumns?: string[];
}

export interface ReportChart {
  kind: 'column' | 'bar' | 'line';
  title: string;
  /** The table the chart plots: categories from one column, one series per value column. */
  table: string;
  categoryColumn: string;
  valueColumns: string[];
}

/** A workbook-level name for a key figure (e.g. `NetRevenue_Current`). */
export interface ReportNamedCell {
  name: string;
  table: string;
  /** Index into the table's rows; 'total' for its total row. */
  row: number | 'total';
  column: string;
}

export interface ReportSheet {
  /** At most 31 characters, none of \ / ? * [ ] : */
  name: string;
  title: string;
  /** Lines under the title: the period with its dates, the as-of month, the scope, the basis. */
  subtitle: string[];
  tables: ReportTable[];
  /** Lines after the tables (sources, caveats). */
  notes?: string[];
  charts?: ReportChart[];
  orientation: 'landscape' | 'portrait';
}

export interface ReportWorkbook {
  title: string;
  /** Document properties. */
  createdAt: string;
  sheets: ReportSheet[];
  namedCells: ReportNamedCell[];
}
