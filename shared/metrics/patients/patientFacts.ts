import { firstRowFrom, stableOrder } from '../../engine/columns';
import type { EventRows } from '../../engine/eventRows';
import type { RevenueRows } from '../../engine/revenueRows';
import { addDays, type LocalDate } from '../../model/localDate';
import type { MetricContext } from '../metricContext';

/**
 * The patient-level facts of a tenant arranged for date-range queries: per location, visits
 * and first visits sorted by start and patient revenue sorted by day, each a list of row
 * numbers into the metric data's columns. A query then reads only the slice of its period
 * (binary search), so a metric over a 50-location portfolio costs the visits of its window, not
 * the whole history. Built once per MetricContext.
 */
interface PatientFacts {
  /** Per location, its completed appointments (rows of the metric data's events), by start. */
  visitsByLocation: Map<string, Int32Array>;
  /** Each person's first visit anywhere in the portfolio (its row), under the location of that visit, by start. */
  firstVisitsByLocation: Map<string, Int32Array>;
  /** Per location, its rows of the metric data's revenue (indexes into it), by day. */
  revenueByLocation: Map<string, Int32Array>;
  /** Per person number of the revenue: a running sum and whether the walk has met the person (all 0 between walks). */
  revenueScratch: { totals: Float64Array; seen: Uint8Array };
  /** Locations with at least one appointment of any status. */
  appointmentLocations: Set<string>;
  firstVisitOnRecord: LocalDate | null;
}

const cache = new WeakMap<MetricContext, PatientFacts>();

const NO_ROWS = new Int32Array(0);

function factsOf(ctx: MetricContext): PatientFacts {
  const cached = cache.get(ctx);
  if (cached) return cached;
  const events = ctx.data.events;
  const firstVisits = ctx.patients().firstVisits();
  let firstStart = -1;
  for (const row of firstVisits)
    if (firstStart < 0 || events.start[row]! < firstStart) firstStart = events.start[row]!;

  const revenue = ctx.data.revenue;
  const facts = {
    visitsByLocation: byLocationThenStart(events, ctx.patients().allVisits()),
    firstVisitsByLocation: byLocationThenStart(events, firstVisits),
    revenueByLocation: rowsByLocationAndDay(revenue),
    revenueScratch: {
      totals: new Float64Array(revenue.personKeys.length),
      seen: new Uint8Array(revenue.personKeys.length),
    },
    // The events' location table holds exactly the locations with events.
    appointmentLocations: new Set(events.locationIds),
    firstVisitOnRecord: firstStart < 0 ? null : events.days[events.startDay[firstStart]!]!,
  };
  cache.set(ctx, facts);
  return facts;
}

/**
 * Per location, the `rows` of the events there by start, then location row (rows equal in
 * both keep their order): a counting sort by start number (the starts' order), another by
 * location, each stable, then the few runs of one start sorted by location row (the location's
 * own order: person key as ingested, appointment id).
 */
function byLocationThenStart(events: EventRows, rows: Int32Array): Map<string, Int32Array> {
  const starts = new Int32Array(rows.length);
  const locations = new Int32Array(rows.length);
  for (let k = 0; k < rows.length; k += 1) {
    starts[k] = events.start[rows[k]!]!;
    locations[k] = events.location[rows[k]!]!;
  }
  const order = stableOrder(
    locations,
    events.locationIds.length,
    stableOrder(starts, events.starts.length, null),
  );
  const sorted = new Int32Array(rows.length);
  for (let k = 0; k < rows.length; k += 1) sorted[k] = rows[order[k]!]!;
  for (let first = 0; first < sorted.length;) {
    const [location, start] = [events.location[sorted[first]!], events.start[sorted[first]!]];
    let end = first + 1;
    while (
      end < sorted.length &&
      events.location[sorted[end]!] === location &&
      events.start[sorted[end]!] === start
    )
      end += 1;
    if (end - first > 1)
      sorted.set(
        Array.from(sorted.subarray(first, end)).sort((a, b) => events.compareWithinPerson(a, b)),
        first,
      );
    first = end;
  }
  const lists = new Map<string, Int32Array>();
  for (let first = 0; first < sorted.length;) {
    const location = events.location[sorted[first]!]!;
    let end = first + 1;
    while (end < sorted.length && events.location[sorted[end]!] === location) end += 1;
    lists.set(events.locationIds[location]!, sorted.subarray(first, end));
    first = end;
  }
  return lists;
}

