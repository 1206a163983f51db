import type { ResolvedPeriod } from '../../periods/period';
import { type DayTotals, dayTotals } from '../dayTotals';
import type { MetricContext } from '../metricContext';
import type { MembershipInfo } from '../metricData';
import type { Scope } from '../scope';
import { isActiveOn, membershipBook } from './membershipBook';

/**
 * arpm's numerator (metrics.md: "net_revenue in P from patients on days they were active
 * members") as daily running totals, so any period answers without rescanning every person-day
 * of revenue. Two readings, because a person can hold memberships at several locations:
 * - portfolio: revenue anywhere on a day the person held an active membership anywhere;
 * - location: that location's revenue on a day the person held an active membership there.
 */
const MEMBER_ANYWHERE = 'member_net.anywhere';
const MEMBER_HERE = 'member_net.here';

function memberRevenueTotals(ctx: MetricContext): DayTotals {
  return dayTotals(ctx, 'member_revenue', (totals) => {
    const book = membershipBook(ctx);
    const everywhere = new Set(ctx.allLocationIds());
    // Revenue comes a person at a time (MetricData's order): one look-up per person, not per row.
    const revenue = ctx.data.revenue;
    let person = -1;
    let memberships: readonly MembershipInfo[] | undefined;
    for (let i = 0; i < revenue.length; i += 1) {
      if (revenue.person[i] !== person) {
        person = revenue.person[i]!;
        memberships = book.byPerson.get(revenue.personKeys[person]!);
      }
      if (!memberships) continue;
      const day = revenue.days[revenue.day[i]!]!;
      const locationId = revenue.locationIds[revenue.location[i]!]!;
      if (memberships.some((m) => everywhere.has(m.location_id) && isActiveOn(m, day)))
        totals.add(locationId, MEMBER_ANYWHERE, day, revenue.netCents[i]);
      if (memberships.some((m) => m.location_id === locationId && isActiveOn(m, day)))
        totals.add(locationId, MEMBER_HERE, day, revenue.netCents[i]);
    }
  });
}

/** Net revenue (cents) in the period from patients on the days they were active members, at the scope. */
export function memberRevenueCents(ctx: MetricContext, scope: Scope, period: ResolvedPeriod): number {
  const measure = scope.kind === 'portfolio' ? MEMBER_ANYWHERE : MEMBER_HERE;
  return memberRevenueTotals(ctx).sum(measure, ctx.locationIdsOf(scope), period.start, period.end);
}
