import { Fraction } from '../../engine/fraction';
import { REVENUE_KINDS } from '../../engine/measures';
import { lastDayOfMonth } from '../../model/localDate';
import type { ResolvedPeriod } from '../../periods/period';
import { daysAfter, throughAsOfMonth, trailing12, trailing24 } from '../dataWindow';
import { absentFacts } from '../factCoverage';
import type { MetricContext } from '../metricContext';
import type { MetricDefinition } from '../metricDefinition';
import { centsToReportedDollars, type MetricResult, notAvailable, type Operand, ratio } from '../metricValue';
import { firstVisitOnRecord, firstVisitsBetween, hasAppointments } from '../patients/patientFacts';
import { REBOOKING_WINDOW_DAYS, type RebookingFigures, rebookingFigures } from '../patients/rebooking';
import { activePatientCount, type RetentionCohort, retentionCohort } from '../patients/retention';
import { RETURN_WINDOW_DAYS, type ReturnCategory, returnFigures } from '../patients/returnVisits';
import { trailingTwelveMonths, windowAsPeriod } from '../patients/trailingWindow';
import { vipFigures } from '../patients/vipRevenue';
import { type Scope, scopeLabel } from '../scope';

const PATIENT_SCOPES = ['location', 'portfolio'] as const;
const VISITS_ONLY = { appointmentStatuses: ['completed'] } as const;

const IDENTITY =
  'patients are matched across systems and locations by their pseudonymized email, else phone, else the EMR patient id';

const count = (name: string, value: number | null): Operand => ({ name, value, unit: 'count' });
const fraction = (name: string, value: number | null): Operand => ({ name, value, unit: 'ratio' });
const usd = (name: string, cents: number | Fraction | null): Operand => ({
  name,
  value: cents === null ? null : centsToReportedDollars(cents),
  unit: 'usd',
});

/** A gap valued at negative revenue would be money gained by missing the target: not a number to show. */
const NEGATIVE_REVENUE = (what: string) =>
  `${what} is negative (refunds exceed sales), so the gap has no value`;

const noAppointments = (scope: Scope) => `no appointments were ingested for the ${scopeLabel(scope)}`;

/** A rate, or null with the reason its denominator is zero. */
function rate(
  numerator: number,
  denominator: number,
  whenZero: string,
): Pick<MetricResult, 'value' | 'reason'> {
  const r = ratio(numerator, denominator);
  return r.value === null ? { value: null, reason: whenZero } : { value: r.value };
}

const newPatients: MetricDefinition = {
  id: 'new_patients',
  label: 'New patients',
  unit: 'count',
  family: 'patients',
  scopes: PATIENT_SCOPES,
  facts: ['appointments.csv', 'patients.csv'],
  sourceFilter: VISITS_ONLY,
  definition: `count of patients whose first visit (completed appointment of any category, consultations included) anywhere in the portfolio falls in P, credited to the location of that first visit (a patient new to a location but not to the portfolio is not new); ${IDENTITY}; "first" is within the ingested history, so the first months of data overstate new patients (details give the first visit on record); null when the scope has no appointments at all, when none of its locations operated in P, or when their appointments (from each location's first to its last completed, no-show or late-cancelled one) cover none of P's operating days; a covered period without a first visit is 0`,
  direction: 'higher',
  compute(ctx, scope, period) {
    const formula = 'count of patients whose first visit anywhere in the portfolio falls in P';
    const locations = ctx.locationIdsOf(scope);
    if (!hasAppointments(ctx, locations)) return notAvailable(noAppointments(scope), formula);
    const absent = absentFacts(ctx, scope, period, 'appointments');
    if (absent !== null) return notAvailable(absent, formula);
    const value = firstVisitsBetween(ctx, locations, period.start, period.end).length;
    return {
      value,
      formula,
      operands: [count('new_patients', value)],
      details: { first_visit_on_record: firstVisitOnRecord(ctx) },
    };
  },
};

