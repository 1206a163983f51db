import {
  addDays,
  addMonths,
  dateParts,
  firstDayOfMonth,
  lastDayOfMonth,
  type LocalDate,
  makeDate,
  monthOf,
} from '../../model/localDate';
import type { ResolvedPeriod } from '../../periods/period';

/** An inclusive range of local dates. */
export interface DateWindow {
  start: LocalDate;
  end: LocalDate;
}

/**
 * The 12 months ending at `end`, inclusive. Ending at a month end it is the 12 whole calendar
 * months (2025-06-30 → 2024-07-01..2025-06-30, 2024-02-29 → 2023-03-01..2024-02-29); ending
 * mid-month it starts the day after the same date a year earlier (2025-03-15 → 2024-03-16).
 */
export function trailingTwelveMonths(end: LocalDate): DateWindow {
  const month = monthOf(end);
  if (end === lastDayOfMonth(month)) return { start: firstDayOfMonth(addMonths(month, -11)), end };
  // Not a month end, so not Feb 29: the same day exists a year earlier.
  const { year, month: m, day } = dateParts(end);
  return { start: addDays(makeDate(year - 1, m, day), 1), end };
}

/** A window of whole months as a period, for helpers that take one (revenue sums, coverage). */
export function windowAsPeriod(window: DateWindow, label: string, months: number): ResolvedPeriod {
  return { label, start: window.start, end: window.end, months };
}
