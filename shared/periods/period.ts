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
  | { kind: 'calendar_year'; year: number }
  /** `asOf: null` means "ending at the as-of month the caller resolves". */
  | { kind: 'to_date'; window: ToDateWindow; asOf: YearMonth | null }
  | { kind: 'range'; start: LocalDate; end: LocalDate }
  /**
   * Relative forms for roll-forward templates, resolved against the as-of month: `FY0` / `FY-n`
   * (the fiscal year containing the as-of month, n years back) and `LTM-n` / `YTD-n` (the
   * window ending n years before the as-of month).
   */
  | { kind: 'relative'; window: RelativeWindow; yearsBack: number };

export type RelativeWindow = 'FY' | 'LTM' | 'YTD';

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
  '2025-09 (month)',
  '2025-Q3 (calendar quarter)',
  'FY2025 (fiscal year ending in 2025)',
  '2025 (calendar year)',
  'LTM / YTD / QTD / MTD (to date, ending at the as-of month)',
  'LTM@2025-06 / YTD@2025-06 / QTD@2025-06 / MTD@2025-06 (to date, ending at the named month)',
  '2025-01-01..2025-03-31 (inclusive date range)',
  'FY0 / FY-1 / LTM-1 / YTD-1 (fiscal year containing the as-of month, or the window ending there, n years back)',
];

// Same bounds as isLocalDate / isYearMonth, so every form accepts the same years.
const MIN_YEAR = 1900;
const MAX_YEAR = 2999;

const YEAR_RE = /^(\d{4})$/;
const MONTH_RE = /^(\d{4})-(\d{2})$/;
const QUARTER_RE = /^(\d{4})-Q(\d)$/i;
const FISCAL_YEAR_RE = /^FY(\d{4})$/i;
const TO_DATE_RE = /^(LTM|YTD|QTD|MTD)(?:@(.*))?$/i;
const RANGE_RE = /^(.*)\.\.(.*)$/;
const RELATIVE_RE = /^(FY|LTM|YTD)(?:0|-(\d{1,2}))$/i;
const DATE_SHAPE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

// Near-miss shapes that get a specific hint instead of only the generic list.
const SHORT_FISCAL_YEAR_RE = /^FY(\d{2})$/i;
const ONE_DIGIT_MONTH_RE = /^(\d{4})-(\d)$/;

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
    if (window !== 'FY' && relative[2] === undefined) {
      return { ok: false, reason: `${window}0 is written ${window} (the window ending at the as-of month)` };
    }
    return { ok: true, value: { kind: 'relative', window, yearsBack } };
  }

  const fiscalYear = FISCAL_YEAR_RE.exec(text);
  if (fiscalYear) {
    const year = checkYear(Number(fiscalYear[1]));
    return year.ok ? { ok: true, value: { kind: 'fiscal_year', year: year.value } } : year;
  }

  const quarter = QUARTER_RE.exec(text);
  if (quarter) {
    const year = checkYear(Number(quarter[1]));
    if (!year.ok) return year;
    const q = Number(quarter[2]);
    if (q < 1 || q > 4) return { ok: false, reason: `quarter ${q} does not exist (quarters are Q1–Q4)` };
    return { ok: true, value: { kind: 'quarter', year: year.value, quarter: q as Quarter } };
  }

  if (MONTH_RE.test(text)) {
    const month = checkYearMonth(text);
    return month.ok ? { ok: true, value: { kind: 'month', month: month.value } } : month;
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
  return null;
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
  /** Canonical text, e.g. `2025-Q3`, `FY2025`, `LTM@2025-06`, `PY(2025-Q3)`. */
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
 * - `FY0` is the fiscal year containing the as-of month, `FY-n` the one n years before it;
 *   `LTM-n` / `YTD-n` are `LTM@M` / `YTD@M` with M = the as-of month minus n years. Like bare
 *   LTM they need `ctx.asOfMonth`, and their labels are the resolved absolute form (`FY2024`,
 *   `LTM@2024-06`) so a roll-forward template shows what each cell covers.
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
    case 'to_date':
      return resolveToDate(spec.window, spec.asOf ?? ctx.asOfMonth, s);
    case 'relative':
      return resolveRelative(spec.window, spec.yearsBack, ctx.asOfMonth, s);
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
  const written = yearsBack === 0 ? `${window}0` : `${window}-${yearsBack}`;
  if (asOf === undefined) {
    return {
      success: false,
      error: {
        code: 'as_of_required',
        message:
          `${written} counts back from the as-of month: none was set for this request, ` +
          `so name the period explicitly, e.g. ${window === 'FY' ? 'FY2025' : `${window}@2025-06`}`,
      },
    };
  }
  const end = addMonths(asOf, -12 * yearsBack);
  if (window !== 'FY') return resolveToDate(window, end, fiscalYearStartMonth);
  // The fiscal year's last month, named by its calendar year like FY2025.
  const last = addMonths(end, 11 - fiscalOffset(end, fiscalYearStartMonth));
  return resolvePeriod({ kind: 'fiscal_year', year: monthParts(last).year }, { fiscalYearStartMonth });
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