/** First position in `rows` whose event starts at start number `start` or later. */
export function firstStartingFrom(events: EventRows, rows: Int32Array, start: number): number {
  return firstRowFrom(rows, events.start, start);
}

/** Each row of `lists` at `locationIds` whose event's start date lies in [from, to], in list order. */
function eachEventBetween(
  events: EventRows,
  lists: Map<string, Int32Array>,
  locationIds: readonly string[],
  from: LocalDate,
  to: LocalDate,
  visit: (row: number) => void,
): void {
  // A start `YYYY-MM-DDTHH:MM:SS` sorts after its own date and before the next day's.
  const first = events.startNumberFrom(from);
  const after = events.startNumberFrom(addDays(to, 1));
  for (const locationId of locationIds) {
    const list = lists.get(locationId) ?? NO_ROWS;
    const end = firstStartingFrom(events, list, after);
    for (let i = firstStartingFrom(events, list, first); i < end; i += 1) visit(list[i]!);
  }
}

/**
 * Per location, the indexes of its revenue rows by day; rows of the same day keep their order
 * (a counting sort by day number, stable: the numbers order the days).
 */
function rowsByLocationAndDay(revenue: RevenueRows): Map<string, Int32Array> {
  const days = revenue.days.length;
  const starts = new Int32Array(days + 1);
  for (let i = 0; i < revenue.length; i += 1) starts[revenue.day[i]! + 1]! += 1;
  for (let d = 0; d < days; d += 1) starts[d + 1]! += starts[d]!;
  const byDay = new Int32Array(revenue.length);
  for (let i = 0; i < revenue.length; i += 1) byDay[starts[revenue.day[i]!]!++] = i;
  const counts = new Int32Array(revenue.locationIds.length);
  for (let i = 0; i < revenue.length; i += 1) counts[revenue.location[i]!]! += 1;
  const lists = Array.from(counts, (count) => new Int32Array(count));
  const filled = new Int32Array(revenue.locationIds.length);
  for (const i of byDay) {
    const l = revenue.location[i]!;
    lists[l]![filled[l]!++] = i;
  }
  return new Map(revenue.locationIds.map((locationId, l) => [locationId, lists[l]!]));
}

/** The stretch of a location's revenue rows (by day) whose day lies in [from, to]. */
function revenueRowsBetween(
  revenue: RevenueRows,
  rows: Int32Array,
  from: LocalDate,
  to: LocalDate,
): { start: number; end: number } {
  return {
    start: firstRowFrom(rows, revenue.day, revenue.dayNumberFrom(from)),
    end: firstRowFrom(rows, revenue.day, revenue.dayNumberAfter(to)),
  };
}

/** The rows of `lists` at `locationIds` whose event's start date lies in [from, to]. */
function eventsBetween(
  ctx: MetricContext,
  lists: Map<string, Int32Array>,
  locationIds: readonly string[],
  from: LocalDate,
  to: LocalDate,
): number[] {
  const out: number[] = [];
  eachEventBetween(ctx.data.events, lists, locationIds, from, to, (row) => out.push(row));
  return out;
}

/**
 * Each visit (completed appointment: its row of the metric data's events) at the locations
 * whose start date lies in [from, to], as `visitsBetween` lists them, without the list (a year
 * of a portfolio's visits is millions).
 */
export function eachVisitBetween(
  ctx: MetricContext,
  locationIds: readonly string[],
  from: LocalDate,
  to: LocalDate,
  visit: (row: number) => void,
): void {
  eachEventBetween(ctx.data.events, factsOf(ctx).visitsByLocation, locationIds, from, to, visit);
}

