import type { PatientEvent } from '../../engine/patientEvents';
import type { ServiceCategory } from '../../model/canonicalBundle';
import { addDays, type LocalDate } from '../../model/localDate';
import type { ResolvedPeriod } from '../../periods/period';
import type { MetricContext } from '../metricContext';
import { dayOf, lowerBound, visitsBetween } from './patientFacts';
import { type VisitCounts,visitCounts } from './visitCounts';

/** metrics.md: the return window of every rebookable category, in days. */
export const RETURN_WINDOW_DAYS: Readonly<Record<Exclude<ServiceCategory, 'consultation'>, number>> = {
  neurotoxin: 120,
  filler: 365,
  laser: 90,
  energy_device: 90,
  body_contouring: 90,
  skin_treatment: 90,
  facial: 60,
  other_service: 180,
};

export type ReturnCategory = keyof typeof RETURN_WINDOW_DAYS;

export interface ReturnFigures {
  /** Visits of the category in the period at the locations. */
  visits: number;
  /** Of those, the visits whose window has fully elapsed by the as-of date (the denominator). */
  eligibleVisits: number;
  returnedVisits: number;
  /** Visits left out because their window ends after the as-of date. */
  openWindowVisits: number;
}

/**
 * A visit returned when the same patient has another visit at one of the locations on a later
 * date within the window (visit date + 1 … visit date + window days). A later visit the same
 * day is the same trip, not a return. The person's visits are sorted by start, so the first
 * later-dated one is found by binary search and the scan stops at the window's end.
 */
function returned(
  visit: PatientEvent,
  personVisits: readonly PatientEvent[],
  locations: ReadonlySet<string>,
  windowDays: number,
): boolean {
  const day = dayOf(visit);
  const windowEnd = addDays(day, windowDays);
  for (let i = lowerBound(personVisits, addDays(day, 1), (v) => v.startAt); i < personVisits.length; i += 1) {
    const later = personVisits[i];
    if (later === undefined || dayOf(later) > windowEnd) return false;
    if (locations.has(later.locationId)) return true;
  }
  return false;
}

export function returnFigures(
  ctx: MetricContext,
  locationIds: readonly string[],
  category: ReturnCategory,
  period: ResolvedPeriod,
  asOfDate: LocalDate,
): ReturnFigures {
  const where = returnCountsFor(ctx, locationIds);
  if (where !== null) return countedReturnFigures(ctx, locationIds, category, period, asOfDate, where);
  return scannedReturnFigures(ctx, locationIds, category, period, asOfDate);
}

/**
 * The scopes whose returns are counted ahead (`returnCounts`): one location (a return there) and
 * the whole portfolio (a return at any of its locations). Any other set is scanned.
 */
function returnCountsFor(ctx: MetricContext, locationIds: readonly string[]): 'here' | 'portfolio' | null {
  if (locationIds.length === 1) return 'here';
  const all = ctx.allLocationIds();
  if (locationIds.length === all.length && new Set([...all, ...locationIds]).size === all.length)
    return 'portfolio';
  return null;
}

/**
 * Per location and day: the visits of each category, and of those the ones that returned at
 * the same location and at any location of the portfolio.
 */
function returnCounts(ctx: MetricContext): VisitCounts {
  return visitCounts(ctx, 'returns', () => {
    const portfolio = new Set(ctx.allLocationIds());
    const each = new Map([...portfolio].map((locationId) => [locationId, new Set([locationId])]));
    const visitsByPerson = ctx.patients().visitsByPerson;
    return (visit, add) => {
      if (visit.category === null || visit.category === 'consultation') return;
      const category = visit.category;
      const windowDays = RETURN_WINDOW_DAYS[category];
      const personVisits = visitsByPerson.get(visit.personKey) ?? [];
      add(`visits:${category}`);
      const here = each.get(visit.locationId) ?? new Set([visit.locationId]);
      if (returned(visit, personVisits, here, windowDays)) add(`here:${category}`);
      if (returned(visit, personVisits, portfolio, windowDays)) add(`portfolio:${category}`);
    };
  });
}

/**
 * The figures from the counts: a visit's window has elapsed by the as-of date when its date is
 * at most as-of − window days, so the eligible visits are those of the period up to that day.
 */
function countedReturnFigures(
  ctx: MetricContext,
  locationIds: readonly string[],
  category: ReturnCategory,
  period: ResolvedPeriod,
  asOfDate: LocalDate,
  where: 'here' | 'portfolio',
): ReturnFigures {
  const counts = returnCounts(ctx);
  const lastEligible = addDays(asOfDate, -RETURN_WINDOW_DAYS[category]);
  const eligibleEnd = lastEligible < period.end ? lastEligible : period.end;
  const visits = counts.count(`visits:${category}`, locationIds, period.start, period.end);
  const eligibleVisits = counts.count(`visits:${category}`, locationIds, period.start, eligibleEnd);
  return {
    visits,
    eligibleVisits,
    returnedVisits: counts.count(`${where}:${category}`, locationIds, period.start, eligibleEnd),
    openWindowVisits: visits - eligibleVisits,
  };
}

/** The figures by walking the period's visits: for a set of locations that is not counted ahead. */
function scannedReturnFigures(
  ctx: MetricContext,
  locationIds: readonly string[],
  category: ReturnCategory,
  period: ResolvedPeriod,
  asOfDate: LocalDate,
): ReturnFigures {
  const windowDays = RETURN_WINDOW_DAYS[category];
  const locations = new Set(locationIds);
  const visitsByPerson = ctx.patients().visitsByPerson;
  const figures: ReturnFigures = { visits: 0, eligibleVisits: 0, returnedVisits: 0, openWindowVisits: 0 };
  for (const visit of visitsBetween(ctx, locationIds, period.start, period.end)) {
    if (visit.category !== category) continue;
    figures.visits += 1;
    if (addDays(dayOf(visit), windowDays) > asOfDate) {
      figures.openWindowVisits += 1;
      continue;
    }
    figures.eligibleVisits += 1;
    if (returned(visit, visitsByPerson.get(visit.personKey) ?? [], locations, windowDays))
      figures.returnedVisits += 1;
  }
  return figures;
}
