/**
 * The period grammar (metrics.md, "Periods"). Every period string in Caliper — Excel
 * arguments, API query parameters, CLI flags — goes through `parsePeriod`, so there is one
 * grammar and one error message. Parsing is purely syntactic (`PeriodSpec`); turning a spec
 * into dates needs tenant settings and the as-of month, which `resolvePeriod` takes as a
 * `PeriodContext`.
 */

import type { LocalDate, YearMonth } from '../model/localDate';
import {
  addMonths,
  dateParts,
  daysInclusive,
  daysInMonth,
  firstDayOfMonth,
  isLocalDate,
  lastDayOfMonth,
  makeDate,
  makeYearMonth,
  monthOf,
  monthParts,
} from '../model/localDate';

export type ToDateWindow = 'LTM' | 'YTD' | 'QTD' | 'MTD';
export type Quarter = 1 | 2 | 3 | 4;

/** The syntactic forms of a period string, before any tenant setting or as-of month applies. */
export type PeriodSpec =
  | { kind: 'month'; month: YearMonth }
  | { kind: 'quarter'; year: number; quarter: Quarter }
  | { kind: 'fiscal_year'; year: number }
  /** Quarter `quarter` of fiscal year `year` (named by the calendar year it ends in). */
  | { kind: 'fiscal_quarter'; year: number; quarter: Quarter }
  | { kind: 'calendar_year'; year: number }
  /** `asOf: null` means "ending at the as-of month the caller resolves". */
  | { kind: 'to_date'; window: ToDateWindow; asOf: YearMonth | null }
  | { kind: 'range'; start: LocalDate; end: LocalDate }
  /**
   * Relative forms for roll-forward templates, resolved against the as-of month. `LTM-n` /
   * `YTD-n`: the window ending n years before the as-of month.
   */
  | { kind: 'relative'; window: RelativeWindow; yearsBack: number }
  /** `LTM-3M` / `LTM-1Q`: the twelve months ending `back` months (M) or quarters (Q) before the as-of month. */
  | { kind: 'relative_ltm'; back: number; unit: 'M' | 'Q' }
  /**
   * `FY0` / `FQ0` / `CY0` / `CQ0` / `M0`: the latest completed block (fiscal year, fiscal
   * quarter, calendar year, calendar quarter, month) at the as-of month; `offset` -n is n
   * blocks before it; `offset` 1 is the current block to date (not for M: the as-of month is
   * complete by definition).
   */
  | { kind: 'relative_block'; block: RelativeBlock; offset: number };

export type RelativeWindow = 'LTM' | 'YTD';
export type RelativeBlock = 'FY' | 'FQ' | 'CY' | 'CQ' | 'M';

export interface PeriodError {
  code: 'invalid_period';
  input: string;
  message: string;
  acceptedForms: string[];
}

export type ParsePeriodResult =
  { success: true; period: PeriodSpec } | { success: false; error: PeriodError };

/** Every accepted form with an example; the error message lists all of them. */
export const ACCEPTED_PERIOD_FORMS: readonly string[] = [
  '2025-09 (month) or Sep-25 / Sep 2025 / September 2025',
  '2025-Q3 (calendar quarter) or 2025Q3 / Q3 2025 / Q3-2025 / 3Q25',
  '2025 (calendar year) or CY2025',
  'FY2025 (fiscal year ending in 2025) or FY 2025',
  'FY2025-Q1 (quarter 1 of fiscal year 2025) or FY2025 Q1 / Q1 FY2025 / FQ1 2025',
  'LTM / YTD / QTD / MTD (to date, ending at the as-of month)',
  'LTM@2025-06 / YTD@2025-06 / QTD@2025-06 / MTD@2025-06 (to date, ending at the named month)',
  '2025-01-01..2025-03-31 (inclusive date range)',
  'FY0 / FQ0 / CY0 / CQ0 (latest completed fiscal year / fiscal quarter / calendar year / calendar quarter at the as-of month), FY-1 / FQ-2 (n before it), FY1 / FQ1 / CY1 / CQ1 (the current one, to date)',
  'M0 / M-1 (the as-of month, i.e. the latest complete month, and n months before it)',
  'LTM-1 / YTD-1 (the window ending n years before the as-of month), LTM-3M / LTM-1Q (ending n months / quarters before it)',
];

