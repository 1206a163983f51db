import { addDays, dateParts, type LocalDate, makeDate } from '../../model/localDate';
import { countedScope, type DayTotals, dayTotals, readsDayTotals } from '../dayTotals';
import type { MetricContext } from '../metricContext';
import { attributionOf } from './attribution';
import { type NewPatient, newPatientsIn, newPatientsOf } from './newPatients';
import { personNetCents } from './personRevenue';

/** metrics.md, Acquisition: the window for a new patient's second visit. */
export const SECOND_VISIT_DAYS = 180;

/** The last day of the 12 months that start on `day`: the day before the same date a year later (Feb 29 → Feb 28). */
export function twelveMonthsEnd(day: LocalDate): LocalDate {
  const { year, month, day: dayOfMonth } = dateParts(day);
  return addDays(makeDate(year + 1, month, 1), dayOfMonth - 2);
}

/**
 * The last first-visit day whose 12 months have run out by `asOf`. twelveMonthsEnd never goes
 * back as the day moves on (Feb 29 and Mar 1 end on the same Feb 28), so the days whose year
 * has run out are exactly those up to this one.
 */
export function lastDayWithTwelveMonthsBy(asOf: LocalDate): LocalDate {
  let day = addDays(asOf, -366);
  while (twelveMonthsEnd(addDays(day, 1)) <= asOf) day = addDays(day, 1);
  return day;
}

/** Whether the person has a visit at `locations` on a later day than the first and at most `days` days after it. */
function returnedWithin(
  ctx: MetricContext,
  patient: NewPatient,
  locations: ReadonlySet<string>,
  days: number,
): boolean {
  const last = addDays(patient.day, days);
  const events = ctx.data.events;
  for (const visit of ctx.patients().visitsOf(patient.personKey)) {
    const day = events.dayOf(visit);
    if (day > last) return false;
    if (day > patient.day && locations.has(events.locationIdOf(visit))) return true;
  }
  return false;
}

/** What the new patients of a period at a scope add up to (metrics.md, Acquisition). */
export interface CohortFigures {
  newPatients: number;
  /** New patients whose first visit + 180 days ≤ the as-of date, and those of them back within it. */
  secondVisitEligible: number;
  secondVisitReturned: number;
  /** New patients whose first 12 months have run out by the as-of date, and their net revenue then (cents). */
  yearEligible: number;
  yearCents: number;
}

/**
 * Per location and first-visit day: the new patients, whether each came back within 180 days
 * (there, and anywhere in the portfolio), their first year's net revenue (there, anywhere) and
 * the channel each is attributed to. None of it depends on the period asked.
 */
function cohortTotals(ctx: MetricContext): DayTotals {
  return dayTotals(ctx, 'new_patients', (totals) => {
    const portfolio = new Set(ctx.allLocationIds());
    for (const locationId of portfolio) {
      const here = new Set([locationId]);
      for (const patient of newPatientsOf(ctx, locationId)) {
        const add = (measure: string, amount = 1) => totals.add(locationId, measure, patient.day, amount);
        add('new');
        if (returnedWithin(ctx, patient, here, SECOND_VISIT_DAYS)) add('second:here');
        if (returnedWithin(ctx, patient, portfolio, SECOND_VISIT_DAYS)) add('second:portfolio');
        const yearEnd = twelveMonthsEnd(patient.day);
        add('year_cents:here', personNetCents(ctx, patient.personKey, here, patient.day, yearEnd));
        add('year_cents:portfolio', personNetCents(ctx, patient.personKey, portfolio, patient.day, yearEnd));
        const attribution = attributionOf(ctx, patient);
        if (attribution.channel !== null) add(`channel:${attribution.channel}:${attribution.source}`);
      }
    }
  });
}

/**
 * The cohort figures of new patients at the locations in `period`: added up by day where the
 * scope is one location or the portfolio, else from the new patients one by one.
 */
