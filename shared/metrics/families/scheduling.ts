import { Fraction } from '../../engine/fraction';
import { M } from '../../engine/measures';
import type { ResolvedPeriod } from '../../periods/period';
import { absentFacts } from '../factCoverage';
import type { MetricContext } from '../metricContext';
import type { MetricDefinition } from '../metricDefinition';
import { centsToReportedDollars, notAvailable, type Operand, ratio } from '../metricValue';
import { capacityOf, exactAvailableMinutes, settleMinutes, sourceOf, totalOf } from '../scheduling/capacity';
import { utilizationGrid } from '../scheduling/heatmap';
import type { Scope } from '../scope';
import { serviceRevenueCents } from './revenue';

const SCHEDULING_SCOPES = ['location', 'portfolio', 'provider'] as const;

const PROVIDER_RULE =
  'at provider scope only the appointments (and available minutes) of that provider, at one location or across all of theirs; appointments without a provider count at location and portfolio scope only';

const COUNTED_STATUSES = ['completed', 'no_show', 'late_cancelled'];
const SERVICE_KINDS = ['service', 'package'];

const AVAILABLE_RULE =
  "available minutes are shift minutes at locations with shifts in the period, else payroll hours × 60 accrued over the pay period's days (at provider scope: the provider's shifts, else their payroll hours, location by location); a location with neither is left out of numerator and denominator (listed in details)";

interface AppointmentCounts {
  completed: number;
  noShow: number;
  lateCancelled: number;
}

function appointmentCounts(ctx: MetricContext, scope: Scope, period: ResolvedPeriod): AppointmentCounts {
  const providerId = scope.kind === 'provider' ? scope.providerId : '';
  const locations = ctx.locationIdsOf(scope);
  const sum = (measure: string) =>
    ctx.data.daily.sum(measure, locations, period.start, period.end, providerId);
  return { completed: sum(M.visits), noShow: sum(M.noShows), lateCancelled: sum(M.lateCancels) };
}

const countOperand = (name: string, value: number): Operand => ({ name, value, unit: 'count' });
const minutesOperand = (name: string, value: number): Operand => ({ name, value, unit: 'minutes' });

function shareOfAppointments(
  id: string,
  label: string,
  part: 'noShow' | 'lateCancelled',
  partName: string,
): MetricDefinition {
  return {
    id,
    label,
    unit: 'ratio',
    family: 'scheduling',
    scopes: SCHEDULING_SCOPES,
    facts: ['appointments.csv'],
    sourceFilter: { appointmentStatuses: COUNTED_STATUSES },
    definition: `${partName} / (completed + no_show + late_cancelled) appointments, dated by their start (cancelled and scheduled appointments are not counted); ${PROVIDER_RULE}; null when there are none`,
    direction: 'lower',
    compute(ctx, scope, period) {
      const counts = appointmentCounts(ctx, scope, period);
      const denominator = counts.completed + counts.noShow + counts.lateCancelled;
      const r = ratio(counts[part], denominator);
      return {
        value: r.value,
        ...(r.reason === undefined
          ? {}
          : { reason: 'no completed, no-show or late-cancelled appointments in the period' }),
        formula: `${partName} / (completed + no_show + late_cancelled)`,
        operands: [
          countOperand('completed', counts.completed),
          countOperand('no_show', counts.noShow),
          countOperand('late_cancelled', counts.lateCancelled),
        ],
      };
    },
  };
}

