import { Fraction } from '../../engine/fraction';
import { M, REVENUE_KINDS, SERVICE_REVENUE_KINDS } from '../../engine/measures';
import { SERVICE_CATEGORIES, type ServiceCategory } from '../../model/canonicalBundle';
import type { ResolvedPeriod } from '../../periods/period';
import { absentFacts } from '../factCoverage';
import type { MetricContext } from '../metricContext';
import type { MetricDefinition } from '../metricDefinition';
import { centsToReportedDollars, type MetricResult, notAvailable, ratio } from '../metricValue';
import { capacityOf, exactAvailableMinutes, settleMinutes, sourceOf, totalOf } from '../scheduling/capacity';
import type { Scope } from '../scope';

const LOCATION_SCOPES = ['location', 'portfolio'] as const;

/** The no-facts rule of the family, stated in every definition it applies to. */
const NO_SALES_RULE =
  "null when none of the scope's locations operated in P, or their sale lines (from each location's first to its last) cover none of P's operating days; a covered period without a line is 0";
const NO_APPOINTMENTS_RULE =
  "null when none of the scope's locations operated in P, or their appointments (from each location's first to its last completed, no-show or late-cancelled one) cover none of P's operating days; a covered period without a visit is 0";

function sumCents(
  ctx: MetricContext,
  scope: Scope,
  period: ResolvedPeriod,
  measures: readonly string[],
): number {
  const locations = ctx.locationIdsOf(scope);
  return measures.reduce((total, m) => total + ctx.data.daily.sum(m, locations, period.start, period.end), 0);
}

export function netRevenueCents(ctx: MetricContext, scope: Scope, period: ResolvedPeriod): number {
  return sumCents(ctx, scope, period, REVENUE_KINDS.map(M.net));
}

export function serviceRevenueCents(ctx: MetricContext, scope: Scope, period: ResolvedPeriod): number {
  return sumCents(ctx, scope, period, SERVICE_REVENUE_KINDS.map(M.net));
}

export function visitsOf(ctx: MetricContext, scope: Scope, period: ResolvedPeriod): number {
  return sumCents(ctx, scope, period, [M.visits]);
}

function moneyMetric(
  id: string,
  label: string,
  kinds: readonly string[],
  definition: string,
): MetricDefinition {
  return {
    id,
    label,
    unit: 'usd',
    family: 'revenue',
    scopes: LOCATION_SCOPES,
    facts: ['sales.csv'],
    sourceFilter: { saleKinds: kinds },
    definition: `${definition}; ${NO_SALES_RULE}`,
    direction: 'higher',
    compute(ctx, scope, period): MetricResult {
      const formula = `Σ (gross − discount) of sale lines of kind ${kinds.join(', ')}`;
      const absent = absentFacts(ctx, scope, period, 'sales');
      if (absent !== null) return notAvailable(absent, formula);
      const cents = sumCents(
        ctx,
        scope,
        period,
        kinds.map((k) => M.net(k as never)),
      );
      return {
        value: centsToReportedDollars(cents),
        formula,
        operands: kinds.map((k) => ({
          name: `net.${k}`,
          value: centsToReportedDollars(
            ctx.data.daily.sum(M.net(k as never), ctx.locationIdsOf(scope), period.start, period.end),
          ),
          unit: 'usd',
        })),
      };
    },
  };
}

const treatmentMix = (category: ServiceCategory): MetricDefinition => ({
  id: `treatment_mix.${category}`,
  label: `Treatment mix: ${category.replace('_', ' ')}`,
  unit: 'ratio',
  family: 'revenue',
  scopes: LOCATION_SCOPES,
  facts: ['sales.csv', 'services.csv'],
  definition: `service_revenue of category ${category} / service_revenue (a line's category comes from its service_code, else from its appointment's service); null when service_revenue is zero, with the no-facts reason when the scope's sale lines cover none of P`,
  direction: 'none',
  compute(ctx, scope, period) {
    const part = sumCents(ctx, scope, period, [M.serviceNetByCategory(category)]);
    const whole = serviceRevenueCents(ctx, scope, period);
    const formula = `service_revenue.${category} / service_revenue`;
    const operands = [
      { name: `service_revenue.${category}`, value: centsToReportedDollars(part), unit: 'usd' as const },
      { name: 'service_revenue', value: centsToReportedDollars(whole), unit: 'usd' as const },
    ];
    const absent = absentFacts(ctx, scope, period, 'sales');
    if (absent !== null) return notAvailable(absent, formula, operands);
    return { ...ratio(part, whole), formula, operands };
  },
});