export function cohortFigures(
  ctx: MetricContext,
  locationIds: readonly string[],
  period: { start: LocalDate; end: LocalDate },
  asOf: LocalDate,
): CohortFigures {
  const secondVisitBy = addDays(asOf, -SECOND_VISIT_DAYS);
  const yearBy = lastDayWithTwelveMonthsBy(asOf);
  const where = countedScope(ctx, locationIds);
  if (where !== null && readsDayTotals(ctx, 'new_patients', period, locationIds)) {
    const totals = cohortTotals(ctx);
    const sum = (measure: string, to: LocalDate) =>
      totals.sum(measure, locationIds, period.start, to < period.end ? to : period.end);
    return {
      newPatients: sum('new', period.end),
      secondVisitEligible: sum('new', secondVisitBy),
      secondVisitReturned: sum(`second:${where}`, secondVisitBy),
      yearEligible: sum('new', yearBy),
      yearCents: sum(`year_cents:${where}`, yearBy),
    };
  }
  // Walked once per context, locations, period and as-of date: the second-visit rate and LTV ask the same walk.
  const key = `cohort_figures\u0000${locationIds.join('\u0000')}\u0000${period.start}\u0000${period.end}\u0000${asOf}`;
  return ctx.once(key, () => {
    const cohort = newPatientsIn(ctx, locationIds, period.start, period.end);
    const locations = new Set(locationIds);
    const secondVisitEligible = cohort.filter((p) => p.day <= secondVisitBy);
    const yearEligible = cohort.filter((p) => p.day <= yearBy);
    return {
      newPatients: cohort.length,
      secondVisitEligible: secondVisitEligible.length,
      secondVisitReturned: secondVisitEligible.filter((p) =>
        returnedWithin(ctx, p, locations, SECOND_VISIT_DAYS),
      ).length,
      yearEligible: yearEligible.length,
      yearCents: yearEligible.reduce(
        (total, p) => total + personNetCents(ctx, p.personKey, locations, p.day, twelveMonthsEnd(p.day)),
        0,
      ),
    };
  });
}

/**
 * The new patients of `period` at the locations by the channel each is attributed to, by a lead
 * and by referral source: walked once per context, locations and period for every channel (each
 * channel's CAC asks the same walk).
 */
function attributedByChannel(
  ctx: MetricContext,
  locationIds: readonly string[],
  period: { start: LocalDate; end: LocalDate },
): ReadonlyMap<string, { lead: number; referralSource: number }> {
  const key = `attributed_new_patients\u0000${locationIds.join('\u0000')}\u0000${period.start}\u0000${period.end}`;
  return ctx.once(key, () => {
    const byChannel = new Map<string, { lead: number; referralSource: number }>();
    for (const patient of newPatientsIn(ctx, locationIds, period.start, period.end)) {
      const { channel, source } = attributionOf(ctx, patient);
      if (channel === null) continue;
      const counts = byChannel.get(channel) ?? { lead: 0, referralSource: 0 };
      byChannel.set(channel, counts);
      if (source === 'lead') counts.lead += 1;
      else if (source === 'referral_source') counts.referralSource += 1;
    }
    return byChannel;
  });
}

/** New patients of `period` at the locations attributed to `channel`, by a lead and by referral source. */
export function attributedNewPatients(
  ctx: MetricContext,
  locationIds: readonly string[],
  period: { start: LocalDate; end: LocalDate },
  channel: string,
): { lead: number; referralSource: number } {
  if (!readsDayTotals(ctx, 'new_patients', period, locationIds)) {
    const counts = attributedByChannel(ctx, locationIds, period).get(channel);
    return { lead: counts?.lead ?? 0, referralSource: counts?.referralSource ?? 0 };
  }
  // Attribution is the new patient's own, whatever the scope: every set of locations adds up.
  const totals = cohortTotals(ctx);
  return {
    lead: totals.sum(`channel:${channel}:lead`, locationIds, period.start, period.end),
    referralSource: totals.sum(`channel:${channel}:referral_source`, locationIds, period.start, period.end),
  };
}