// Same bounds as isLocalDate / isYearMonth, so every form accepts the same years.
const MIN_YEAR = 1900;
const MAX_YEAR = 2999;

const YEAR_RE = /^(?:CY)?(\d{4})$/i;
const MONTH_RE = /^(\d{4})-(\d{2})$/;
/** `Sep-25`, `Sep 2025`, `September 2025`, `sept25`: a month name, then a 2- or 4-digit year. */
const NAMED_MONTH_RE = /^([A-Z]{3,9})\.?[- ]?(\d{2}|\d{4})$/i;
/** Calendar quarters: year first (`2025-Q3`, `2025Q3`, `2025 Q3`), quarter first (`Q3 2025`, `Q3-2025`), `3Q25`. */
const QUARTER_RE = /^(\d{4})[- ]?Q(\d)$/i;
const QUARTER_FIRST_RE = /^Q(\d)[- ]?(\d{4})$/i;
const QUARTER_DIGIT_RE = /^(\d)Q(\d{2}|\d{4})$/i;
const FISCAL_YEAR_RE = /^FY ?(\d{4})$/i;
/** Fiscal quarters: `FY2025-Q1`, `FY2025 Q1`, `FY2025Q1`, `Q1 FY2025`, `FQ1 2025` / `FQ12025` (Capital IQ's spelling). */
const FISCAL_QUARTER_RE = /^FY(\d{4})[- ]?Q(\d)$/i;
const FISCAL_QUARTER_FIRST_RE = /^Q(\d)[- ]?FY(\d{4})$/i;
const FQ_YEAR_RE = /^FQ(\d)[- ]?(\d{4})$/i;
const TO_DATE_RE = /^(LTM|YTD|QTD|MTD)(?:@(.*))?$/i;
const RANGE_RE = /^(.*)\.\.(.*)$/;
const RELATIVE_RE = /^(LTM|YTD)(?:0|-(\d{1,2}))(Y)?$/i;
const RELATIVE_LTM_RE = /^LTM-(\d{1,3})(M|Q)$/i;
const RELATIVE_BLOCK_RE = /^(FY|FQ|CY|CQ)(?:(0|1)|-(\d{1,2}))$/i;
const RELATIVE_MONTH_RE = /^M(?:(0|1)|-(\d{1,3}))$/i;
const DATE_SHAPE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

// Near-miss shapes that get a specific hint instead of only the generic list.
const SHORT_FISCAL_YEAR_RE = /^FY(\d{2})$/i;
const ONE_DIGIT_MONTH_RE = /^(\d{4})-(\d)$/;
const PARTIAL_LABEL_RE = /^(.+?) ?\(to (\d{4}-\d{2})\)$/i;
const NUMBER_RE = /^\d{5,}(?:\.\d*)?$/;

const MONTH_NAMES = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

/** 1..12 for a month's full name, its first three letters, or `sept`; null otherwise. */
function monthNumber(name: string): number | null {
  const lower = name.toLowerCase();
  const index = MONTH_NAMES.findIndex(
    (full) => lower === full || lower === full.slice(0, 3) || (full === 'september' && lower === 'sept'),
  );
  return index < 0 ? null : index + 1;
}

/** A two-digit year is 20yy (`Sep-25` = 2025-09, `3Q25` = 2025-Q3); a four-digit year is itself. */
function fullYear(text: string): number {
  return text.length === 2 ? 2000 + Number(text) : Number(text);
}

type Step<T> = { ok: true; value: T } | { ok: false; reason: string };

function yearReason(year: number): string | null {
  return year >= MIN_YEAR && year <= MAX_YEAR ? null : `year ${year} is outside ${MIN_YEAR}–${MAX_YEAR}`;
}

