import { parse } from 'csv-parse/sync';

import {
  CsvLimitScanner,
  type IngestLimits,
  LimitExceededError,
  limitsFromProcessEnv,
  raiseHint,
  textProblem,
} from '../ingest/limits';
import type { VendorCsvRow, VendorInput } from './vendorProfile';

/**
 * Reading a vendor CSV export: vendors add a BOM, quote every cell, put report titles above
 * the header (Google Ads) and write localized files with `;` and decimal commas (Meta). The
 * header row is found rather than assumed, and every row keeps the number the user sees.
 */

export class VendorCsvError extends Error {
  constructor(
    readonly row: number | null,
    reason: string,
  ) {
    super(row === null ? reason : `row ${row}: ${reason}`);
    this.name = 'VendorCsvError';
  }
}

/** `Sales (Exc. Tax)`, `Sales(Exc.Tax)`, `Sales(Exc Tax)` and `sales exc. tax` all become `sales exc tax`. */
export function normalizeHeaderName(header: string): string {
  return header
    .replace(/^\uFEFF/, '')
    .toLowerCase()
    .replace(/\./g, ' ')
    .replace(/[^a-z0-9%#]+/g, ' ')
    .trim();
}

const DELIMITERS = [',', ';', '\t'] as const;

/** The separator used most on the busiest of the first lines (quotes are ignored, good enough here). */
function guessDelimiter(firstLines: readonly string[]): string {
  let best: string = ',';
  let bestCount = 0;
  for (const delimiter of DELIMITERS) {
    const count = Math.max(0, ...firstLines.map((line) => line.split(delimiter).length - 1));
    if (count > bestCount) {
      best = delimiter;
      bestCount = count;
    }
  }
  return best;
}

export function firstLinesOf(text: string, count = 8): string[] {
  return text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/, count);
}

/** Preamble lines (a title, a date range) hold one or two cells; the header holds at least three. */
const MIN_HEADER_CELLS = 3;
const MAX_PREAMBLE_LINES = 10;

/** What csv-parse's error code means, without its message (which quotes the content it choked on). */
function describeParseError(error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  if (code === 'CSV_QUOTE_NOT_CLOSED') {
    return 'a quoted cell is never closed (a `"` is missing), so the rest of the file cannot be read';
  }
  return `the CSV structure is broken (${code === '' ? 'unreadable' : code})`;
}

/**
 * Reads a vendor CSV export's text. A file that is not text, or a line, cell or header over
 * `limits` (by default the CALIPER_LIMIT_* of the environment), is a VendorCsvError naming the
 * row and the limit — checked in one pass before the parser builds any row.
 */
export function readVendorCsv(
  text: string,
  limits: Readonly<IngestLimits> = limitsFromProcessEnv(),
): Extract<VendorInput, { format: 'csv' }> {
  const notText = textProblem(text);
  if (notText !== null) throw new VendorCsvError(null, notText);
  const delimiter = guessDelimiter(firstLinesOf(text));
  try {
    new CsvLimitScanner(limits, delimiter).feed(text);
  } catch (error) {
    if (error instanceof LimitExceededError) throw new VendorCsvError(error.row, error.reason);
    throw error;
  }
  let nextRow = 1;
  const rowNumbers: number[] = [];
  let records: VendorCsvRow[];
  try {
    const cellRows = parse(text, {
      bom: true,
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      record_delimiter: ['\r\n', '\n', '\r'],
      max_record_size: limits.lineBytes,
      on_record: (cells: string[]) => {
        rowNumbers.push(nextRow);
        nextRow += 1 + cells.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0);
        return cells;
      },
    });
    records = cellRows.map((cells, i) => ({ row: rowNumbers[i] ?? 0, cells }));
  } catch (error) {
    const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : null;
    if (code === 'CSV_MAX_RECORD_SIZE') {
      throw new VendorCsvError(
        nextRow,
        `the line is longer than the limit; ${raiseHint('lineBytes', limits)}`,
      );
    }
    throw new VendorCsvError(nextRow, describeParseError(error));
  }
  const nonEmpty = (cells: readonly string[]) => cells.filter((c) => c.trim() !== '').length;
  const headerIndex = records.findIndex(
    (r, i) => i < MAX_PREAMBLE_LINES && nonEmpty(r.cells) >= MIN_HEADER_CELLS,
  );
  const header = records[headerIndex];
  if (header === undefined) throw new VendorCsvError(null, 'no header row found (the file is empty)');
  return {
    format: 'csv',
    headers: header.cells.map((c) => c.trim()),
    headerRow: header.row,
    preamble: records.slice(0, headerIndex).map((r) => r.cells.join(delimiter).trim()),
    decimalComma: delimiter === ';',
    rows: records.slice(headerIndex + 1).filter((r) => nonEmpty(r.cells) > 0),
  };
}

/** Finds a column by any of its spellings (compared in normalizeHeaderName form); -1 when absent. */
export function findColumn(headers: readonly string[], aliases: readonly (string | RegExp)[]): number {
  const normalized = headers.map(normalizeHeaderName);
  for (const alias of aliases) {
    const index =
      typeof alias === 'string'
        ? normalized.indexOf(normalizeHeaderName(alias))
        : normalized.findIndex((h) => alias.test(h));
    if (index !== -1) return index;
  }
  return -1;
}

/** The cells of one header line (a BOM, quotes and a `;` or tab separator allowed). */
export function parseHeaderLine(line: string): string[] {
  try {
    const [cells] = parse(line, {
      bom: true,
      delimiter: guessDelimiter([line]),
      relax_quotes: true,
      to_line: 1,
    });
    return (cells ?? []).map((c) => c.trim());
  } catch {
    return [];
  }
}
