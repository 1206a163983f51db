import type { LocalDate } from '../../model/localDate';
import { netRevenueCents } from '../families/revenue';
import type { MetricContext } from '../metricContext';
import type { Scope } from '../scope';
import { revenuePerPersonBetween } from './patientFacts';
import { type DateWindow, trailingTwelveMonths, windowAsPeriod } from './trailingWindow';

/**
 * ⌈0.1 × n⌉, the number of top patients (metrics.md). Divided by 10 rather than multiplied by
 * 0.1: 0.1 × 30 is 3.0000000000000004 in floating point, whose ceiling would be 4.
 */
export function vipPatientCount(patientsWithRevenue: number): number {
  return Math.ceil(patientsWithRevenue / 10);
}

export interface VipFigures {
  window: DateWindow;
  /** n: patients whose net revenue over the window is positive. */
  patientsWithRevenue: number;
  /** ⌈0.1 × n⌉. */
  topPatients: number;
  topRevenueCents: number;
  /** Σ net of every patient's revenue-kind lines (the rest of net_revenue carries no patient). */
  patientRevenueCents: number;
  netRevenueCents: number;
}

/**
 * The top patients' revenue over the 12 months ending at `end`, at the scope's locations; once
 * per context, scope and end (a quarter, its last month and an LTM ending there share it).
 */
export function vipFigures(ctx: MetricContext, scope: Scope, end: LocalDate): VipFigures {
  const key = `vip\u0000${scope.kind}\u0000${ctx.locationIdsOf(scope).join('\u0000')}\u0000${end}`;
  return ctx.once(key, () => computeVipFigures(ctx, scope, end));
}

function computeVipFigures(ctx: MetricContext, scope: Scope, end: LocalDate): VipFigures {
  const window = trailingTwelveMonths(end);
  const all = revenuePerPersonBetween(ctx, ctx.locationIdsOf(scope), window.start, window.end);
  const positive = all.filter((cents) => cents > 0).sort((a, b) => b - a);
  // Patients tied at the cut-off have equal revenue, so which of them is "in" does not change the sum.
  const topPatients = vipPatientCount(positive.length);
  return {
    window,
    patientsWithRevenue: positive.length,
    topPatients,
    topRevenueCents: positive.slice(0, topPatients).reduce((sum, cents) => sum + cents, 0),
    patientRevenueCents: all.reduce((sum, cents) => sum + cents, 0),
    netRevenueCents: netRevenueCents(ctx, scope, windowAsPeriod(window, `12 months to ${end}`, 12)),
  };
}