function checkYearMonth(text: string): Step<YearMonth> {
  const m = MONTH_RE.exec(text);
  if (!m) return { ok: false, reason: `"${text}" is not a month like 2025-06` };
  const year = Number(m[1]);
  const month = Number(m[2]);
  const badYear = yearReason(year);
  if (badYear) return { ok: false, reason: badYear };
  if (month < 1 || month > 12) return { ok: false, reason: `month ${month} does not exist` };
  return { ok: true, value: makeYearMonth(year, month) };
}

function checkDate(text: string): Step<LocalDate> {
  const m = DATE_SHAPE_RE.exec(text);
  if (!m) return { ok: false, reason: `"${text}" is not a date like 2025-01-01` };
  const badYear = yearReason(Number(m[1]));
  if (badYear) return { ok: false, reason: badYear };
  if (!isLocalDate(text)) return { ok: false, reason: `${text} is not a calendar date` };
  return { ok: true, value: text };
}

function checkYear(year: number): Step<number> {
  const badYear = yearReason(year);
  return badYear ? { ok: false, reason: badYear } : { ok: true, value: year };
}

/** Returns the spec, a near-miss reason, or null when the text matches no form at all. */
function parseTrimmed(text: string): Step<PeriodSpec> | null {
  if (text === '') return { ok: false, reason: 'the period is empty' };

  const range = RANGE_RE.exec(text);
  if (range) {
    const startText = range[1] ?? '';
    const endText = range[2] ?? '';
    if (startText !== startText.trim() || endText !== endText.trim()) {
      return {
        ok: false,
        reason: `a range has no spaces around ".." (${startText.trim()}..${endText.trim()})`,
      };
    }
    const start = checkDate(startText);
    if (!start.ok) return start;
    const end = checkDate(endText);
    if (!end.ok) return end;
    if (start.value > end.value) {
      return { ok: false, reason: `range start ${start.value} is after its end ${end.value}` };
    }
    return { ok: true, value: { kind: 'range', start: start.value, end: end.value } };
  }

  const toDate = TO_DATE_RE.exec(text);
  if (toDate) {
    const window = (toDate[1] ?? '').toUpperCase() as ToDateWindow;
    const asOfText = toDate[2];
    if (asOfText === undefined) return { ok: true, value: { kind: 'to_date', window, asOf: null } };
    const asOf = checkYearMonth(asOfText);
    if (!asOf.ok) return { ok: false, reason: `after "@": ${asOf.reason}` };
    return { ok: true, value: { kind: 'to_date', window, asOf: asOf.value } };
  }

  const relative = RELATIVE_RE.exec(text);
  if (relative) {
    const window = (relative[1] ?? '').toUpperCase() as RelativeWindow;
    const yearsBack = relative[2] === undefined ? 0 : Number(relative[2]);
    if (relative[2] === undefined) {
      return { ok: false, reason: `${window}0 is written ${window} (the window ending at the as-of month)` };
    }
    return { ok: true, value: { kind: 'relative', window, yearsBack } };
  }

  const relativeLtm = RELATIVE_LTM_RE.exec(text);
  if (relativeLtm) {
    const unit = (relativeLtm[2] ?? '').toUpperCase() as 'M' | 'Q';
    return { ok: true, value: { kind: 'relative_ltm', back: Number(relativeLtm[1]), unit } };
  }

  const relativeBlock = RELATIVE_BLOCK_RE.exec(text);
  if (relativeBlock) {
    const block = (relativeBlock[1] ?? '').toUpperCase() as RelativeBlock;
    const offset = relativeBlock[2] === undefined ? 0 - Number(relativeBlock[3]) : Number(relativeBlock[2]);
    return { ok: true, value: { kind: 'relative_block', block, offset } };
  }

  const relativeMonth = RELATIVE_MONTH_RE.exec(text);
  if (relativeMonth) {
    if (relativeMonth[1] === '1') {
      return {
        ok: false,
        reason:
          'M1 would be the month after the as-of month, which is not complete; M0 is the latest complete month',
      };
    }
    const offset = relativeMonth[1] === undefined ? 0 - Number(relativeMonth[2]) : 0;
    return { ok: true, value: { kind: 'relative_block', block: 'M', offset } };
  }

  const fiscalYear = FISCAL_YEAR_RE.exec(text);
  if (fiscalYear) {
    const year = checkYear(Number(fiscalYear[1]));
    return year.ok ? { ok: true, value: { kind: 'fiscal_year', year: year.value } } : year;
  }

  const fiscalQuarter = FISCAL_QUARTER_RE.exec(text);
  if (fiscalQuarter) return quarterStep('fiscal_quarter', fiscalQuarter[1], fiscalQuarter[2]);
  const fiscalQuarterFirst = FISCAL_QUARTER_FIRST_RE.exec(text) ?? FQ_YEAR_RE.exec(text);
  if (fiscalQuarterFirst) return quarterStep('fiscal_quarter', fiscalQuarterFirst[2], fiscalQuarterFirst[1]);

  const quarter = QUARTER_RE.exec(text);
  if (quarter) return quarterStep('quarter', quarter[1], quarter[2]);
  const quarterFirst = QUARTER_FIRST_RE.exec(text) ?? QUARTER_DIGIT_RE.exec(text);
  if (quarterFirst) return quarterStep('quarter', quarterFirst[2], quarterFirst[1]);

  if (MONTH_RE.test(text)) {
    const month = checkYearMonth(text);
    return month.ok ? { ok: true, value: { kind: 'month', month: month.value } } : month;
  }

  const namedMonth = NAMED_MONTH_RE.exec(text);
  const namedMonthNumber = namedMonth ? monthNumber(namedMonth[1] ?? '') : null;
  if (namedMonth && namedMonthNumber !== null) {
    const year = checkYear(fullYear(namedMonth[2] ?? ''));
    if (!year.ok) return year;
    return { ok: true, value: { kind: 'month', month: makeYearMonth(year.value, namedMonthNumber) } };
  }

  const calendarYear = YEAR_RE.exec(text);
  if (calendarYear) {
    const year = checkYear(Number(calendarYear[1]));
    return year.ok ? { ok: true, value: { kind: 'calendar_year', year: year.value } } : year;
  }

  const shortFiscal = SHORT_FISCAL_YEAR_RE.exec(text);
  if (shortFiscal) {
    return { ok: false, reason: `fiscal years need a four-digit year (FY20${shortFiscal[1]}, not ${text})` };
  }
  const oneDigitMonth = ONE_DIGIT_MONTH_RE.exec(text);
  if (oneDigitMonth) {
    return {
      ok: false,
      reason: `months need two digits (${oneDigitMonth[1]}-0${oneDigitMonth[2]}, not ${text})`,
    };
  }
  if (DATE_SHAPE_RE.test(text)) {
    return { ok: false, reason: `a single date is not a period (for one day write ${text}..${text})` };
  }
  const partialLabel = PARTIAL_LABEL_RE.exec(text);
  if (partialLabel) {
    return {
      ok: false,
      reason:
        `"${text}" is how a period to date is labelled, not a period to ask for ` +
        `(write FY1 / FQ1 / CY1 / CQ1, or YTD@${partialLabel[2]} / QTD@${partialLabel[2]})`,
    };
  }
  if (NUMBER_RE.test(text)) {
    return {
      ok: false,
      reason:
        `${text} is not a period (an Excel date given as text?): in Excel pass the date cell itself, ` +
        'which the add-in reads as the twelve months ending in its month; elsewhere name the month, e.g. 2025-09',
    };
  }
  return null;
}

