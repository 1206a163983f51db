import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';

import {
  type KpiFigure,
  readBusinessKpi,
  zenotiBusinessKpi,
} from '../shared/connectors/csv/zenotiBusinessKpi';
import { crossCheckKpis, type KpiCrossCheckRow } from '../shared/connectors/kpiCrossCheck';
import {
  type CreatedLocation,
  type KnownLocationIdentity,
  LocationDirectory,
} from '../shared/connectors/locationIdentity';
import { profileById } from '../shared/connectors/registry';
import { applyRevenueSources, dropDuplicatePaymentViews } from '../shared/connectors/revenueSources';
import {
  convertVendorFile,
  type FileIssue,
  isCanonicalCsv,
  mergeDimensionRows,
  toCanonicalCsvFiles,
  unmappedServices,
  type VendorConversionOptions,
} from '../shared/connectors/vendorConversion';
import { parseHeaderLine, readVendorCsv } from '../shared/connectors/vendorCsv';
import type { CanonicalRecord } from '../shared/connectors/vendorProfile';
import type { Bundle, BundleFile } from '../shared/ingest/bundle';
import { normalizeHeader } from '../shared/ingest/ingestBundles';
import { fileSpecByName } from '../shared/model/canonicalBundle';
import { isKnownTimeZone } from '../shared/model/cellTypes';
import type { ReconciliationRow } from '../shared/reconciliation/salesReconciliation';
import { BundleOpenError, openBundle } from './bundleFiles';

/**
 * Vendor exports (a folder, a .zip or single files) → the canonical bundles the one canonical
 * ingest reads. Each vendor file is recognized, converted into canonical rows and written as
 * canonical CSV files in memory named after it (`exports/zenoti_appointments.csv →
 * appointments.csv`); canonical files ride along untouched. A conversion error in any file
 * fails the whole ingest before the store is opened.
 */

export interface RecognizedFile {
  file: string;
  profile: string;
  vendor: string;
  report: string;
  score: number;
  forced: boolean;
  rows: number;
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
    }
  | { ok: false; recognized: RecognizedFile[]; errors: FileIssue[]; warnings: FileIssue[] };

/** The first line of a file, without reading a large canonical file whole. */
async function firstLineOf(file: BundleFile): Promise<string> {
  let head = '';
  for await (const chunk of file.read()) {
    head += chunk.toString('utf8');
    if (head.includes('\n') || head.length > 1 << 16) break;
  }
  return head.split(/\r?\n/, 1)[0] ?? '';
}

async function readAll(file: BundleFile): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of file.read()) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function memoryFile(name: string, displayPath: string, text: string, rowOffset: number): BundleFile {
  const bytes = Buffer.from(text, 'utf8');
  return {
    name,
    displayPath,
    bytes: bytes.length,
    ...(rowOffset === 0 ? {} : { rowOffset }),
    read: () => Readable.from([bytes]) as AsyncIterable<Buffer>,
  };
}

/** openBundle, plus a single vendor `.json` file as a bundle of one. */
async function openSource(sourcePath: string): Promise<Bundle> {
  if (sourcePath.toLowerCase().endsWith('.json')) {
    const stat = await fs.promises.stat(sourcePath).catch(() => null);
    if (!stat?.isFile()) throw new BundleOpenError(`${sourcePath}: no such file or folder`);
    return {
      label: sourcePath,
      files: [
        {
          name: path.basename(sourcePath),
          displayPath: path.basename(sourcePath),
          bytes: stat.size,
          read: () => fs.createReadStream(sourcePath) as AsyncIterable<Buffer>,
        },
      ],
    };
  }
  return openBundle(sourcePath);
}

/** The locations the canonical locations.csv files among the sources describe (id, name, time zone). */
async function bundleLocations(sources: readonly Bundle[]): Promise<KnownLocationIdentity[]> {
  const locations: KnownLocationIdentity[] = [];
  for (const file of sources.flatMap((source) => source.files)) {
    if (file.name.toLowerCase() !== 'locations.csv') continue;
    let csv;
    try {
      csv = readVendorCsv((await readAll(file)).toString('utf8'));
    } catch {
      continue; // a broken locations.csv is the canonical ingest's to report
    }
    const headers = csv.headers.map(normalizeHeader);
    const id = headers.indexOf('location_id');
    const name = headers.indexOf('name');
    const zone = headers.indexOf('timezone');
    if (id === -1) continue;
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
  }
  return locations;
}

/**
 * The canonical locations.csv of the locations the exports named and no one had described:
 * id, name and EMR from the export; opening date, region and time zone are the user's to add.
 */
