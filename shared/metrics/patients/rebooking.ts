import { M } from '../../engine/measures';
import type { PatientEvent } from '../../engine/patientEvents';
import { SERVICE_CATEGORIES, type ServiceCategory } from '../../model/canonicalBundle';
import { addDays, type LocalDate } from '../../model/localDate';
import type { ResolvedPeriod } from '../../periods/period';
import { type DayTotals, dayTotals, readsDayTotals } from '../dayTotals';
import type { MetricContext } from '../metricContext';
import { dayOf, visitsAt, visitsBetween } from './patientFacts';

/** metrics.md: booked from the visit's date to 7 days after it, inclusive. */
export const REBOOKING_WINDOW_DAYS = 7;

/** metrics.md: rebookable = every category but consultation. */
export const REBOOKABLE_CATEGORIES: readonly ServiceCategory[] = SERVICE_CATEGORIES.filter(
  (c) => c !== 'consultation',
);

/** A visit that should be followed by a rebooking: completed, of a rebookable category. */
export function isRebookableVisit(event: PatientEvent): boolean {
  return event.status === 'completed' && event.category !== null && event.category !== 'consultation';
}

/** Every rebooked visit of the tenant, once per context (rate and gap dollars share it). */
function rebookedVisits(ctx: MetricContext): Set<PatientEvent> {
  return ctx.once('rebooked_visits', () => {
    const rebooked = new Set<PatientEvent>();
    for (const appointments of ctx.patients().appointmentsByPerson())
      markRebooked(appointments, rebooked);
    return rebooked;
  });
}

/**
 * One person's appointments (any status, any location, sorted by start). A visit is rebooked
 * when, among the person's appointments booked from its date to 7 days after, the one that
 * starts latest starts after the visit. Visits come in date order, so that booking window
 * only moves forward: a sliding-window maximum over the appointments sorted by booking date
 * (a deque of decreasing starts) answers every visit in one pass, linear in the appointments.
 */
type Booked = PatientEvent & { bookedOn: LocalDate };

function markRebooked(appointments: readonly PatientEvent[], rebooked: Set<PatientEvent>): void {
  if (!appointments.some(isRebookableVisit)) return;
  // Without booked_at an appointment can never be a rebooking. A stable sort: equal booking
  // dates keep their start order.
  const booked = appointments
    .filter((a): a is Booked => a.bookedOn !== null)
    .sort((a, b) => (a.bookedOn < b.bookedOn ? -1 : a.bookedOn > b.bookedOn ? 1 : 0));
  const candidates: Booked[] = [];
  let head = 0;
  let next = 0;
  for (const visit of appointments) {
    if (!isRebookableVisit(visit)) continue;
    const from = dayOf(visit);
    const to = addDays(from, REBOOKING_WINDOW_DAYS);
    let incoming = booked[next];
    while (incoming !== undefined && incoming.bookedOn <= to) {
      // A candidate booked earlier that starts no later than this one can never be the latest again.
      let last = candidates.at(-1);
      while (candidates.length > head && last !== undefined && last.startAt <= incoming.startAt) {
        candidates.pop();
        last = candidates.at(-1);
      }
      candidates.push(incoming);
      next += 1;
      incoming = booked[next];
    }
    let first = candidates[head];
    while (first !== undefined && first.bookedOn < from) {
      head += 1;
      first = candidates[head];
    }
    if (first !== undefined && first.startAt > visit.startAt) rebooked.add(visit);
  }
}

/**
 * Per location and day: visits of a rebookable category, those of them rebooked, and visits of
 * a service without a category. Whether a visit was rebooked does not depend on the scope (the
 * rebooking may be at any location), so every scope adds these up.
 */
function rebookingCounts(ctx: MetricContext): DayTotals {
  return dayTotals(ctx, 'rebooking', (totals) => {
    const rebooked = rebookedVisits(ctx);
    for (const locationId of ctx.allLocationIds()) {
      for (const visit of visitsAt(ctx, locationId)) {
        const day = dayOf(visit);
        if (visit.category === null) totals.add(locationId, 'unmapped', day);
        if (!isRebookableVisit(visit)) continue;
        totals.add(locationId, 'eligible', day);
        if (rebooked.has(visit)) totals.add(locationId, 'rebooked', day);
      }
    }
  });
}

interface VisitFigures {
  eligibleVisits: number;
  rebookedCount: number;
  unmappedServiceVisits: number;
}

function countedVisits(
  ctx: MetricContext,
  locationIds: readonly string[],
  period: ResolvedPeriod,
): VisitFigures {
  const counts = rebookingCounts(ctx);
  const visitsOf = (measure: string) => counts.sum(measure, locationIds, period.start, period.end);
  return {
    eligibleVisits: visitsOf('eligible'),
    rebookedCount: visitsOf('rebooked'),
    unmappedServiceVisits: visitsOf('unmapped'),
  };
}

/** The same figures from the period's visits, for a context not yet counting ahead. */
function walkedVisits(
  ctx: MetricContext,
  locationIds: readonly string[],
  period: ResolvedPeriod,
): VisitFigures {
  const rebooked = rebookedVisits(ctx);
  const figures: VisitFigures = { eligibleVisits: 0, rebookedCount: 0, unmappedServiceVisits: 0 };
  for (const visit of visitsBetween(ctx, locationIds, period.start, period.end)) {
    if (visit.category === null) figures.unmappedServiceVisits += 1;
    if (!isRebookableVisit(visit)) continue;
    figures.eligibleVisits += 1;
    if (rebooked.has(visit)) figures.rebookedCount += 1;
  }
  return figures;
}

export interface RebookingFigures {
  /** Visits in the period of a rebookable category. */
  eligibleVisits: number;
  rebookedVisits: number;
  /** Every appointment (any status) at the locations starting in the period. */
  appointments: number;
  appointmentsWithoutBookedAt: number;
  /** Locations with appointments in the period, none of which carries booked_at. */
  locationsWithoutBookedAt: string[];
  /** Visits whose service maps to no category: neither eligible nor excluded knowingly. */
  unmappedServiceVisits: number;
  /** Σ service + package net of the rebookable categories at the locations in the period (cents). */
  rebookableServiceCents: number;
}

export function rebookingFigures(
  ctx: MetricContext,
  locationIds: readonly string[],
  period: ResolvedPeriod,
): RebookingFigures {
  const { eligibleVisits, rebookedCount, unmappedServiceVisits } = readsDayTotals(
    ctx,
    'rebooking',
    period,
    locationIds,
  )
    ? countedVisits(ctx, locationIds, period)
    : walkedVisits(ctx, locationIds, period);

  const daily = ctx.data.daily;
  let appointments = 0;
  let appointmentsWithoutBookedAt = 0;
  const locationsWithoutBookedAt: string[] = [];
  let rebookableServiceCents = 0;
  for (const locationId of locationIds) {
    const all = daily.sum(M.appointments, [locationId], period.start, period.end);
    const without = daily.sum(M.appointmentsWithoutBookedAt, [locationId], period.start, period.end);
    appointments += all;
    appointmentsWithoutBookedAt += without;
    if (all > 0 && without === all) locationsWithoutBookedAt.push(locationId);
    for (const category of REBOOKABLE_CATEGORIES) {
      rebookableServiceCents += daily.sum(
        M.serviceNetByCategory(category),
        [locationId],
        period.start,
        period.end,
      );
    }
  }
  return {
    eligibleVisits,
    rebookedVisits: rebookedCount,
    appointments,
    appointmentsWithoutBookedAt,
    locationsWithoutBookedAt,
    unmappedServiceVisits,
    rebookableServiceCents,
  };
}
