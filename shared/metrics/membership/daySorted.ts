import type { LocalDate } from '../../model/localDate';

/** Orders entries by their local day (what every "in period P" lookup below relies on). */
export function byDay(a: { day: LocalDate }, b: { day: LocalDate }): number {
  return a.day < b.day ? -1 : a.day > b.day ? 1 : 0;
}

/** The entries of a day-sorted list whose day lies in [from, to], found by binary search. */
export function entriesBetween<T extends { day: LocalDate }>(
  list: readonly T[],
  from: LocalDate,
  to: LocalDate,
): T[] {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list[mid]?.day ?? '') < from) lo = mid + 1;
    else hi = mid;
  }
  const out: T[] = [];
  for (let i = lo; i < list.length; i += 1) {
    const entry = list[i];
    if (entry === undefined || entry.day > to) break;
    out.push(entry);
  }
  return out;
}
