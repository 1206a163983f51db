import { Fraction } from '../../engine/fraction';
import { M } from '../../engine/measures';
import type { ResolvedPeriod } from '../../periods/period';
import type { MetricContext } from '../metricContext';
import type { MetricDefinition } from '../metricDefinition';
import { centsToReportedDollars, notAvailable, type Operand, roundCents } from '../metricValue';
import {
  COMPENSATION_COMPONENTS,
  hasSalesData,
  type ProviderFigures,
  providerFiguresOf,
  providerIdsOf,
} from '../providers/providerFigures';
import { providerAvailableMinutes, settleMinutes } from '../scheduling/capacity';
import type { Scope } from '../scope';

const PROVIDER_SCOPES = ['provider', 'location', 'portfolio'] as const;

/** Production is service revenue: traces list only those sale lines. */
const PRODUCTION_LINES = { saleKinds: ['service', 'package'] };

/** Upper edge of the healthy comp-to-production band (metrics.md: above 0.50 is overpaying). */
export const COMP_TO_PRODUCTION_OVERPAY_ABOVE = 0.5;

const SCOPE_RULE =
  'at provider scope the provider at one location or across all of theirs; at location and portfolio scope the sum over every provider there';

/** Production and compensation of a scope: one provider's, or summed over the scope's providers. */
interface ScopeFigures {
  productionCents: number | null;
  /** Rounded to the cent once, from the exact sum over the scope's providers. */
  compensationCents: number | null;
  componentCents: Record<string, Fraction>;
  providers: ProviderFigures[];
}

function scopeFigures(ctx: MetricContext, scope: Scope, period: ResolvedPeriod): ScopeFigures {
  const providers = providerFiguresOf(ctx, scope, period);
  const componentCents: Record<string, Fraction> = {};
  let rawCompensation = Fraction.ZERO;
  for (const c of COMPENSATION_COMPONENTS) {
    const cents = providers.reduce(
      (total, p) => total.plus(p.componentCents[c.name] ?? Fraction.ZERO),
      Fraction.ZERO,
    );
    componentCents[c.name] = cents;
    rawCompensation = rawCompensation.plus(cents);
  }
  const anyPayroll = providers.some((p) => p.compensationCents !== null);
  return {
    productionCents: hasSalesData(ctx, scope, period)
      ? providers.reduce((total, p) => total + p.productionCents, 0)
      : null,
    compensationCents: anyPayroll ? roundCents(rawCompensation) : null,
    componentCents,
    providers,
  };
}

const NO_SALES = 'no sale lines at the scope’s locations in the period';
const NO_PAYROLL = 'no payroll accrues to the scope’s providers in the period';

function usd(name: string, cents: number | Fraction | null): Operand {
  return { name, value: cents === null ? null : centsToReportedDollars(cents), unit: 'usd' };
}

/** comp / production, null with a reason when either is unknown or production is not positive. */
function compToProduction(
  productionCents: number | null,
  compensationCents: number | null,
): { value: number; reason?: undefined } | { value: null; reason: string } {
  if (productionCents === null) return { value: null, reason: NO_SALES };
  if (compensationCents === null) return { value: null, reason: NO_PAYROLL };
  if (productionCents === 0) return { value: null, reason: 'provider_production is zero' };
  if (productionCents < 0)
    return { value: null, reason: 'provider_production is negative (refunds exceed sales)' };
  return { value: compensationCents / productionCents };
}

const providerProduction: MetricDefinition = {
  id: 'provider_production',
  label: 'Provider production',
  unit: 'usd',
  family: 'providers',
  scopes: PROVIDER_SCOPES,
  facts: ['sales.csv', 'providers.csv'],
  sourceFilter: PRODUCTION_LINES,
  definition: `Σ net (gross − discount) of service and package lines whose provider_id is the provider, dated by sold_on (a refund reduces production when it is made; tax, tips, retail and gift cards are not production); ${SCOPE_RULE}; null when the scope's locations have no sale line in the period`,
  direction: 'higher',
  compute(ctx, scope, period) {
    const figures = scopeFigures(ctx, scope, period);
    const formula = 'Σ (gross − discount) of service + package lines attributed to the provider';
    if (figures.productionCents === null) return notAvailable(NO_SALES, formula);
    return {
      value: centsToReportedDollars(figures.productionCents),
      formula,
      operands: [usd('provider_production', figures.productionCents)],
      ...providerDetails(scope, figures),
    };
  },
};

