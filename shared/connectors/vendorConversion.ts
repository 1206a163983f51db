import type { FileIssue } from '../contract/ingest';
import type { RecordFile } from '../ingest/bundle';
import type { DataQualityIssue, IssueCode } from '../ingest/dataQuality';
import { normalizeHeader } from '../ingest/ingestBundles';
import { CANONICAL_FILES, type EntityName, fileSpecByName } from '../model/canonicalBundle';
import { redactIssue, redactMessage } from '../privacy/redact';
import { isColumnMappingJson } from './columnMapping';
import { detectProfile } from './detect';
import { parseJsonText } from './json';
import type { LocationDirectory } from './locationIdentity';
import { PROFILES } from './registry';
import { unmappedServiceWarnings } from './serviceCategories';
import { firstLinesOf, readVendorCsv, VendorCsvError } from './vendorCsv';
import type {
  CanonicalRecord,
  ConversionContext,
  DetectionSample,
  VendorInput,
  VendorProfile,
} from './vendorProfile';

/**
 * One vendor file → canonical records, and the records of every vendor file of an ingest →
 * canonical CSV files the one canonical ingest reads. Pure: the bytes come from io/.
 */

/** An id prefix becomes part of every vendor id: letters, digits, `-` and `_` only, so ids stay readable. */
export function isIdPrefix(text: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/.test(text);
}

export interface VendorConversionOptions {
  /** `--profile`: skip detection and read every vendor file as this profile. */
  profileId?: string;
  locationId?: string;
  /** ConversionContext.folderLocationId. */
  folderLocationId?: string;
  idPrefix?: string;
  serviceCategories?: ConversionContext['serviceCategories'];
  providerIds?: ConversionContext['providerIds'];
  /** Profiles tried before the built-in ones (a `--mapping` profile). */
  extraProfiles?: readonly VendorProfile[];
  /** Location id → IANA time zone (from the bundle's locations.csv), for UTC-stamped exports. */
  timeZones?: Readonly<Record<string, string>>;
  /** `--timezone`: the zone of locations the bundle does not describe. */
  defaultTimeZone?: string;
  /** The tenant's locations, resolving the exports' center names and location ids (one per ingest). */
  locations?: LocationDirectory;
  /** The tenant's reporting currency (default USD, currency.ts). */
  reportingCurrency?: string;
  /** `--fx IDR=0.0000615` / `--fx-file`: rates into the reporting currency; without one, foreign money is refused. */
  fxRates?: ReadonlyMap<string, number>;
  /** `--default-currency`: the currency of records that state none. */
  defaultCurrency?: string;
}

export type VendorFileOutcome =
  | { kind: 'canonical' }
  | { kind: 'not_data' }
  | {
      kind: 'converted';
      profile: VendorProfile;
      score: number;
      forced: boolean;
      records: CanonicalRecord[];
      issues: FileIssue[];
      /** The file's data rows (JSON records) and how many of them were rejected, for the rejected-row threshold. */
      rows: { read: number; rejected: number };
    }
  | { kind: 'failed'; issues: FileIssue[] };

/** A file already in canonical form: its name is a canonical file and its header has the required columns. */
export function isCanonicalCsv(name: string, headers: readonly string[]): boolean {
  const spec = fileSpecByName(name);
  if (!spec) return false;
  const present = new Set(headers.map(normalizeHeader));
  return Object.entries(spec.columns).every(([column, def]) => !def.required || present.has(column));
}

