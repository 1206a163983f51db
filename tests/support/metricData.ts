import { EventRows } from '../../shared/engine/eventRows';
import type { DailyMeasure } from '../../shared/engine/measures';
import type { PatientEvent } from '../../shared/engine/patientEvents';
import { RevenueRows } from '../../shared/engine/revenueRows';
import { DailySeries } from '../../shared/metrics/dailySeries';
import { LeadRows } from '../../shared/metrics/leadRows';
import type { MetricData } from '../../shared/metrics/metricData';
import type { LocationRow } from '../../shared/model/canonicalBundle';

/** A location row with defaults for what a test does not care about. */
export function location(locationId: string, overrides: Partial<LocationRow> = {}): LocationRow {
  return {
    location_id: locationId,
    name: `Location ${locationId}`,
    region: null,
    timezone: null,
    opened_on: '2015-01-01',
    closed_on: null,
    acquired_on: null,
    emr_system: null,
    rooms: null,
    ...overrides,
  };
}

/**
 * MetricData built by hand, for metrics that are pure functions of the daily measures: the
 * same object the store loads, without a database in between.
 */
export function metricData(
  locations: LocationRow[],
  daily: DailyMeasure[],
  range: { first: string; last: string },
): MetricData {
  const series = new DailySeries(range.first, range.last);
  for (const row of daily) series.add(row);
  series.finalize();
  return {
    tenant: 't1',
    version: 1,
    locations,
    providers: [],
    daily: series,
    events: EventRows.EMPTY,
    revenue: RevenueRows.from([]),
    patients: [],
    memberships: [],
    leads: LeadRows.from([]),
    spend: [],
    dataRange: new Map(locations.map((l) => [l.location_id, range])),
  };
}

/** A completed appointment without provider, category or booking date, unless `overrides` say otherwise. */
export function patientEvent(
  overrides: Partial<PatientEvent> & Pick<PatientEvent, 'appointmentId' | 'personKey' | 'startAt'>,
): PatientEvent {
  return {
    locationId: 'L1',
    patientId: overrides.personKey,
    providerId: null,
    category: null,
    status: 'completed',
    bookedOn: null,
    durationMin: 30,
    ...overrides,
  };
}
