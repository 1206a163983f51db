import { computeMetric } from '../metrics/computeMetric';
import { COMP_TO_PRODUCTION_OVERPAY_ABOVE } from '../metrics/families/providers';
import type { MetricContext } from '../metrics/metricContext';
import type { MetricValue } from '../metrics/metricValue';
import { providerIdsOf } from '../metrics/providers/providerFigures';
import type { Scope } from '../metrics/scope';
import {
  addMonths,
  firstDayOfMonth,
  lastDayOfMonth,
  type LocalDate,
  monthOf,
  type YearMonth,
} from '../model/localDate';
import { formatCents } from '../model/money';
import type { Action, ActionFact } from './action';
import { actionId } from './actionIds';

/**
 * The owner's alerts, over the metric engine's values (computeMetric: one definition of each
 * figure, traceable with `caliper trace` / GET /api/trace):
 *
 * - **Provider out of band**: a provider's comp_to_production_ratio at the location over the
 *   `PROVIDER_WINDOW_MONTHS` complete months ending with the month measured is outside
 *   `COMP_BAND_LOW`–`COMP_BAND_HIGH` (metrics.md: healthy 0.35–0.50). Above it, the dollars are
 *   the engine's provider_comp_gap_dollars over the same months ((ratio − 0.40 target) ×
 *   production). Below it, pay that trails production is a retention risk, which nothing here
 *   can put a price on: the dollars are null, the basis says why and names the production at stake.
 * - **No-show spike**: the location's no_show_rate in the month measured is at least
 *   `NO_SHOW_SPIKE_RATIO` × its rate over the `NO_SHOW_BASELINE_MONTHS` before, and at least
 *   `NO_SHOW_SPIKE_MIN_POINTS` above it; worth the month's no_show_gap_dollars.
 *
 * The month measured is the last complete month on `asOf` (`lastCompleteMonth`).
 */

/** The healthy band of compensation to production (metrics.md, Providers). */
export const COMP_BAND_LOW = 0.35;
export const COMP_BAND_HIGH = COMP_TO_PRODUCTION_OVERPAY_ABOVE;
/**
 * Three months, not one. On the demo portfolio (3 locations, 3 years to 2026-11), L001's seven
 * providers' monthly ratios move by up to 0.21 from one month to the next (one provider: 0.486,
 * 0.279, 0.347) with pay periods that straddle months and uneven bookings, and cross the band's
 * edges 33 times in a year — an alert raised and dropped month by month; over three months they
 * move by at most 0.04 and cross 12 times. A rolling window rather than the calendar quarter, so
 * the alert is as current as the last complete month (docs/actions.md).
 */
export const PROVIDER_WINDOW_MONTHS = 3;
export const NO_SHOW_SPIKE_RATIO = 1.5;
/** Two points: at a 4 % baseline, 6 % is 1.5× but two missed appointments in a hundred. */
export const NO_SHOW_SPIKE_MIN_POINTS = 0.02;
export const NO_SHOW_BASELINE_MONTHS = 6;
/**
 * Completed + no-show + late-cancelled appointments the month (and the baseline) need: with fewer,
 * one or two no-shows move the rate by several points and every quiet month looks like a spike.
 */
export const NO_SHOW_MIN_APPOINTMENTS = 30;
/** Comparisons of engine ratios allow for floating-point rounding, so 0.12 vs 1.5 × 0.08 is a spike. */
const TOLERANCE = 1e-9;

/** The last month complete on `asOf`: its own month when `asOf` is the month's last day. */
export function lastCompleteMonth(asOf: LocalDate): YearMonth {
  const month = monthOf(asOf);
  return asOf === lastDayOfMonth(month) ? month : addMonths(month, -1);
}

/** `months` whole months ending with `last`, as a period the engine and `caliper trace` take. */
export function monthsWindow(last: YearMonth, months: number): { period: string; label: string } {
  const first = addMonths(last, -(months - 1));
  return {
    period: months === 1 ? last : `${firstDayOfMonth(first)}..${lastDayOfMonth(last)}`,
    label: months === 1 ? last : `${first} … ${last}`,
  };
}

export interface TriggerResult {
  actions: Action[];
  /** What could not be judged and why (no ratio, too few appointments…), in words. */
  notes: string[];
}

const dollars = (cents: number) => `$${formatCents(cents)}`;
const percent = (fraction: number) => `${(fraction * 100).toFixed(1)} %`;
const toCents = (dollarValue: number) => Math.round(dollarValue * 100);
const points = (fraction: number) => Math.round(fraction * 100);