function rebookingOutcome(
  ctx: MetricContext,
  scope: Scope,
  locations: readonly string[],
  figures: RebookingFigures,
): Pick<MetricResult, 'value' | 'reason'> {
  if (!hasAppointments(ctx, locations)) return { value: null, reason: noAppointments(scope) };
  if (figures.appointments > 0 && figures.appointmentsWithoutBookedAt === figures.appointments) {
    return {
      value: null,
      reason: `none of the ${figures.appointments} appointments of the ${scopeLabel(scope)} in the period carries booked_at, so rebookings cannot be seen`,
    };
  }
  return rate(
    figures.rebookedVisits,
    figures.eligibleVisits,
    'no visit of a rebookable category in the period',
  );
}

/** rebooking_rate as a result, with its figures (the gap dollars reuse both). */
function rebooking(
  ctx: MetricContext,
  scope: Scope,
  period: ResolvedPeriod,
): { result: MetricResult; figures: RebookingFigures } {
  const locations = ctx.locationIdsOf(scope);
  const figures = rebookingFigures(ctx, locations, period);
  const formula = 'rebooked_visits / eligible_visits';
  const operands = [
    count('rebooked_visits', figures.rebookedVisits),
    count('eligible_visits', figures.eligibleVisits),
    count('appointments', figures.appointments),
    count('appointments_without_booked_at', figures.appointmentsWithoutBookedAt),
  ];
  const details = {
    locations_without_booked_at: figures.locationsWithoutBookedAt,
    unmapped_service_visits: figures.unmappedServiceVisits,
  };
  const outcome = rebookingOutcome(ctx, scope, locations, figures);
  return { result: { ...outcome, formula, operands, details }, figures };
}

const rebookingRate: MetricDefinition = {
  id: 'rebooking_rate',
  label: 'Rebooking rate',
  unit: 'ratio',
  family: 'patients',
  scopes: PATIENT_SCOPES,
  reads: daysAfter(REBOOKING_WINDOW_DAYS),
  facts: ['appointments.csv', 'services.csv', 'patients.csv'],
  definition: `among visits in P of a rebookable category (every category but consultation; visits of a service without a category are left out and counted in details) at the scope's locations, the share for which the same patient has another appointment (any status, at any location of the portfolio) whose booked_at date lies from the visit's date to 7 days after it, inclusive, and whose start is after the visit's start; an appointment without booked_at never counts as a rebooking; null when none of the scope's appointments starting in P carries booked_at; when only some lack it the rate is still computed over every eligible visit (a lower bound), the operands give how many of the scope's appointments in P lack booked_at and the details name the locations where none has it`,
  direction: 'higher',
  compute: (ctx, scope, period) => rebooking(ctx, scope, period).result,
};

const returnRate = (category: ReturnCategory): MetricDefinition => {
  const days = RETURN_WINDOW_DAYS[category];
  return {
    id: `return_rate.${category}`,
    label: `Return rate: ${category.replace('_', ' ')}`,
    unit: 'ratio',
    family: 'patients',
    scopes: PATIENT_SCOPES,
    reads: throughAsOfMonth,
    facts: ['appointments.csv', 'services.csv', 'patients.csv'],
    sourceFilter: VISITS_ONLY,
    definition: `among visits in P of category ${category} at the scope's locations whose ${days}-day return window has fully elapsed by the as-of date (visit date + ${days} ≤ last day of the as-of month), the share followed by another visit of the same patient, of any category, on a later date within the window (visit date + 1 … visit date + ${days}; a second visit the same day is the same trip, not a return); at location scope the return must be at that location, at portfolio scope at any location; visits whose window is still open are left out and counted in the operands; null when no visit of the category in P has an elapsed window`,
    direction: 'higher',
    compute(ctx, scope, period) {
      const formula = 'returned_visits / eligible_visits';
      const locations = ctx.locationIdsOf(scope);
      if (!hasAppointments(ctx, locations)) return notAvailable(noAppointments(scope), formula);
      const asOfMonth = ctx.asOfMonth();
      if (asOfMonth === null) {
        return notAvailable('there is no as-of month: the store has no sales yet', formula);
      }
      const asOfDate = lastDayOfMonth(asOfMonth);
      const figures = returnFigures(ctx, locations, category, period, asOfDate);
      const whenZero =
        figures.visits === 0
          ? `no ${category} visit in the period`
          : `none of the ${figures.visits} ${category} visits in the period has a ${days}-day return window that has elapsed by the as-of date ${asOfDate}`;
      return {
        ...rate(figures.returnedVisits, figures.eligibleVisits, whenZero),
        formula,
        operands: [
          count('returned_visits', figures.returnedVisits),
          count('eligible_visits', figures.eligibleVisits),
          count('open_window_visits', figures.openWindowVisits),
        ],
        details: { window_days: days, as_of_date: asOfDate },
      };
    },
  };
};

