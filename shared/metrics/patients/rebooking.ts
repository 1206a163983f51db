import type { EventRows } from '../../engine/eventRows';
import { M } from '../../engine/measures';
import { SERVICE_CATEGORIES, type ServiceCategory } from '../../model/canonicalBundle';
import { addDays } from '../../model/localDate';
import type { ResolvedPeriod } from '../../periods/period';
import { type DayTotals, dayTotals, readsDayTotals } from '../dayTotals';
import type { MetricContext } from '../metricContext';
import { visitsAt, visitsBetween } from './patientFacts';

/** metrics.md: booked from the visit's date to 7 days after it, inclusive. */
export const REBOOKING_WINDOW_DAYS = 7;

/** metrics.md: rebookable = every category but consultation. */
export const REBOOKABLE_CATEGORIES: readonly ServiceCategory[] = SERVICE_CATEGORIES.filter(
  (c) => c !== 'consultation',
);

const CONSULTATION = SERVICE_CATEGORIES.indexOf('consultation');

/** A visit that should be followed by a rebooking: completed, of a rebookable category. */
export function isRebookableVisit(events: EventRows, row: number): boolean {
  const category = events.category[row]!;
  return events.isCompleted(row) && category >= 0 && category !== CONSULTATION;
}

/** Whether each event (by row) is a rebooked visit, once per context (rate and gap dollars share it). */
function rebookedVisits(ctx: MetricContext): Uint8Array {
  return ctx.once('rebooked_visits', () => {
    const events = ctx.data.events;
    const rebooked = new Uint8Array(events.length);
    for (let p = 0; p < events.personKeys.length; p += 1)
      markRebooked(events, events.runStart(p), events.runStart(p + 1), rebooked);
    return rebooked;
  });
}

/**
 * One person's appointments: rows `start` … `end − 1` (any status, any location, sorted by
 * start). A visit is rebooked when, among the person's appointments booked from its date to 7
 * days after, the one that starts latest starts after the visit. Visits come in date order, so
 * that booking window only moves forward: a sliding-window maximum over the appointments sorted
 * by booking date (a deque of decreasing starts) answers every visit in one pass, linear in the
 * appointments. Days and starts compare as their numbers (sorted tables: the texts' order).
 */
function markRebooked(events: EventRows, start: number, end: number, rebooked: Uint8Array): void {
  let any = false;
  for (let row = start; row < end && !any; row += 1) any = isRebookableVisit(events, row);
  if (!any) return;
  // Without booked_at an appointment can never be a rebooking. A stable sort: equal booking
  // dates keep their start order.
  const booked: number[] = [];
  for (let row = start; row < end; row += 1) if (events.bookedOn[row]! >= 0) booked.push(row);
  booked.sort((a, b) => events.bookedOn[a]! - events.bookedOn[b]!);
  const candidates: number[] = [];
  let head = 0;
  let next = 0;
  for (let visit = start; visit < end; visit += 1) {
    if (!isRebookableVisit(events, visit)) continue;
    const from = events.dayOf(visit);
    // The last day number on or before the window's end.
    const to = events.dayNumberAfter(addDays(from, REBOOKING_WINDOW_DAYS)) - 1;
    const fromNumber = events.startDay[events.start[visit]!]!;
    while (next < booked.length && events.bookedOn[booked[next]!]! <= to) {
      const incoming = booked[next]!;
      // A candidate booked earlier that starts no later than this one can never be the latest again.
      while (candidates.length > head && events.start[candidates.at(-1)!]! <= events.start[incoming]!)
        candidates.pop();
      candidates.push(incoming);
      next += 1;
    }
    while (head < candidates.length && events.bookedOn[candidates[head]!]! < fromNumber) head += 1;
    if (head < candidates.length && events.start[candidates[head]!]! > events.start[visit]!)
      rebooked[visit] = 1;
  }
}

/**
 * Per location and day: visits of a rebookable category, those of them rebooked, and visits of
 * a service without a category. Whether a visit was rebooked does not depend on the scope (the
 * rebooking may be at any location), so every scope adds these up.
 */
function rebookingCounts(ctx: MetricContext): DayTotals {
  return dayTotals(ctx, 'rebooking', (totals) => {
    const events = ctx.data.events;
    const rebooked = rebookedVisits(ctx);
    for (const locationId of ctx.allLocationIds()) {
      for (const visit of visitsAt(ctx, locationId)) {
        const day = events.dayOf(visit);
        if (events.category[visit]! < 0) totals.add(locationId, 'unmapped', day);
        if (!isRebookableVisit(events, visit)) continue;
        totals.add(locationId, 'eligible', day);
        if (rebooked[visit] === 1) totals.add(locationId, 'rebooked', day);
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
  const events = ctx.data.events;
  const rebooked = rebookedVisits(ctx);
  const figures: VisitFigures = { eligibleVisits: 0, rebookedCount: 0, unmappedServiceVisits: 0 };
  for (const visit of visitsBetween(ctx, locationIds, period.start, period.end)) {
    if (events.category[visit]! < 0) figures.unmappedServiceVisits += 1;
    if (!isRebookableVisit(events, visit)) continue;
    figures.eligibleVisits += 1;
    if (rebooked[visit] === 1) figures.rebookedCount += 1;
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
