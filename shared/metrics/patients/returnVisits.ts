import type { EventRows } from '../../engine/eventRows';
import type { ServiceCategory } from '../../model/canonicalBundle';
import { addDays, type LocalDate } from '../../model/localDate';
import type { ResolvedPeriod } from '../../periods/period';
import { countedScope, type DayTotals, dayTotals, readsDayTotals } from '../dayTotals';
import type { MetricContext } from '../metricContext';
import { firstStartingFrom, visitsAt, visitsBetween } from './patientFacts';

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
  events: EventRows,
  visit: number,
  personVisits: Int32Array,
  locations: ReadonlySet<string>,
  windowDays: number,
): boolean {
  const day = events.dayOf(visit);
  const windowEnd = addDays(day, windowDays);
  const nextDay = events.firstStartAfterDay(events.startDay[events.start[visit]!]!);
  for (let i = firstStartingFrom(events, personVisits, nextDay); i < personVisits.length; i += 1) {
    const later = personVisits[i]!;
    if (events.dayOf(later) > windowEnd) return false;
    if (locations.has(events.locationIdOf(later))) return true;
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
  const where = countedScope(ctx, locationIds);
  if (where !== null && readsDayTotals(ctx, 'returns', period, locationIds))
    return countedReturnFigures(ctx, locationIds, category, period, asOfDate, where);
  return scannedReturnFigures(ctx, locationIds, category, period, asOfDate);
}

/**
 * Per location and day: the visits of each category, and of those the ones that returned at
 * the same location and at any location of the portfolio.
 */
function returnCounts(ctx: MetricContext): DayTotals {
  return dayTotals(ctx, 'returns', (totals) => {
    const portfolio = new Set(ctx.allLocationIds());
    const patients = ctx.patients();
    const events = ctx.data.events;
    for (const locationId of portfolio) {
      const here = new Set([locationId]);
      for (const visit of visitsAt(ctx, locationId)) {
        const category = events.categoryOf(visit);
        if (category === null || category === 'consultation') continue;
        const windowDays = RETURN_WINDOW_DAYS[category];
        const personVisits = patients.visitsOfPerson(events.person[visit]!);
        const day = events.dayOf(visit);
        totals.add(locationId, `visits:${category}`, day);
        if (returned(events, visit, personVisits, here, windowDays))
          totals.add(locationId, `here:${category}`, day);
        if (returned(events, visit, personVisits, portfolio, windowDays))
          totals.add(locationId, `portfolio:${category}`, day);
      }
    }
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
  const visits = counts.sum(`visits:${category}`, locationIds, period.start, period.end);
  const eligibleVisits = counts.sum(`visits:${category}`, locationIds, period.start, eligibleEnd);
  return {
    visits,
    eligibleVisits,
    returnedVisits: counts.sum(`${where}:${category}`, locationIds, period.start, eligibleEnd),
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
  const patients = ctx.patients();
  const events = ctx.data.events;
  const figures: ReturnFigures = { visits: 0, eligibleVisits: 0, returnedVisits: 0, openWindowVisits: 0 };
  for (const visit of visitsBetween(ctx, locationIds, period.start, period.end)) {
    if (events.categoryOf(visit) !== category) continue;
    figures.visits += 1;
    if (addDays(events.dayOf(visit), windowDays) > asOfDate) {
      figures.openWindowVisits += 1;
      continue;
    }
    figures.eligibleVisits += 1;
    if (returned(events, visit, patients.visitsOfPerson(events.person[visit]!), locations, windowDays))
      figures.returnedVisits += 1;
  }
  return figures;
}
