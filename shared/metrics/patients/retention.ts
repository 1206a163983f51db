import { addDays, lastDayOfMonth, type LocalDate, monthOf } from '../../model/localDate';
import type { MetricContext } from '../metricContext';
import { monthlyActivity, readsMonthlyActivity } from './monthlyActivity';
import { eachRevenueRowBetween, eachVisitBetween } from './patientFacts';
import { type DateWindow, trailingTwelveMonths } from './trailingWindow';

export interface RetentionCohort {
  /** The 12 months ending at the period's last day. */
  lastWindow: DateWindow;
  /** The 12 months before those. */
  priorWindow: DateWindow;
  /** Patients with a visit at the locations in the prior window (the base). */
  basePatients: number;
  /** Of the base, those with a visit at the locations in the last window too. */
  retainedPatients: number;
  /** Net revenue the retained patients brought at the locations in the last window (cents). */
  retainedRevenueCents: number;
}

/** The window is 12 whole calendar months: its figures are then counted ahead (monthlyActivity). */
function wholeMonths(window: DateWindow): boolean {
  return (
    window.end === lastDayOfMonth(monthOf(window.end)) &&
    window.start === trailingTwelveMonths(window.end).start
  );
}

/** How many distinct persons visited the locations in the window. */
export function activePatientCount(
  ctx: MetricContext,
  locationIds: readonly string[],
  window: DateWindow,
): number {
  if (wholeMonths(window) && readsMonthlyActivity(ctx, locationIds))
    return monthlyActivity(ctx, locationIds, window.end).active;
  return patientsWithVisits(ctx, locationIds, window).size;
}

/** Distinct persons with a visit at the locations in the window. */
export function patientsWithVisits(
  ctx: MetricContext,
  locationIds: readonly string[],
  window: DateWindow,
): Set<string> {
  const persons = new Set<string>();
  const events = ctx.data.events;
  eachVisitBetween(ctx, locationIds, window.start, window.end, (v) => persons.add(events.personKeyOf(v)));
  return persons;
}

/**
 * metrics.md, patient_retention_12m at the end of a period. Both windows read only the
 * locations' own visits, so at location scope a patient who came back only at a sister
 * location is lost to this location but retained by the portfolio.
 */
export function retentionCohort(
  ctx: MetricContext,
  locationIds: readonly string[],
  end: LocalDate,
): RetentionCohort {
  return ctx.once(`retention_cohort\u0000${locationIds.join('\u0000')}\u0000${end}`, () =>
    computeRetentionCohort(ctx, locationIds, end),
  );
}

function computeRetentionCohort(
  ctx: MetricContext,
  locationIds: readonly string[],
  end: LocalDate,
): RetentionCohort {
  const lastWindow = trailingTwelveMonths(end);
  const priorWindow = trailingTwelveMonths(addDays(lastWindow.start, -1));
  if (wholeMonths(lastWindow) && readsMonthlyActivity(ctx, locationIds)) {
    const activity = monthlyActivity(ctx, locationIds, end);
    return {
      lastWindow,
      priorWindow,
      basePatients: activity.base,
      retainedPatients: activity.retained,
      retainedRevenueCents: activity.retainedCents,
    };
  }
  const base = patientsWithVisits(ctx, locationIds, priorWindow);
  // Of the base, those seen in the last window: no set of everyone seen there.
  const retained = new Set<string>();
  const events = ctx.data.events;
  eachVisitBetween(ctx, locationIds, lastWindow.start, lastWindow.end, (v) => {
    const personKey = events.personKeyOf(v);
    if (base.has(personKey)) retained.add(personKey);
  });
  let retainedRevenueCents = 0;
  const revenue = ctx.data.revenue;
  eachRevenueRowBetween(ctx, locationIds, lastWindow.start, lastWindow.end, (row) => {
    if (retained.has(revenue.personKeys[revenue.person[row]!]!))
      retainedRevenueCents += revenue.netCents[row]!;
  });
  return {
    lastWindow,
    priorWindow,
    basePatients: base.size,
    retainedPatients: retained.size,
    retainedRevenueCents,
  };
}