/** Coverage of the 24 months retention reads (the engine's coverage is that of P alone). */
function cohortDetails(ctx: MetricContext, scope: Scope, cohort: RetentionCohort): Record<string, unknown> {
  const span = { start: cohort.priorWindow.start, end: cohort.lastWindow.end };
  return {
    prior_window: cohort.priorWindow,
    last_window: cohort.lastWindow,
    windows_coverage: ctx.coverage(scope, windowAsPeriod(span, `24 months to ${span.end}`, 24)),
  };
}

/** patient_retention_12m as a result, with its cohort (the gap dollars reuse both). */
function retention(
  ctx: MetricContext,
  scope: Scope,
  period: ResolvedPeriod,
): { result: MetricResult; cohort: RetentionCohort } {
  const locations = ctx.locationIdsOf(scope);
  const cohort = retentionCohort(ctx, locations, period.end);
  const formula = 'retained_patients / base_patients';
  const operands = [
    count('retained_patients', cohort.retainedPatients),
    count('base_patients', cohort.basePatients),
  ];
  const outcome: Pick<MetricResult, 'value' | 'reason'> = hasAppointments(ctx, locations)
    ? rate(
        cohort.retainedPatients,
        cohort.basePatients,
        `no patient visited in the earlier 12 months (${cohort.priorWindow.start}..${cohort.priorWindow.end})`,
      )
    : { value: null, reason: noAppointments(scope) };
  return { result: { ...outcome, formula, operands, details: cohortDetails(ctx, scope, cohort) }, cohort };
}

const patientRetention: MetricDefinition = {
  id: 'patient_retention_12m',
  label: 'Patient retention (12 months)',
  unit: 'ratio',
  family: 'patients',
  scopes: PATIENT_SCOPES,
  reads: trailing24,
  facts: ['appointments.csv', 'patients.csv'],
  sourceFilter: VISITS_ONLY,
  definition: `at the end of P: patients with a visit in the 12 months before the last 12 months and a visit in the last 12 months / patients with a visit in the 12 months before the last 12 months, the last 12 months ending at P's last day (the 12 whole calendar months when P ends at a month end); at location scope both visits must be at that location (a patient who moved to a sister location is lost to the location, retained by the portfolio); ${IDENTITY}; null when nobody visited in the earlier 12 months; details give both windows and the data coverage of the 24 months`,
  direction: 'higher',
  compute: (ctx, scope, period) => retention(ctx, scope, period).result,
};

