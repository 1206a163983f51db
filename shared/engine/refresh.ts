import type {
  AppointmentRow,
  PayrollRow,
  SaleRow,
  ServiceCategory,
  ShiftRow,
} from '../model/canonicalBundle';
import { buildLocationAggregates } from './locationAggregates';
import type { DailyMeasure } from './measures';
import {
  buildPatientEvents,
  buildPatientRevenue,
  type PatientEvent,
  type PatientRevenue,
} from './patientEvents';
import { productionIndex } from './payrollAllocation';

/** The canonical facts of one location, as a store hands them to the refresh step. */
export interface LocationFactsData {
  locationId: string;
  categories: readonly (readonly [string, ServiceCategory])[];
  sales: readonly SaleRow[];
  appointments: readonly AppointmentRow[];
  shifts: readonly ShiftRow[];
  payroll: readonly PayrollRow[];
  /** Every provider row of the tenant (provider identity spans locations). */
  providers: readonly { provider_id: string; location_id: string; payroll_employee_id: string | null }[];
  /** Daily production of this location's providers at every location they work at. */
  productionRows: readonly { providerId: string; locationId: string; day: string; cents: number }[];
  /** patient_id → person key for the patients of this location's appointments and sales. */
  personKeys: readonly (readonly [string, string])[];
}

export interface LocationAggregates {
  daily: DailyMeasure[];
  events: PatientEvent[];
  revenue: PatientRevenue[];
}

/**
 * A location's mark of stale aggregates, as a refresh reads it before the location's facts. The
 * refresh clears that mark and no later one: an ingest that commits while the refresh reads
 * (another process, another instance) marks the location again, and the aggregates written
 * from the facts read before it stay marked stale until the next refresh brings its rows in.
 */
export interface DirtyMark {
  /**
   * The first day whose facts the ingests since the last refresh changed at the location, or
   * null when they changed something every day depends on (a patient's person key, a service's
   * category, the roster), or the stored value cannot be spliced: then every day is recomputed.
   */
  from: string | null;
  /** The ingest that marked it last; null for a mark no ingest made (a migration's). */
  ingest: number | null;
}

/** The part of a store the refresh step uses. */
export interface AggregateStore {
  dirtyLocations(tenant: string): Promise<string[]>;
  /** The location's dirty mark, or null when it has none (a refresh then recomputes every day). */
  dirtyMark(tenant: string, locationId: string): Promise<DirtyMark | null>;
  /** The location's current facts, or those standing after ingest `asOfIngest` (figures as reported then). */
  loadLocationFacts(tenant: string, locationId: string, asOfIngest?: number): Promise<LocationFactsData>;
  /**
   * The location's current facts that the days a change from `day` on reaches depend on. A day's
   * aggregates follow from that day's facts, except compensation: a payroll line is spread over
   * its pay period and split by production over it, so a change on a day changes every day of
   * the pay periods covering it. Those days start at `from`, the earliest start of the pay
   * periods reaching `day` (`earliestPayPeriodStart`, or `day` itself); the facts are the sales,
   * appointments and shifts of days from `from` on (and the appointments those sales point at),
   * the payroll lines whose pay period reaches them, and production from the earliest start of
   * those pay periods.
   */
  loadLocationFactsFrom(
    tenant: string,
    locationId: string,
    day: string,
  ): Promise<LocationFactsData & { from: string }>;
  /**
   * Replaces the location's aggregates — all of them, or with `from` only those of days from
   * `from` on (appointments starting then, revenue of those days) — and clears its dirty mark if
   * it is still `seen` (the one read before the facts; null: none, nothing cleared), atomically.
   */
  replaceLocationAggregates(
    tenant: string,
    locationId: string,
    aggregates: LocationAggregates,
    seen: DirtyMark | null,
    from?: string,
  ): Promise<void>;
  /**
   * Refreshes several locations as `refreshLocation` does, side by side (worker threads with
   * their own connections to the same file), calling `onRefreshed` as each is done; or null when
   * the adapter would gain nothing: then, as when absent, one after the other here.
   */
  refreshSideBySide?(
    tenant: string,
    locationIds: readonly string[],
    onRefreshed: (locationId: string) => void,
  ): Promise<void> | null;
}

