import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import {
  type KpiFigure,
  readBusinessKpi,
  zenotiBusinessKpi,
} from '../shared/connectors/csv/zenotiBusinessKpi';
import { crossCheckKpis, type KpiCrossCheckRow } from '../shared/connectors/kpiCrossCheck';
import {
  type AssumedLocation,
  type CreatedLocation,
  type KnownLocationIdentity,
  LocationDirectory,
} from '../shared/connectors/locationIdentity';
import { OPTION_FILE_TITLES, type OptionFileKind, optionFileKindOf } from '../shared/connectors/optionFiles';
import { applyRevenueSources, dropDuplicatePaymentViews } from '../shared/connectors/revenueSources';
import {
  convertVendorFile,
  dimensionKey,
  isCanonicalCsv,
  mergeDimensionRows,
  toRecordFiles,
  unmappedServices,
  type VendorConversionOptions,
} from '../shared/connectors/vendorConversion';
import { parseHeaderLine, readVendorCsv } from '../shared/connectors/vendorCsv';
import type { CanonicalRecord } from '../shared/connectors/vendorProfile';
import type { FileIssue, RecognizedFile } from '../shared/contract/ingest';
import type { Bundle, BundleFile, ByteFile, RecordFile } from '../shared/ingest/bundle';
import { normalizeHeader } from '../shared/ingest/ingestBundles';
import type { ServiceCategory } from '../shared/model/canonicalBundle';
import { fileSpecByName } from '../shared/model/canonicalBundle';
import { isKnownTimeZone } from '../shared/model/cellTypes';
import type { ReconciliationRow } from '../shared/reconciliation/salesReconciliation';
import { BundleOpenError, guardBundleFile, openBundles } from './bundleFiles';
import { providerIdsOfText, serviceCategoriesOfText, VendorOptionError } from './vendorOptionFiles';

/**
 * Vendor exports (a folder, a .zip or single files) → the canonical bundles the one canonical
 * ingest reads. Each vendor file is recognized, converted into canonical rows and written as
 * canonical CSV files in memory named after it (`exports/zenoti_appointments.csv →
 * appointments.csv`); canonical files ride along untouched. A conversion error in any file
 * fails the whole ingest before the store is opened.
 */

/** A vendor export's data rows (JSON records) and how many its conversion rejected. */
export interface ConvertedRows {
  file: string;
  rows_read: number;
  rows_rejected: number;
}

export type VendorBundles =
  | {
      ok: true;
      bundles: Bundle[];
      recognized: RecognizedFile[];
      warnings: FileIssue[];
      /** EMR vs POS net sales per location-month, where a location's sales came from both. */
      reconciliation: ReconciliationRow[];
      /** Zenoti Business KPI figures against the same figures recomputed from the detailed Zenoti reports. */
      kpiCrossCheck: KpiCrossCheckRow[];
      /** Locations the exports named that neither the store nor the bundle described: created by this ingest. */
      createdLocations: CreatedLocation[];
      /** Each export's rows and those its conversion rejected: the ingest holds them to the rejected-row threshold. */
      conversionRows: ConvertedRows[];
    }
  | { ok: false; recognized: RecognizedFile[]; errors: FileIssue[]; warnings: FileIssue[] };

/** The first line of a file, without reading a large canonical file whole. */
async function firstLineOf(file: ByteFile): Promise<string> {
  let head = '';
  for await (const chunk of file.read()) {
    head += chunk.toString('utf8');
    if (head.includes('\n') || head.length > 1 << 16) break;
  }
  return head.split(/\r?\n/, 1)[0] ?? '';
}

async function readAll(file: ByteFile): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of file.read()) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** openBundles, plus a single vendor `.json` file as a bundle of one. */
async function openSource(sourcePath: string): Promise<Bundle<ByteFile>[]> {
  if (sourcePath.toLowerCase().endsWith('.json')) {
    const stat = await fs.promises.stat(sourcePath).catch(() => null);
    if (!stat?.isFile()) throw new BundleOpenError(`${sourcePath}: no such file or folder`);
    const file: ByteFile = {
      name: path.basename(sourcePath),
      displayPath: path.basename(sourcePath),
      bytes: stat.size,
      read: () => fs.createReadStream(sourcePath) as AsyncIterable<Buffer>,
    };
    return [{ label: sourcePath, folder: '', files: [guardBundleFile(file)] }];
  }
  return openBundles(sourcePath);
}

