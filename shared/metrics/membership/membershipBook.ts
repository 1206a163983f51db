import type { LocalDate } from '../../model/localDate';
import type { MetricContext } from '../metricContext';
import type { MembershipInfo } from '../metricData';

/** metrics.md, Membership: active on d when started_on ≤ d and (cancelled_on is empty or cancelled_on > d). */
export function isActiveOn(membership: MembershipInfo, day: LocalDate): boolean {
  return membership.started_on <= day && (membership.cancelled_on === null || membership.cancelled_on > day);
}

/** The memberships of a tenant by location (what a scope counts) and by person (who is a member when). */
export interface MembershipBook {
  byLocation: ReadonlyMap<string, readonly MembershipInfo[]>;
  byPerson: ReadonlyMap<string, readonly MembershipInfo[]>;
}

const books = new WeakMap<MetricContext, MembershipBook>();

export function membershipBook(ctx: MetricContext): MembershipBook {
  let book = books.get(ctx);
  if (!book) {
    const byLocation = new Map<string, MembershipInfo[]>();
    const byPerson = new Map<string, MembershipInfo[]>();
    for (const m of ctx.data.memberships) {
      push(byLocation, m.location_id, m);
      push(byPerson, m.person_key, m);
    }
    book = { byLocation, byPerson };
    books.set(ctx, book);
  }
  return book;
}

/** The memberships held at the given locations (a scope counts its own locations' memberships). */
export function membershipsAt(ctx: MetricContext, locationIds: readonly string[]): MembershipInfo[] {
  const book = membershipBook(ctx);
  return locationIds.flatMap((locationId) => book.byLocation.get(locationId) ?? []);
}

/** Whether the person held a membership at one of `locations` that was active on `day`. */
export function isMemberOn(
  book: MembershipBook,
  personKey: string,
  day: LocalDate,
  locations: ReadonlySet<string>,
): boolean {
  return (book.byPerson.get(personKey) ?? []).some((m) => locations.has(m.location_id) && isActiveOn(m, day));
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
