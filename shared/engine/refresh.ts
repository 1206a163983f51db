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

/** The part of a store the refresh step uses. */
export interface AggregateStore {
  dirtyLocations(tenant: string): Promise<string[]>;
  /** The location's current facts, or those standing after ingest `asOfIngest` (figures as reported then). */
  loadLocationFacts(tenant: string, locationId: string, asOfIngest?: number): Promise<LocationFactsData>;
  /** Replaces the location's aggregates and clears its dirty mark, atomically. */
  replaceLocationAggregates(
    tenant: string,
    locationId: string,
    aggregates: LocationAggregates,
  ): Promise<void>;
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
  for (const [index, locationId] of dirty.entries()) {
    await refreshLocation(store, tenant, locationId);
    onProgress?.(index + 1, dirty.length, locationId);
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
  const facts = await store.loadLocationFacts(tenant, locationId);
  await store.replaceLocationAggregates(tenant, locationId, computeLocationAggregates(facts));
}
