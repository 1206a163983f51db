import { addDays, daysInclusive, type LocalDate, toDayNumber } from '../model/localDate';

/**
 * How one payroll line's cost reaches days and locations (metrics.md, Providers):
 * - it accrues evenly over the pay period's calendar days, never by pay date, so a pay period
 *   across a month or quarter boundary is split pro rata by days;
 * - a line with no location is split across the provider's locations in proportion to their
 *   production in that pay period, equally when the provider had no production in it.
 */
export interface ProductionLookup {
  /** Production (cents) of a provider at a location over an inclusive day range. */
  (providerId: string, locationId: string, from: LocalDate, to: LocalDate): number;
}

/** The share of a location-less payroll line that belongs to `locationId`. */
export function locationShare(
  providerId: string,
  locationId: string,
  providerLocations: readonly string[],
  periodStart: LocalDate,
  periodEnd: LocalDate,
  production: ProductionLookup,
): number {
  if (!providerLocations.includes(locationId)) return 0;
  // Net refunds can make a location's production negative; it then earns no share of the cost
  // (shares stay within 0–1 and add up to 1).
  const productionAt = (loc: string) => Math.max(0, production(providerId, loc, periodStart, periodEnd));
  const total = providerLocations.reduce((sum, loc) => sum + productionAt(loc), 0);
  if (total <= 0) return 1 / providerLocations.length;
  return productionAt(locationId) / total;
}

/** Calls `each(day, fraction)` for every day of the pay period; the fractions sum to 1. */
export function spreadOverDays(
  periodStart: LocalDate,
  periodEnd: LocalDate,
  each: (day: LocalDate, fraction: number) => void,
): void {
  const days = daysInclusive(periodStart, periodEnd);
  for (let i = 0; i < days; i += 1) each(addDays(periodStart, i), 1 / days);
}

/** Prefix sums of daily production per provider and location, for O(1) range lookups. */
export function productionIndex(
  rows: readonly { providerId: string; locationId: string; day: LocalDate; cents: number }[],
): ProductionLookup {
  const series = new Map<string, { days: number[]; cumulative: number[] }>();
  const sorted = [...rows].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  for (const row of sorted) {
    const key = `${row.providerId}\u0000${row.locationId}`;
    let s = series.get(key);
    if (!s) {
      s = { days: [], cumulative: [] };
      series.set(key, s);
    }
    const dayNumber = toDayNumber(row.day);
    const previous = s.cumulative[s.cumulative.length - 1] ?? 0;
    if (s.days[s.days.length - 1] === dayNumber) {
      s.cumulative[s.cumulative.length - 1] = previous + row.cents;
    } else {
      s.days.push(dayNumber);
      s.cumulative.push(previous + row.cents);
    }
  }
  // Sum of entries with day ≤ d.
  const upTo = (s: { days: number[]; cumulative: number[] }, d: number): number => {
    let lo = 0;
    let hi = s.days.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((s.days[mid] ?? 0) <= d) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? 0 : (s.cumulative[lo - 1] ?? 0);
  };
  return (providerId, locationId, from, to) => {
    const s = series.get(`${providerId}\u0000${locationId}`);
    if (!s) return 0;
    return upTo(s, toDayNumber(to)) - upTo(s, toDayNumber(from) - 1);
  };
}
