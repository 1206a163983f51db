import type { MetricContext } from '../metrics/metricContext';
import type { Scope } from '../metrics/scope';
import { addMonths, type YearMonth } from '../model/localDate';
import type { ForecastCache } from '../models/forecastCache';
import { forecastScope } from '../models/scopeForecast';
import type { BriefingItem, BriefingScope } from './briefing';
import {
  changeWords,
  dollarsWords,
  type MetricFigure,
  metricFigure,
  operandOf,
  percentWords,
  plural,
  type TraceFigure,
} from './briefingFigures';
import { monthsWindow } from './locationTriggers';

/**
 * The briefing's items read from the metric engine (and the revenue forecast): the gap dollars
 * of a location's month, a rise in membership churn, net revenue against last year and last
 * month, and next month's forecast against the same month last year. Each figure is the engine's
 * (computeMetric), named in the item's trace; nothing here restates a metric's formula.
 */

/** Gap metrics, each with how its sentence reads (the engine's operands fill the parentheses). */
const GAP_METRICS: readonly { metric: string; words: (f: MetricFigure, month: YearMonth) => string }[] = [
  {
    metric: 'rebooking_gap_dollars',
    words: (f, month) =>
      `of service revenue behind the rebooking target in ${month}${rates(f, 'rebooking_rate', 'rebooking')}`,
  },
  {
    metric: 'no_show_gap_dollars',
    words: (f, month) => {
      const noShows = operandOf(f.value, 'no_show');
      const appointments = operandOf(f.value, 'completed + no_show + late_cancelled');
      const counts =
        noShows === null || appointments === null
          ? ''
          : ` (${plural(noShows, 'no-show', 'no-shows')} in ${plural(appointments, 'appointment', 'appointments')})`;
      return `lost to no-shows above the target in ${month}${counts}`;
    },
  },
  {
    metric: 'capacity_gap_dollars',
    words: (f, month) => `of unused capacity in ${month} below the${target(f)} utilization target`,
  },
  {
    metric: 'retention_gap_dollars',
    words: (f, month) =>
      `of revenue behind the retention target over the 12 months to ${month}${rates(f, 'patient_retention_12m', 'retention')}`,
  },
  {
    metric: 'provider_comp_gap_dollars',
    words: (_f, month) => `paid in ${month} above the comp-to-production target by providers over 50 %`,
  },
];

function rates(f: MetricFigure, operand: string, label: string): string {
  const rate = operandOf(f.value, operand);
  const goal = operandOf(f.value, 'target');
  return rate === null || goal === null
    ? ''
    : ` (${label} ${percentWords(rate)} against ${percentWords(goal, 0)})`;
}

function target(f: MetricFigure): string {
  const goal = operandOf(f.value, 'target');
  return goal === null ? '' : ` ${percentWords(goal, 0)}`;
}

/** One item per gap metric with dollars above zero at the location in `month`. */
export function gapItems(
  ctx: MetricContext,
  locationId: string,
  name: string,
  month: YearMonth,
): BriefingItem[] {
  const scope: Scope = { kind: 'location', locationId };
  return GAP_METRICS.flatMap(({ metric, words }) => {
    const f = metricFigure(ctx, metric, metric, scope, month);
    if (f.amount === null || f.amount <= 0) return [];
    return [
      {
        kind: 'gap',
        locationId,
        sentence: `${name}: ${dollarsWords(f.amount)} ${words(f, month)}.`,
        dollarsCents: f.amount,
        dollarsBasis: `${metric} of ${month} (metrics.md)`,
        trace: [f.figure],
      },
    ];
  });
}

/** How many months the churn of the month is held against. */
export const CHURN_BASELINE_MONTHS = 3;
const TOLERANCE = 1e-9;

/**
 * Membership churn of the month against the mean of the three months before, when it rose.
 * Dollars: the cancellations beyond the usual rate (cancelled − mean × active on the 1st), each
 * valued at the mean monthly fee of the memberships active at the end of the month before
 * (mrr / active_members): the monthly fees lost beyond the usual churn, a month's worth.
 */
