/* How the Locations view names a location's fields and what an unknown opening date costs. */
import type { LocationRecord } from '../api/caliperClient';

export type LocationFieldName = Exclude<keyof LocationRecord, 'location_id' | 'aliases'>;

/** Labels in the table, the form and the "what changed" lines, in locations.csv order. */
export const FIELD_LABELS: Record<LocationFieldName, string> = {
  name: 'Name',
  region: 'Region',
  timezone: 'Time zone',
  opened_on: 'Opened',
  closed_on: 'Closed',
  acquired_on: 'Acquired',
  emr_system: 'EMR',
  rooms: 'Rooms',
};

/**
 * Why an opening date matters, said where it is missing: same-store growth and the age-band
 * peer cohorts need to know how long a location has been open, so they leave it out.
 */
export const OPENING_DATE_CONSEQUENCE =
  'not in same-store growth or peer cohorts until its opening date is set';

/** The locations whose opening date nobody has set yet (the ones exports created, typically). */
export function withoutOpeningDate(locations: readonly LocationRecord[]): LocationRecord[] {
  return locations.filter((l) => l.opened_on === null);
}

/** `Evolve Austin (evolve-austin)`: the name users know and the id formulas use. */
export function locationTitle(location: Pick<LocationRecord, 'name' | 'location_id'>): string {
  return location.name === location.location_id
    ? location.location_id
    : `${location.name} (${location.location_id})`;
}
