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

/** Days since 1970-01-01. */
export function toDayNumber(date: LocalDate): number {
  const { year, month, day } = dateParts(date);
  return Math.round(Date.UTC(year, month - 1, day) / 86_400_000);
}

export function fromDayNumber(dayNumber: number): LocalDate {
  const d = new Date(dayNumber * 86_400_000);
  return makeDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
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