/** A quarter (calendar or fiscal) from its year text (2 or 4 digits) and quarter digit. */
function quarterStep(kind: 'quarter' | 'fiscal_quarter', yearText = '', quarterText = ''): Step<PeriodSpec> {
  const year = checkYear(fullYear(yearText));
  if (!year.ok) return year;
  const q = Number(quarterText);
  if (q < 1 || q > 4) return { ok: false, reason: `quarter ${q} does not exist (quarters are Q1–Q4)` };
  return { ok: true, value: { kind, year: year.value, quarter: q as Quarter } };
}

function periodError(input: string, shown: string, reason: string | null): PeriodError {
  const why = reason ? `${reason}; ` : '';
  return {
    code: 'invalid_period',
    input,
    message: `Unrecognized period "${shown}": ${why}expected one of: ${ACCEPTED_PERIOD_FORMS.join(', ')}`,
    acceptedForms: [...ACCEPTED_PERIOD_FORMS],
  };
}

/** A non-string as text; a value String() cannot convert (`{"toString": {}}` from JSON) by its type. */
function shownValue(value: unknown): string {
  try {
    return String(value);
  } catch {
    return typeof value;
  }
}

/**
 * Parses a period string. Never throws: user input is expected to be wrong sometimes, and
 * the caller decides how to show the error (Excel #VALUE! text, HTTP 400, CLI message).
 */
