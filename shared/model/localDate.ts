/**
 * Local calendar dates as `YYYY-MM-DD` strings. Every date in Caliper is a location's local
 * calendar date (metrics.md), so there is no time zone in this type: comparisons are plain
 * string comparisons and arithmetic goes through a day number (days since 1970-01-01) that
 * is computed in UTC only because UTC has no daylight-saving gaps.
 */
export type LocalDate = string;

/** A calendar month as `YYYY-MM`. */
export type YearMonth = string;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_RE = /^(\d{4})-(\d{2})$/;

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** True when `text` is a real calendar date in `YYYY-MM-DD` form (rejects 2025-02-30). */
export function isLocalDate(text: string): boolean {
  const m = DATE_RE.exec(text);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  return (
    year >= 1900 && year <= 2999 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)
  );
}

export function isYearMonth(text: string): boolean {
  const m = MONTH_RE.exec(text);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  return year >= 1900 && year <= 2999 && month >= 1 && month <= 12;
}

export function makeDate(year: number, month: number, day: number): LocalDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function makeYearMonth(year: number, month: number): YearMonth {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}

export function dateParts(date: LocalDate): { year: number; month: number; day: number } {
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)) };
}

export function monthParts(ym: YearMonth): { year: number; month: number } {
  return { year: Number(ym.slice(0, 4)), month: Number(ym.slice(5, 7)) };
}

/**
 * Days since 1970-01-01 (also of a `YYYY-MM-DDTHH:MM:SS` start: its date). The metrics turn
 * millions of dates into day numbers, so a well-formed date is read digit by digit and counted
 * with integer arithmetic (`daysFromCivil`); anything else goes through `Date.UTC` as before.
 */
export function toDayNumber(date: LocalDate): number {
  const year = digitsAt(date, 0, 4);
  const month = digitsAt(date, 5, 2);
  const day = digitsAt(date, 8, 2);
  if (
    date.length >= 10 &&
    date.charCodeAt(4) === DASH &&
    date.charCodeAt(7) === DASH &&
    year >= 100 &&
    month >= 1 &&
    month <= 12 &&
    day >= 0
  )
    return daysFromCivil(year, month, day);
  const parts = dateParts(date);
  return Math.round(Date.UTC(parts.year, parts.month - 1, parts.day) / 86_400_000);
}

const DASH = 45;

/** The decimal number of `length` digits at `at`, or -1 when one of them is not a digit. */
function digitsAt(text: string, at: number, length: number): number {
  let value = 0;
  for (let i = at; i < at + length; i += 1) {
    const digit = text.charCodeAt(i) - 48;
    if (!(digit >= 0 && digit <= 9)) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * Days from 1970-01-01 to a proleptic Gregorian date, month 1–12 (H. Hinnant's
 * days_from_civil). A day past the month's end counts on into the next month, as Date.UTC does.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** Day numbers of 1900-01-01 … 2199-12-31, whose texts `fromDayNumber` keeps once made. */
const FIRST_KEPT_DAY = -25_567;
const KEPT_DAYS = 109_573;
const dayTexts: (LocalDate | undefined)[] = [];

/** The date of a day number; the same text every time for a day of 1900–2199. */
export function fromDayNumber(dayNumber: number): LocalDate {
  const slot = dayNumber - FIRST_KEPT_DAY;
  const kept = slot >= 0 && slot < KEPT_DAYS ? dayTexts[slot] : undefined;
  if (kept !== undefined) return kept;
  const d = new Date(dayNumber * 86_400_000);
  const text = makeDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
  if (slot >= 0 && slot < KEPT_DAYS && Number.isInteger(dayNumber)) dayTexts[slot] = text;
  return text;
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return fromDayNumber(toDayNumber(date) + days);
}

/** Inclusive count of days from `start` to `end` (1 when they are the same day). */
export function daysInclusive(start: LocalDate, end: LocalDate): number {
  return toDayNumber(end) - toDayNumber(start) + 1;
}

export function addMonths(ym: YearMonth, months: number): YearMonth {
  const { year, month } = monthParts(ym);
  const index = year * 12 + (month - 1) + months;
  return makeYearMonth(Math.floor(index / 12), (index % 12) + 1);
}

export function monthOf(date: LocalDate): YearMonth {
  return date.slice(0, 7);
}

export function firstDayOfMonth(ym: YearMonth): LocalDate {
  return `${ym}-01`;
}

export function lastDayOfMonth(ym: YearMonth): LocalDate {
  const { year, month } = monthParts(ym);
  return makeDate(year, month, daysInMonth(year, month));
}

/** ISO weekday, Monday = 1 … Sunday = 7. */
export function isoWeekday(date: LocalDate): number {
  const weekday = new Date(toDayNumber(date) * 86_400_000).getUTCDay();
  return weekday === 0 ? 7 : weekday;
}
