import { computeMetric } from '../metrics/computeMetric';
import type { MetricContext } from '../metrics/metricContext';
import type { MetricValue } from '../metrics/metricValue';
import type { Scope } from '../metrics/scope';
import type { LocalDate, YearMonth } from '../model/localDate';
import type { ActionRule, FactUnit } from './action';

/**
 * The figures a briefing item rests on, each one call away from its source: a metric value
 * (`caliper trace` / `GET /api/trace`), an aggregate of the day's actions (`caliper actions` /
 * `GET /api/actions`, where the patients behind a count are listed — never in the briefing), or a
 * location's revenue forecast (`caliper forecast` / `GET /api/forecast`). Money in integer cents.
 */
export type TraceFigure =
  | {
      kind: 'metric';
      name: string;
      metric: string;
      scope: Scope;
      period: string;
      value: number | null;
      unit: FactUnit;
      reason?: string;
    }
  | {
      kind: 'actions';
      name: string;
      rule: ActionRule;
      locationId: string;
      asOf: LocalDate;
      value: number | null;
      unit: FactUnit;
      reason?: string;
    }
  | {
      kind: 'forecast';
      name: string;
      locationId: string;
      origin: YearMonth;
      month: YearMonth;
      value: number | null;
      unit: 'cents';
      reason?: string;
    };

/** A metric's value in the briefing's units (dollars → cents), with the engine's answer. */
export interface MetricFigure {
  figure: TraceFigure;
  /** Null when the engine could not answer the request at all (the figure's reason says why). */
  value: MetricValue | null;
  /** The value in the figure's unit (cents for money); null with `figure.reason`. */
  amount: number | null;
}

const toCents = (dollars: number) => Math.round(dollars * 100);

export function metricFigure(
  ctx: MetricContext,
  name: string,
  metric: string,
  scope: Scope,
  period: string,
): MetricFigure {
  const answer = computeMetric(ctx, metric, scope, period);
  const base = { kind: 'metric' as const, name, metric, scope, period };
  if (!answer.ok) {
    return {
      figure: { ...base, value: null, unit: 'text', reason: answer.error.message },
      value: null,
      amount: null,
    };
  }
  const v = answer.value;
  const unit: FactUnit = v.unit === 'usd' ? 'cents' : v.unit === 'ratio' ? 'ratio' : 'count';
  // A period the data does not reach is no data, not zero revenue (metrics.md: null, never 0).
  const uncovered = v.coverage === 0 && v.value !== null;
  const amount = v.value === null || uncovered ? null : unit === 'cents' ? toCents(v.value) : v.value;
  const reason = uncovered ? 'the data do not cover the period' : (v.reason ?? 'not available');
  return {
    figure: { ...base, value: amount, unit, ...(amount === null ? { reason } : {}) },
    value: v,
    amount,
  };
}

/** An operand of the engine's answer (its own units: dollars, a ratio, a count), or null. */
export function operandOf(value: MetricValue | null, name: string): number | null {
  return value?.operands.find((o) => o.name === name)?.value ?? null;
}

/** Whole dollars for a sentence; the item's cents and the trace keep the exact amount. */
export function dollarsWords(cents: number): string {
  const whole = Math.round(Math.abs(cents) / 100).toLocaleString('en-US');
  return `${cents < 0 ? '−' : ''}$${whole}`;
}

export const percentWords = (fraction: number, digits = 1) => `${(fraction * 100).toFixed(digits)} %`;

/** "up $12,300 (4.1 %) from $300,000" / "down …" / "level with …". */
export function changeWords(nowCents: number, thenCents: number, thenLabel: string): string {
  const diff = nowCents - thenCents;
  const from = `${dollarsWords(thenCents)} in ${thenLabel}`;
  if (diff === 0) return `level with ${from}`;
  const share = thenCents > 0 ? ` (${percentWords(Math.abs(diff) / thenCents)})` : '';
  return `${diff > 0 ? 'up' : 'down'} ${dollarsWords(Math.abs(diff))}${share} from ${from}`;
}

export const plural = (n: number, one: string, many: string) =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
