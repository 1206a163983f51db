import { M } from '../../engine/measures';
import { addMonths, firstDayOfMonth, lastDayOfMonth, type YearMonth } from '../../model/localDate';
import { monthsOf, priorYear, type ResolvedPeriod } from '../../periods/period';
import type { MetricContext } from '../metricContext';

export interface ComparableSet {
  /** Location ids, sorted. */
  comparable: string[];
  excluded: { location_id: string; reason: string }[];
  priorYear: ResolvedPeriod;
}

/**
 * The comparable (same-store) set for period P (metrics.md, Same-store): locations open for the
 * whole of PY and P (opened_on ≤ first day of PY; closed_on empty or after the last day of P)
 * with at least one sale line, of any kind, in every calendar month of both. For a period that
 * starts or ends inside a month, that month's test looks at the days inside the period.
 * Ownership does not matter: pre-acquisition history counts.
 */
export function comparableSet(
  ctx: MetricContext,
  locationIds: readonly string[],
  period: ResolvedPeriod,
): ComparableSet {
  const py = priorYear(period);
  const comparable: string[] = [];
  const excluded: { location_id: string; reason: string }[] = [];
  for (const locationId of [...locationIds].sort()) {
    const reason = exclusionReason(ctx, locationId, period, py);
    if (reason === null) comparable.push(locationId);
    else excluded.push({ location_id: locationId, reason });
  }
  return { comparable, excluded, priorYear: py };
}

/** Why a location is not comparable (the first rule it fails), or null when it is. */
function exclusionReason(
  ctx: MetricContext,
  locationId: string,
  period: ResolvedPeriod,
  py: ResolvedPeriod,
): string | null {
  const location = ctx.location(locationId);
  if (!location) return 'unknown location';
  if (location.opened_on === null) {
    return 'opening date unknown: set opened_on (caliper locations set … --opened-on)';
  }
  if (location.opened_on > py.start) {
    return `opened ${location.opened_on}, after the first day of PY (${py.start})`;
  }
  if (location.closed_on !== null && location.closed_on <= period.end) {
    return `closed ${location.closed_on}, not after the last day of P (${period.end})`;
  }
  // A period longer than a year overlaps its PY: each month is named once.
  const missing = [
    ...new Set([...monthsWithoutSales(ctx, locationId, py), ...monthsWithoutSales(ctx, locationId, period)]),
  ].sort();
  return missing.length === 0 ? null : `no sale line in ${monthRanges(missing)}`;
}

function monthsWithoutSales(ctx: MetricContext, locationId: string, period: ResolvedPeriod): YearMonth[] {
  return monthsOf(period).filter((month) => {
    const first = firstDayOfMonth(month);
    const last = lastDayOfMonth(month);
    const from = period.start > first ? period.start : first;
    const to = period.end < last ? period.end : last;
    return ctx.data.daily.sum(M.saleLines, [locationId], from, to) === 0;
  });
}

/** `2024-07, 2025-01..2025-03`: consecutive months as a range, so a long gap stays readable. */
function monthRanges(months: readonly YearMonth[]): string {
  const ranges: string[] = [];
  let start: YearMonth | null = null;
  let end: YearMonth | null = null;
  for (const month of months) {
    if (start !== null && end !== null && addMonths(end, 1) === month) {
      end = month;
      continue;
    }
    if (start !== null && end !== null) ranges.push(start === end ? start : `${start}..${end}`);
    start = month;
    end = month;
  }
  if (start !== null && end !== null) ranges.push(start === end ? start : `${start}..${end}`);
  return ranges.join(', ');
}