const vipRevenueShare: MetricDefinition = {
  id: 'vip_revenue_share',
  label: 'Top-10% patient revenue share',
  unit: 'ratio',
  family: 'patients',
  scopes: PATIENT_SCOPES,
  reads: trailing12,
  facts: ['sales.csv', 'patients.csv'],
  sourceFilter: { saleKinds: REVENUE_KINDS },
  definition: `Σ net revenue of the top ⌈0.1 × n⌉ of the n patients with positive net revenue over the 12 months ending at P's last day / net_revenue of the scope over the same 12 months; a patient's revenue is the net of the revenue-kind sale lines carrying their patient id (refunds netted when made), ${IDENTITY}; the denominator is all net_revenue, lines without a patient included; at location scope only that location's lines count; null when no patient has positive revenue or net_revenue is not positive`,
  direction: 'none',
  compute(ctx, scope, period) {
    const vip = vipFigures(ctx, scope, period.end);
    const formula = 'top_patient_revenue / net_revenue';
    const operands = [
      usd('top_patient_revenue', vip.topRevenueCents),
      usd('net_revenue', vip.netRevenueCents),
      count('patients_with_revenue', vip.patientsWithRevenue),
      count('top_patients', vip.topPatients),
    ];
    const details = {
      window: vip.window,
      revenue_without_patient: centsToReportedDollars(vip.netRevenueCents - vip.patientRevenueCents),
    };
    const window = `the 12 months ${vip.window.start}..${vip.window.end}`;
    if (vip.patientsWithRevenue === 0) {
      return {
        value: null,
        reason: `no patient has positive net revenue in ${window}`,
        formula,
        operands,
        details,
      };
    }
    if (vip.netRevenueCents <= 0) {
      return { value: null, reason: `net_revenue in ${window} is not positive`, formula, operands, details };
    }
    return { value: vip.topRevenueCents / vip.netRevenueCents, formula, operands, details };
  },
};

const activePatients: MetricDefinition = {
  id: 'active_patients',
  label: 'Active patients',
  unit: 'count',
  family: 'patients',
  scopes: PATIENT_SCOPES,
  reads: trailing12,
  facts: ['appointments.csv', 'patients.csv'],
  sourceFilter: VISITS_ONLY,
  definition: `distinct patients with a visit at the scope's locations in the 12 months ending at P's last day (the 12 whole calendar months when P ends at a month end); ${IDENTITY}, so a patient seen at two locations counts once for the portfolio; null when the scope has no appointments at all, when none of its locations operated in those 12 months, or when their appointments (from each location's first to its last completed, no-show or late-cancelled one) cover none of them`,
  direction: 'higher',
  compute(ctx, scope, period) {
    const formula = 'distinct patients with a visit in the trailing 12 months';
    const locations = ctx.locationIdsOf(scope);
    if (!hasAppointments(ctx, locations)) return notAvailable(noAppointments(scope), formula);
    const window = trailingTwelveMonths(period.end);
    const absent = absentFacts(ctx, scope, window, 'appointments');
    if (absent !== null) return { ...notAvailable(absent, formula), details: { window } };
    const value = activePatientCount(ctx, locations, window);
    return { value, formula, operands: [count('active_patients', value)], details: { window } };
  },
};

const rebookingGapDollars: MetricDefinition = {
  id: 'rebooking_gap_dollars',
  label: 'Rebooking gap dollars',
  unit: 'usd',
  family: 'gaps',
  scopes: PATIENT_SCOPES,
  reads: daysAfter(REBOOKING_WINDOW_DAYS),
  facts: ['appointments.csv', 'sales.csv', 'services.csv', 'patients.csv'],
  definition:
    "max(0, target − rebooking_rate) × eligible visits in P × net service revenue per eligible visit in P, where net service revenue per eligible visit = Σ net of the service and package lines of the rebookable categories at the scope's locations in P (a line's category from its service_code, else its appointment's service) / eligible visits — so the product is the rate gap × that revenue; target = the tenant's rebooking target (default 0.80); 0 when the rate meets the target; null when rebooking_rate is null or that revenue is negative",
  direction: 'lower',
  compute(ctx, scope, period) {
    const { result, figures } = rebooking(ctx, scope, period);
    const target = ctx.settings.targets.rebooking_rate;
    const formula =
      'max(0, target − rebooking_rate) × eligible_visits × net_service_revenue_per_eligible_visit';
    const perVisitCents =
      figures.eligibleVisits === 0
        ? null
        : Fraction.of(figures.rebookableServiceCents, figures.eligibleVisits);
    const operands = [
      fraction('target', target),
      fraction('rebooking_rate', result.value),
      count('eligible_visits', figures.eligibleVisits),
      usd('net_service_revenue_per_eligible_visit', perVisitCents),
      usd('rebookable_service_revenue', figures.rebookableServiceCents),
    ];
    if (result.value === null) {
      return notAvailable(
        `rebooking_rate is not available: ${result.reason ?? 'unknown'}`,
        formula,
        operands,
      );
    }
    if (figures.rebookableServiceCents < 0) {
      return notAvailable(NEGATIVE_REVENUE('the rebookable categories’ service revenue'), formula, operands);
    }
    // eligible_visits × per-visit revenue is the rebookable service revenue itself; multiplying by
    // it directly avoids a rounding step through the per-visit average. Exact: the target as the
    // decimal the tenant set, the rate as rebooked / eligible visits.
    const shortfall = Fraction.fromDecimal(target).minus(
      Fraction.of(figures.rebookedVisits, figures.eligibleVisits),
    );
    const gap = shortfall.sign() > 0 ? shortfall : Fraction.ZERO;
    return {
      value: centsToReportedDollars(gap.times(figures.rebookableServiceCents)),
      formula,
      operands,
    };
  },
};

