import type { PatientRevenue } from '../../engine/patientEvents';
import type { LocalDate } from '../../model/localDate';
import { groupedLists } from '../groupedLists';
import { byDay, entriesBetween } from '../membership/daySorted';
import type { MetricContext } from '../metricContext';

const indexes = new WeakMap<MetricContext, ReadonlyMap<string, readonly PatientRevenue[]>>();

/** Each person's net revenue per day and location, sorted by day. */
function revenueByPerson(ctx: MetricContext): ReadonlyMap<string, readonly PatientRevenue[]> {
  let index = indexes.get(ctx);
  if (!index) {
    const byPerson = groupedLists(ctx.data.revenue, (row) => row.personKey);
    for (const list of byPerson.values()) list.sort(byDay);
    index = byPerson;
    indexes.set(ctx, index);
  }
  return index;
}

/** Net revenue (cents) of one person on days [from, to] at the given locations. */
export function personNetCents(
  ctx: MetricContext,
  personKey: string,
  locations: ReadonlySet<string>,
  from: LocalDate,
  to: LocalDate,
): number {
  return entriesBetween(revenueByPerson(ctx).get(personKey) ?? [], from, to)
    .filter((row) => locations.has(row.locationId))
    .reduce((total, row) => total + row.netCents, 0);
}