/** The locations a canonical locations.csv describes (id, name, time zone); none when it is broken. */
async function describedLocations(file: ByteFile): Promise<KnownLocationIdentity[]> {
  let csv;
  try {
    csv = readVendorCsv((await readAll(file)).toString('utf8'));
  } catch {
    return []; // a broken locations.csv is the canonical ingest's to report
  }
  const headers = csv.headers.map(normalizeHeader);
  const id = headers.indexOf('location_id');
  const name = headers.indexOf('name');
  const zone = headers.indexOf('timezone');
  if (id === -1) return [];
  const locations: KnownLocationIdentity[] = [];
  for (const row of csv.rows) {
    const locationId = row.cells[id]?.trim() ?? '';
    const timeZone = zone === -1 ? '' : (row.cells[zone]?.trim() ?? '');
    if (locationId === '') continue;
    locations.push({
      location_id: locationId,
      name: name === -1 ? '' : (row.cells[name]?.trim() ?? ''),
      timezone: timeZone !== '' && isKnownTimeZone(timeZone) ? timeZone : null,
    });
  }
  return locations;
}

/** The services, providers and patients the user's own canonical files of the upload give, by key. */
async function givenDimensionKeys(files: readonly ByteFile[]): Promise<Set<string>> {
  const keys = new Set<string>();
  for (const file of files) {
    const entity = fileSpecByName(file.name)?.entity;
    if (entity === undefined || dimensionKey(entity, {}) === null) continue;
    let csv;
    try {
      csv = readVendorCsv((await readAll(file)).toString('utf8'));
    } catch {
      continue; // a broken file is the canonical ingest's to report
    }
    const headers = csv.headers.map(normalizeHeader);
    for (const row of csv.rows) {
      const values = Object.fromEntries(headers.map((h, i) => [h, row.cells[i]?.trim() ?? '']));
      const key = dimensionKey(entity, values);
      if (key !== null) keys.add(key);
    }
  }
  return keys;
}

/** What one folder of the upload says for the exports in it and below it. */
interface FolderSettings {
  /** The locations its locations.csv describes; null when it has none. */
  described: KnownLocationIdentity[] | null;
  serviceCategories: Map<string, ServiceCategory>;
  providerIds: Map<string, string>;
}

/** A bundle of the upload with its place: which path it came from and its folder inside it. */
interface Placed {
  bundle: Bundle<ByteFile>;
  tree: number;
  folder: string;
  settings: FolderSettings;
}

/** The bundle's own folder and the folders above it in the same tree, nearest first. */
function foldersUp(placed: readonly Placed[], at: Placed): Placed[] {
  const above = (p: Placed) =>
    p.folder === at.folder || p.folder === '' || at.folder.startsWith(`${p.folder}/`);
  return placed
    .filter((p) => p.tree === at.tree && above(p))
    .sort((a, b) => b.folder.length - a.folder.length);
}

/**
 * The one location a folder stands for: the nearest locations.csv (its own or a parent
 * folder's) when it describes exactly one, else the folder's name when it names one known
 * location (`Charleston/`).
 */
function folderLocationOf(
  placed: readonly Placed[],
  at: Placed,
  locations: LocationDirectory,
): string | undefined {
  const nearest = foldersUp(placed, at).find((p) => p.settings.described !== null);
  if (nearest !== undefined) {
    const described = nearest.settings.described ?? [];
    return described.length === 1 ? described[0]!.location_id : undefined;
  }
  const name = at.folder.split('/').pop() ?? '';
  return name === '' ? undefined : (locations.find(name) ?? undefined);
}

/** Settings of the folders above, overridden by nearer ones, then by the command's own options. */
function mergedSettings<T>(
  up: readonly Placed[],
  pick: (s: FolderSettings) => Map<string, T>,
  given: ReadonlyMap<string, T> | undefined,
): Map<string, T> | undefined {
  const merged = new Map<string, T>();
  for (const p of [...up].reverse()) for (const [k, v] of pick(p.settings)) merged.set(k, v);
  for (const [k, v] of given ?? []) merged.set(k, v);
  return merged.size === 0 ? undefined : merged;
}

