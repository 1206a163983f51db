import { byStart, type PatientEvent } from '../../engine/patientEvents';
import type { RevenueRows } from '../../engine/revenueRows';
import { addDays, isLocalDate, type LocalDate, toDayNumber } from '../../model/localDate';
import type { MetricContext } from '../metricContext';

/**
 * The patient-level facts of a tenant arranged for date-range queries: per location, visits
 * and first visits sorted by start and patient revenue sorted by day. A query then reads only
 * the slice of its period (binary search), so a metric over a 50-location portfolio costs the
 * visits of its window, not the whole history. Built once per MetricContext.
 */
interface PatientFacts {
  /** Completed appointments, by start. */
  visitsByLocation: Map<string, PatientEvent[]>;
  /** Each person's first visit anywhere in the portfolio, under the location of that visit. */
  firstVisitsByLocation: Map<string, PatientEvent[]>;
  /** Per location, its rows of the metric data's revenue (indexes into it), by day. */
  revenueByLocation: Map<string, Int32Array>;
  /** Per person number of the revenue: a running sum and whether the walk has met the person (all 0 between walks). */
  revenueScratch: { totals: Float64Array; seen: Uint8Array };
  /** Locations with at least one appointment of any status. */
  appointmentLocations: Set<string>;
  firstVisitOnRecord: LocalDate | null;
}

const cache = new WeakMap<MetricContext, PatientFacts>();

export function dayOf(event: PatientEvent): LocalDate {
  return event.startAt.slice(0, 10);
}

/** First index of `items` (sorted ascending by `keyOf`) whose key is ≥ `key`. */
export function lowerBound<T>(items: readonly T[], key: string, keyOf: (item: T) => string): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const item = items[middle];
    if (item !== undefined && keyOf(item) < key) low = middle + 1;
    else high = middle;
  }
  return low;
}

function push<T>(map: Map<string, T[]>, key: string, item: T): void {
  const list = map.get(key);
  if (list) list.push(item);
  else map.set(key, [item]);
}

function factsOf(ctx: MetricContext): PatientFacts {
  const cached = cache.get(ctx);
  if (cached) return cached;
  const visitsByLocation = new Map<string, PatientEvent[]>();
  const appointmentLocations = new Set<string>();
  for (const event of ctx.data.events) {
    appointmentLocations.add(event.locationId);
    if (event.status === 'completed') push(visitsByLocation, event.locationId, event);
  }
  for (const [locationId, list] of visitsByLocation) visitsByLocation.set(locationId, sortedByStart(list));

  const firstVisitsByLocation = new Map<string, PatientEvent[]>();
  let firstVisitOnRecord: LocalDate | null = null;
  for (const first of ctx.patients().firstVisits()) {
    push(firstVisitsByLocation, first.locationId, first);
    if (firstVisitOnRecord === null || dayOf(first) < firstVisitOnRecord) firstVisitOnRecord = dayOf(first);
  }
  for (const [locationId, list] of firstVisitsByLocation)
    firstVisitsByLocation.set(locationId, sortedByStart(list));

  const revenue = ctx.data.revenue;

  const facts = {
    visitsByLocation,
    firstVisitsByLocation,
    revenueByLocation: rowsByLocationAndDay(revenue),
    revenueScratch: {
      totals: new Float64Array(revenue.personKeys.length),
      seen: new Uint8Array(revenue.personKeys.length),
    },
    appointmentLocations,
    firstVisitOnRecord,
  };
  cache.set(ctx, facts);
  return facts;
}

/** Each event of `lists` at `locationIds` whose start date lies in [from, to], in list order. */
function eachEventBetween(
  lists: Map<string, PatientEvent[]>,
  locationIds: readonly string[],
  from: LocalDate,
  to: LocalDate,
  visit: (event: PatientEvent) => void,
): void {
  // A start `YYYY-MM-DDTHH:MM:SS` sorts after its own date and before the next day's.
  const after = addDays(to, 1);
  for (const locationId of locationIds) {
    const list = lists.get(locationId) ?? [];
    const end = lowerBound(list, after, (e) => e.startAt);
    for (let i = lowerBound(list, from, (e) => e.startAt); i < end; i += 1) visit(list[i]!);
  }
}

/**
 * A location's rows sorted by a whole number per row (minutes or days since 1970) without a
 * comparison per pair: each row's number and its place in the list are packed into one double
 * and the doubles sorted as numbers (millions of visits compared as texts were a tenth of a
 * listing at 200 locations). Equal numbers keep the list's order. Null when a number is not a
 * whole number in [0, 2^31) or the list is too long to pack: the caller compares then.
 */
function sortedByNumber<T>(
  list: readonly T[],
  numberOf: (item: T) => number,
): { sorted: T[]; numbers: Float64Array } | null {
  const places = 2 ** 22;
  if (list.length > places) return null;
  const packed = new Float64Array(list.length);
  for (let i = 0; i < list.length; i += 1) {
    const value = numberOf(list[i]!);
    // Below 2^31 × 2^22 = 2^53: every packed value is an exact double.
    if (!(value >= 0 && value < 2 ** 31 && Number.isInteger(value))) return null;
    packed[i] = value * places + i;
  }
  packed.sort();
  const sorted = new Array<T>(list.length);
  for (let i = 0; i < packed.length; i += 1) {
    const place = packed[i]! % places;
    sorted[i] = list[place]!;
    packed[i] = (packed[i]! - place) / places;
  }
  return { sorted, numbers: packed };
}

