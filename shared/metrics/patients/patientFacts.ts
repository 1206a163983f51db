import { byStart, type PatientEvent, type PatientRevenue } from '../../engine/patientEvents';
import { addDays, type LocalDate } from '../../model/localDate';
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
  revenueByLocation: Map<string, PatientRevenue[]>;
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
  for (const list of visitsByLocation.values()) list.sort(byStart);

  const firstVisitsByLocation = new Map<string, PatientEvent[]>();
  let firstVisitOnRecord: LocalDate | null = null;
  for (const first of ctx.patients().firstVisits()) {
    push(firstVisitsByLocation, first.locationId, first);
    if (firstVisitOnRecord === null || dayOf(first) < firstVisitOnRecord) firstVisitOnRecord = dayOf(first);
  }
  for (const list of firstVisitsByLocation.values()) list.sort(byStart);

  const revenueByLocation = new Map<string, PatientRevenue[]>();
  for (const row of ctx.data.revenue) push(revenueByLocation, row.locationId, row);
  for (const list of revenueByLocation.values())
    list.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));

  const facts = {
    visitsByLocation,
    firstVisitsByLocation,
    revenueByLocation,
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

/** Net revenue rows (per person and day) at one location, by day. */
export function revenueAt(ctx: MetricContext, locationId: string): readonly PatientRevenue[] {
  return factsOf(ctx).revenueByLocation.get(locationId) ?? [];
}

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

/** Net revenue rows (per person, day and location) at the locations in [from, to]. */
export function revenueBetween(
  ctx: MetricContext,
  locationIds: readonly string[],
  from: LocalDate,
  to: LocalDate,
): PatientRevenue[] {
  const out: PatientRevenue[] = [];
  const after = addDays(to, 1);
  for (const locationId of locationIds) {
    const list = factsOf(ctx).revenueByLocation.get(locationId) ?? [];
    const end = lowerBound(list, after, (r) => r.day);
    for (let i = lowerBound(list, from, (r) => r.day); i < end; i += 1) {
      const row = list[i];
      if (row !== undefined) out.push(row);
    }
  }
  return out;
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
