/*
 * What a unit looks like on a board-pack page: its number format, its default column width,
 * its alignment, and how a spec value of that unit becomes a cell value.
 */

import { needsQuotePrefix } from '../../shared/model/spreadsheetCells';
import type { ReportUnit } from '../../shared/report/reportSpec';

/**
 * Number formats by unit. Dollars keep their cents (values are checked to the cent) and show
 * negatives in parentheses, as finance reads them; `_)` keeps positives aligned with them.
 */
export const NUMBER_FORMATS: Record<ReportUnit, string | undefined> = {
  text: undefined,
  usd: '$#,##0.00_);($#,##0.00)',
  ratio: '0.0%',
  count: '#,##0',
  hours: '#,##0.0',
  minutes: '#,##0',
  percentile: '0',
  date: 'yyyy-mm-dd',
  datetime: 'yyyy-mm-dd hh:mm',
};

/** A chart's value axis: whole units (cents on an axis are noise). */
export const AXIS_FORMATS: Record<ReportUnit, string> = {
  text: 'General',
  usd: '$#,##0;-$#,##0',
  ratio: '0%',
  count: '#,##0',
  hours: '#,##0',
  minutes: '#,##0',
  percentile: '0',
  date: 'yyyy-mm-dd',
  datetime: 'yyyy-mm-dd',
};

/** Default character widths by unit (a text column widens to its longest text). */
const DEFAULT_WIDTHS: Record<ReportUnit, number> = {
  text: 14,
  usd: 15,
  ratio: 10,
  count: 10,
  hours: 10,
  minutes: 10,
  percentile: 10,
  date: 12,
  datetime: 17,
};

const MAX_TEXT_WIDTH = 45;
const MAX_HEADER_WORD = 24;

export function isNumeric(unit: ReportUnit): boolean {
  return unit !== 'text';
}

/** A column's width: the spec's, else the unit's default widened for its header's longest word and its texts. */
export function columnWidth(
  unit: ReportUnit,
  header: string,
  texts: readonly string[],
  given?: number,
): number {
  if (given !== undefined && Number.isFinite(given) && given > 0) return Math.min(given, 255);
  const longestWord = Math.max(0, ...header.split(/\s+/).map((w) => w.length));
  let width = Math.max(DEFAULT_WIDTHS[unit], Math.min(longestWord, MAX_HEADER_WORD) + 2);
  if (unit === 'text' || unit === 'date' || unit === 'datetime') {
    const longestText = Math.max(0, ...texts.map((t) => t.length));
    width = Math.max(width, Math.min(longestText + 2, MAX_TEXT_WIDTH));
  }
  return width;
}

/** Rows a header wraps to at a width (roughly: Excel wraps on words). */
export function headerLines(header: string, width: number): number {
  const room = Math.max(1, Math.floor(width) - 1);
  let lines = 1;
  let used = 0;
  for (const word of header.split(/\s+/).filter((w) => w.length > 0)) {
    const need = used === 0 ? word.length : used + 1 + word.length;
    if (need <= room || used === 0) {
      used = need;
    } else {
      lines += 1;
      used = word.length;
    }
    while (used > room) {
      lines += 1;
      used -= room;
    }
  }
  return lines;
}

/** Excel's longest cell text. */
export const MAX_CELL_TEXT = 32767;

/** A text as a cell receives it: at most Excel's length (cut with an ellipsis). */
export function cellText(text: string): string {
  return text.length <= MAX_CELL_TEXT ? text : `${text.slice(0, MAX_CELL_TEXT - 1)}…`;
}

/** Whether a written text carries Excel's quote prefix (the add-in's rule, shared). */
export function quotePrefixed(text: string): boolean {
  return needsQuotePrefix(text);
}

const FIRST_EXACT_DATE = Date.UTC(1900, 2, 1);
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?Z?$/;

/**
 * The Excel date a date or date-time text of the spec stands for (wall-clock time, no zone:
 * exceljs writes a Date's UTC fields as the serial), or null when it is not one — then the
 * text is written as text. Dates before 1900-03-01 are left as text (Excel has none before
 * 1900, and counts a 1900-02-29 that never was).
 */
export function specDate(text: string, unit: 'date' | 'datetime'): Date | null {
  const m = unit === 'date' ? DATE.exec(text) : (DATETIME.exec(text) ?? DATE.exec(text));
  if (m === null) return null;
  const [y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0] = m
    .slice(1)
    .map((part) => (part === undefined ? 0 : Number(part)));
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  const roundTrips =
    date.getUTCFullYear() === y &&
    date.getUTCMonth() === mo - 1 &&
    date.getUTCDate() === d &&
    date.getUTCHours() === h &&
    date.getUTCMinutes() === mi &&
    date.getUTCSeconds() === s;
  return roundTrips && date.getTime() >= FIRST_EXACT_DATE && y <= 9999 ? date : null;
}
