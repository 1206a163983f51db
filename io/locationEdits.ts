import { createHash } from 'node:crypto';

import {
  LOCATION_COLUMNS,
  type LocationRecord,
  normalizeLocationName,
} from '../shared/connectors/locationIdentity';
import { toRecordFiles } from '../shared/connectors/vendorConversion';
import type { LocationField } from '../shared/contract/locations';
import type { Bundle, RecordFile } from '../shared/ingest/bundle';
import type { IngestReport } from '../shared/ingest/dataQuality';
import { ingestBundles } from '../shared/ingest/ingestBundles';
import { type LocationMergeResult, mergeLocations } from '../shared/ingest/locationMerge';
import type { Pseudonymizer } from '../shared/privacy/pseudonymize';
import type { CaliperStore } from '../shared/store/store.port';

/**
 * Edits of a location's fields (opening date, region, time zone… that no export carries), for
 * the CLI and the API alike. An edit is a new version of the location's row through the one
 * canonical ingest — checked like a locations.csv row, the earlier version kept in history.
 */

/** The location, or why there is none (naming the locations whose name looks like it). */
export async function locationOrReason(
  store: CaliperStore,
  tenant: string,
  locationId: string,
): Promise<LocationRecord | string> {
  const locations = await store.locationIdentities(tenant);
  const found = locations.find((l) => l.location_id === locationId);
  if (found) return found;
  const wanted = normalizeLocationName(locationId);
  // A merged location's id (or another saved name) is an alias now: say whose.
  const aliasOf = locations.find((l) => l.aliases.some((a) => normalizeLocationName(a) === wanted));
  if (wanted !== '' && aliasOf) {
    return `no location ${JSON.stringify(locationId)} in tenant "${tenant}": it is a name of ${aliasOf.location_id} (${aliasOf.name}) now, merged or saved as an alias`;
  }
  const close = locations
    .filter((l) => wanted !== '' && normalizeLocationName(l.name).includes(wanted))
    .map((l) => `${l.location_id} (${l.name})`);
  return `no location ${JSON.stringify(locationId)} in tenant "${tenant}"${close.length > 0 ? `; did you mean ${close.join(', ')}?` : ''}`;
}

/** The location's row with the changes, as a one-record locations file. */
function locationsFile(
  location: LocationRecord,
  changes: Partial<Record<LocationField, string>>,
  label: string,
): RecordFile {
  const values: Record<string, string> = {};
  for (const column of LOCATION_COLUMNS) {
    const value = location[column];
    values[column] =
      column !== 'location_id' && changes[column] !== undefined
        ? changes[column]
        : value === null
          ? ''
          : String(value);
  }
  const records = [{ entity: 'locations' as const, sourceRow: 1, values }];
  const digest = createHash('sha256').update(JSON.stringify(values)).digest('hex');
  return toRecordFiles(label, records, { sha256: digest, bytes: 0 })[0]!;
}

export type LocationEdit =
  { kind: 'unknown_location'; message: string } | { kind: 'ingested'; report: IngestReport };

/** Writes the changed row (all-or-nothing); `label` names the edit in lineage and the data-quality log. */
export async function editLocation(
  store: CaliperStore,
  tenant: string,
  pseudonymizer: Pseudonymizer,
  locationId: string,
  changes: Partial<Record<LocationField, string>>,
  label: string,
): Promise<LocationEdit> {
  const location = await locationOrReason(store, tenant, locationId);
  if (typeof location === 'string') return { kind: 'unknown_location', message: location };
  const bundle: Bundle = { label, files: [locationsFile(location, changes, label)] };
  const report = await ingestBundles([bundle], { store, tenant, pseudonymizer });
  return { kind: 'ingested', report };
}

/** A merge as the CLI and the API answer it: the merge and INTO as it now is. */
export type LocationMergeAnswer = LocationMergeResult & { location: LocationRecord | null };

export type LocationMerge =
  | { kind: 'unknown_location'; message: string }
  | { kind: 'same_location'; message: string }
  | { kind: 'merged'; answer: LocationMergeAnswer };

/**
 * Merges location `fromId` into `intoId` (shared/ingest/locationMerge.ts): one ingest,
 * all-or-nothing. Unknown ids are named (with the locations whose name looks like them); the
 * tenant is the caller's, so a location of another tenant is unknown like any other.
 */
export async function mergeLocation(
  store: CaliperStore,
  tenant: string,
  fromId: string,
  intoId: string,
  options: { label: string; keepInto?: boolean },
): Promise<LocationMerge> {
  if (fromId === intoId) {
    return {
      kind: 'same_location',
      message: `cannot merge location ${JSON.stringify(fromId)} into itself: name the location to merge and the one it becomes`,
    };
  }
  for (const id of [fromId, intoId]) {
    const found = await locationOrReason(store, tenant, id);
    if (typeof found === 'string') return { kind: 'unknown_location', message: found };
  }
  const result = await mergeLocations(store, tenant, {
    from: fromId,
    into: intoId,
    label: options.label,
    keepInto: options.keepInto === true,
  });
  const location = (await store.locationIdentities(tenant)).find((l) => l.location_id === intoId) ?? null;
  return { kind: 'merged', answer: { ...result, location } };
}
