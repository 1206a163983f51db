import { addDays, type LocalDate } from '../../model/localDate';
import type { MetricContext } from '../metricContext';
import { revenueBetween, visitsBetween } from './patientFacts';
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

/** Distinct persons with a visit at the locations in the window. */
export function patientsWithVisits(
  ctx: MetricContext,
  locationIds: readonly string[],
  window: DateWindow,
): Set<string> {
  return new Set(visitsBetween(ctx, locationIds, window.start, window.end).map((v) => v.personKey));
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
  const base = patientsWithVisits(ctx, locationIds, priorWindow);
  const recent = patientsWithVisits(ctx, locationIds, lastWindow);
  const retained = new Set([...base].filter((person) => recent.has(person)));
  let retainedRevenueCents = 0;
  for (const row of revenueBetween(ctx, locationIds, lastWindow.start, lastWindow.end)) {
    if (retained.has(row.personKey)) retainedRevenueCents += row.netCents;
  }
  return {
    lastWindow,
    priorWindow,
    basePatients: base.size,
    retainedPatients: retained.size,
    retainedRevenueCents,
  };
}
