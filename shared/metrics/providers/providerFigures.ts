import { Fraction } from '../../engine/fraction';
import type { COMPENSATION_MEASURES } from '../../engine/measures';
import { M } from '../../engine/measures';
import type { ResolvedPeriod } from '../../periods/period';
import type { MetricContext } from '../metricContext';
import { roundCents } from '../metricValue';
import type { Scope } from '../scope';

/** The payroll cost components of metrics.md (Providers), with the measure each is read from. */
export const COMPENSATION_COMPONENTS: readonly {
  name: string;
  measure: (typeof COMPENSATION_MEASURES)[number];
}[] = [
  { name: 'wages', measure: M.compWages },
  { name: 'commission', measure: M.compCommission },
  { name: 'bonus', measure: M.compBonus },
  { name: 'employer_taxes_benefits', measure: M.compTaxesBenefits },
];

/** One provider's production and payroll cost at a set of locations over a period. */
export interface ProviderFigures {
  providerId: string;
  /** Σ net of service + package lines attributed to the provider (integer cents). */
  productionCents: number;
  /**
   * Payroll cost rounded to the cent (once, from the exact cost), or null when no payroll line
   * accrues to the provider in the period (absent facts, not a cost of 0; a line of $0 is a
   * cost of 0). Rounded before any ratio so that a ratio always equals the ratio of the
   * reported dollars.
   */
  compensationCents: number | null;
  /** Each component, exact (a pay period spread over its days carries fractions of a cent). */
  componentCents: Record<string, Fraction>;
}

/**
 * The providers a scope is about: the provider itself, or every provider on the roster of, or
 * with facts at, the scope's locations (a sale line may name a provider the roster lacks).
 */
export function providerIdsOf(ctx: MetricContext, scope: Scope): string[] {
  if (scope.kind === 'provider') return [scope.providerId];
  const locations = new Set(ctx.locationIdsOf(scope));
  const ids = new Set<string>();
  for (const p of ctx.data.providers) if (locations.has(p.location_id)) ids.add(p.provider_id);
  for (const providerId of ctx.data.daily.providers()) {
    if (ctx.data.daily.locationsOfProvider(providerId).some((l) => locations.has(l))) ids.add(providerId);
  }
  return [...ids].sort();
}

export function providerFigures(
  ctx: MetricContext,
  providerId: string,
  locationIds: readonly string[],
  period: ResolvedPeriod,
): ProviderFigures {
  const sum = (measure: string) =>
    ctx.data.daily.sum(measure, locationIds, period.start, period.end, providerId);
  const componentCents: Record<string, Fraction> = {};
  let total = Fraction.ZERO;
  for (const c of COMPENSATION_COMPONENTS) {
    const cents = ctx.data.daily.exactSum(c.measure, locationIds, period.start, period.end, providerId);
    componentCents[c.name] = cents;
    total = total.plus(cents);
  }
  // A payroll line that reaches the period is payroll, even at $0 and 0 hours.
  const hasPayroll = sum(M.payrollLineDays) > 0 || !total.isZero() || sum(M.payrollMinutes) !== 0;
  return {
    providerId,
    productionCents: sum(M.production),
    compensationCents: hasPayroll ? roundCents(total) : null,
    componentCents,
  };
}

/** Figures of every provider of the scope, each at the scope's locations. */
export function providerFiguresOf(
  ctx: MetricContext,
  scope: Scope,
  period: ResolvedPeriod,
): ProviderFigures[] {
  const locations = ctx.locationIdsOf(scope);
  return providerIdsOf(ctx, scope).map((id) => providerFigures(ctx, id, locations, period));
}

/** True when the scope's locations have any sale line in the period (else production is unknown, not 0). */
export function hasSalesData(ctx: MetricContext, scope: Scope, period: ResolvedPeriod): boolean {
  return ctx.data.daily.sum(M.saleLines, ctx.locationIdsOf(scope), period.start, period.end) > 0;
}
