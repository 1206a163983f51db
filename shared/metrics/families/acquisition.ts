import { Fraction } from '../../engine/fraction';
import { addDays, lastDayOfMonth, type LocalDate } from '../../model/localDate';
import { CHANNEL_MAPPING_TEXT, channelOf } from '../acquisition/channels';
import { BOOKING_DAYS, CONVERSION_DAYS, hasLeads, leadsIn } from '../acquisition/leadFunnel';
import { channelSpend, spendChannels } from '../acquisition/marketingSpend';
import {
  attributedNewPatients,
  type CohortFigures,
  cohortFigures,
  SECOND_VISIT_DAYS,
} from '../acquisition/newPatientCohort';
import { daysAfter, throughAsOfMonth } from '../dataWindow';
import { absentFacts } from '../factCoverage';
import type { MetricContext } from '../metricContext';
import type { MetricDefinition } from '../metricDefinition';
import { centsToReportedDollars, type MetricResult, notAvailable, type Operand, ratio } from '../metricValue';
import type { Scope } from '../scope';

const LOCATION_SCOPES = ['location', 'portfolio'] as const;

/** Paid channels every portfolio is asked about; acquisitionChannels() lists the ones in the data. */
export const CAC_CHANNELS = ['google_ads', 'meta', 'tiktok', 'yelp', 'referral_program'] as const;

const MATCHING =
  'a lead matches every patient whose pseudonymized email or phone equals the lead’s (either one is enough), and a patient is a ' +
  'person across systems and locations';
const NEW_PATIENT =
  'a new patient of P is a person whose first visit anywhere in the portfolio falls in P, counted at the location of that first visit';

/** The last day of the as-of month: a window that ends later has not elapsed. */
function asOfDate(ctx: MetricContext): LocalDate | null {
  const month = ctx.asOfMonth();
  return month === null ? null : lastDayOfMonth(month);
}

function ratioResult(
  numerator: Operand & { value: number },
  denominator: Operand & { value: number },
  zeroReason: string,
  details: Record<string, unknown>,
): MetricResult {
  const r = ratio(numerator.value, denominator.value);
  return {
    ...r,
    ...(r.reason === undefined ? {} : { reason: zeroReason }),
    formula: `${numerator.name} / ${denominator.name}`,
    operands: [numerator, denominator],
    details,
  };
}

/** The scope's leads created in P, or "not available" when the scope has no leads at all. */
function withLeads(
  ctx: MetricContext,
  scope: Scope,
  period: { start: LocalDate; end: LocalDate },
  formula: string,
  compute: (leads: ReturnType<typeof leadsIn>) => MetricResult,
): MetricResult {
  const locationIds = ctx.locationIdsOf(scope);
  if (!hasLeads(ctx, locationIds)) return notAvailable('no leads were ingested for this scope', formula);
  return compute(leadsIn(ctx, locationIds, period.start, period.end));
}

const leads: MetricDefinition = {
  id: 'leads',
  label: 'Leads',
  unit: 'count',
  family: 'acquisition',
  scopes: LOCATION_SCOPES,
  facts: ['leads.csv'],
  definition:
    'count of leads whose created_at date falls in P, at the lead’s location (details give the count per channel); null when ' +
    'the scope has no leads at all, when none of its locations operated in P, or when the location’s data (its first to its last ' +
    'sale line, appointment or lead) covers none of P; a covered period without a lead is 0',
  direction: 'higher',
  compute(ctx, scope, period) {
    const formula = 'count of leads created in P';
    return withLeads(ctx, scope, period, formula, (created) => {
      const absent = absentFacts(ctx, scope, period, 'leads');
      if (absent !== null) return notAvailable(absent, formula);
      const byChannel: Record<string, number> = {};
      for (const outcome of created) {
        const channel = outcome.channel ?? '(none)';
        byChannel[channel] = (byChannel[channel] ?? 0) + 1;
      }
      return {
        value: created.length,
        formula,
        operands: [{ name: 'leads', value: created.length, unit: 'count' }],
        details: { by_channel: byChannel },
      };
    });
  },
};