export const REVENUE_METRICS: readonly MetricDefinition[] = [
  moneyMetric(
    'net_revenue',
    'Net revenue',
    REVENUE_KINDS,
    'Σ net (gross − discount) of lines of kind service, package, retail, membership_fee, other; tax, tips and gift-card sales are never revenue; a refund counts when it is made',
  ),
  moneyMetric(
    'service_revenue',
    'Service revenue',
    SERVICE_REVENUE_KINDS,
    'Σ net of lines of kind service + package',
  ),
  moneyMetric('retail_revenue', 'Retail revenue', ['retail'], 'Σ net of lines of kind retail'),
  moneyMetric(
    'membership_revenue',
    'Membership revenue',
    ['membership_fee'],
    'Σ net of lines of kind membership_fee',
  ),
  {
    id: 'visits',
    label: 'Visits',
    unit: 'count',
    family: 'revenue',
    scopes: LOCATION_SCOPES,
    facts: ['appointments.csv'],
    sourceFilter: { appointmentStatuses: ['completed'] },
    definition:
      'count of appointments with status completed, dated by their start; a visit is a patient trip: the service lines of one guest at ' +
      'one location on one day are one appointment (an export with one row per service line, such as Zenoti Appointments, is grouped ' +
      'into visits at conversion, separate invoices kept apart), so add-on and 0-minute lines never count as visits of their own; ' +
      NO_APPOINTMENTS_RULE,
    direction: 'higher',
    compute(ctx, scope, period) {
      const formula = 'count of completed appointments';
      const absent = absentFacts(ctx, scope, period, 'appointments');
      if (absent !== null) return notAvailable(absent, formula);
      const visits = visitsOf(ctx, scope, period);
      return {
        value: visits,
        formula,
        operands: [{ name: 'visits', value: visits, unit: 'count' }],
      };
    },
  },
  {
    id: 'avg_ticket',
    label: 'Average ticket',
    unit: 'usd',
    family: 'revenue',
    scopes: LOCATION_SCOPES,
    facts: ['sales.csv', 'appointments.csv'],
    definition:
      'net_revenue / visits (null when there are no visits, or when sale lines cover none of the period while visits do: a ticket of 0 would be absent facts)',
    direction: 'higher',
    compute(ctx, scope, period) {
      const net = netRevenueCents(ctx, scope, period);
      const visits = visitsOf(ctx, scope, period);
      const formula = 'net_revenue / visits';
      const operands = [
        { name: 'net_revenue', value: centsToReportedDollars(net), unit: 'usd' as const },
        { name: 'visits', value: visits, unit: 'count' as const },
      ];
      if (visits === 0) return notAvailable('no visits in the period', formula, operands);
      const absent = absentFacts(ctx, scope, period, 'sales');
      if (absent !== null) return notAvailable(absent, formula, operands);
      return { value: centsToReportedDollars(Fraction.of(net, visits)), formula, operands };
    },
  },
  {
    id: 'revenue_per_available_hour',
    label: 'Revenue per available provider hour',
    unit: 'usd',
    family: 'revenue',
    scopes: LOCATION_SCOPES,
    facts: ['sales.csv', 'shifts.csv', 'payroll.csv'],
    definition:
      'net_revenue / available provider hours (shift hours for locations that ingested shifts for the period, else payroll hours spread over the pay period); locations with neither are left out of both and listed; null when there are no hours, or when the sale lines of the locations with hours cover none of the period',
    direction: 'higher',
    compute(ctx, scope, period) {
      // Only locations with available hours count, in the numerator as in the denominator, so
      // a location without shifts or payroll never inflates the others' revenue per hour.
      const capacity = capacityOf(ctx, scope, period);
      const included = capacity.included.map((c) => c.locationId);
      const net = REVENUE_KINDS.reduce(
        (total, kind) => total + ctx.data.daily.sum(M.net(kind), included, period.start, period.end),
        0,
      );
      const hours = settleMinutes(totalOf(capacity, 'availableMinutes')) / 60;
      const minutes = exactAvailableMinutes(capacity);
      const absent = minutes.isZero()
        ? 'no shifts or payroll hours for the period'
        : absentFacts(ctx, scope, period, 'sales', included);
      return {
        // net_revenue / (minutes / 60), exactly, rounded once.
        value: absent === null ? centsToReportedDollars(Fraction.of(net).times(60).dividedBy(minutes)) : null,
        ...(absent === null ? {} : { reason: absent }),
        formula: 'net_revenue / available_hours',
        operands: [
          { name: 'net_revenue', value: centsToReportedDollars(net), unit: 'usd' },
          {
            name: `available_hours (${sourceOf(capacity)})`,
            value: Math.round(hours * 100) / 100,
            unit: 'hours',
          },
        ],
        ...(capacity.withoutCapacity.length === 0
          ? {}
          : { details: { locations_without_capacity: capacity.withoutCapacity } }),
      };
    },
  },
  ...SERVICE_CATEGORIES.map(treatmentMix),
];
