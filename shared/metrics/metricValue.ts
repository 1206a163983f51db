import { Fraction } from '../engine/fraction';
import type { ResolvedPeriod } from '../periods/period';
import type { Scope } from './scope';

export type MetricUnit = 'usd' | 'ratio' | 'count' | 'hours' | 'minutes';

/** One operand of a formula, for lineage: `net_revenue = 12,345.67 usd`. */
export interface Operand {
  name: string;
  value: number | null;
  unit: MetricUnit;
}

/** What a metric's compute function returns; the engine adds scope, period, unit and coverage. */
export interface MetricResult {
  /** In the metric's unit: dollars (not cents), a fraction, a count. Null = not available. */
  value: number | null;
  /** Why the value is null (a zero denominator, absent facts, a scope the metric has no meaning for). */
  reason?: string;
  /** The formula with operand names, e.g. `net_revenue / visits`. */
  formula: string;
  operands: Operand[];
  /** Extra structure some metrics answer with (same-store set, heatmap grid…). */
  details?: Record<string, unknown>;
}

export interface MetricValue extends MetricResult {
  metric: string;
  scope: Scope;
  period: ResolvedPeriod;
  unit: MetricUnit;
  /** Share of the scope's operating days in the period that the data covers (1 = complete). */
  coverage: number | null;
}

export const notAvailable = (reason: string, formula: string, operands: Operand[] = []): MetricResult => ({
  value: null,
  reason,
  formula,
  operands,
});

/**
 * How money is rounded, once, when it is reported (catalog text; docs/metrics.md states it).
 * Everything before that is exact: whole cents, or exact fractions of a cent (Fraction).
 */
export const ROUNDING_RULE =
  'Money is exact until it is reported: sums of whole cents, and exact fractions of a cent where a pay period is spread over its days, a payroll line is split across locations by production, a month of spend counts for part of the month or an amount is divided (an average, a rate); each reported amount is rounded once, to the cent, a half cent away from zero (0.005 → 0.01, −0.005 → −0.01, as Excel’s ROUND), so $118,915.835 shows as $118,915.84';

/** Cents → whole cents, a half cent away from zero (ROUNDING_RULE). */
export function roundCents(cents: number | Fraction): number {
  if (typeof cents !== 'number') return cents.roundHalfAwayFromZero();
  if (Number.isInteger(cents)) return cents;
  return Fraction.fromNumber(cents).roundHalfAwayFromZero();
}

/**
 * Cents → dollars rounded to the cent (ROUNDING_RULE). Give an exact Fraction wherever the
 * cents are not whole: a double has already lost the half cent it may have been.
 */
export function centsToReportedDollars(cents: number | Fraction): number {
  return roundCents(cents) / 100;
}

/** A ratio, or null with a reason when the denominator is zero (metrics.md: never 0). */
export function ratio(
  numerator: number,
  denominator: number,
): { value: number; reason?: undefined } | { value: null; reason: string } {
  return denominator === 0
    ? { value: null, reason: 'the denominator is zero' }
    : { value: numerator / denominator };
}