export function convertVendorFile(
  file: { name: string; displayPath: string; content: Buffer },
  options: VendorConversionOptions = {},
): VendorFileOutcome {
  const lower = file.name.toLowerCase();
  const failed = (row: number | null, code: string, message: string): VendorFileOutcome => ({
    kind: 'failed',
    issues: [redactIssue({ file: file.displayPath, severity: 'error', row, column: null, code, message })],
  });
  let input: VendorInput;
  let sample: DetectionSample;
  if (lower.endsWith('.csv') || lower.endsWith('.txt') || lower.endsWith('.tsv')) {
    const text = file.content.toString('utf8');
    try {
      input = readVendorCsv(text);
    } catch (error) {
      if (!(error instanceof VendorCsvError)) throw error;
      // A canonical file with a broken structure is reported by the canonical ingest as today.
      return fileSpecByName(file.name)
        ? { kind: 'canonical' }
        : failed(error.row, 'csv_structure', error.message);
    }
    if (isCanonicalCsv(file.name, input.headers)) return { kind: 'canonical' };
    if (lower.endsWith('.txt')) return { kind: 'not_data' };
    sample = { format: 'csv', fileName: file.name, headers: input.headers, firstLines: firstLinesOf(text) };
  } else if (lower.endsWith('.json')) {
    const parsed = parseJsonText(file.content.toString('utf8'), file.name);
    if (!parsed.ok)
      return { kind: 'failed', issues: [redactIssue({ ...parsed.issue, file: file.displayPath })] };
    const { json } = parsed;
    // A `caliper map` mapping saved beside the exports is the user's file, not an export.
    if (isColumnMappingJson(json)) return { kind: 'not_data' };
    input = { format: 'json', json };
    sample = { format: 'json', fileName: file.name, json };
  } else {
    return { kind: 'not_data' };
  }

  const detection = detectProfile(sample, {
    profileId: options.profileId,
    profiles: [...(options.extraProfiles ?? []), ...PROFILES],
  });
  if (detection.kind === 'unrecognized') {
    // A canonical file with a broken header is the canonical ingest's to report, as it always was.
    if (fileSpecByName(file.name) && options.profileId === undefined) return { kind: 'canonical' };
    return failed(null, 'unrecognized_file', detection.message);
  }
  const { profile } = detection;
  const result = profile.convert(input, {
    fileName: file.name,
    locationId: options.locationId,
    folderLocationId: options.folderLocationId,
    idPrefix: options.idPrefix,
    serviceCategories: options.serviceCategories,
    providerIds: options.providerIds,
    timeZoneOf: (locationId) => options.timeZones?.[locationId] ?? options.defaultTimeZone,
    locations: options.locations,
    reportingCurrency: options.reportingCurrency,
    fxRates: options.fxRates,
    defaultCurrency: options.defaultCurrency,
  });
  // A connector's findings leave the conversion redacted (no email, phone or long number).
  const issues = result.issues.map((i) => redactIssue({ ...i, file: file.displayPath }));
  // A bad row or JSON record is one rejected row, named by its row or JSON path, and the others
  // go in (the rejected-row threshold decides whether the ingest commits); a file-level error,
  // or a file none of whose rows converted, fails the file.
  const rowErrorsOnly =
    result.records.length > 0 && issues.every((i) => i.severity !== 'error' || i.row !== null);
  if (issues.some((i) => i.severity === 'error') && !rowErrorsOnly) return { kind: 'failed', issues };
  const rejected = new Set(issues.filter((i) => i.severity === 'error').map((i) => i.row)).size;
  const read =
    result.sourceRows ??
    (input.format === 'csv' ? input.rows.filter((r) => r.cells.some((c) => c.trim() !== '')).length : 0);
  return {
    kind: 'converted',
    profile,
    score: detection.score,
    forced: detection.forced,
    records: result.records,
    issues,
    rows: { read: Math.max(read, rejected), rejected },
  };
}

/** Dimension rows that several files derive (the same service from appointments and sales). */
const DIMENSION_KEYS: Partial<Record<EntityName, readonly string[]>> = {
  services: ['service_code'],
  providers: ['provider_id', 'location_id'],
  patients: ['patient_id'],
};

/** The key of a service, provider or patient row (`services\0zenoti:botox`); null for facts. */
export function dimensionKey(entity: EntityName, values: Readonly<Record<string, string>>): string | null {
  const keyColumns = DIMENSION_KEYS[entity];
  if (!keyColumns) return null;
  return `${entity}\u0000${keyColumns.map((k) => values[k] ?? '').join('\u0000')}`;
}

