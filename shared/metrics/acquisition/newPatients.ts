import type { LocalDate } from '../../model/localDate';
import type { MetricContext } from '../metricContext';
import { firstVisitsAt, firstVisitsBetween } from '../patients/patientFacts';

/**
 * A new patient (metrics.md, Patients): a person whose first visit anywhere in the portfolio
 * falls in P, counted at the location of that first visit.
 */
export interface NewPatient {
  personKey: string;
  /** The EMR record of the first visit (its referral source is the patient's). */
  patientId: string;
  locationId: string;
  /** Local date of the first visit. */
  day: LocalDate;
}

/**
 * The new patient a first visit makes, read from the visit when asked: the first visits are
 * kept once, by location and start (patientFacts.ts), not as a second copy per patient.
 */
function newPatientOf(ctx: MetricContext): (first: number) => NewPatient {
  const events = ctx.data.events;
  return (first) => ({
    personKey: events.personKeyOf(first),
    patientId: events.patientIds[events.patient[first]!]!,
    locationId: events.locationIdOf(first),
    day: events.dayOf(first),
  });
}

/** Every new patient counted at the location (whose first visit anywhere was there), by first visit. */
export function newPatientsOf(ctx: MetricContext, locationId: string): NewPatient[] {
  return Array.from(firstVisitsAt(ctx, locationId), newPatientOf(ctx));
}

/** New patients whose first visit lies in [from, to] at one of the given locations. */
export function newPatientsIn(
  ctx: MetricContext,
  locationIds: readonly string[],
  from: LocalDate,
  to: LocalDate,
): NewPatient[] {
  return firstVisitsBetween(ctx, locationIds, from, to).map(newPatientOf(ctx));
}