export function parsePeriod(text: string): ParsePeriodResult {
  // Excel and JSON callers can hand over non-strings despite the type.
  if (typeof text !== 'string') {
    const shown = shownValue(text);
    return { success: false, error: periodError(shown, shown, 'the period must be text') };
  }
  const trimmed = text.trim();
  const step = parseTrimmed(trimmed);
  if (step?.ok) return { success: true, period: step.value };
  return { success: false, error: periodError(text, trimmed, step ? step.reason : null) };
}

export class PeriodParseError extends Error {
  readonly periodError: PeriodError;

  constructor(periodError: PeriodError) {
    super(periodError.message);
    this.name = 'PeriodParseError';
    this.periodError = periodError;
  }
}

/** For programmer-supplied strings (fixtures, constants) where a bad period is a bug. */
export function parsePeriodOrThrow(text: string): PeriodSpec {
  const result = parsePeriod(text);
  if (!result.success) throw new PeriodParseError(result.error);
  return result.period;
}

export interface PeriodContext {
  /** First month of the tenant's fiscal year, 1..12 (metrics.md default: 1 = January). */
  fiscalYearStartMonth: number;
  /** The as-of month that bare LTM / YTD / QTD / MTD end at. */
  asOfMonth?: YearMonth;
}

export const DEFAULT_PERIOD_CONTEXT: PeriodContext = { fiscalYearStartMonth: 1 };

/**
 * A period as dates. `months` is the number of whole months covered for every form except a
 * range; for a range it is the sum, over each calendar month it touches, of days covered /
 * days in that month (2025-01-01..2025-01-15 = 15/31). That keeps "per month" averages of a
 * partial month proportional to the days actually covered, and a range that happens to cover
 * whole months gets the same integer as the equivalent month-aligned period.
 */
export interface ResolvedPeriod {
  /**
   * Canonical text, e.g. `2025-Q3`, `FY2025`, `FY2025-Q1`, `LTM@2025-06`, `PY(2025-Q3)`; a year or
   * quarter still running at the as-of month (FY1, FQ1, CY1, CQ1) is `FY2026 (to 2026-10)`, a
   * label to read rather than a period to type.
   */
  label: string;
  start: LocalDate;
  end: LocalDate;
  months: number;
}

export interface AsOfRequiredError {
  code: 'as_of_required';
  message: string;
}

export type ResolvePeriodResult =
  { success: true; period: ResolvedPeriod } | { success: false; error: AsOfRequiredError };

function monthSpan(label: string, first: YearMonth, last: YearMonth, months: number): ResolvedPeriod {
  return { label, start: firstDayOfMonth(first), end: lastDayOfMonth(last), months };
}

/** The share of `month` from `from` to `to` (both in it): days covered / days in the month. */
function monthShare(month: YearMonth, from: LocalDate, to: LocalDate): number {
  const { year, month: m } = monthParts(month);
  return daysInclusive(from, to) / daysInMonth(year, m);
}

function rangeMonths(start: LocalDate, end: LocalDate): number {
  const first = monthOf(start);
  const last = monthOf(end);
  if (first === last) return monthShare(first, start, end);
  let total = monthShare(first, start, lastDayOfMonth(first));
  // The months in between are covered whole. Counted without building each one (a range of
  // centuries is ten thousand months), and added one at a time as the month-by-month sum was,
  // so the result is the same to the last bit.
  const between = monthIndex(last) - monthIndex(first) - 1;
  for (let i = 0; i < between; i += 1) total += 1;
  return total + monthShare(last, firstDayOfMonth(last), end);
}