export function membershipChurnItem(
  ctx: MetricContext,
  locationId: string,
  name: string,
  month: YearMonth,
): { item: BriefingItem | null; note: string | null } {
  const scope: Scope = { kind: 'location', locationId };
  const now = metricFigure(ctx, 'membership_churn_rate', 'membership_churn_rate', scope, month);
  if (now.amount === null) return { item: null, note: null };
  const before = Array.from({ length: CHURN_BASELINE_MONTHS }, (_, i) => addMonths(month, -(i + 1))).map(
    (m) => metricFigure(ctx, `membership_churn_rate ${m}`, 'membership_churn_rate', scope, m),
  );
  const known = before.flatMap((f) => (f.amount === null ? [] : [f.amount]));
  const window = monthsWindow(addMonths(month, -1), CHURN_BASELINE_MONTHS).label;
  if (known.length < CHURN_BASELINE_MONTHS) {
    return { item: null, note: `${name}: membership churn not judged: no rate for every month of ${window}` };
  }
  const mean = known.reduce((s, r) => s + r, 0) / known.length;
  if (!(now.amount > mean + TOLERANCE)) return { item: null, note: null };
  const cancelled = operandOf(now.value, 'cancelled_in_period') ?? 0;
  const base = operandOf(now.value, 'active_on_first_day') ?? 0;
  const excess = cancelled - mean * base;
  const prior = addMonths(month, -1);
  const mrr = metricFigure(ctx, 'mrr', 'mrr', scope, prior);
  const members = metricFigure(ctx, 'active_members', 'active_members', scope, prior);
  const fee = mrr.amount !== null && members.amount ? mrr.amount / members.amount : null;
  const dollarsCents = fee === null ? null : Math.round(excess * fee);
  const lost = dollarsCents === null ? '' : `: ${dollarsWords(dollarsCents)} a month in membership fees`;
  return {
    item: {
      kind: 'membership_churn',
      locationId,
      sentence: `${name}: ${plural(cancelled, 'membership', 'memberships')} cancelled in ${month}, ${percentWords(now.amount)} of the ${base.toLocaleString('en-US')} active on the 1st, against ${percentWords(mean)} a month over ${window} — about ${excess.toFixed(1)} more than usual${lost}.`,
      dollarsCents,
      dollarsBasis:
        dollarsCents === null
          ? `no dollar figure: no mean monthly fee at the end of ${prior} (${mrr.figure.reason ?? members.figure.reason ?? 'no active membership'})`
          : `(cancelled − ${CHURN_BASELINE_MONTHS}-month mean rate × active on the 1st) × mean monthly fee (mrr / active_members at the end of ${prior})`,
      trace: [now.figure, ...before.map((f) => f.figure), mrr.figure, members.figure],
    },
    note: null,
  };
}

function scopeOf(scope: BriefingScope): Scope {
  return scope.kind === 'portfolio'
    ? { kind: 'portfolio' }
    : { kind: 'location', locationId: scope.locationId };
}