const providerCompensation: MetricDefinition = {
  id: 'provider_compensation',
  label: 'Provider compensation',
  unit: 'usd',
  family: 'providers',
  scopes: PROVIDER_SCOPES,
  facts: ['payroll.csv', 'providers.csv'],
  definition: `Σ wages + commission + bonus + employer taxes and benefits of the provider's payroll lines (matched by payroll_employee_id), each line accrued evenly over its pay period's calendar days (never by pay date); a line without location is split across the provider's locations by their production in that pay period, equally when there was none; payroll of employees who are not providers is never included; both splits are exact fractions of a cent, summed exactly and rounded to the cent once (a half cent away from zero); ${SCOPE_RULE}; a payroll line whose pay period reaches the period is payroll even when it is $0 and 0 hours (compensation $0.00 for that period, and the ratio and contribution computed from it); null only when no payroll line of the scope's providers reaches the period`,
  direction: 'none',
  compute(ctx, scope, period) {
    const figures = scopeFigures(ctx, scope, period);
    const formula = 'wages + commission + bonus + employer_taxes_benefits';
    const operands = COMPENSATION_COMPONENTS.map((c) =>
      usd(c.name, figures.componentCents[c.name] ?? Fraction.ZERO),
    );
    if (figures.compensationCents === null) return notAvailable(NO_PAYROLL, formula, operands);
    return {
      value: centsToReportedDollars(figures.compensationCents),
      formula,
      operands,
      ...providerDetails(scope, figures),
    };
  },
};

const compToProductionRatio: MetricDefinition = {
  id: 'comp_to_production_ratio',
  label: 'Compensation to production ratio',
  unit: 'ratio',
  family: 'providers',
  scopes: PROVIDER_SCOPES,
  facts: ['sales.csv', 'payroll.csv', 'providers.csv'],
  sourceFilter: PRODUCTION_LINES,
  definition: `provider_compensation / provider_production (healthy band 0.35–0.50, above 0.50 overpaying, below 0.30 retention risk); compensation is rounded to the cent first; ${SCOPE_RULE} (Σ compensation / Σ production); null when either is unknown or production is zero or negative`,
  direction: 'none',
  compute(ctx, scope, period) {
    const figures = scopeFigures(ctx, scope, period);
    return {
      ...compToProduction(figures.productionCents, figures.compensationCents),
      formula: 'provider_compensation / provider_production',
      operands: [
        usd('provider_compensation', figures.compensationCents),
        usd('provider_production', figures.productionCents),
      ],
    };
  },
};

const providerContribution: MetricDefinition = {
  id: 'provider_contribution',
  label: 'Provider contribution',
  unit: 'usd',
  family: 'providers',
  scopes: PROVIDER_SCOPES,
  facts: ['sales.csv', 'payroll.csv', 'providers.csv'],
  sourceFilter: PRODUCTION_LINES,
  definition: `provider_production − provider_compensation, from the reported (rounded) compensation so that the three figures foot to the cent; ${SCOPE_RULE}; null when either is unknown`,
  direction: 'higher',
  compute(ctx, scope, period) {
    const figures = scopeFigures(ctx, scope, period);
    const formula = 'provider_production − provider_compensation';
    const operands = [
      usd('provider_production', figures.productionCents),
      usd('provider_compensation', figures.compensationCents),
    ];
    if (figures.productionCents === null) return notAvailable(NO_SALES, formula, operands);
    if (figures.compensationCents === null) return notAvailable(NO_PAYROLL, formula, operands);
    return {
      value: centsToReportedDollars(figures.productionCents - figures.compensationCents),
      formula,
      operands,
    };
  },
};

const providerRevenuePerHour: MetricDefinition = {
  id: 'provider_revenue_per_hour',
  label: 'Provider revenue per hour',
  unit: 'usd',
  family: 'providers',
  scopes: PROVIDER_SCOPES,
  facts: ['sales.csv', 'shifts.csv', 'payroll.csv', 'providers.csv'],
  sourceFilter: PRODUCTION_LINES,
  definition: `provider_production / provider hours, where a provider's hours at a location are their shift hours there when they have shifts in the period, else their payroll hours there (accrued over the pay period's days like compensation); a location where the provider has neither is left out of production and hours alike (listed in details); ${SCOPE_RULE} (Σ production / Σ hours over every provider and location); null when there are no hours`,
  direction: 'higher',
  compute(ctx, scope, period) {
    const formula = 'provider_production / provider_hours';
    if (!hasSalesData(ctx, scope, period)) return notAvailable(NO_SALES, formula);
    const locations = ctx.locationIdsOf(scope);
    let productionCents = 0;
    let minutes = 0;
    let exactMinutes = Fraction.ZERO;
    const sources = new Set<string>();
    const withoutHours: { provider_id: string; location_id: string }[] = [];
    for (const providerId of providerIdsOf(ctx, scope)) {
      for (const locationId of locations) {
        const available = providerAvailableMinutes(ctx, providerId, locationId, period);
        const production = ctx.data.daily.sum(
          M.production,
          [locationId],
          period.start,
          period.end,
          providerId,
        );
        if (available === null) {
          if (production !== 0) withoutHours.push({ provider_id: providerId, location_id: locationId });
          continue;
        }
        productionCents += production;
        minutes += available.minutes;
        exactMinutes = exactMinutes.plus(available.exact);
        sources.add(available.source);
      }
    }
    const hours = settleMinutes(minutes) / 60;
    const source = sources.size === 2 ? 'mixed' : ([...sources][0] ?? 'none');
    const operands: Operand[] = [
      usd('provider_production', productionCents),
      { name: `provider_hours (${source})`, value: Math.round(hours * 100) / 100, unit: 'hours' },
    ];
    const details = withoutHours.length === 0 ? {} : { details: { production_without_hours: withoutHours } };
    if (exactMinutes.isZero()) {
      return {
        ...notAvailable('no shift or payroll hours for the provider(s) in the period', formula, operands),
        ...details,
      };
    }
    // production / (minutes / 60), exactly, rounded once.
    const perHour = Fraction.of(productionCents).times(60).dividedBy(exactMinutes);
    return { value: centsToReportedDollars(perHour), formula, operands, ...details };
  },
};

