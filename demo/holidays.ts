import { isoWeekday, makeDate, toDayNumber } from '../shared/model/localDate';

/**
 * Days a US medspa is closed: New Year's Day, Memorial Day, Independence Day, Labor Day,
 * Thanksgiving and Christmas. Fixed-date holidays are not shifted to a weekday, as clinics
 * simply close on the day.
 */
export function clinicHolidays(firstYear: number, lastYear: number): Set<number> {
  const days = new Set<number>();
  for (let year = firstYear; year <= lastYear; year++) {
    days.add(toDayNumber(makeDate(year, 1, 1)));
    days.add(lastWeekday(year, 5, 1));
    days.add(toDayNumber(makeDate(year, 7, 4)));
    days.add(nthWeekday(year, 9, 1, 1));
    days.add(nthWeekday(year, 11, 4, 4));
    days.add(toDayNumber(makeDate(year, 12, 25)));
  }
  return days;
}

function nthWeekday(year: number, month: number, weekday: number, nth: number): number {
  const first = toDayNumber(makeDate(year, month, 1));
  const offset = (weekday - isoWeekday(makeDate(year, month, 1)) + 7) % 7;
  return first + offset + 7 * (nth - 1);
}

function lastWeekday(year: number, month: number, weekday: number): number {
  const next = toDayNumber(month === 12 ? makeDate(year + 1, 1, 1) : makeDate(year, month + 1, 1));
  const last = next - 1;
  return last - ((weekdayOf(last) - weekday + 7) % 7);
}

/** ISO weekday (Monday = 1) of a day number; 1970-01-01 was a Thursday. */
export function weekdayOf(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}