function monthIndex(month: YearMonth): number {
  const { year, month: m } = monthParts(month);
  return year * 12 + m;
}

function monthsBetween(first: YearMonth, last: YearMonth): YearMonth[] {
  const months: YearMonth[] = [];
  for (let month = first; month <= last; month = addMonths(month, 1)) months.push(month);
  return months;
}

/** Months from the start of the enclosing fiscal block (year or quarter) to `month`, 0-based. */
function fiscalOffset(month: YearMonth, fiscalYearStartMonth: number): number {
  return (monthParts(month).month - fiscalYearStartMonth + 12) % 12;
}

/**
 * Turns a spec into dates.
 *
 * - `2025-09`, `2025-Q3`, `2025`: calendar month / quarter / year.
 * - `FY2025`: the fiscal year named by the calendar year it ends in. With
 *   fiscalYearStartMonth s = 1 it is 2025-01-01..2025-12-31; with s = 7 it is
 *   2024-07-01..2025-06-30.
 * - `LTM@M`: the 12 full months ending at M (LTM@2025-06 = 2024-07-01..2025-06-30).
 * - `YTD@M`: fiscal year to date, from the first day of the fiscal year containing M to the
 *   last day of M (with the default s = 1 that is calendar YTD).
 * - `QTD@M`: fiscal quarter to date; fiscal quarters are 3-month blocks starting at month s.
 * - `MTD@M`: month M. Months are whole because the as-of month is by definition complete.
 * - Bare `LTM` / `YTD` / `QTD` / `MTD` end at `ctx.asOfMonth`; without one the result is
 *   `as_of_required`, since guessing "today" would silently include incomplete data.
 * - Ranges are taken as written.
 * - `FY2025-Q1`: the first three months of FY2025 (fiscal quarters are 3-month blocks from
 *   month s); with s = 7 it is 2024-07-01..2024-09-30.
 * - Relative forms count from the as-of month A (the latest complete month) and need
 *   `ctx.asOfMonth` like bare LTM:
 *   - `FY0` is the latest *completed* fiscal year: the last one ending on or before the end of
 *     A (A itself when A closes a fiscal year), never a part-year; `FY-n` is n years before it.
 *     `FQ0` / `FQ-n` are the same for fiscal quarters, `CY0` / `CY-n` and `CQ0` / `CQ-n` for
 *     calendar years and quarters, `M0` / `M-n` for months (`M0` = A).
 *   - `FY1` / `FQ1` / `CY1` / `CQ1` are the year or quarter containing A, to the end of A (the
 *     same dates as `YTD` / `QTD` for the fiscal forms), labelled `FY2026 (to 2026-10)`; when A
 *     closes that year or quarter it is complete, equal to `FY0` and labelled `FY2026`.
 *   - `LTM-n` / `YTD-n` are `LTM@M` / `YTD@M` with M = A minus n years; `LTM-nM` / `LTM-nQ`
 *     are `LTM@M` with M = A minus n months / n quarters.
 *   Their labels are the resolved absolute form (`FY2024`, `FY2025-Q3`, `LTM@2024-06`) so a
 *   roll-forward template shows what each cell covers.
 *
 * Labels are canonical: upper case, and to-date labels always name their month
 * (`LTM` resolved at 2025-06 is labelled `LTM@2025-06`) so a result says what it covers.
 *
 * An out-of-range `fiscalYearStartMonth` or malformed `asOfMonth` is a configuration bug,
 * not user input, so it throws a RangeError.
 */