/** A value of the engine, or the reason it has none (an unanswerable request included). */
function metricValue(ctx: MetricContext, metric: string, scope: Scope, period: string): MetricValue | string {
  const answer = computeMetric(ctx, metric, scope, period);
  return answer.ok ? answer.value : answer.error.message;
}

function metricFact(
  name: string,
  value: MetricValue,
  period: string,
  unit: 'cents' | 'ratio' | 'count',
  operand?: string,
): ActionFact {
  const raw =
    operand === undefined ? value.value : (value.operands.find((o) => o.name === operand)?.value ?? null);
  const converted = raw === null ? null : unit === 'cents' ? toCents(raw) : raw;
  return {
    name,
    value: converted,
    unit,
    ...(converted === null ? { reason: value.reason ?? 'not available' } : {}),
    source: { kind: 'metric', metric: value.metric, scope: value.scope, period },
  };
}

function displayNameOf(ctx: MetricContext, providerId: string, locationId: string): string | null {
  const rows = ctx.data.providers.filter((p) => p.provider_id === providerId);
  return (rows.find((p) => p.location_id === locationId) ?? rows[0])?.display_name ?? null;
}

export function providerAlerts(
  ctx: MetricContext,
  locationId: string,
  month: YearMonth,
  asOf: LocalDate,
): TriggerResult {
  const window = monthsWindow(month, PROVIDER_WINDOW_MONTHS);
  const target = ctx.settings.targets.comp_to_production_ratio;
  const actions: Action[] = [];
  const unjudged = new Map<string, string[]>();
  for (const providerId of providerIdsOf(ctx, { kind: 'location', locationId })) {
    const scope: Scope = { kind: 'provider', providerId, locationId };
    const ratio = metricValue(ctx, 'comp_to_production_ratio', scope, window.period);
    if (typeof ratio === 'string' || ratio.value === null) {
      const reason = typeof ratio === 'string' ? ratio : (ratio.reason ?? 'no ratio');
      unjudged.set(reason, [...(unjudged.get(reason) ?? []), providerId]);
      continue;
    }
    const r = ratio.value;
    if (r >= COMP_BAND_LOW && r <= COMP_BAND_HIGH) continue;
    const production = metricValue(ctx, 'provider_production', scope, window.period);
    const compensation = metricValue(ctx, 'provider_compensation', scope, window.period);
    const gap = metricValue(ctx, 'provider_comp_gap_dollars', scope, window.period);
    // The ratio exists, so production and compensation do: the engine answered both for it.
    if (typeof production === 'string' || typeof compensation === 'string' || typeof gap === 'string')
      continue;
    const productionCents = toCents(production.value ?? 0);
    const compensationCents = toCents(compensation.value ?? 0);
    const name = displayNameOf(ctx, providerId, locationId);
    const who = name === null ? providerId : `${name} (${providerId})`;
    const pay = `compensation ${percent(r)} of production over ${window.label} (${dollars(compensationCents)} on ${dollars(productionCents)})`;
    const band = `${points(COMP_BAND_LOW)}–${points(COMP_BAND_HIGH)} % band`;
    let dollarsCents: number | null;
    let dollarsBasis: string;
    let sentence: string;
    if (r > COMP_BAND_HIGH) {
      dollarsCents = gap.value === null ? null : toCents(gap.value);
      dollarsBasis =
        gap.value === null
          ? `no gap figure: ${gap.reason ?? 'not available'}`
          : `provider_comp_gap_dollars over ${window.label}: (ratio − ${target.toFixed(2)} target) × production`;
      sentence = `${who}: ${pay}, above the ${band}${dollarsCents === null ? '' : `: ${dollars(dollarsCents)} more than at the ${points(target)} % target`}.`;
    } else {
      dollarsCents = null;
      dollarsBasis = `no dollar figure: pay below the band is a retention risk (metrics.md: below 0.30), and nothing here measures how likely the provider is to leave; their production over ${window.label}, ${dollars(productionCents)}, is what would be exposed`;
      sentence = `${who}: ${pay}, below the ${band}: pay that trails production is a retention risk.`;
    }
    actions.push({
      id: actionId({ rule: 'provider_out_of_band', locationId, subjectId: providerId, period: month }),
      rule: 'provider_out_of_band',
      audience: 'owner',
      locationId,
      subject: { kind: 'provider', providerId, displayName: name },
      period: month,
      asOf,
      dollarsCents,
      dollarsBasis,
      sentence,
      facts: [
        metricFact('comp_to_production_ratio', ratio, window.period, 'ratio'),
        metricFact('provider_compensation', compensation, window.period, 'cents'),
        metricFact('provider_production', production, window.period, 'cents'),
        // Below the band the engine's gap is $0 by definition: not a fact about this alert.
        ...(r > COMP_BAND_HIGH ? [metricFact('provider_comp_gap_dollars', gap, window.period, 'cents')] : []),
      ],
      alsoTrue: [],
      draft: null,
    });
  }
  const notes = [...unjudged].map(
    ([reason, ids]) => `comp-to-production not judged over ${window.label} for ${ids.join(', ')}: ${reason}`,
  );
  return { actions, notes };
}

