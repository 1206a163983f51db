import type { LocalDate } from '../../model/localDate';
import type { MetricContext } from '../metricContext';
import { byDay, entriesBetween } from './daySorted';

/** One visit (completed appointment) reduced to "who visited on which day". */
export interface VisitDay {
  personKey: string;
  day: LocalDate;
}

const indexes = new WeakMap<MetricContext, ReadonlyMap<string, readonly VisitDay[]>>();

/** Visits per location sorted by day, so a period reads only its own visits. */
function visitsByLocation(ctx: MetricContext): ReadonlyMap<string, readonly VisitDay[]> {
  let index = indexes.get(ctx);
  if (!index) {
    const byLocation = new Map<string, VisitDay[]>();
    for (const visit of ctx.patients().visits()) {
      const entry = { personKey: visit.personKey, day: visit.startAt.slice(0, 10) };
      const list = byLocation.get(visit.locationId);
      if (list) list.push(entry);
      else byLocation.set(visit.locationId, [entry]);
    }
    for (const list of byLocation.values()) list.sort(byDay);
    index = byLocation;
    indexes.set(ctx, index);
  }
  return index;
}

/** The visits at the given locations whose day lies in [from, to]. */
export function visitsIn(
  ctx: MetricContext,
  locationIds: readonly string[],
  from: LocalDate,
  to: LocalDate,
): VisitDay[] {
  const index = visitsByLocation(ctx);
  return locationIds.flatMap((locationId) => entriesBetween(index.get(locationId) ?? [], from, to));
}