/**
 * Keeps one row per service, provider and patient across every vendor file of an ingest (the
 * first file that names it), filling its empty cells from later ones, so the canonical ingest
 * sees no conflicting duplicates. A row the user's own canonical files of the same ingest give
 * (`givenKeys`) is theirs: the export's derived row gives way to it.
 */
export function mergeDimensionRows(
  files: readonly { displayPath: string; records: readonly CanonicalRecord[] }[],
  givenKeys: ReadonlySet<string> = new Set(),
): { displayPath: string; records: CanonicalRecord[] }[] {
  const first = new Map<string, CanonicalRecord>();
  return files.map((f) => ({
    displayPath: f.displayPath,
    records: f.records.flatMap((record) => {
      const key = dimensionKey(record.entity, record.values);
      if (key === null) return [record];
      if (givenKeys.has(key)) return [];
      const kept = first.get(key);
      if (!kept) {
        const copy = { ...record, values: { ...record.values } };
        first.set(key, copy);
        return [copy];
      }
      for (const [column, value] of Object.entries(record.values)) {
        if ((kept.values[column] ?? '') === '' && value !== '') kept.values[column] = value;
      }
      return [];
    }),
  }));
}

export function unmappedServices(
  files: readonly { displayPath: string; records: readonly CanonicalRecord[] }[],
  overrides: VendorConversionOptions['serviceCategories'],
): FileIssue[] {
  const fileOf = new Map<CanonicalRecord, string>();
  for (const f of files) for (const r of f.records) fileOf.set(r, f.displayPath);
  return unmappedServiceWarnings([...fileOf.keys()], overrides).map(({ record, issue }) => ({
    ...issue,
    file: fileOf.get(record) ?? '',
  }));
}

/**
 * The records of one vendor file as record files the canonical ingest reads, one per entity:
 * each row keeps the vendor row (or JSON record) it came from, so a row the canonical ingest
 * rejects is named as the user sees it in the export. `source` is the export's digest and size.
 */
export function toRecordFiles(
  displayPath: string,
  records: readonly CanonicalRecord[],
  source: { sha256: string; bytes: number },
): RecordFile[] {
  const files: RecordFile[] = [];
  for (const spec of CANONICAL_FILES) {
    const rows = records.filter((r) => r.entity === spec.entity);
    if (rows.length === 0) continue;
    const used = new Set(rows.flatMap((r) => Object.keys(r.values)));
    // Extra columns (a converted amount's `currency`, `fx_rate`, `original_gross`…) follow the
    // canonical ones; the canonical ingest keeps them as extra attributes.
    const columns = [
      ...Object.keys(spec.columns).filter((c) => used.has(c)),
      ...[...used].filter((c) => !(c in spec.columns)),
    ];
    files.push({
      name: spec.file,
      displayPath: `${displayPath} → ${spec.file}`,
      // Progress: each entity's share of the export's bytes.
      bytes: Math.round((source.bytes * rows.length) / records.length),
      columns,
      records: rows,
      sha256: source.sha256,
    });
  }
  return files;
}

/**
 * Conversion findings as data-quality issues the store keeps: a connector's own codes are
 * namespaced (`vendor.unmapped_service`) so they never pass for the canonical ingest's codes.
 */
/** Findings that compare two systems rather than read one file: Caliper's own codes. */
const CROSS_SYSTEM_CODES = new Set<string>(['reconciliation_difference', 'kpi_cross_check_difference']);

export function toDataQualityIssues(issues: readonly FileIssue[]): DataQualityIssue[] {
  return issues.map((i) => ({
    file: i.file,
    row: i.row,
    column: i.column === null ? null : redactMessage(i.column),
    code: CROSS_SYSTEM_CODES.has(i.code) ? (i.code as IssueCode) : `vendor.${i.code}`,
    severity: i.severity,
    message: redactMessage(i.message),
  }));
}
