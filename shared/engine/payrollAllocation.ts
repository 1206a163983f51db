import { addDays, daysInclusive, type LocalDate, toDayNumber } from '../model/localDate';

/**
 * How one payroll line's cost reaches days and locations (metrics.md, Providers):
 * - it accrues evenly over the pay period's calendar days, never by pay date, so a pay period
 *   across a month or quarter boundary is split pro rata by days;
 * - a line with no location is split across the provider's locations in proportion to their
 *   production in that pay period, equally when the provider had no production in it.
 * Both splits are exact fractions (dailyPart): nothing is rounded before a metric is reported.
 */
export interface ProductionLookup {
  /** Production (cents) of a provider at a location over an inclusive day range. */
  (providerId: string, locationId: string, from: LocalDate, to: LocalDate): number;
}

/** An exact share: numerator / denominator, both integers (production cents, or 1 / n). */
export interface Share {
  numerator: number;
  denominator: number;
}

/**
 * The share of a location-less payroll line that belongs to `locationId`, exactly: the
 * location's production in the pay period over the provider's production at all of their
 * locations (whole cents over whole cents), or 1 / their number of locations.
 */
export function locationShareExact(
  providerId: string,
  locationId: string,
  providerLocations: readonly string[],
  periodStart: LocalDate,
  periodEnd: LocalDate,
  production: ProductionLookup,
): Share {
  if (!providerLocations.includes(locationId)) return { numerator: 0, denominator: 1 };
  // Net refunds can make a location's production negative; it then earns no share of the cost
  // (shares stay within 0–1 and add up to 1).
  const productionAt = (loc: string) => Math.max(0, production(providerId, loc, periodStart, periodEnd));
  const total = providerLocations.reduce((sum, loc) => sum + productionAt(loc), 0);
  if (total <= 0) return { numerator: 1, denominator: providerLocations.length };
  return { numerator: productionAt(locationId), denominator: total };
}

/** The share of a location-less payroll line that belongs to `locationId`, as a number. */
export function locationShare(
  providerId: string,
  locationId: string,
  providerLocations: readonly string[],
  periodStart: LocalDate,
  periodEnd: LocalDate,
  production: ProductionLookup,
): number {
  const share = locationShareExact(
    providerId,
    locationId,
    providerLocations,
    periodStart,
    periodEnd,
    production,
  );
  return share.numerator / share.denominator;
}

/** The calendar days of a pay period, first to last. */
export function payPeriodDays(periodStart: LocalDate, periodEnd: LocalDate): LocalDate[] {
  const days = daysInclusive(periodStart, periodEnd);
  return Array.from({ length: Math.max(0, days) }, (_, i) => addDays(periodStart, i));
}

/** Calls `each(day, fraction)` for every day of the pay period; the fractions sum to 1. */
export function spreadOverDays(
  periodStart: LocalDate,
  periodEnd: LocalDate,
  each: (day: LocalDate, fraction: number) => void,
): void {
  const days = payPeriodDays(periodStart, periodEnd);
  for (const day of days) each(day, 1 / days.length);
}

/**
 * One day's part of `amount × share` spread evenly over `days` days, exactly: an integer
 * count of 1/denominator units (measures.ts, inUnits), reduced. Null when the amount is 0.
 * `amount` is an exact fraction itself (whole cents are n / 1; hours × 60 minutes are
 * ten-thousandths of an hour × 60 / 10,000). Falls back to `approximate` (a double of the
 * day's value, the storage of old) only when the exact numerator or denominator would pass
 * 2^53, far beyond any real payroll: 2^53 fourteenths of a cent is $643 billion a day.
 */
export function dailyPart(
  amount: Share,
  share: Share,
  days: number,
): { numerator: number; denominator: number } | { approximate: number } | null {
  if (amount.numerator === 0 || share.numerator === 0) return null;
  const approximate = () => ({
    approximate: ((amount.numerator / amount.denominator) * (share.numerator / share.denominator)) / days,
  });
  const integers = [amount.numerator, amount.denominator, share.numerator, share.denominator, days];
  if (!integers.every(Number.isSafeInteger)) return approximate();
  let numerator = BigInt(amount.numerator) * BigInt(share.numerator);
  let denominator = BigInt(amount.denominator) * BigInt(share.denominator) * BigInt(days);
  const divisor = gcd(numerator < 0n ? -numerator : numerator, denominator);
  numerator /= divisor;
  denominator /= divisor;
  const max = BigInt(Number.MAX_SAFE_INTEGER);
  if (numerator > max || -numerator > max || denominator > max) return approximate();
  return { numerator: Number(numerator), denominator: Number(denominator) };
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
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