/** "What changed": net revenue of the month against the same month last year and the month before. */
export function revenueItems(
  ctx: MetricContext,
  scope: BriefingScope,
  where: string,
  month: YearMonth,
): BriefingItem[] {
  const s = scopeOf(scope);
  const locationId = scope.kind === 'location' ? scope.locationId : null;
  const now = metricFigure(ctx, 'net_revenue', 'net_revenue', s, month);
  const against = [
    { kind: 'revenue_vs_last_year' as const, then: addMonths(month, -12) },
    { kind: 'revenue_vs_prior_month' as const, then: addMonths(month, -1) },
  ];
  return against.map(({ kind, then }) => {
    const old = metricFigure(ctx, `net_revenue ${then}`, 'net_revenue', s, then);
    const trace = [now.figure, old.figure];
    if (now.amount === null || old.amount === null) {
      const missing = now.amount === null ? month : then;
      const reason = (now.amount === null ? now.figure.reason : old.figure.reason) ?? 'not available';
      return {
        kind,
        locationId,
        sentence: `Net revenue ${where} cannot be compared for ${month} against ${then}: no figure for ${missing} (${reason}).`,
        dollarsCents: null,
        dollarsBasis: `no change to state: net_revenue of ${missing} is not available (${reason})`,
        trace,
      };
    }
    return {
      kind,
      locationId,
      sentence: `Net revenue ${where} was ${dollarsWords(now.amount)} in ${month}, ${changeWords(now.amount, old.amount, then)}.`,
      dollarsCents: now.amount - old.amount,
      dollarsBasis: `net_revenue of ${month} − net_revenue of ${then}`,
      trace,
    };
  });
}

/**
 * Next month's forecast (origin: the briefing's month) against the same month last year, summed
 * over the locations the forecast covers, so both sides hold the same locations.
 */
export function forecastItem(
  ctx: MetricContext,
  scope: BriefingScope,
  where: string,
  month: YearMonth,
  cache: ForecastCache,
): { item: BriefingItem | null; notes: string[] } {
  const answer = forecastScope(ctx, scope.kind === 'location' ? scope.locationId : null, {
    origin: month,
    months: 1,
    cache,
  });
  if (!answer.ok)
    return { item: null, notes: [`no forecast for the month after ${month}: ${answer.error.message}`] };
  const f = answer.forecast;
  const next = f.months[0];
  if (next === undefined) return { item: null, notes: [] };
  const lastYear = addMonths(next.month, -12);
  const trace: TraceFigure[] = [];
  let actual: number | null = 0;
  let reason: string | null = null;
  const notes: string[] = [];
  for (const l of f.locations) {
    if (l.forecast === null) {
      notes.push(`${l.name}: not in the forecast for ${next.month}: ${l.reason ?? 'no reason given'}`);
      continue;
    }
    const own = l.forecast.months[0];
    trace.push({
      kind: 'forecast',
      name: 'forecast_net_revenue',
      locationId: l.locationId,
      origin: f.origin,
      month: next.month,
      value: own?.totalCents ?? null,
      unit: 'cents',
    });
    const ly = metricFigure(
      ctx,
      `net_revenue ${lastYear}`,
      'net_revenue',
      { kind: 'location', locationId: l.locationId },
      lastYear,
    );
    trace.push(ly.figure);
    if (ly.amount === null)
      reason ??= `${l.name} has no net revenue for ${lastYear} (${ly.figure.reason ?? 'not available'})`;
    actual = actual === null || ly.amount === null ? null : actual + ly.amount;
  }
  const covered =
    f.locationsInSum < f.locations.length
      ? ` (${f.locationsInSum} of ${plural(f.locations.length, 'location', 'locations')} forecast)`
      : '';
  const head = `The forecast for ${next.month} is ${dollarsWords(next.totalCents)} of net revenue ${where}${covered}`;
  const item: BriefingItem =
    actual === null
      ? {
          kind: 'forecast_vs_last_year',
          locationId: scope.kind === 'location' ? scope.locationId : null,
          sentence: `${head}; no comparison with ${lastYear}: ${reason ?? 'not available'}.`,
          dollarsCents: null,
          dollarsBasis: `no change to state: ${reason ?? 'not available'}`,
          trace,
        }
      : {
          kind: 'forecast_vs_last_year',
          locationId: scope.kind === 'location' ? scope.locationId : null,
          sentence: `${head}, ${changeWords(next.totalCents, actual, lastYear)}.`,
          dollarsCents: next.totalCents - actual,
          dollarsBasis: `revenue forecast of ${next.month} (origin ${f.origin}) − net_revenue of ${lastYear}, over the same locations`,
          trace,
        };
  return { item, notes };
}
