import type { LocalDate } from '../../model/localDate';
import { byDay, entriesBetween } from '../membership/daySorted';
import type { MetricContext } from '../metricContext';

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

const indexes = new WeakMap<MetricContext, ReadonlyMap<string, readonly NewPatient[]>>();

function newPatientsByLocation(ctx: MetricContext): ReadonlyMap<string, readonly NewPatient[]> {
  let index = indexes.get(ctx);
  if (!index) {
    const byLocation = new Map<string, NewPatient[]>();
    for (const [personKey, visits] of ctx.patients().visitsByPerson) {
      const first = visits[0];
      if (first === undefined) continue;
      const entry = {
        personKey,
        patientId: first.patientId,
        locationId: first.locationId,
        day: first.startAt.slice(0, 10),
      };
      const list = byLocation.get(first.locationId);
      if (list) list.push(entry);
      else byLocation.set(first.locationId, [entry]);
    }
    for (const list of byLocation.values()) list.sort(byDay);
    index = byLocation;
    indexes.set(ctx, index);
  }
  return index;
}

/** Every new patient counted at the location (whose first visit anywhere was there), by day. */
export function newPatientsOf(ctx: MetricContext, locationId: string): readonly NewPatient[] {
  return newPatientsByLocation(ctx).get(locationId) ?? [];
}

/** New patients whose first visit lies in [from, to] at one of the given locations. */
export function newPatientsIn(
  ctx: MetricContext,
  locationIds: readonly string[],
  from: LocalDate,
  to: LocalDate,
): NewPatient[] {
  const index = newPatientsByLocation(ctx);
  return locationIds.flatMap((locationId) => entriesBetween(index.get(locationId) ?? [], from, to));
}
