import { addDays, lastDayOfMonth, type LocalDate } from '../model/localDate';
import { priorYear, type ResolvedPeriod } from '../periods/period';
import type { MetricContext } from './metricContext';
import type { MetricDefinition } from './metricDefinition';
import { type DateWindow, trailingTwelveMonths, windowAsPeriod } from './patients/trailingWindow';

/*
 * The dates a metric reads to answer for P. Most read P itself; some read trailing months
 * (active patients, retention), the prior year (same-store) or days after P (rebooking, return
 * windows). Coverage and the trace are about these dates, so a value computed from months the
 * data does not reach says so (coverage < 1) instead of silently shrinking.
 */

export type ReadWindow = (ctx: MetricContext, period: ResolvedPeriod) => DateWindow;

/** The dates `definition` reads for P, as a period (coverage and lineage take one). */
export function readPeriodOf(
  definition: MetricDefinition,
  ctx: MetricContext,
  period: ResolvedPeriod,
): ResolvedPeriod {
  if (definition.reads === undefined) return period;
  const window = definition.reads(ctx, period);
  if (window.start === period.start && window.end === period.end) return period;
  return windowAsPeriod(window, `${window.start}..${window.end}`, period.months);
}

/** The 12 months ending at P's last day (active patients, VIP share). */
export const trailing12: ReadWindow = (_ctx, period) => trailingTwelveMonths(period.end);

/** The 24 months ending at P's last day: the earlier and the last 12 months (retention). */
export const trailing24: ReadWindow = (_ctx, period) => {
  const last = trailingTwelveMonths(period.end);
  return { start: trailingTwelveMonths(addDays(last.start, -1)).start, end: period.end };
};

/** P and the same span a year earlier (same-store growth). */
export const withPriorYear: ReadWindow = (_ctx, period) => ({
  start: priorYear(period).start,
  end: period.end,
});

/** P and the days after it in which a visit of P can be rebooked or a lead booked. */
export function daysAfter(days: number): ReadWindow {
  return (_ctx, period) => ({ start: period.start, end: addDays(period.end, days) });
}

/** P through the as-of month's last day: windows that must have elapsed by the as-of date. */
export const throughAsOfMonth: ReadWindow = (ctx, period) => {
  const asOf = ctx.asOfMonth();
  const asOfEnd: LocalDate | null = asOf === null ? null : lastDayOfMonth(asOf);
  return { start: period.start, end: asOfEnd !== null && asOfEnd > period.end ? asOfEnd : period.end };
};