export function computeLocationAggregates(data: LocationFactsData): LocationAggregates {
  const categories = new Map(data.categories);
  const personKeys = new Map(data.personKeys);
  const providerByPayrollId = new Map<string, string>();
  const providerLocations = new Map<string, string[]>();
  for (const p of data.providers) {
    if (p.payroll_employee_id !== null) providerByPayrollId.set(p.payroll_employee_id, p.provider_id);
    const locations = providerLocations.get(p.provider_id) ?? [];
    if (!locations.includes(p.location_id)) locations.push(p.location_id);
    providerLocations.set(p.provider_id, locations);
  }
  return {
    daily: buildLocationAggregates({
      locationId: data.locationId,
      categories,
      sales: data.sales,
      appointments: data.appointments,
      shifts: data.shifts,
      payroll: data.payroll,
      providerByPayrollId,
      providerLocations,
      production: productionIndex(data.productionRows),
    }),
    events: buildPatientEvents(data.appointments, personKeys, categories),
    revenue: buildPatientRevenue(
      data.sales,
      personKeys,
      new Map(data.appointments.map((a) => [a.appointment_id, a.patient_id])),
    ),
  };
}

/**
 * Recomputes the aggregates of every location an ingest changed (and only those): "aggregate
 * once, answer many". Safe to run at any time; a crash leaves the dirty marks for the next run.
 */
export async function refreshAggregates(
  store: AggregateStore,
  tenant: string,
  onProgress?: (done: number, total: number, locationId: string) => void,
): Promise<string[]> {
  const dirty = await store.dirtyLocations(tenant);
  let done = 0;
  const refreshed = (locationId: string) => onProgress?.(++done, dirty.length, locationId);
  const sideBySide = store.refreshSideBySide?.(tenant, dirty, refreshed) ?? null;
  if (sideBySide !== null) {
    await sideBySide;
    return dirty;
  }
  for (const locationId of dirty) {
    await refreshLocation(store, tenant, locationId);
    refreshed(locationId);
  }
  return dirty;
}

/**
 * Recomputes one location's aggregates: the unit of work that fans out (one queue message per
 * location on Azure Functions). Reads only that location's facts and writes only its
 * aggregates, so locations refresh independently and in any order; the portfolio is the sum.
 */
export async function refreshLocation(
  store: AggregateStore,
  tenant: string,
  locationId: string,
): Promise<void> {
  // Read before the facts: a mark an ingest makes after this is not cleared by this refresh.
  const seen = await store.dirtyMark(tenant, locationId);
  const changedFrom = seen?.from ?? null;
  if (changedFrom === null) {
    const facts = await store.loadLocationFacts(tenant, locationId);
    await store.replaceLocationAggregates(tenant, locationId, computeLocationAggregates(facts), seen);
    return;
  }
  // Recomputed from the earliest start of the pay periods the change reaches (see the port).
  const { from, ...facts } = await store.loadLocationFactsFrom(tenant, locationId, changedFrom);
  await store.replaceLocationAggregates(
    tenant,
    locationId,
    aggregatesFrom(computeLocationAggregates(facts), from),
    seen,
    from,
  );
}

/** The earliest start of the pay periods that reach `day` (or `day` itself). */
export function earliestPayPeriodStart(payroll: readonly PayrollRow[], day: string): string {
  let earliest = day;
  for (const line of payroll) {
    if (line.period_end >= day && line.period_start < earliest) earliest = line.period_start;
  }
  return earliest;
}

/** The aggregates of days from `from` on (appointments starting on them, revenue of them). */
export function aggregatesFrom(aggregates: LocationAggregates, from: string): LocationAggregates {
  return {
    daily: aggregates.daily.filter((d) => d.day >= from),
    // start_at is `YYYY-MM-DDTHH:MM:SS`: at or after the day's text exactly when on or after the day.
    events: aggregates.events.filter((e) => e.startAt >= from),
    revenue: aggregates.revenue.filter((r) => r.day >= from),
  };
}
