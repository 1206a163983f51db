import { M } from '../engine/measures';
import type { LoadedEvent } from '../engine/patientEvents';
import { computeMetric } from '../metrics/computeMetric';
import type { MetricContext } from '../metrics/metricContext';
import { SERVICE_CATEGORIES, type ServiceCategory } from '../model/canonicalBundle';
import {
  addMonths,
  firstDayOfMonth,
  lastDayOfMonth,
  type LocalDate,
  monthOf,
  type YearMonth,
} from '../model/localDate';

/**
 * The monthly facts the revenue forecast reads and is judged against, all from the metric
 * engine's own measures so a forecast month and the `net_revenue` a workbook shows for that
 * location and month are the same figure: `net_revenue` itself comes from `computeMetric`, the
 * service categories from the `service_net.<category>` measure the treatment mix reads, and
 * "other" revenue (retail, membership fees, other lines) is the difference, so the parts always
 * add up to the engine's total.
 */

/** A sale line whose service has no category is service revenue of no category. */
export const FORECAST_CATEGORIES = [...SERVICE_CATEGORIES, 'uncategorized'] as const;
export type ForecastCategory = ServiceCategory | 'uncategorized';

export type CategoryValues = Record<ForecastCategory, number>;

export function zeroCategories(): CategoryValues {
  return Object.fromEntries(FORECAST_CATEGORIES.map((c) => [c, 0])) as CategoryValues;
}

export interface MonthRevenue {
  month: YearMonth;
  /** The engine's `net_revenue` of the location and month, in cents. */
  netCents: number;
  /** Service + package net by category (`service_net.<category>`), in cents. */
  categoryCents: CategoryValues;
  /** netCents − Σ categoryCents: retail, membership fees and other revenue lines. */
  otherCents: number;
}

export function monthRevenue(ctx: MetricContext, locationId: string, month: YearMonth): MonthRevenue {
  const answer = computeMetric(ctx, 'net_revenue', { kind: 'location', locationId }, month);
  if (!answer.ok || answer.value.value === null) {
    throw new Error(
      `net_revenue of ${locationId} in ${month}: ${answer.ok ? answer.value.reason : answer.error.message}`,
    );
  }
  // The engine reports dollars rounded to the cent; back to integer cents exactly.
  const netCents = Math.round(answer.value.value * 100);
  const categoryCents = zeroCategories();
  let service = 0;
  for (const c of FORECAST_CATEGORIES) {
    const cents = Math.round(
      ctx.data.daily.sum(
        M.serviceNetByCategory(c),
        [locationId],
        firstDayOfMonth(month),
        lastDayOfMonth(month),
      ),
    );
    categoryCents[c] = cents;
    service += cents;
  }
  return { month, netCents, categoryCents, otherCents: netCents - service };
}

/**
 * The months whose every day the location was open and its data cover: only those are history
 * a model may learn from and actuals a backtest may score against (a month the export starts in
 * the middle of would look like a slump). Null when there is no such month.
 */
export function completeMonths(
  ctx: MetricContext,
  locationId: string,
): { first: YearMonth; last: YearMonth } | null {
  const range = ctx.data.dataRange.get(locationId);
  const location = ctx.location(locationId);
  if (!range || !location) return null;
  let start: LocalDate = range.first;
  if (location.opened_on !== null && location.opened_on > start) start = location.opened_on;
  const first = start === firstDayOfMonth(monthOf(start)) ? monthOf(start) : addMonths(monthOf(start), 1);
  let last =
    range.last === lastDayOfMonth(monthOf(range.last))
      ? monthOf(range.last)
      : addMonths(monthOf(range.last), -1);
  // closed_on is the first day the location no longer operates: its month is not complete.
  if (location.closed_on !== null && location.closed_on <= lastDayOfMonth(last)) {
    last = addMonths(monthOf(location.closed_on), -1);
  }
  return first <= last ? { first, last } : null;
}

/** Months from `from` to `to`, inclusive. */
export function monthsBetween(from: YearMonth, to: YearMonth): YearMonth[] {
  const months: YearMonth[] = [];
  for (let m = from; m <= to; m = addMonths(m, 1)) months.push(m);
  return months;
}

/** The category a visit's revenue is booked under (no category: `uncategorized`). */
export function categoryOf(category: ServiceCategory | null): ForecastCategory {
  return category ?? 'uncategorized';
}

/** Completed visits of the location per month and category, for months in [from, to]. */
export function visitsByMonth(
  events: readonly LoadedEvent[],
  locationId: string,
  from: YearMonth,
  to: YearMonth,
): Map<YearMonth, CategoryValues> {
  const out = new Map<YearMonth, CategoryValues>();
  for (const e of events) {
    if (e.locationId !== locationId || e.status !== 'completed') continue;
    const month = e.startAt.slice(0, 7);
    if (month < from || month > to) continue;
    let row = out.get(month);
    if (!row) {
      row = zeroCategories();
      out.set(month, row);
    }
    row[categoryOf(e.category)] += 1;
  }
  return out;
}

/**
 * Service net revenue per completed visit of each category over the 12 complete months up to
 * `origin` (fewer when the history is shorter): what a forecast visit of that category is worth.
 * Package sales are service revenue of their category on the day they are sold, so averaging
 * over a year spreads them over the visits they pay for. Null when the category had no visit in
 * that year: a category the location no longer sells is not forecast.
 */
export function revenuePerVisit(
  ctx: MetricContext,
  locationId: string,
  origin: YearMonth,
  firstMonth: YearMonth,
): Record<ForecastCategory, number | null> {
  const from = addMonths(origin, -11) < firstMonth ? firstMonth : addMonths(origin, -11);
  const visits = zeroCategories();
  for (const row of visitsByMonth(ctx.data.events.eventsAt(locationId), locationId, from, origin).values()) {
    for (const c of FORECAST_CATEGORIES) visits[c] += row[c];
  }
  const out = {} as Record<ForecastCategory, number | null>;
  for (const c of FORECAST_CATEGORIES) {
    const cents = ctx.data.daily.sum(
      M.serviceNetByCategory(c),
      [locationId],
      firstDayOfMonth(from),
      lastDayOfMonth(origin),
    );
    out[c] = visits[c] === 0 ? null : Math.round(cents / visits[c]);
  }
  return out;
}

export interface SeasonalNaive {
  month: YearMonth;
  /** The month the value is copied from: the same month a year earlier. */
  from: YearMonth;
  netCents: number | null;
  categoryCents: CategoryValues | null;
  otherCents: number | null;
  reason?: string;
}

/**
 * The seasonal-naive forecast of a month: the location's actual revenue in the same month a
 * year earlier. Null, with the reason, when that month is not a complete month of the
 * location's data (before the export starts, before the location opened, or after it closed).
 */
export function seasonalNaive(ctx: MetricContext, locationId: string, month: YearMonth): SeasonalNaive {
  const from = addMonths(month, -12);
  const complete = completeMonths(ctx, locationId);
  if (complete === null || from < complete.first || from > complete.last) {
    const covered =
      complete === null ? 'no complete month' : `complete months ${complete.first} … ${complete.last}`;
    return {
      month,
      from,
      netCents: null,
      categoryCents: null,
      otherCents: null,
      reason: `no seasonal-naive value: ${from} (12 months earlier) is not a complete month of ${locationId}'s data (${covered})`,
    };
  }
  const actual = monthRevenue(ctx, locationId, from);
  return {
    month,
    from,
    netCents: actual.netCents,
    categoryCents: actual.categoryCents,
    otherCents: actual.otherCents,
  };
}