function utilization(id: string, label: string, booked: boolean): MetricDefinition {
  const numerator = booked ? '(visit_minutes + no_show_minutes + late_cancelled_minutes)' : 'visit_minutes';
  return {
    id,
    label,
    unit: 'ratio',
    family: 'scheduling',
    scopes: SCHEDULING_SCOPES,
    facts: ['appointments.csv', 'shifts.csv', 'payroll.csv'],
    sourceFilter: { appointmentStatuses: booked ? COUNTED_STATUSES : ['completed'] },
    definition: `${numerator} / available provider minutes, appointments dated by their start and counted with their duration_min; ${AVAILABLE_RULE}; ${PROVIDER_RULE}; null when there are no available minutes, or when the appointments of the locations with available minutes (from each one's first to its last completed, no-show or late-cancelled one) cover none of P (no appointment facts, not an idle period)`,
    direction: 'higher',
    compute(ctx, scope, period) {
      const capacity = capacityOf(ctx, scope, period);
      const visit = totalOf(capacity, 'visitMinutes');
      const noShow = totalOf(capacity, 'noShowMinutes');
      const late = totalOf(capacity, 'lateCancelMinutes');
      const available = settleMinutes(totalOf(capacity, 'availableMinutes'));
      const operands = [
        minutesOperand('visit_minutes', visit),
        ...(booked
          ? [minutesOperand('no_show_minutes', noShow), minutesOperand('late_cancelled_minutes', late)]
          : []),
        minutesOperand(`available_minutes (${sourceOf(capacity)})`, available),
      ];
      const formula = `${numerator} / available_minutes`;
      const details = { details: { locations_without_capacity: capacity.withoutCapacity } };
      if (available === 0) {
        return { ...notAvailable('no shift or payroll hours in the period', formula, operands), ...details };
      }
      const included = capacity.included.map((c) => c.locationId);
      const absent = absentFacts(ctx, scope, period, 'appointments', included);
      if (absent !== null) return { ...notAvailable(absent, formula, operands), ...details };
      return { value: (booked ? visit + noShow + late : visit) / available, formula, operands, ...details };
    },
  };
}

const utilizationHeatmap: MetricDefinition = {
  id: 'utilization_heatmap',
  label: 'Utilization heatmap',
  unit: 'ratio',
  family: 'scheduling',
  scopes: ['location', 'portfolio'],
  facts: ['appointments.csv', 'shifts.csv'],
  sourceFilter: { appointmentStatuses: ['completed'] },
  definition:
    'capacity_utilization by ISO weekday (1 = Monday … 7 = Sunday) × hour of day (0–23): minutes of completed appointments in that hour / shift minutes in that hour, an appointment or shift spread over the hours it covers; needs shifts, so only locations with shifts in the period count (payroll hours have no time of day); value null, the grid in details.grid with only the cells that have shift minutes',
  direction: 'none',
  singleValue: false,
  compute(ctx, scope, period) {
    const formula = 'visit_minutes(weekday, hour) / shift_minutes(weekday, hour)';
    const withShifts: string[] = [];
    const withoutShifts: string[] = [];
    for (const locationId of ctx.locationIdsOf(scope)) {
      const shifts = ctx.data.daily.sum(M.shiftMinutes, [locationId], period.start, period.end);
      (shifts > 0 ? withShifts : withoutShifts).push(locationId);
    }
    const grid = utilizationGrid(ctx, withShifts, period);
    const visit = grid.reduce((total, cell) => total + cell.visit_minutes, 0);
    const available = grid.reduce((total, cell) => total + cell.available_minutes, 0);
    const details = { grid, locations: withShifts, locations_without_shifts: withoutShifts };
    const operands = [minutesOperand('visit_minutes', visit), minutesOperand('shift_minutes', available)];
    if (grid.length === 0) return { ...notAvailable('no shifts in the period', formula, operands), details };
    return {
      value: null,
      reason: 'the heatmap is a grid of weekday × hour cells: see details.grid',
      formula,
      operands,
      details,
    };
  },
};

const noShowGapDollars: MetricDefinition = {
  id: 'no_show_gap_dollars',
  label: 'No-show gap ($)',
  unit: 'usd',
  family: 'gaps',
  scopes: SCHEDULING_SCOPES,
  facts: ['appointments.csv', 'sales.csv'],
  sourceFilter: { appointmentStatuses: COUNTED_STATUSES, saleKinds: SERVICE_KINDS },
  definition: `max(0, no_show_rate − target) × (completed + no_show + late_cancelled) × average net service revenue per visit (service_revenue / visits, at provider scope provider_production / the provider's visits), target = the tenant's no-show target (default 0.065); computed on the scope's totals, so at portfolio scope a location below target offsets one above it; null when there are no appointments, or no visits to value a no-show by while the rate is above target`,
  direction: 'lower',
  compute(ctx, scope, period) {
    const target = ctx.settings.targets.no_show_rate;
    const formula =
      'max(0, no_show_rate − target) × (completed + no_show + late_cancelled) × (service_revenue / visits)';
    const counts = appointmentCounts(ctx, scope, period);
    const appointments = counts.completed + counts.noShow + counts.lateCancelled;
    const serviceCents = serviceCentsOf(ctx, scope, period);
    const operands: Operand[] = [
      countOperand('no_show', counts.noShow),
      countOperand('completed + no_show + late_cancelled', appointments),
      { name: 'target', value: target, unit: 'ratio' },
      { name: 'service_revenue', value: centsToReportedDollars(serviceCents), unit: 'usd' },
      countOperand('visits', counts.completed),
    ];
    if (appointments === 0) {
      return notAvailable(
        'no completed, no-show or late-cancelled appointments in the period',
        formula,
        operands,
      );
    }
    // (rate − target) × appointments = no-shows beyond the target, in appointments; exact, with
    // the target as the decimal the tenant set.
    const excessNoShows = Fraction.of(counts.noShow).minus(Fraction.fromDecimal(target).times(appointments));
    if (excessNoShows.sign() <= 0) return { value: 0, formula, operands };
    if (counts.completed === 0) return notAvailable('no visits to value a no-show by', formula, operands);
    return {
      value: centsToReportedDollars(excessNoShows.times(serviceCents).dividedBy(counts.completed)),
      formula,
      operands,
    };
  },
};

