/*
 * What every sheet of the board pack reads: the engine's context, the period as resolved
 * (and its prior year), the locations in the pack and how each is labelled. Values come from
 * computeMetric only, so the workbook can never say something the API would not.
 */
import { resolvePeriodText } from '../metrics/computeMetric';
import { computeMetric } from '../metrics/computeMetric';
import type { MetricContext } from '../metrics/metricContext';
import type { MetricUnit } from '../metrics/metricValue';
import type { Scope } from '../metrics/scope';
import type { LocationRow } from '../model/canonicalBundle';
import type { YearMonth } from '../model/localDate';
import { priorYear, type ResolvedPeriod } from '../periods/period';
import type { ReportUnit } from './reportSpec';

export interface ReportContext {
  ctx: MetricContext;
  /** The period as the user asked for it (`FY2025`, `LTM`). */
  periodText: string;
  period: ResolvedPeriod;
  /** The same period a year earlier, as the range text the engine answers for. */
  priorText: string;
  prior: ResolvedPeriod;
  asOfMonth: YearMonth | null;
  /** The locations of the pack, in order (every location of the tenant unless narrowed). */
  locations: LocationRow[];
}

/** Why no pack can be made: the period or a location is wrong, or there is nothing to report on. */
export interface ReportFailure {
  ok: false;
  code: 'invalid_period' | 'unknown_location' | 'no_data' | 'bad_request';
  message: string;
}

export type ReportContextResult = { ok: true; report: ReportContext } | ReportFailure;

export function reportContext(
  ctx: MetricContext,
  periodText: string,
  locationIds?: readonly string[],
): ReportContextResult {
  const resolved = resolvePeriodText(ctx, periodText);
  if (!resolved.ok) {
    return {
      ok: false,
      code: resolved.error.code === 'no_data' ? 'no_data' : 'invalid_period',
      message: resolved.error.message,
    };
  }
  const known = new Map(ctx.data.locations.map((l) => [l.location_id, l]));
  const unknown = (locationIds ?? []).filter((id) => !known.has(id));
  if (unknown.length > 0)
    return {
      ok: false,
      code: 'unknown_location',
      message: `Unknown location ${unknown.map((id) => JSON.stringify(id.slice(0, 64))).join(', ')}`,
    };
  const locations =
    locationIds === undefined || locationIds.length === 0
      ? [...ctx.data.locations].sort((a, b) => a.location_id.localeCompare(b.location_id))
      : locationIds.map((id) => known.get(id) as LocationRow);
  const prior = priorYear(resolved.period);
  return {
    ok: true,
    report: {
      ctx,
      periodText,
      period: resolved.period,
      priorText: `${prior.start}..${prior.end}`,
      prior,
      asOfMonth: ctx.asOfMonth(),
      locations,
    },
  };
}

/** Below this share of open days with data, a value says it is partial. */
export const PARTIAL_COVERAGE = 0.99;

export interface ReportValue {
  value: number | null;
  /** Why the value is absent, or a caveat (partial coverage). */
  note: string;
}

/** One metric for one scope, as the engine answers it; an engine refusal is a note, never 0. */
export function metricValue(
  r: ReportContext,
  metric: string,
  scope: Scope,
  periodText = r.periodText,
): ReportValue {
  const answer = computeMetric(r.ctx, metric, scope, periodText);
  if (!answer.ok) return { value: null, note: answer.error.message };
  const v = answer.value;
  // A day or two missing in a year is not worth a board reader's attention; a partial month is.
  const partial =
    v.coverage !== null && v.coverage < PARTIAL_COVERAGE
      ? `partial data: covers ${(Math.floor(v.coverage * 1000) / 10).toFixed(1)}% of the open days`
      : '';
  return { value: v.value, note: v.value === null ? (v.reason ?? 'not available') : partial };
}

export const portfolioScope: Scope = { kind: 'portfolio' };
export const locationScope = (locationId: string): Scope => ({ kind: 'location', locationId });

/** A location as the pack names it: its name, with the id when the name alone may not be unique. */
export function locationLabel(l: LocationRow): string {
  return l.name === l.location_id ? l.name : `${l.name} (${l.location_id})`;
}

/** The report unit of a metric unit. */
export function reportUnit(unit: MetricUnit): ReportUnit {
  return unit;
}

/** `FY2025 (2025-01-01 – 2025-12-31)`. */
export function periodWithDates(p: ResolvedPeriod): string {
  return `${p.label} (${p.start} – ${p.end})`;
}

/** current / prior − 1, or null when it cannot be said (the formula the workbook writes). */
export function growth(current: number | null, prior: number | null): number | null {
  if (current === null || prior === null || prior === 0) return null;
  return current / prior - 1;
}

export function difference(a: number | null, b: number | null): number | null {
  if (a === null || b === null) return null;
  return a - b;
}

/** Σ of the values in cents, back to dollars: the total a SUM over the column shows. */
export function sumDollars(values: readonly (number | null)[]): number | null {
  const present = values.filter((v): v is number => v !== null);
  if (present.length === 0) return null;
  return present.reduce((total, v) => total + Math.round(v * 100), 0) / 100;
}