export function resolvePeriod(
  spec: PeriodSpec,
  ctx: PeriodContext = DEFAULT_PERIOD_CONTEXT,
): ResolvePeriodResult {
  const s = ctx.fiscalYearStartMonth;
  if (!Number.isInteger(s) || s < 1 || s > 12) {
    throw new RangeError(`fiscalYearStartMonth must be an integer 1..12, got ${s}`);
  }
  if (ctx.asOfMonth !== undefined && !checkYearMonth(ctx.asOfMonth).ok) {
    throw new RangeError(`asOfMonth must be a YYYY-MM month, got ${ctx.asOfMonth}`);
  }

  const ok = (period: ResolvedPeriod): ResolvePeriodResult => ({ success: true, period });

  switch (spec.kind) {
    case 'month':
      return ok(monthSpan(spec.month, spec.month, spec.month, 1));
    case 'quarter': {
      const first = makeYearMonth(spec.year, (spec.quarter - 1) * 3 + 1);
      return ok(monthSpan(`${spec.year}-Q${spec.quarter}`, first, addMonths(first, 2), 3));
    }
    case 'calendar_year':
      return ok(monthSpan(String(spec.year), makeYearMonth(spec.year, 1), makeYearMonth(spec.year, 12), 12));
    case 'fiscal_year': {
      // The fiscal year ends in the month before s of year `spec.year` (December when s = 1).
      const last = makeYearMonth(spec.year, s === 1 ? 12 : s - 1);
      return ok(monthSpan(`FY${spec.year}`, addMonths(last, -11), last, 12));
    }
    case 'fiscal_quarter': {
      const first = addMonths(makeYearMonth(spec.year, s === 1 ? 12 : s - 1), -11 + (spec.quarter - 1) * 3);
      return ok(monthSpan(`FY${spec.year}-Q${spec.quarter}`, first, addMonths(first, 2), 3));
    }
    case 'to_date':
      return resolveToDate(spec.window, spec.asOf ?? ctx.asOfMonth, s);
    case 'relative':
      return resolveRelative(spec.window, spec.yearsBack, ctx.asOfMonth, s);
    case 'relative_ltm': {
      const written = `LTM-${spec.back}${spec.unit}`;
      if (ctx.asOfMonth === undefined) return asOfRequired(written, 'LTM@2025-06');
      const monthsBack = spec.back * (spec.unit === 'Q' ? 3 : 1);
      return resolveToDate('LTM', addMonths(ctx.asOfMonth, -monthsBack), s);
    }
    case 'relative_block':
      return resolveRelativeBlock(spec.block, spec.offset, ctx.asOfMonth, s);
    case 'range':
      return ok({
        label: `${spec.start}..${spec.end}`,
        start: spec.start,
        end: spec.end,
        months: rangeMonths(spec.start, spec.end),
      });
  }
}

function resolveToDate(
  window: ToDateWindow,
  asOf: YearMonth | undefined,
  fiscalYearStartMonth: number,
): ResolvePeriodResult {
  if (asOf === undefined) {
    return {
      success: false,
      error: {
        code: 'as_of_required',
        message:
          `${window} needs an as-of month: none was set for this request, ` +
          `so name one explicitly, e.g. ${window}@2025-06`,
      },
    };
  }
  const label = `${window}@${asOf}`;
  // Months from the first month of the window to the as-of month.
  let offset: number;
  switch (window) {
    case 'LTM':
      offset = 11;
      break;
    case 'YTD':
      offset = fiscalOffset(asOf, fiscalYearStartMonth);
      break;
    case 'QTD':
      offset = fiscalOffset(asOf, fiscalYearStartMonth) % 3;
      break;
    case 'MTD':
      offset = 0;
      break;
  }
  return { success: true, period: monthSpan(label, addMonths(asOf, -offset), asOf, offset + 1) };
}

function resolveRelative(
  window: RelativeWindow,
  yearsBack: number,
  asOf: YearMonth | undefined,
  fiscalYearStartMonth: number,
): ResolvePeriodResult {
  if (asOf === undefined) return asOfRequired(`${window}-${yearsBack}`, `${window}@2025-06`);
  return resolveToDate(window, addMonths(asOf, -12 * yearsBack), fiscalYearStartMonth);
}

function asOfRequired(written: string, example: string): ResolvePeriodResult {
  return {
    success: false,
    error: {
      code: 'as_of_required',
      message:
        `${written} counts back from the as-of month: none was set for this request, ` +
        `so name the period explicitly, e.g. ${example}`,
    },
  };
}

