import { byPersonThenDay, type PatientRevenue } from '../../engine/patientEvents';
import type { LocalDate } from '../../model/localDate';
import { entriesBetween } from '../membership/daySorted';
import type { MetricContext } from '../metricContext';
import { PersonRuns } from '../personRuns';

const indexes = new WeakMap<MetricContext, PersonRuns<PatientRevenue>>();

/** Each person's net revenue per day and location, sorted by day. */
function revenueByPerson(ctx: MetricContext): PersonRuns<PatientRevenue> {
  let index = indexes.get(ctx);
  if (!index) {
    index = new PersonRuns(ctx.data.revenue, byPersonThenDay);
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
  return entriesBetween(revenueByPerson(ctx).of(personKey), from, to)
    .filter((row) => locations.has(row.locationId))
    .reduce((total, row) => total + row.netCents, 0);
}