const providerCompGapDollars: MetricDefinition = {
  id: 'provider_comp_gap_dollars',
  label: 'Provider compensation gap ($)',
  unit: 'usd',
  family: 'gaps',
  scopes: PROVIDER_SCOPES,
  facts: ['sales.csv', 'payroll.csv', 'providers.csv'],
  sourceFilter: PRODUCTION_LINES,
  definition: `Σ over providers whose comp_to_production_ratio > 0.50 of (ratio − target) × provider_production, target = the tenant's comp-to-production target (default 0.40); each provider's ratio is taken at the scope's locations (across all of them at portfolio scope), from their compensation rounded to the cent; (ratio − target) × production is computed exactly as compensation − target × production, summed over the providers and rounded once; providers without a ratio (no payroll, production ≤ 0) are not counted; null when no provider of the scope has a ratio`,
  direction: 'lower',
  compute(ctx, scope, period) {
    const target = ctx.settings.targets.comp_to_production_ratio;
    const formula = `Σ over providers with comp_to_production_ratio > ${COMP_TO_PRODUCTION_OVERPAY_ABOVE} of (comp_to_production_ratio − target) × provider_production`;
    const figures = scopeFigures(ctx, scope, period);
    const rows: {
      provider_id: string;
      production: number;
      compensation: number;
      ratio: number;
      gap: number;
    }[] = [];
    // The target as the decimal the tenant set (0.4 = 2/5, not the double nearest to it).
    const exactTarget = Fraction.fromDecimal(target);
    const overAbove = Fraction.fromDecimal(COMP_TO_PRODUCTION_OVERPAY_ABOVE);
    let gapCents = Fraction.ZERO;
    let overProduction = 0;
    let overCompensation = 0;
    for (const p of figures.providers) {
      const r = compToProduction(p.productionCents, p.compensationCents);
      if (r.value === null || p.compensationCents === null) continue;
      // compensation / production > 0.50, decided on the exact ratio of whole cents.
      const over = Fraction.of(p.compensationCents, p.productionCents).compareTo(overAbove) > 0;
      // (ratio − target) × production = compensation − target × production: the same number,
      // exact, rounded once.
      const gap = over
        ? Fraction.of(p.compensationCents).minus(exactTarget.times(p.productionCents))
        : Fraction.ZERO;
      if (over) {
        gapCents = gapCents.plus(gap);
        overProduction += p.productionCents;
        overCompensation += p.compensationCents;
      }
      rows.push({
        provider_id: p.providerId,
        production: centsToReportedDollars(p.productionCents),
        compensation: centsToReportedDollars(p.compensationCents),
        ratio: r.value,
        gap: centsToReportedDollars(gap),
      });
    }
    const operands: Operand[] = [
      usd('provider_production (providers above 0.50)', overProduction),
      usd('provider_compensation (providers above 0.50)', overCompensation),
      { name: 'target', value: target, unit: 'ratio' },
    ];
    if (rows.length === 0) {
      return notAvailable(
        'no provider of the scope has both payroll and positive production in the period',
        formula,
        operands,
      );
    }
    return { value: centsToReportedDollars(gapCents), formula, operands, details: { providers: rows } };
  },
};

/** At location and portfolio scope, each provider's part (for "which provider is it?"). */
function providerDetails(scope: Scope, figures: ScopeFigures): { details?: Record<string, unknown> } {
  if (scope.kind === 'provider') return {};
  return {
    details: {
      providers: figures.providers.map((p) => ({
        provider_id: p.providerId,
        production: centsToReportedDollars(p.productionCents),
        compensation: p.compensationCents === null ? null : centsToReportedDollars(p.compensationCents),
      })),
    },
  };
}

export const PROVIDER_METRICS: readonly MetricDefinition[] = [
  providerProduction,
  providerCompensation,
  compToProductionRatio,
  providerContribution,
  providerRevenuePerHour,
  providerCompGapDollars,
];