const BLOCK_MONTHS: Record<RelativeBlock, number> = { FY: 12, FQ: 3, CY: 12, CQ: 3, M: 1 };
const BLOCK_EXAMPLE: Record<RelativeBlock, string> = {
  FY: 'FY2025',
  FQ: 'FY2025-Q2',
  CY: '2025',
  CQ: '2025-Q2',
  M: '2025-06',
};

/** The absolute label of the block (of `block`'s kind) that ends with month `last`. */
function blockLabel(block: RelativeBlock, last: YearMonth, fiscalYearStartMonth: number): string {
  const { year, month } = monthParts(last);
  switch (block) {
    case 'M':
      return last;
    case 'CY':
      return String(year);
    case 'CQ':
      return `${year}-Q${month / 3}`;
    case 'FY':
      // A fiscal year is named by the calendar year of its last month.
      return `FY${year}`;
    case 'FQ': {
      const offset = fiscalOffset(last, fiscalYearStartMonth);
      const fiscalYearEnd = addMonths(last, 11 - offset);
      return `FY${monthParts(fiscalYearEnd).year}-Q${(offset + 1) / 3}`;
    }
  }
}

function resolveRelativeBlock(
  block: RelativeBlock,
  offset: number,
  asOf: YearMonth | undefined,
  fiscalYearStartMonth: number,
): ResolvePeriodResult {
  if (asOf === undefined) {
    return asOfRequired(`${block}${offset}`, BLOCK_EXAMPLE[block]);
  }
  const size = BLOCK_MONTHS[block];
  const start = block === 'FY' || block === 'FQ' ? fiscalYearStartMonth : 1;
  // Months of the block containing the as-of month that precede it, and that block's last month.
  const into = fiscalOffset(asOf, start) % size;
  const currentLast = addMonths(asOf, size - 1 - into);
  if (offset > 0) {
    // The current block to date: its first month through the as-of month.
    const label = blockLabel(block, currentLast, fiscalYearStartMonth);
    const partial = asOf === currentLast ? label : `${label} (to ${asOf})`;
    return { success: true, period: monthSpan(partial, addMonths(asOf, -into), asOf, into + 1) };
  }
  // The latest completed block ends at the as-of month when it closes its block, else one block earlier.
  const latest = asOf === currentLast ? asOf : addMonths(currentLast, -size);
  const last = addMonths(latest, offset * size);
  return {
    success: true,
    period: monthSpan(
      blockLabel(block, last, fiscalYearStartMonth),
      addMonths(last, -(size - 1)),
      last,
      size,
    ),
  };
}

function isMonthAligned(period: ResolvedPeriod): boolean {
  return (
    period.start === firstDayOfMonth(monthOf(period.start)) &&
    period.end === lastDayOfMonth(monthOf(period.end))
  );
}

function shiftDateBackAYear(date: LocalDate): LocalDate {
  const { year, month, day } = dateParts(date);
  // Feb 29 has no counterpart in the year before; Feb 28 is the same "last day of February".
  return makeDate(year - 1, month, Math.min(day, daysInMonth(year - 1, month)));
}

/**
 * The prior-year period (metrics.md: the same span shifted back 12 months), labelled
 * `PY(<label>)`. A period covering whole months shifts by months, so its end stays a month
 * end (FY2024 ending 2024-02-29 → PY ending 2023-02-28, and 2025-02 → 2024-02-01..2024-02-29).
 * This includes ranges that happen to cover whole months, the only case where it differs from
 * shifting the dates. Other ranges shift each date back a year, clamping Feb 29 to Feb 28.
 */
export function priorYear(period: ResolvedPeriod): ResolvedPeriod {
  const label = `PY(${period.label})`;
  if (isMonthAligned(period)) {
    const first = addMonths(monthOf(period.start), -12);
    const last = addMonths(monthOf(period.end), -12);
    return monthSpan(label, first, last, period.months);
  }
  const start = shiftDateBackAYear(period.start);
  const end = shiftDateBackAYear(period.end);
  return { label, start, end, months: rangeMonths(start, end) };
}

/** The calendar months a resolved period touches, in order (partial months included). */
export function monthsOf(period: ResolvedPeriod): YearMonth[] {
  return monthsBetween(monthOf(period.start), monthOf(period.end));
}