const capacityGapDollars: MetricDefinition = {
  id: 'capacity_gap_dollars',
  label: 'Capacity gap ($)',
  unit: 'usd',
  family: 'gaps',
  scopes: SCHEDULING_SCOPES,
  facts: ['appointments.csv', 'shifts.csv', 'payroll.csv', 'sales.csv'],
  sourceFilter: { appointmentStatuses: ['completed'], saleKinds: SERVICE_KINDS },
  definition: `max(0, target − capacity_utilization) × available minutes × service revenue per visit minute (service_revenue / visit minutes, at provider scope provider_production / the provider's visit minutes, over the same locations as the utilization), target = the tenant's capacity-utilization target (default 0.85); ${AVAILABLE_RULE}; computed on the scope's totals; null when there are no available minutes, or no visit minutes to value a minute by while utilization is below target`,
  direction: 'lower',
  compute(ctx, scope, period) {
    const target = ctx.settings.targets.capacity_utilization;
    const formula =
      'max(0, target − capacity_utilization) × available_minutes × (service_revenue / visit_minutes)';
    const capacity = capacityOf(ctx, scope, period);
    const visit = totalOf(capacity, 'visitMinutes');
    const available = settleMinutes(totalOf(capacity, 'availableMinutes'));
    const serviceCents = totalOf(capacity, 'serviceCents');
    const operands: Operand[] = [
      minutesOperand('visit_minutes', visit),
      minutesOperand(`available_minutes (${sourceOf(capacity)})`, available),
      { name: 'target', value: target, unit: 'ratio' },
      { name: 'service_revenue', value: centsToReportedDollars(serviceCents), unit: 'usd' },
    ];
    const details = { details: { locations_without_capacity: capacity.withoutCapacity } };
    if (available === 0) {
      return { ...notAvailable('no shift or payroll hours in the period', formula, operands), ...details };
    }
    // (target − utilization) × available = minutes short of the target; exact, with the target
    // as the decimal the tenant set and the available minutes as accrued.
    const idleMinutes = Fraction.fromDecimal(target).times(exactAvailableMinutes(capacity)).minus(visit);
    if (idleMinutes.sign() <= 0) return { value: 0, formula, operands, ...details };
    if (visit === 0) {
      return {
        ...notAvailable('no visit minutes to value a minute of capacity by', formula, operands),
        ...details,
      };
    }
    return {
      value: centsToReportedDollars(idleMinutes.times(serviceCents).dividedBy(visit)),
      formula,
      operands,
      ...details,
    };
  },
};

function serviceCentsOf(ctx: MetricContext, scope: Scope, period: ResolvedPeriod): number {
  const locations = ctx.locationIdsOf(scope);
  if (scope.kind === 'provider') {
    return ctx.data.daily.sum(M.production, locations, period.start, period.end, scope.providerId);
  }
  return serviceRevenueCents(ctx, scope, period);
}

export const SCHEDULING_METRICS: readonly MetricDefinition[] = [
  utilization('capacity_utilization', 'Capacity utilization', false),
  utilization('booked_utilization', 'Booked utilization', true),
  shareOfAppointments('no_show_rate', 'No-show rate', 'noShow', 'no_show'),
  shareOfAppointments('late_cancel_rate', 'Late-cancel rate', 'lateCancelled', 'late_cancelled'),
  utilizationHeatmap,
  noShowGapDollars,
  capacityGapDollars,
];