/**
 * Day numbers of calendar dates (`isLocalDate`), NaN for any other text: checked once per
 * distinct text (a few thousand days against millions of facts).
 */
function dayNumbers(): (day: string) => number {
  const known = new Map<string, number>();
  return (day) => {
    let number = known.get(day);
    if (number === undefined) {
      number = isLocalDate(day) ? toDayNumber(day) : Number.NaN;
      known.set(day, number);
    }
    return number;
  };
}

/** Two digits at `at` as a number, or NaN. */
function twoDigits(text: string, at: number): number {
  const tens = text.charCodeAt(at) - 48;
  const ones = text.charCodeAt(at + 1) - 48;
  return tens >= 0 && tens <= 9 && ones >= 0 && ones <= 9 ? tens * 10 + ones : Number.NaN;
}

/**
 * Whole minutes since 1970 of a start `YYYY-MM-DDTHH:MM:SS` (a calendar date, a time of day),
 * NaN for any other text. Among such texts the order of the minutes is the order of the texts.
 */
function startMinutes(): (event: PatientEvent) => number {
  const dayNumberOf = dayNumbers();
  return (event) => {
    const start = event.startAt;
    if (start.length !== 19 || start.charCodeAt(10) !== 84 /* T */) return Number.NaN;
    const hours = twoDigits(start, 11);
    const minutes = twoDigits(start, 14);
    const seconds = twoDigits(start, 17);
    if (!(hours <= 23 && minutes <= 59 && seconds <= 59)) return Number.NaN;
    if (start.charCodeAt(13) !== 58 || start.charCodeAt(16) !== 58 /* : */) return Number.NaN;
    return dayNumberOf(start.slice(0, 10)) * 1_440 + hours * 60 + minutes;
  };
}

/**
 * Events by start, then appointment id (`byStart`): by their start's minute, and those of the
 * same minute (the providers of one time slot) among themselves by `byStart`.
 */
function sortedByStart(list: readonly PatientEvent[]): PatientEvent[] {
  const byMinute = sortedByNumber(list, startMinutes());
  if (byMinute === null) return [...list].sort(byStart);
  const { sorted, numbers } = byMinute;
  for (let first = 0; first < sorted.length;) {
    let end = first + 1;
    while (end < sorted.length && numbers[end] === numbers[first]) end += 1;
    if (end - first > 1) {
      const run = sorted.slice(first, end).sort(byStart);
      for (let i = 0; i < run.length; i += 1) sorted[first + i] = run[i]!;
    }
    first = end;
  }
  return sorted;
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
  const first = revenue.dayNumberFrom(from);
  const after = revenue.dayNumberAfter(to);
  const firstAt = (dayNumber: number) => {
    let low = 0;
    let high = rows.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (revenue.day[rows[middle]!]! < dayNumber) low = middle + 1;
      else high = middle;
    }
    return low;
  };
  return { start: firstAt(first), end: firstAt(after) };
}

/** The events of `lists` at `locationIds` whose start date lies in [from, to]. */
function eventsBetween(
  lists: Map<string, PatientEvent[]>,
  locationIds: readonly string[],
  from: LocalDate,
  to: LocalDate,
): PatientEvent[] {
  const out: PatientEvent[] = [];
  eachEventBetween(lists, locationIds, from, to, (event) => out.push(event));
  return out;
}

/**
 * Each visit (completed appointment) at the locations whose start date lies in [from, to], as
 * `visitsBetween` lists them, without the list (a year of a portfolio's visits is millions).
 */
export function eachVisitBetween(
  ctx: MetricContext,
  locationIds: readonly string[],
  from: LocalDate,
  to: LocalDate,
  visit: (event: PatientEvent) => void,
): void {
  eachEventBetween(factsOf(ctx).visitsByLocation, locationIds, from, to, visit);
}

/** Visits (completed appointments) at the locations whose start date lies in [from, to]. */
export function visitsBetween(
  ctx: MetricContext,
  locationIds: readonly string[],
  from: LocalDate,
  to: LocalDate,
): PatientEvent[] {
  return eventsBetween(factsOf(ctx).visitsByLocation, locationIds, from, to);
}

/** Every visit (completed appointment) at one location, by start. */
export function visitsAt(ctx: MetricContext, locationId: string): readonly PatientEvent[] {
  return factsOf(ctx).visitsByLocation.get(locationId) ?? [];
}

/** The metric data's revenue rows (indexes into `ctx.data.revenue`) at one location, by day. */
export function revenueRowsAt(ctx: MetricContext, locationId: string): Int32Array {
  return factsOf(ctx).revenueByLocation.get(locationId) ?? NO_ROWS;
}

const NO_ROWS = new Int32Array(0);

/** Every first visit anywhere in the portfolio that took place at one location, by start. */
export function firstVisitsAt(ctx: MetricContext, locationId: string): readonly PatientEvent[] {
  return factsOf(ctx).firstVisitsByLocation.get(locationId) ?? [];
}

/** First visits anywhere in the portfolio that took place at the locations in [from, to]. */
export function firstVisitsBetween(
  ctx: MetricContext,
  locationIds: readonly string[],
  from: LocalDate,
  to: LocalDate,
): PatientEvent[] {
  return eventsBetween(factsOf(ctx).firstVisitsByLocation, locationIds, from, to);
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