const leadToBookingRate: MetricDefinition = {
  id: 'lead_to_booking_rate',
  label: 'Lead-to-booking rate',
  unit: 'ratio',
  family: 'acquisition',
  scopes: LOCATION_SCOPES,
  reads: daysAfter(BOOKING_DAYS),
  facts: ['leads.csv', 'patients.csv', 'appointments.csv'],
  definition:
    `booked_leads / leads created in P; a lead is booked when a matched person has an appointment (any status, any location) booked ` +
    `0–${BOOKING_DAYS} days after the lead's created date; an appointment's booking date is the date of its booked_at or, when the ` +
    `EMR did not export booked_at, of its start (details count the leads seen only that way); ${MATCHING}. Every lead of P counts, ` +
    'including one whose 30 days run past the data',
  direction: 'higher',
  compute(ctx, scope, period) {
    return withLeads(ctx, scope, period, 'booked_leads / leads', (created) => {
      const booked = created.filter((o) => o.booking !== null);
      return ratioResult(
        { name: 'booked_leads', value: booked.length, unit: 'count' },
        { name: 'leads', value: created.length, unit: 'count' },
        'no leads were created in the period',
        { booked_by_start_without_booked_at: booked.filter((o) => o.booking === 'start').length },
      );
    });
  },
};

const leadToVisitRate: MetricDefinition = {
  id: 'lead_to_visit_rate',
  label: 'Lead-to-visit rate',
  unit: 'ratio',
  family: 'acquisition',
  scopes: LOCATION_SCOPES,
  reads: daysAfter(CONVERSION_DAYS),
  facts: ['leads.csv', 'patients.csv', 'appointments.csv'],
  sourceFilter: { appointmentStatuses: ['completed'] },
  definition:
    `converted_leads / leads created in P; a lead converts when a matched person's first visit anywhere is on the lead's created ` +
    `date or at most ${CONVERSION_DAYS} days after it (calendar dates; a patient who had visited before the lead never converts it); ` +
    `${MATCHING}. Every lead of P counts, including one whose 90 days run past the as-of date (details count them)`,
  direction: 'higher',
  compute(ctx, scope, period) {
    const asOf = asOfDate(ctx);
    return withLeads(ctx, scope, period, 'converted_leads / leads', (created) => {
      const converted = created.filter((o) => o.convertedPersons > 0);
      const open = asOf === null ? [] : created.filter((o) => addDays(o.day, CONVERSION_DAYS) > asOf);
      return ratioResult(
        { name: 'converted_leads', value: converted.length, unit: 'count' },
        { name: 'leads', value: created.length, unit: 'count' },
        'no leads were created in the period',
        {
          unmatched_leads: created.filter((o) => o.matchedPersons === 0).length,
          window_open_at_as_of: open.length,
          as_of: asOf,
        },
      );
    });
  },
};

/** The figures of P's new patients at the scope, or "not available" when there is no as-of date or no new patient. */
function withCohort(
  ctx: MetricContext,
  scope: Scope,
  period: { start: LocalDate; end: LocalDate },
  formula: string,
  compute: (figures: CohortFigures, asOf: LocalDate) => MetricResult,
): MetricResult {
  const asOf = asOfDate(ctx);
  if (asOf === null) return notAvailable('there is no as-of month: the store has no sales yet', formula);
  const figures = cohortFigures(ctx, ctx.locationIdsOf(scope), period, asOf);
  if (figures.newPatients === 0) return notAvailable('no new patients in the period', formula);
  return compute(figures, asOf);
}

const newPatientSecondVisitRate: MetricDefinition = {
  id: 'new_patient_second_visit_rate',
  label: 'New-patient second-visit rate',
  unit: 'ratio',
  family: 'acquisition',
  scopes: LOCATION_SCOPES,
  reads: throughAsOfMonth,
  facts: ['appointments.csv', 'patients.csv'],
  sourceFilter: { appointmentStatuses: ['completed'] },
  definition:
    `returned / eligible new patients; ${NEW_PATIENT}; eligible when first visit + ${SECOND_VISIT_DAYS} days ≤ the last day of the ` +
    `as-of month (later ones could still return, so they are left out, as return_rate does); returned when the person has a visit on ` +
    `a later day than the first visit (a second appointment the same day is the same trip) and at most ${SECOND_VISIT_DAYS} days after ` +
    'it, at that location at location scope, anywhere at portfolio scope',
  direction: 'higher',
  compute(ctx, scope, period) {
    return withCohort(ctx, scope, period, 'returned / eligible_new_patients', (figures, asOf) =>
      ratioResult(
        { name: 'returned', value: figures.secondVisitReturned, unit: 'count' },
        { name: 'eligible_new_patients', value: figures.secondVisitEligible, unit: 'count' },
        `no new patient of the period has had ${SECOND_VISIT_DAYS} days by the as-of date ${asOf}`,
        {
          new_patients: figures.newPatients,
          not_yet_elapsed: figures.newPatients - figures.secondVisitEligible,
          as_of: asOf,
        },
      ),
    );
  },
};