const retentionGapDollars: MetricDefinition = {
  id: 'retention_gap_dollars',
  label: 'Retention gap dollars',
  unit: 'usd',
  family: 'gaps',
  scopes: PATIENT_SCOPES,
  reads: trailing24,
  facts: ['appointments.csv', 'sales.csv', 'patients.csv'],
  definition:
    "max(0, target − patient_retention_12m) × base patients (those with a visit in the earlier 12 months) × net revenue per retained patient, where net revenue per retained patient = Σ net of the revenue-kind sale lines of the retained patients at the scope's locations over the last 12 months (ending at P's last day) / retained patients; target = the tenant's retention target (default 0.70); 0 when retention meets the target; null when patient_retention_12m is null, no patient was retained (nothing to value a retained patient by) or their revenue is negative",
  direction: 'lower',
  compute(ctx, scope, period) {
    const { result, cohort } = retention(ctx, scope, period);
    const target = ctx.settings.targets.patient_retention_12m;
    const formula =
      'max(0, target − patient_retention_12m) × base_patients × net_revenue_per_retained_patient';
    const perRetainedCents =
      cohort.retainedPatients === 0
        ? null
        : Fraction.of(cohort.retainedRevenueCents, cohort.retainedPatients);
    const operands = [
      fraction('target', target),
      fraction('patient_retention_12m', result.value),
      count('base_patients', cohort.basePatients),
      usd('net_revenue_per_retained_patient', perRetainedCents),
    ];
    const details = { ...result.details, retained_patients: cohort.retainedPatients };
    if (result.value === null) {
      return {
        ...notAvailable(
          `patient_retention_12m is not available: ${result.reason ?? 'unknown'}`,
          formula,
          operands,
        ),
        details,
      };
    }
    if (perRetainedCents === null) {
      return {
        ...notAvailable(
          'no patient was retained, so there is no revenue per retained patient to value the gap',
          formula,
          operands,
        ),
        details,
      };
    }
    if (perRetainedCents.sign() < 0) {
      return {
        ...notAvailable(NEGATIVE_REVENUE('the retained patients’ revenue'), formula, operands),
        details,
      };
    }
    // Exact: the target as the decimal the tenant set, retention as retained / base patients.
    const shortfall = Fraction.fromDecimal(target).minus(
      Fraction.of(cohort.retainedPatients, cohort.basePatients),
    );
    const gap = shortfall.sign() > 0 ? shortfall : Fraction.ZERO;
    return {
      value: centsToReportedDollars(gap.times(cohort.basePatients).times(perRetainedCents)),
      formula,
      operands,
      details,
    };
  },
};

export const PATIENT_METRICS: readonly MetricDefinition[] = [
  newPatients,
  rebookingRate,
  ...(Object.keys(RETURN_WINDOW_DAYS) as ReturnCategory[]).map(returnRate),
  patientRetention,
  vipRevenueShare,
  activePatients,
  rebookingGapDollars,
  retentionGapDollars,
];