function createdLocationsFile(created: readonly CreatedLocation[]): BundleFile {
  const records = created.map((l, index) => ({
    entity: 'locations' as const,
    sourceRow: index + 2,
    values: { location_id: l.location_id, name: l.name, emr_system: l.emr_system ?? '' },
  }));
  const [file] = toCanonicalCsvFiles('locations created from the exports', records);
  return memoryFile(file!.name, file!.displayPath, file!.text, 0);
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

/** Throws BundleOpenError for a path that is not a folder, zip, CSV or JSON file. */
export interface VendorBundleOptions extends VendorConversionOptions {
  /** Bytes of vendor exports converted so far, of all of them, and the file being converted. */
  onConvertProgress?: (bytesDone: number, bytesTotal: number, file: string) => void;
  /** location id → the system whose sales count as revenue there (default: the EMR). */
  revenueSources?: Readonly<Record<string, string>>;
  /** The tenant's locations already in the store, which the exports' location names resolve to. */
  knownLocations?: readonly KnownLocationIdentity[];
}

export async function openVendorBundles(
  paths: readonly string[],
  options: VendorBundleOptions = {},
): Promise<VendorBundles> {
  const sources = [];
  for (const p of paths) sources.push(await openSource(p));

  // A bundle's own locations.csv says each location's name and time zone: UTC-stamped payment
  // exports need the zone to put a sale on the location's day, and the exports' center names
  // are matched to the names. What the store knows gives way to what this bundle says.
  const described = await bundleLocations(sources);
  const timeZones: Record<string, string> = { ...(options.timeZones ?? {}) };
  for (const l of [...(options.knownLocations ?? []), ...described]) {
    if (l.timezone) timeZones[l.location_id] = l.timezone;
  }
  const inBundle = new Set(described.map((l) => l.location_id));
  const locations = new LocationDirectory([
    ...(options.knownLocations ?? []).filter((l) => !inBundle.has(l.location_id)),
    ...described,
  ]);
  options = { ...options, timeZones, locations };

  const recognized: RecognizedFile[] = [];
  const errors: FileIssue[] = [];
  const warnings: FileIssue[] = [];
  const converted: { bundle: number; displayPath: string; profileId: string; records: CanonicalRecord[] }[] =
    [];
  const kpiFiles: { displayPath: string; figures: KpiFigure[] }[] = [];
  const passThrough: BundleFile[][] = sources.map(() => []);
  // Progress counts the bytes of the files that may need converting (canonical files stream later).
  const convertTotal = sources
    .flatMap((source) => source.files)
    .filter((f) => /\.(csv|tsv|json)$/i.test(f.name) && fileSpecByName(f.name) === undefined)
    .reduce((sum, f) => sum + f.bytes, 0);
  let convertDone = 0;
  for (const [index, source] of sources.entries()) {
    for (const file of source.files) {
      // Canonical files and non-data files (notes) stream through to the canonical ingest as before.
      const isData = /\.(csv|tsv|json)$/i.test(file.name);
      const isCanonical =
        fileSpecByName(file.name) !== undefined &&
        isCanonicalCsv(file.name, parseHeaderLine(await firstLineOf(file)));
      if (!isData || isCanonical) {
        passThrough[index]?.push(file);
        continue;
      }
      options.onConvertProgress?.(convertDone, convertTotal, file.displayPath);
      const content = await readAll(file);
      const outcome = convertVendorFile({ name: file.name, displayPath: file.displayPath, content }, options);
      convertDone += file.bytes;
      options.onConvertProgress?.(convertDone, convertTotal, file.displayPath);
      if (outcome.kind === 'canonical' || outcome.kind === 'not_data') {
        passThrough[index]?.push(file);
      } else if (outcome.kind === 'failed') {
        errors.push(...outcome.issues);
      } else {
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
        });
        // A Business KPI file converts to no rows; its figures are read again for the cross-check.
        if (outcome.profile.id === zenotiBusinessKpi.id) {
          const kpi = readBusinessKpi(readVendorCsv(content.toString('utf8')), {
            fileName: file.name,
            locationId: options.locationId,
          });
          kpiFiles.push({ displayPath: file.displayPath, figures: kpi.figures });
        }
      }
    }
  }
  if (errors.length > 0) return { ok: false, recognized, errors, warnings };

  // Before the dimension merge, so the dropped POS lines never reach the canonical files.
  const views = dropDuplicatePaymentViews(converted);
  warnings.push(...views.warnings);
  const revenue = applyRevenueSources(views.files, options.revenueSources);
  warnings.push(...revenue.warnings);
  // Against every Zenoti row converted, including EMR sales a --revenue-source POS replaces.
  const kpiCrossCheck = crossCheckKpis(kpiFiles, converted);
  warnings.push(...kpiCrossCheck.warnings);
  const merged = mergeDimensionRows(revenue.files);
  warnings.push(...unmappedServices(merged, options.serviceCategories));
  const created = locations.created;
  warnings.push(...createdLocationWarnings(created));
  const bundles = sources.map((source, index): Bundle => {
    const generated = merged
      .map((f, i) => ({ ...f, source: converted[i] }))
      .filter((f) => f.source?.bundle === index)
      .flatMap((f) => {
        // JSON records count from 1 but land from CSV row 2 on: issues name the record.
        const offset = profileById(f.source?.profileId ?? '')?.format === 'json' ? -1 : 0;
        return toCanonicalCsvFiles(f.displayPath, f.records).map((c) =>
          memoryFile(c.name, c.displayPath, c.text, offset),
        );
      });
    const newLocations = index === 0 && created.length > 0 ? [createdLocationsFile(created)] : [];
    return { label: source.label, files: [...newLocations, ...(passThrough[index] ?? []), ...generated] };
  });
  return {
    ok: true,
    bundles,
    recognized,
    warnings,
    reconciliation: revenue.reconciliation,
    kpiCrossCheck: kpiCrossCheck.rows,
    createdLocations: created,
  };
}