const ltv12m: MetricDefinition = {
  id: 'ltv_12m',
  label: '12-month patient value',
  unit: 'usd',
  family: 'acquisition',
  scopes: LOCATION_SCOPES,
  reads: throughAsOfMonth,
  facts: ['appointments.csv', 'sales.csv', 'patients.csv'],
  sourceFilter: { saleKinds: ['service', 'package', 'retail', 'membership_fee', 'other'] },
  definition:
    `Σ net_revenue of the eligible new patients in their first 12 months / eligible new patients; ${NEW_PATIENT}; the 12 months ` +
    'run from the first-visit date (its revenue counts) through the day before the same date a year later (12 calendar months, ' +
    'not 365 days); eligible when that last day ≤ the last day of the as-of month. Revenue is the person’s sale lines (matched ' +
    'across systems), refunds included, at that location at location scope and anywhere at portfolio scope; a new patient with ' +
    'no revenue counts as 0',
  direction: 'higher',
  compute(ctx, scope, period) {
    const formula = 'net_revenue_12m / eligible_new_patients';
    return withCohort(ctx, scope, period, formula, (figures, asOf) => {
      const cents = figures.yearCents;
      const operands: Operand[] = [
        { name: 'net_revenue_12m', value: centsToReportedDollars(cents), unit: 'usd' },
        { name: 'eligible_new_patients', value: figures.yearEligible, unit: 'count' },
      ];
      const details = {
        new_patients: figures.newPatients,
        not_yet_elapsed: figures.newPatients - figures.yearEligible,
        as_of: asOf,
      };
      if (figures.yearEligible === 0) {
        return {
          ...notAvailable(
            `no new patient of the period has had 12 months by the as-of date ${asOf}`,
            formula,
            operands,
          ),
          details,
        };
      }
      return {
        value: centsToReportedDollars(Fraction.of(cents, figures.yearEligible)),
        formula,
        operands,
        details,
      };
    });
  },
};

/** cac.<channel>; exported so that channels found in the data (acquisitionChannels) can be registered too. */
export function cacMetric(channel: string): MetricDefinition {
  return {
    id: `cac.${channel}`,
    label: `Customer acquisition cost: ${channel.replace(/_/g, ' ')}`,
    unit: 'usd',
    family: 'acquisition',
    scopes: LOCATION_SCOPES,
    facts: ['marketing_spend.csv', 'leads.csv', 'patients.csv', 'appointments.csv'],
    definition:
      `marketing spend of ${channel} in P / new patients of P attributed to ${channel}; ${NEW_PATIENT}; a new patient is attributed ` +
      'to the channel of the lead that converted her (the one created last when several did: last touch), else to the referral ' +
      `source on the EMR record of her first visit; ${CHANNEL_MAPPING_TEXT}. Spend counts at its own location; a day row counts in ` +
      'the period of its day, a month row (YYYY-MM) is spread evenly over its days, so it counts fully in a period that covers the ' +
      'month and pro rata by days in one that covers part of it. Null when the scope has no spend row of the channel in P',
    direction: 'lower',
    compute(ctx, scope, period) {
      const formula = `spend.${channel} / attributed_new_patients`;
      const locationIds = ctx.locationIdsOf(scope);
      const spend = channelSpend(ctx, channel, locationIds, period);
      const attributed = attributedNewPatients(ctx, locationIds, period, channel);
      const attributedCount = attributed.lead + attributed.referralSource;
      const operands: Operand[] = [
        { name: `spend.${channel}`, value: centsToReportedDollars(spend.exact), unit: 'usd' },
        { name: 'attributed_new_patients', value: attributedCount, unit: 'count' },
      ];
      if (spend.rows === 0) {
        return notAvailable(
          `no marketing spend of ${channel} was ingested for this scope and period`,
          formula,
          operands,
        );
      }
      if (attributedCount === 0) {
        return notAvailable(`no new patient of the period is attributed to ${channel}`, formula, operands);
      }
      return {
        value: centsToReportedDollars(spend.exact.dividedBy(attributedCount)),
        formula,
        operands,
        details: {
          attributed_by_lead: attributed.lead,
          attributed_by_referral_source: attributed.referralSource,
        },
      };
    },
  };
}

/** The channel ids present in the data (spend rows and leads), sorted: the cac.<channel> ids a tenant can ask for. */
export function acquisitionChannels(ctx: MetricContext): string[] {
  const channels = new Set(spendChannels(ctx));
  const leads = ctx.data.leads;
  for (let row = 0; row < leads.length; row += 1) {
    const channel = channelOf(leads.channelOf(row));
    if (channel !== null) channels.add(channel);
  }
  return [...channels].sort();
}

export const ACQUISITION_METRICS: readonly MetricDefinition[] = [
  leads,
  leadToBookingRate,
  leadToVisitRate,
  newPatientSecondVisitRate,
  ...CAC_CHANNELS.map(cacMetric),
  ltv12m,
];
