import type { LocalDate } from '../../model/localDate';
import type { MetricContext } from '../metricContext';

/**
 * Net revenue (cents) of one person on days [from, to] at the given locations: the person's run
 * of the metric data's revenue (in person then day order), from the window's first day on.
 */
export function personNetCents(
  ctx: MetricContext,
  personKey: string,
  locations: ReadonlySet<string>,
  from: LocalDate,
  to: LocalDate,
): number {
  const revenue = ctx.data.revenue;
  const p = revenue.personNumber(personKey);
  if (p === -1) return 0;
  const first = revenue.dayNumberFrom(from);
  const after = revenue.dayNumberAfter(to);
  let total = 0;
  for (let i = revenue.runStart(p); i < revenue.runStart(p + 1); i += 1) {
    const day = revenue.day[i]!;
    if (day >= after) break;
    if (day >= first && locations.has(revenue.locationIds[revenue.location[i]!]!))
      total += revenue.netCents[i]!;
  }
  return total;
}
