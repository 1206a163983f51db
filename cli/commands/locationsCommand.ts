import { editLocation, type LocationField, locationOrReason, SETTABLE_FIELDS } from '../../io/locationEdits';
import { loadTenantSecret } from '../../io/tenantSecrets';
import { type LocationRecord, normalizeLocationName } from '../../shared/connectors/locationIdentity';
import type { IngestReport } from '../../shared/ingest/dataQuality';
import { createPseudonymizer } from '../../shared/privacy/pseudonymize';
import type { CaliperStore } from '../../shared/store/store.port';
import { type CliConfig, UsageError } from '../config';

/**
 * `caliper locations`: the tenant's locations as the exports created or the bundles described
 * them — list, set fields (opened_on, region, time zone… that no export carries) and save
 * aliases (another name or vendor id of a location). A change of fields is a new version of
 * the location's row through the one canonical ingest, so the earlier version stays in history.
 */

export { type LocationField, SETTABLE_FIELDS } from '../../io/locationEdits';

export function formatLocationList(locations: readonly LocationRecord[]): string {
  if (locations.length === 0) {
    return 'No locations yet. Ingest a bundle or vendor exports: their locations are created from them.';
  }
  const idWidth = Math.max(11, ...locations.map((l) => l.location_id.length));
  const nameWidth = Math.max(4, ...locations.map((l) => l.name.length));
  const lines = [
    `${'location_id'.padEnd(idWidth)}  ${'name'.padEnd(nameWidth)}  ${'emr'.padEnd(10)}  ${'opened_on'.padEnd(10)}  ${'closed_on'.padEnd(10)}  ${'region'.padEnd(12)}  ${'timezone'.padEnd(20)}  aliases`,
  ];
  for (const l of locations) {
    lines.push(
      `${l.location_id.padEnd(idWidth)}  ${l.name.padEnd(nameWidth)}  ${(l.emr_system ?? '—').padEnd(10)}  ${(l.opened_on ?? 'unknown').padEnd(10)}  ${(l.closed_on ?? '').padEnd(10)}  ${(l.region ?? '—').padEnd(12)}  ${(l.timezone ?? '—').padEnd(20)}  ${l.aliases.join('; ')}`,
    );
  }
  const unknown = locations.filter((l) => l.opened_on === null).map((l) => l.location_id);
  if (unknown.length > 0) {
    lines.push(
      '',
      `Opening date unknown for ${unknown.join(', ')}: same-store growth and age cohorts leave ${unknown.length === 1 ? 'it' : 'them'} out until it is set (caliper locations set ID --opened-on YYYY-MM-DD).`,
    );
  }
  return lines.join('\n');
}

async function findLocation(
  store: CaliperStore,
  tenant: string,
  locationId: string,
): Promise<LocationRecord> {
  const found = await locationOrReason(store, tenant, locationId);
  if (typeof found === 'string') throw new UsageError(`${found} (caliper locations lists them)`);
  return found;
}

/**
 * Sets fields of one location, checked by the canonical ingest like a locations.csv row; an
 * empty value clears a field that may be empty.
 */
export async function setLocationFields(
  store: CaliperStore,
  config: CliConfig,
  locationId: string,
  changes: Partial<Record<LocationField, string>>,
): Promise<IngestReport> {
  if (Object.keys(changes).length === 0) {
    throw new UsageError(
      `locations set needs at least one field: ${SETTABLE_FIELDS.map((f) => `--${f.replace(/_/g, '-')}`).join(', ')}`,
    );
  }
  const edit = await editLocation(
    store,
    config.tenant,
    createPseudonymizer(loadTenantSecret(config.storeFile, config.tenant)),
    locationId,
    changes,
    `caliper locations set ${locationId}`,
  );
  if (edit.kind === 'unknown_location') throw new UsageError(edit.message);
  return edit.report;
}

/** Saves names (or vendor ids such as `mindbody:3`) under which the exports name a location. */
export async function addLocationAliases(
  store: CaliperStore,
  tenant: string,
  locationId: string,
  aliases: readonly string[],
): Promise<LocationRecord> {
  await findLocation(store, tenant, locationId);
  for (const alias of aliases) {
    if (alias.length > 200)
      throw new UsageError(`alias ${JSON.stringify(alias.slice(0, 40))}… is longer than 200 characters`);
    if (normalizeLocationName(alias) === '') {
      throw new UsageError(`alias ${JSON.stringify(alias)} has no letters or digits`);
    }
  }
  for (const alias of aliases) await store.saveLocationAlias(tenant, locationId, alias);
  return findLocation(store, tenant, locationId);
}