/** The rows of the visits (completed appointments) at the locations whose start date lies in [from, to]. */
export function visitsBetween(
  ctx: MetricContext,
  locationIds: readonly string[],
  from: LocalDate,
  to: LocalDate,
): number[] {
  return eventsBetween(ctx, factsOf(ctx).visitsByLocation, locationIds, from, to);
}

/** The rows of every visit (completed appointment) at one location, by start. */
export function visitsAt(ctx: MetricContext, locationId: string): Int32Array {
  return factsOf(ctx).visitsByLocation.get(locationId) ?? NO_ROWS;
}

/** The metric data's revenue rows (indexes into `ctx.data.revenue`) at one location, by day. */
export function revenueRowsAt(ctx: MetricContext, locationId: string): Int32Array {
  return factsOf(ctx).revenueByLocation.get(locationId) ?? NO_ROWS;
}

/** The rows of every first visit anywhere in the portfolio that took place at one location, by start. */
export function firstVisitsAt(ctx: MetricContext, locationId: string): Int32Array {
  return factsOf(ctx).firstVisitsByLocation.get(locationId) ?? NO_ROWS;
}

/** The rows of the first visits anywhere in the portfolio that took place at the locations in [from, to]. */
export function firstVisitsBetween(
  ctx: MetricContext,
  locationIds: readonly string[],
  from: LocalDate,
  to: LocalDate,
): number[] {
  return eventsBetween(ctx, factsOf(ctx).firstVisitsByLocation, locationIds, from, to);
}

/**
 * Each revenue row (per person, day and location: an index into `ctx.data.revenue`) at the
 * locations whose day lies in [from, to], location by location, each by day.
 */
export function eachRevenueRowBetween(
  ctx: MetricContext,
  locationIds: readonly string[],
  from: LocalDate,
  to: LocalDate,
  visit: (row: number) => void,
): void {
  const facts = factsOf(ctx);
  for (const locationId of locationIds) {
    const rows = facts.revenueByLocation.get(locationId);
    if (rows === undefined) continue;
    const { start, end } = revenueRowsBetween(ctx.data.revenue, rows, from, to);
    for (let i = start; i < end; i += 1) visit(rows[i]!);
  }
}

/**
 * Each person's net revenue (cents) over [from, to] at the locations, for the persons with a
 * revenue row there, in no particular order: what a ranking of patients by revenue needs when it
 * does not need to know who they are.
 */
export function revenuePerPersonBetween(
  ctx: MetricContext,
  locationIds: readonly string[],
  from: LocalDate,
  to: LocalDate,
): number[] {
  const facts = factsOf(ctx);
  // One pair of arrays per context, left all zero after each call (a location's window touches
  // a few thousand of the portfolio's persons: no array of them all is cleared or made per call).
  const { totals, seen } = facts.revenueScratch;
  const persons: number[] = [];
  const revenue = ctx.data.revenue;
  for (const locationId of locationIds) {
    const rows = facts.revenueByLocation.get(locationId);
    if (rows === undefined) continue;
    const { start, end } = revenueRowsBetween(revenue, rows, from, to);
    for (let i = start; i < end; i += 1) {
      const row = rows[i]!;
      const n = revenue.person[row]!;
      if (seen[n] === 0) {
        seen[n] = 1;
        persons.push(n);
      }
      // Whole cents: a double adds them exactly (far below 2^53).
      totals[n]! += revenue.netCents[row]!;
    }
  }
  return persons.map((n) => {
    const cents = totals[n]!;
    totals[n] = 0;
    seen[n] = 0;
    return cents;
  });
}

/** False when none of the locations ingested a single appointment: patient facts are absent. */
export function hasAppointments(ctx: MetricContext, locationIds: readonly string[]): boolean {
  const present = factsOf(ctx).appointmentLocations;
  return locationIds.some((id) => present.has(id));
}

/** The earliest visit in the store: before it nobody can be told apart as "new". */
export function firstVisitOnRecord(ctx: MetricContext): LocalDate | null {
  return factsOf(ctx).firstVisitOnRecord;
}