/**
 * The canonical locations.csv of the locations the exports named and no one had described:
 * id, name and EMR from the export; opening date, region and time zone are the user's to add.
 */
function createdLocationsFile(created: readonly CreatedLocation[]): RecordFile {
  const records = created.map((l, index) => ({
    entity: 'locations' as const,
    sourceRow: index + 1,
    values: { location_id: l.location_id, name: l.name, emr_system: l.emr_system ?? '' },
  }));
  const digest = createHash('sha256').update(JSON.stringify(records)).digest('hex');
  const [file] = toRecordFiles('locations created from the exports', records, { sha256: digest, bytes: 0 });
  return file!;
}

function createdLocationWarnings(created: readonly CreatedLocation[]): FileIssue[] {
  return created.map((l) => ({
    file: 'locations created from the exports',
    severity: 'warning',
    row: null,
    column: null,
    code: 'location_created',
    message: `location ${l.location_id} (${JSON.stringify(l.mentions.join(' / '))} in ${l.vendor} exports) was created: add its opened_on (same-store growth and peer cohorts need it), region and timezone with \`caliper locations set ${l.location_id} --opened-on YYYY-MM-DD\`, or save the name as an alias of an existing location`,
  }));
}

function assumedLocationWarnings(assumed: readonly AssumedLocation[]): FileIssue[] {
  return assumed.map((a) => ({
    file: 'locations of the exports',
    severity: 'warning',
    row: null,
    column: null,
    code: 'location_assumed',
    message: `${a.vendor.charAt(0).toUpperCase()}${a.vendor.slice(1)} location id ${JSON.stringify(a.vendorKey)} was read as ${a.locationId}, the one location its folder describes: save it with \`caliper locations alias ${a.locationId} ${a.vendorKey}\` so that exports outside this folder resolve it too`,
  }));
}

/** Throws BundleOpenError for a path that is not a folder, zip, CSV or JSON file. */
export interface VendorBundleOptions extends VendorConversionOptions {
  /** Bytes of vendor exports converted so far, of all of them, and the file being converted. */
  onConvertProgress?: (bytesDone: number, bytesTotal: number, file: string) => void;
  /** location id → the system whose sales count as revenue there (default: the EMR). */
  revenueSources?: Readonly<Record<string, string>>;
  /** The tenant's locations already in the store, which the exports' location names resolve to. */
  knownLocations?: readonly KnownLocationIdentity[];
}

const isDataFile = (file: Pick<BundleFile, 'name'>) => /\.(csv|tsv|json)$/i.test(file.name);

/**
 * How each file of a bundle is read: canonical (or not data) streams through to the canonical
 * ingest, an option file sets its folder's settings, anything else is a vendor export.
 */
type FileRole = { kind: 'pass' } | { kind: 'option'; option: OptionFileKind } | { kind: 'export' };

async function roleOf(file: ByteFile): Promise<FileRole> {
  if (!isDataFile(file)) return { kind: 'pass' };
  if (file.name.toLowerCase().endsWith('.json')) return { kind: 'export' };
  const headers = parseHeaderLine(await firstLineOf(file));
  if (fileSpecByName(file.name) !== undefined && isCanonicalCsv(file.name, headers)) return { kind: 'pass' };
  const option = optionFileKindOf(headers);
  return option === null ? { kind: 'export' } : { kind: 'option', option };
}

/** Reads a folder's locations.csv and option files; an unreadable option file is an error naming it. */
async function folderSettings(
  files: readonly ByteFile[],
  roles: readonly FileRole[],
  recognized: RecognizedFile[],
  errors: FileIssue[],
): Promise<FolderSettings> {
  const settings: FolderSettings = { described: null, serviceCategories: new Map(), providerIds: new Map() };
  for (const [i, file] of files.entries()) {
    const role = roles[i]!;
    if (role.kind === 'pass' && file.name.toLowerCase() === 'locations.csv') {
      settings.described = [...(settings.described ?? []), ...(await describedLocations(file))];
    }
    if (role.kind !== 'option') continue;
    const text = (await readAll(file)).toString('utf8');
    try {
      const read =
        role.option === 'service_categories'
          ? serviceCategoriesOfText(text, file.displayPath)
          : providerIdsOfText(text, file.displayPath);
      const target: Map<string, string> =
        role.option === 'service_categories' ? settings.serviceCategories : settings.providerIds;
      for (const [k, v] of read) target.set(k, v);
      recognized.push({
        file: file.displayPath,
        profile: `caliper.${role.option}`,
        vendor: 'Caliper',
        report: OPTION_FILE_TITLES[role.option],
        score: 1,
        forced: false,
        rows: read.size,
      });
    } catch (error) {
      if (!(error instanceof VendorOptionError)) throw error;
      errors.push({
        file: file.displayPath,
        severity: 'error',
        row: null,
        column: null,
        code: 'invalid_option_file',
        message: error.message,
      });
    }
  }
  return settings;
}

