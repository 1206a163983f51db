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

/** Cents (possibly fractional after proration) → dollars rounded to the cent. */
export function centsToReportedDollars(cents: number): number {
  return Math.round(cents) / 100;
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
