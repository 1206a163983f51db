import { M } from '../engine/measures';
import type { LocalDate } from '../model/localDate';
import type { MetricContext } from './metricContext';
import { type Scope, scopeLabel } from './scope';

/*
 * "A metric whose facts are absent for the scope is null with a reason — never 0" (metrics.md,
 * Scope and dating rules). A sum or a count of P's facts is 0 only when the data covers P and
 * there really were none; it is null when the facts cannot be there:
 * - none of the scope's locations was operating on any day of P (before opened_on, from
 *   closed_on on) — the value's coverage is then null;
 * - the scope's locations operated, but the facts the metric reads cover none of those days:
 *   each location's facts run from its first to its last fact (sale lines: sold_on, the
 *   value's coverage is then 0; appointments: start date; …), and a day outside every
 *   location's run is not covered (a year before any data, `LTM@2030-01`).
 * A covered period with no fact (a month of gift cards only, a month without new patients) is
 * a real 0.
 */

/** The rule as the catalog states it (docs/metrics.md). */
export const ABSENT_FACTS_RULE =
  'A sum or count over P (revenue, visits, new and active patients, leads, active members, MRR, utilization) is 0 only when the data covers P and there really was nothing; it is `null` with a reason when (a) none of the scope’s locations operated on any day of P (before opened_on, from closed_on on: the reason names the date, coverage is null), or (b) the facts it reads cover none of the days the scope’s locations operated in P — each location’s sale lines run from its first to its last sold_on (then coverage is 0), its appointments from its first to its last completed, no-show or late-cancelled one (scheduled ones may lie in the future), and leads and memberships, being sparse, count as covered wherever the location’s data of any kind reaches. The reason reads e.g. "location L3 was not operating in the period (it opened on 2026-05-24)" or "no sale lines cover the period at the portfolio (they run from 2023-11-01 to 2026-10-31)". A ratio whose denominator is zero is null with its own reason ("no visits in the period")';

/** Which facts a metric's sum or count reads; each source has its own run of days per location. */
export type FactSource = 'sales' | 'appointments' | 'leads' | 'memberships';

interface Span {
  first: LocalDate;
  last: LocalDate;
}

/**
 * The appointments whose day has come: completed, no-show, late-cancelled. Scheduled (and
 * early-cancelled) appointments may lie in the future, where no visit is known yet, so they do
 * not stretch the run of days the appointments cover.
 */
const APPOINTMENT_MEASURES = [M.visits, M.noShows, M.lateCancels];
const PAST_STATUSES: ReadonlySet<string> = new Set(['completed', 'no_show', 'late_cancelled']);

/** What the reasons call each source's facts. */
const NOUNS: Record<FactSource, string> = {
  sales: 'sale lines',
  appointments: 'appointments',
  leads: 'data (sale lines, appointments, leads)',
  memberships: 'data (sale lines, appointments, memberships)',
};

function union(a: Span | null | undefined, b: Span | null | undefined): Span | null {
  if (!a) return b ?? null;
  if (!b) return a;
  return { first: a.first < b.first ? a.first : b.first, last: a.last > b.last ? a.last : b.last };
}

function widen(spans: Map<string, Span>, locationId: string, day: LocalDate): void {
  spans.set(locationId, union(spans.get(locationId), { first: day, last: day }) ?? { first: day, last: day });
}

interface Spans {
  appointments: Map<string, Span>;
  leads: Map<string, Span>;
  memberships: Map<string, Span>;
}

const cache = new WeakMap<MetricContext, Spans>();

/** Per location, the run of days of each source's own facts (built once per context). */
function spansOf(ctx: MetricContext): Spans {
  const cached = cache.get(ctx);
  if (cached) return cached;
  const appointments = new Map<string, Span>();
  // The daily measures and the events are two views of the same appointments; either may be
  // all a hand-built context has.
  for (const locationId of ctx.allLocationIds()) {
    let span: Span | null = null;
    for (const measure of APPOINTMENT_MEASURES) span = union(span, ctx.data.daily.span(measure, locationId));
    if (span) appointments.set(locationId, span);
  }
  const events = ctx.data.events;
  for (let i = 0; i < events.length; i += 1) {
    if (PAST_STATUSES.has(events.statusOf(i))) widen(appointments, events.locationIdOf(i), events.dayOf(i));
  }
  const leads = new Map<string, Span>();
  const leadRows = ctx.data.leads;
  for (let row = 0; row < leadRows.length; row += 1)
    widen(leads, leadRows.locationIdOf(row), leadRows.createdOnOf(row));
  const memberships = new Map<string, Span>();
  for (const m of ctx.data.memberships) {
    widen(memberships, m.location_id, m.started_on);
    if (m.cancelled_on !== null) widen(memberships, m.location_id, m.cancelled_on);
  }
  const spans = { appointments, leads, memberships };
  cache.set(ctx, spans);
  return spans;
}

/** The run of days a source's facts cover at one location, or null when it has none. */
export function factSpan(ctx: MetricContext, locationId: string, source: FactSource): Span | null {
  const sales = ctx.data.dataRange.get(locationId) ?? null;
  if (source === 'sales') return sales;
  const spans = spansOf(ctx);
  const appointments = spans.appointments.get(locationId) ?? null;
  if (source === 'appointments') return appointments;
  // Leads and memberships are sparse events: a month without a lead or a membership change is
  // a real 0 as long as the location's data (any of it) reaches that month.
  const own = source === 'leads' ? spans.leads : spans.memberships;
  return union(union(sales, appointments), own.get(locationId));
}

/**
 * Why a sum or count of `source` facts over [start, end] is not available at the scope (the
 * reason to give with null), or null when the facts cover at least one operating day of it.
 * `locations` narrows the scope's locations (those a metric keeps, e.g. the ones with hours).
 */
export function absentFacts(
  ctx: MetricContext,
  scope: Scope,
  window: { start: LocalDate; end: LocalDate },
  source: FactSource,
  locations: readonly string[] = ctx.locationIdsOf(scope),
): string | null {
  const period = { label: `${window.start}..${window.end}`, start: window.start, end: window.end, months: 0 };
  let operating = 0;
  let seen: Span | null = null;
  for (const locationId of locations) {
    const span = factSpan(ctx, locationId, source);
    seen = union(seen, span);
    const open = ctx.operatingDays(locationId, period);
    if (!open) continue;
    operating += 1;
    if (!span) continue;
    const from = span.first > open.from ? span.first : open.from;
    const to = span.last < open.to ? span.last : open.to;
    if (from <= to) return null;
  }
  if (operating === 0) return notOperating(ctx, scope, locations, window);
  const noun = NOUNS[source];
  if (seen === null) return `no ${noun} were ingested for the ${scopeLabel(scope)}`;
  return `no ${noun} cover the period at the ${scopeLabel(scope)} (they run from ${seen.first} to ${seen.last})`;
}

function notOperating(
  ctx: MetricContext,
  scope: Scope,
  locations: readonly string[],
  window: { start: LocalDate; end: LocalDate },
): string {
  const only = locations.length === 1 ? ctx.location(locations[0] ?? '') : undefined;
  if (only) {
    const when =
      only.opened_on !== null && only.opened_on > window.end
        ? `it opened on ${only.opened_on}`
        : only.closed_on !== null
          ? `it closed on ${only.closed_on}`
          : 'it was not open';
    return `location ${only.location_id} was not operating in the period (${when})`;
  }
  return `none of the ${scopeLabel(scope)}’s locations was operating in the period`;
}