export async function openVendorBundles(
  paths: readonly string[],
  options: VendorBundleOptions = {},
): Promise<VendorBundles> {
  const recognized: RecognizedFile[] = [];
  const errors: FileIssue[] = [];
  const warnings: FileIssue[] = [];

  // First what every folder says of itself: the locations its locations.csv describes and the
  // option files beside the exports.
  const placed: Placed[] = [];
  const roles = new Map<ByteFile, FileRole>();
  for (const [tree, p] of paths.entries()) {
    for (const bundle of await openSource(p)) {
      const bundleRoles = [];
      for (const file of bundle.files) {
        const role = await roleOf(file);
        roles.set(file, role);
        bundleRoles.push(role);
      }
      const settings = await folderSettings(bundle.files, bundleRoles, recognized, errors);
      placed.push({ bundle, tree, folder: bundle.folder ?? '', settings });
    }
  }

  // A bundle's own locations.csv says each location's name and time zone: UTC-stamped payment
  // exports need the zone to put a sale on the location's day, and the exports' center names
  // are matched to the names. What the store knows gives way to what this upload says.
  const described = placed.flatMap((p) => p.settings.described ?? []);
  const timeZones: Record<string, string> = { ...(options.timeZones ?? {}) };
  for (const l of [...(options.knownLocations ?? []), ...described]) {
    if (l.timezone) timeZones[l.location_id] = l.timezone;
  }
  const inBundle = new Set(described.map((l) => l.location_id));
  const locations = new LocationDirectory([
    ...(options.knownLocations ?? []).filter((l) => !inBundle.has(l.location_id)),
    ...described,
  ]);

  const converted: {
    bundle: number;
    displayPath: string;
    profileId: string;
    records: CanonicalRecord[];
    /** The export's digest and size, which its record files carry for lineage and progress. */
    source: { sha256: string; bytes: number };
  }[] = [];
  const kpiFiles: { displayPath: string; figures: KpiFigure[] }[] = [];
  const conversionRows: ConvertedRows[] = [];
  // A file of nothing but records that are not revenue (open orders) fails only an upload
  // that has nothing else; beside other files it is a warning.
  const nothingToImport: FileIssue[] = [];
  const passThrough: ByteFile[][] = placed.map(() => []);
  const categoriesOf: (Map<string, ServiceCategory> | undefined)[] = [];
  // Progress counts the bytes of the exports to convert (canonical files stream later).
  const exports = placed.flatMap((p) => p.bundle.files).filter((f) => roles.get(f)?.kind === 'export');
  const convertTotal = exports.reduce((sum, f) => sum + f.bytes, 0);
  let convertDone = 0;
  for (const [index, at] of placed.entries()) {
    const up = foldersUp(placed, at);
    const folderLocationId = folderLocationOf(placed, at, locations);
    categoriesOf[index] = mergedSettings(up, (s) => s.serviceCategories, options.serviceCategories);
    const fileOptions: VendorConversionOptions = {
      ...options,
      timeZones,
      locations,
      ...(folderLocationId === undefined ? {} : { folderLocationId }),
      serviceCategories: categoriesOf[index],
      providerIds: mergedSettings(up, (s) => s.providerIds, options.providerIds),
    };
    for (const file of at.bundle.files) {
      const role = roles.get(file)!;
      if (role.kind === 'pass') passThrough[index]?.push(file);
      if (role.kind !== 'export') continue;
      options.onConvertProgress?.(convertDone, convertTotal, file.displayPath);
      const content = await readAll(file);
      const outcome = convertVendorFile(
        { name: file.name, displayPath: file.displayPath, content },
        fileOptions,
      );
      convertDone += file.bytes;
      options.onConvertProgress?.(convertDone, convertTotal, file.displayPath);
      if (outcome.kind === 'canonical' || outcome.kind === 'not_data') {
        passThrough[index]?.push(file);
      } else if (outcome.kind === 'failed') {
        const onlyNotRevenue = outcome.issues.every(
          (i) => i.severity !== 'error' || i.code === 'no_revenue_records',
        );
        (onlyNotRevenue ? nothingToImport : errors).push(...outcome.issues);
      } else {
        conversionRows.push({
          file: file.displayPath,
          rows_read: outcome.rows.read,
          rows_rejected: outcome.rows.rejected,
        });
        recognized.push({
          file: file.displayPath,
          profile: outcome.profile.id,
          vendor: outcome.profile.vendor,
          report: outcome.profile.report,
          score: outcome.score,
          forced: outcome.forced,
          rows: outcome.records.length,
        });
        warnings.push(...outcome.issues);
        converted.push({
          bundle: index,
          displayPath: file.displayPath,
          profileId: outcome.profile.id,
          records: outcome.records,
          source: { sha256: createHash('sha256').update(content).digest('hex'), bytes: file.bytes },
        });
        // A Business KPI file converts to no rows; its figures are read again for the cross-check.
        if (outcome.profile.id === zenotiBusinessKpi.id) {
          const kpi = readBusinessKpi(readVendorCsv(content.toString('utf8')), {
            fileName: file.name,
            locationId: options.locationId ?? folderLocationId,
          });
          kpiFiles.push({ displayPath: file.displayPath, figures: kpi.figures });
        }
      }
    }
  }
  const anythingElse = converted.length > 0 || passThrough.some((files) => files.some(isDataFile));
  if (anythingElse) warnings.push(...nothingToImport.map((i) => ({ ...i, severity: 'warning' as const })));
  else errors.push(...nothingToImport);
  if (errors.length > 0) return { ok: false, recognized, errors, warnings };

  // Before the dimension merge, so the dropped POS lines never reach the canonical files.
  const views = dropDuplicatePaymentViews(converted);
  warnings.push(...views.warnings);
  const revenue = applyRevenueSources(views.files, options.revenueSources);
  warnings.push(...revenue.warnings);
  // Against every Zenoti row converted, including EMR sales a --revenue-source POS replaces.
  const kpiCrossCheck = crossCheckKpis(kpiFiles, converted);
  warnings.push(...kpiCrossCheck.warnings);
  // Only an upload with converted exports needs the user's own dimension keys: a canonical-only
  // upload is not read an extra time.
  const given = converted.length > 0 ? await givenDimensionKeys(passThrough.flat()) : new Set<string>();
  const merged = mergeDimensionRows(revenue.files, given);
  // Each folder's services against the categories that held there (one named "other_service"
  // on purpose is not unmapped).
  for (const index of placed.keys()) {
    const ofBundle = merged.filter((_, i) => converted[i]?.bundle === index);
    if (ofBundle.length > 0) warnings.push(...unmappedServices(ofBundle, categoriesOf[index]));
  }
  const created = locations.created;
  warnings.push(...createdLocationWarnings(created));
  warnings.push(...assumedLocationWarnings(locations.assumed));
  const bundles = placed.map(({ bundle }, index): Bundle => {
    const generated = merged
      .map((f, i) => ({ ...f, source: converted[i] }))
      .filter((f) => f.source?.bundle === index)
      .flatMap((f) => toRecordFiles(f.displayPath, f.records, f.source!.source));
    const newLocations = index === 0 && created.length > 0 ? [createdLocationsFile(created)] : [];
    // What the exports derived goes in before the user's own canonical files of the same
    // entity, so a providers.csv beside a Zenoti export completes its rows (role, payroll id)
    // instead of being overwritten by them.
    return { label: bundle.label, files: [...newLocations, ...generated, ...(passThrough[index] ?? [])] };
  });
  return {
    ok: true,
    bundles,
    recognized,
    warnings,
    reconciliation: revenue.reconciliation,
    kpiCrossCheck: kpiCrossCheck.rows,
    createdLocations: created,
    conversionRows,
  };
}
