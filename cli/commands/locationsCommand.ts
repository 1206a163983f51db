import {
  editLocation,
  type LocationMergeAnswer,
  locationOrReason,
  mergeLocation,
} from '../../io/locationEdits';
import { loadTenantSecret } from '../../io/tenantSecrets';
import { type LocationRecord, normalizeLocationName } from '../../shared/connectors/locationIdentity';
import { type LocationField, SETTABLE_FIELDS } from '../../shared/contract/locations';
import type { IngestReport } from '../../shared/ingest/dataQuality';
import { createPseudonymizer } from '../../shared/privacy/pseudonymize';
import type { CaliperStore } from '../../shared/store/store.port';
import { type CliConfig, UsageError } from '../config';

/**
 * `caliper locations`: the tenant's locations as the exports created or the bundles described
 * them — list, set fields (opened_on, region, time zone… that no export carries) and save
 * aliases (another name or vendor id of a location), merge two locations that are one. A change
 * of fields is a new version of the location's row through the one canonical ingest, so the
 * earlier version stays in history; a merge is an ingest too.
 */

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

/**
 * Merges `fromId` into `intoId`: FROM's facts now count at INTO, FROM's names resolve to INTO.
 * Unknown ids and a location merged into itself are usage errors; a refused merge (conflicting
 * rows) answers with `committed: false` and writes nothing.
 */
export async function mergeLocations(
  store: CaliperStore,
  tenant: string,
  fromId: string,
  intoId: string,
  keepInto: boolean,
): Promise<LocationMergeAnswer> {
  const merge = await mergeLocation(store, tenant, fromId, intoId, {
    label: `caliper locations merge ${fromId} ${intoId}`,
    keepInto,
  });
  if (merge.kind === 'unknown_location')
    throw new UsageError(`${merge.message} (caliper locations lists them)`);
  if (merge.kind === 'same_location') throw new UsageError(merge.message);
  return merge.answer;
}

function counts(byEntity: Partial<Record<string, number>>): string {
  return Object.entries(byEntity)
    .map(
      ([entity, n]) =>
        `${n} ${entity === 'patients' ? 'patients (home location)' : entity.replace(/_/g, ' ')}`,
    )
    .join(', ');
}

function shownValue(value: string | number | null): string {
  return value === null ? '(none)' : String(value);
}

/** What a merge did (or why it did nothing), for a person. */
export function formatLocationMerge(answer: LocationMergeAnswer): string {
  const { from, into } = answer;
  if (!answer.committed) {
    const lines = [`Nothing was written: ${answer.failure ?? 'the merge was refused'}`];
    for (const c of answer.conflicts) {
      const key = Object.entries(c.key)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
      const what = c.differences.map(
        (d) => `${d.column} ${d.from ?? '(empty)'} at ${from} vs ${d.into ?? '(empty)'} at ${into}`,
      );
      lines.push(`  ${c.entity} ${key}: ${what.join('; ')}`);
    }
    return lines.join('\n');
  }
  const name = answer.location ? ` (${answer.location.name})` : '';
  const lines = [`Merged ${from} into ${into}${name} (ingest #${answer.ingest_id}).`];
  const moved = counts(answer.moved);
  lines.push(moved === '' ? `${from} had no facts to move.` : `Now at ${into}: ${moved}.`);
  const duplicates = counts(answer.duplicates);
  if (duplicates !== '') lines.push(`In both with the same values, counted once: ${duplicates}.`);
  if (answer.providers_combined.length > 0) {
    lines.push(`Providers at both, one row at ${into} now: ${answer.providers_combined.join(', ')}.`);
  }
  if (answer.conflicts.length > 0) {
    lines.push(
      `${answer.conflicts.length} row(s) of ${from} differed from ${into}'s with the same key: ${into}'s kept (--keep-into), ${from}'s stay in history.`,
    );
  }
  const filled = Object.entries(answer.filled).map(([f, v]) => `${f} ${v}`);
  if (filled.length > 0) lines.push(`Filled from ${from}: ${filled.join(', ')}.`);
  const kept = Object.entries(answer.kept).map(
    ([f, v]) => `${f} ${shownValue(v.into)} (${from} had ${shownValue(v.from)})`,
  );
  if (kept.length > 0) lines.push(`Kept ${into}'s own: ${kept.join(', ')}.`);
  if (answer.location) lines.push(`${into} also goes by: ${answer.location.aliases.join('; ')}`);
  for (const s of answer.aliases_skipped) {
    lines.push(`Not an alias of ${into}: "${s.alias}" already names ${s.location_id}.`);
  }
  lines.push(
    `${from} is no longer a location; its earlier rows stay in history, and later exports that name it count at ${into}.`,
  );
  return lines.join('\n');
}
