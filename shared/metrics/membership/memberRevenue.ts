import type { ResolvedPeriod } from '../../periods/period';
import { DailySeries } from '../dailySeries';
import type { MetricContext } from '../metricContext';
import type { MembershipInfo } from '../metricData';
import type { Scope } from '../scope';
import { isActiveOn, membershipBook } from './membershipBook';

/**
 * arpm's numerator (metrics.md: "net_revenue in P from patients on days they were active
 * members") as daily prefix sums, so any period answers without rescanning every person-day of
 * revenue. Two readings, because a person can hold memberships at several locations:
 * - portfolio: revenue anywhere on a day the person held an active membership anywhere;
 * - location: that location's revenue on a day the person held an active membership there.
 */
const MEMBER_ANYWHERE = 'member_net.anywhere';
const MEMBER_HERE = 'member_net.here';

const series = new WeakMap<MetricContext, DailySeries>();

function memberRevenueSeries(ctx: MetricContext): DailySeries {
  let built = series.get(ctx);
  if (!built) {
    const book = membershipBook(ctx);
    const everywhere = new Set(ctx.allLocationIds());
    let first: string | null = null;
    let last: string | null = null;
    for (const r of ctx.data.revenue) {
      if (first === null || r.day < first) first = r.day;
      if (last === null || r.day > last) last = r.day;
    }
    built = new DailySeries(first ?? '2000-01-01', last ?? '1999-12-31');
    // Revenue comes a person at a time (MetricData's order): one look-up per person, not per row.
    let person: string | undefined;
    let memberships: readonly MembershipInfo[] | undefined;
    for (const r of ctx.data.revenue) {
      if (r.personKey !== person) {
        person = r.personKey;
        memberships = book.byPerson.get(person);
      }
      if (!memberships) continue;
      const row = { locationId: r.locationId, providerId: '', day: r.day, value: r.netCents };
      const anywhere = memberships.some((m) => everywhere.has(m.location_id) && isActiveOn(m, r.day));
      if (anywhere) built.add({ ...row, measure: MEMBER_ANYWHERE });
      if (memberships.some((m) => m.location_id === r.locationId && isActiveOn(m, r.day))) {
        built.add({ ...row, measure: MEMBER_HERE });
      }
    }
    built.finalize();
    series.set(ctx, built);
  }
  return built;
}

/** Net revenue (cents) in the period from patients on the days they were active members, at the scope. */
export function memberRevenueCents(ctx: MetricContext, scope: Scope, period: ResolvedPeriod): number {
  const measure = scope.kind === 'portfolio' ? MEMBER_ANYWHERE : MEMBER_HERE;
  return memberRevenueSeries(ctx).sum(measure, ctx.locationIdsOf(scope), period.start, period.end);
}