/** completed + no_show + late_cancelled: the rate's denominator, from the engine's operands. */
function appointmentsOf(value: MetricValue): number {
  return value.operands.reduce((sum, o) => sum + (o.value ?? 0), 0);
}

export function noShowSpike(
  ctx: MetricContext,
  locationId: string,
  month: YearMonth,
  asOf: LocalDate,
): TriggerResult {
  const scope: Scope = { kind: 'location', locationId };
  const before = addMonths(month, -1);
  const baseline = monthsWindow(before, NO_SHOW_BASELINE_MONTHS);
  const rate = metricValue(ctx, 'no_show_rate', scope, month);
  const base = metricValue(ctx, 'no_show_rate', scope, baseline.period);
  const notes: string[] = [];
  const judged = (v: MetricValue | string, what: string): v is MetricValue => {
    if (typeof v === 'string') notes.push(`no-show spike not judged: ${v}`);
    else if (v.value === null) notes.push(`no-show spike not judged: ${what}: ${v.reason ?? 'no rate'}`);
    else if (appointmentsOf(v) < NO_SHOW_MIN_APPOINTMENTS)
      notes.push(
        `no-show spike not judged: ${what} has ${appointmentsOf(v)} appointments, fewer than ${NO_SHOW_MIN_APPOINTMENTS}`,
      );
    else return true;
    return false;
  };
  if (!judged(rate, month) || !judged(base, baseline.label)) return { actions: [], notes };
  const r = rate.value ?? 0;
  const b = base.value ?? 0;
  if (!(r + TOLERANCE >= NO_SHOW_SPIKE_RATIO * b && r - b + TOLERANCE >= NO_SHOW_SPIKE_MIN_POINTS)) {
    return { actions: [], notes };
  }
  const gap = metricValue(ctx, 'no_show_gap_dollars', scope, month);
  if (typeof gap === 'string') return { actions: [], notes: [...notes, `no-show spike: ${gap}`] };
  const target = ctx.settings.targets.no_show_rate;
  const dollarsCents = gap.value === null ? null : toCents(gap.value);
  const dollarsBasis =
    gap.value === null
      ? `no gap figure: ${gap.reason ?? 'not available'}`
      : dollarsCents === 0
        ? `no_show_gap_dollars in ${month} is $0.00: the rate is at or below the ${percent(target)} target, so the engine counts no no-show as lost; the spike is against the location's own history`
        : `no_show_gap_dollars in ${month}: (no-show rate − ${percent(target)} target) × appointments × service revenue per visit`;
  const noShows = rate.operands.find((o) => o.name === 'no_show')?.value ?? 0;
  const location = ctx.location(locationId);
  const times = b === 0 ? '' : `${(r / b).toFixed(1)}× `;
  return {
    actions: [
      {
        id: actionId({ rule: 'no_show_spike', locationId, subjectId: locationId, period: month }),
        rule: 'no_show_spike',
        audience: 'owner',
        locationId,
        subject: { kind: 'location', locationId, name: location?.name ?? locationId },
        period: month,
        asOf,
        dollarsCents,
        dollarsBasis,
        sentence: `No-shows ${percent(r)} in ${month} (${noShows} of ${appointmentsOf(rate)} appointments), ${times}the ${percent(b)} of the ${NO_SHOW_BASELINE_MONTHS} months before (${baseline.label}).`,
        facts: [
          metricFact('no_show_rate', rate, month, 'ratio'),
          metricFact('no_show', rate, month, 'count', 'no_show'),
          metricFact('no_show_rate_baseline', base, baseline.period, 'ratio'),
          metricFact('no_show_gap_dollars', gap, month, 'cents'),
        ],
        alsoTrue: [],
        draft: null,
      },
    ],
    notes,
  };
}
