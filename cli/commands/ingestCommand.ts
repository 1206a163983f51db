import fs from 'node:fs';

import { BundleOpenError } from '../../io/bundleFiles';
import { withCsvReader } from '../../io/csvOnWorker';
import { loadTenantSecret } from '../../io/tenantSecrets';
import { openVendorBundles, type VendorBundleOptions } from '../../io/vendorBundle';
import {
  readMappingFile,
  readProviderIds,
  readServiceOverrides,
  VendorOptionError,
} from '../../io/vendorOptionFiles';
import { mappingProfile } from '../../shared/connectors/columnMapping';
import { currencyCode, FxRateError, parseFxFile, parseFxPair } from '../../shared/connectors/currency';
import {
  formatKpiValue,
  KPI_COUNT_TOLERANCE,
  KPI_TOLERANCE,
  type KpiCrossCheckRow,
} from '../../shared/connectors/kpiCrossCheck';
import type { CreatedLocation } from '../../shared/connectors/locationIdentity';
import { parseRevenueSourcePair } from '../../shared/connectors/revenueSources';
import { isIdPrefix, toDataQualityIssues } from '../../shared/connectors/vendorConversion';
import type { FileIssue, RecognizedFile } from '../../shared/contract/ingest';
import type { IngestReport } from '../../shared/ingest/dataQuality';
import { ingestBundles } from '../../shared/ingest/ingestBundles';
import { groupIssues } from '../../shared/ingest/issueGroups';
import { isKnownTimeZone } from '../../shared/model/cellTypes';
import { formatCents } from '../../shared/model/money';
import { createPseudonymizer } from '../../shared/privacy/pseudonymize';
import { redactIssue, redactMessage } from '../../shared/privacy/redact';
import type { ReconciliationRow } from '../../shared/reconciliation/salesReconciliation';
import { SqliteStore } from '../../store/sqlite/sqlite-store';
import { type CliConfig, UsageError } from '../config';
import { createProgress } from '../progress';
import { acceptAdvice, acceptedNote, formatIssueGroups, rejectionOptions } from './ingestRejections';

export interface IngestCommandOptions {
  json: boolean;
  progress?: boolean;
  /** `--profile ID`: read every vendor file as this profile instead of detecting it. */
  profile?: string;
  /** `--location ID`: the location of vendor files that do not name one. */
  location?: string;
  /** `--services FILE`: service category overrides (CSV service_name,category). */
  services?: string;
  /** `--mapping FILE`: a column mapping written by `caliper map`. */
  mapping?: string;
  /** `--providers FILE`: provider ids by name (CSV provider_name,provider_id). */
  providers?: string;
  /** `--revenue-source LOCATION=SYSTEM`: whose sales count where a location has an EMR and a POS. */
  revenueSources?: string[];
  /** `--id-prefix PREFIX`: namespace of the vendor ids (default: the vendor). */
  idPrefix?: string;
  /** `--timezone ZONE`: the IANA zone of locations the bundle's locations.csv does not give. */
  timeZone?: string;
  /** `--fx IDR=0.0000615` (repeatable): exchange rates into the reporting currency. */
  fx?: string[];
  /** `--fx-file FILE`: exchange rates, a CSV of currency,rate_to_reporting. */
  fxFile?: string;
  /** `--default-currency CODE`: the currency of records that state none. */
  defaultCurrency?: string;
  /** `--max-rejected 10%` / `0.1`: the largest share of a file's rows that may be rejected (default 5 %). */
  maxRejected?: string;
  /** `--accept-rejected`: commit the accepted rows even when a file is over the threshold. */
  acceptRejected?: boolean;
}

function checkedIdPrefix(prefix: string): string {
  if (!isIdPrefix(prefix)) {
    throw new UsageError(`--id-prefix ${JSON.stringify(prefix)}: use 1–40 letters, digits, - or _`);
  }
  return prefix;
}

function checkedTimeZone(zone: string): string {
  if (isKnownTimeZone(zone)) return zone;
  throw new UsageError(`--timezone ${JSON.stringify(zone)} is not an IANA time zone (e.g. America/Chicago)`);
}

/** `L001=square` → { L001: 'square' }; the system is a profile id's first part. */
export function parseRevenueSources(values: readonly string[] = []): Record<string, string> {
  const sources: Record<string, string> = {};
  for (const value of values) {
    const pair = parseRevenueSourcePair(value);
    if (pair === null) {
      throw new UsageError(
        `--revenue-source ${JSON.stringify(value)}: expected LOCATION=SYSTEM, e.g. L001=square`,
      );
    }
    sources[pair[0]] = pair[1];
  }
  return sources;
}

/** `--fx-file` then `--fx` (a pair on the command line wins over the file's line for the same currency). */
export function parseFxRates(pairs: readonly string[] = [], file?: string): Map<string, number> {
  try {
    const rates =
      file === undefined ? new Map<string, number>() : parseFxFile(fs.readFileSync(file, 'utf8'), file);
    for (const pair of pairs) rates.set(...parseFxPair(pair));
    return rates;
  } catch (error) {
    if (error instanceof FxRateError) throw new UsageError(`--fx: ${error.message}`);
    if (file !== undefined && error instanceof Error && 'code' in error) {
      throw new UsageError(`--fx-file ${file}: ${error.message}`);
    }
    throw error;
  }
}

function checkedCurrency(code: string): string {
  const iso = currencyCode(code);
  if (iso === null)
    throw new UsageError(`--default-currency ${JSON.stringify(code)} is not an ISO 4217 currency code`);
  return iso;
}

function conversionOptions(options: IngestCommandOptions): VendorBundleOptions {
  try {
    return {
      fxRates: parseFxRates(options.fx, options.fxFile),
      ...(options.defaultCurrency === undefined
        ? {}
        : { defaultCurrency: checkedCurrency(options.defaultCurrency) }),
      revenueSources: parseRevenueSources(options.revenueSources),
      ...(options.idPrefix === undefined ? {} : { idPrefix: checkedIdPrefix(options.idPrefix) }),
      ...(options.timeZone === undefined ? {} : { defaultTimeZone: checkedTimeZone(options.timeZone) }),
      profileId: options.profile,
      locationId: options.location,
      serviceCategories: options.services === undefined ? undefined : readServiceOverrides(options.services),
      providerIds: options.providers === undefined ? undefined : readProviderIds(options.providers),
      extraProfiles: options.mapping === undefined ? [] : [mappingProfile(readMappingFile(options.mapping))],
    };
  } catch (error) {
    if (error instanceof VendorOptionError) throw new UsageError(error.message);
    throw error;
  }
}

/**
 * Exit codes of `caliper ingest`: committed (rejected rows within the threshold, or accepted) /
 * nothing written (also when a file has more rejected rows than the threshold allows).
 */
export const EXIT_COMMITTED = 0;
export const EXIT_NOTHING_WRITTEN = 1;

export async function runIngest(
  paths: string[],
  config: CliConfig,
  options: IngestCommandOptions,
  out: (text: string) => void,
): Promise<{ exitCode: number; report: IngestReport | null }> {
  const vendorOptions = conversionOptions(options);
  const threshold = rejectionOptions(options.maxRejected, options.acceptRejected);
  // Locations ingested before say their names, aliases and time zones, which the exports'
  // center names resolve to and UTC-stamped exports need; a store that does not exist yet is
  // not created just to find none.
  if (fs.existsSync(config.storeFile)) {
    const known = SqliteStore.open(config.storeFile);
    try {
      vendorOptions.knownLocations = await known.locationIdentities(config.tenant);
    } finally {
      await known.close();
    }
  }
  let opened;
  const converting = createProgress(
    'Converting',
    'bytes',
    options.progress ?? (!options.json && process.stderr.isTTY),
  );
  try {
    opened = await openVendorBundles(paths, {
      ...vendorOptions,
      onConvertProgress: (done, total, file) => converting.update(done, total, file),
    });
  } catch (error) {
    if (!(error instanceof BundleOpenError)) throw error;
    const failure = redactMessage(`${error.message}; nothing was written`);
    out(
      options.json ? JSON.stringify({ committed: false, failure, files: [] }, null, 2) : `Error: ${failure}`,
    );
    return { exitCode: EXIT_NOTHING_WRITTEN, report: null };
  } finally {
    converting.stop();
  }
  if (!opened.ok) {
    // A vendor file that cannot be converted fails the whole ingest before the store is touched.
    // The findings are printed redacted, whichever step of the upload made them.
    const errors = opened.errors.map(redactIssue);
    const failure = `${opened.errors.length} problem${opened.errors.length === 1 ? '' : 's'} in vendor files; nothing was written`;
    out(
      options.json
        ? JSON.stringify(
            {
              committed: false,
              failure,
              vendor_files: opened.recognized,
              conversion_issues: errors,
              files: [],
              issue_groups: groupIssues(toDataQualityIssues(errors)),
            },
            null,
            2,
          )
        : [
            ...formatRecognized(opened.recognized),
            ...formatConversionIssues('Conversion errors', errors),
            '',
            `Nothing was written: ${failure}`,
          ].join('\n'),
    );
    return { exitCode: EXIT_NOTHING_WRITTEN, report: null };
  }
  const { bundles, recognized, reconciliation, kpiCrossCheck, conversionRows } = opened;
  const warnings = opened.warnings.map(redactIssue);
  const store = SqliteStore.open(config.storeFile);
  try {
    const pseudonymizer = createPseudonymizer(loadTenantSecret(config.storeFile, config.tenant));
    const progress = createProgress(
      'Ingesting',
      'bytes',
      options.progress ?? (!options.json && process.stderr.isTTY),
    );
    let report: IngestReport;
    try {
      report = await withCsvReader((readRecords) =>
        ingestBundles(bundles, {
          store,
          tenant: config.tenant,
          pseudonymizer,
          priorIssues: toDataQualityIssues(warnings),
          priorRejections: conversionRows,
          ...threshold,
          onProgress: (p) => progress.update(p.bytesDone, p.bytesTotal, p.file),
          readRecords,
        }),
      );
    } finally {
      progress.stop();
    }
    out(
      options.json
        ? JSON.stringify(
            {
              ...report,
              vendor_files: recognized,
              conversion_issues: warnings,
              reconciliation,
              kpi_cross_check: kpiCrossCheck,
              created_locations: report.committed ? opened.createdLocations : [],
            },
            null,
            2,
          )
        : [
            ...formatRecognized(recognized),
            ...formatReconciliation(reconciliation),
            ...formatKpiCrossCheck(kpiCrossCheck),
            ...formatConversionIssues(
              warnings.some((w) => w.severity === 'error')
                ? 'Conversion: rejected rows and warnings'
                : 'Conversion warnings',
              warnings,
            ),
            ...(recognized.length > 0 || warnings.length > 0 ? [''] : []),
            formatIngestReport(report, config),
            ...(report.committed ? formatCreatedLocations(opened.createdLocations) : []),
          ].join('\n'),
    );
    return { exitCode: report.committed ? EXIT_COMMITTED : EXIT_NOTHING_WRITTEN, report };
  } finally {
    await store.close();
  }
}

/** What the exports named that no one had described, and what the user should add to it. */
export function formatCreatedLocations(created: readonly CreatedLocation[]): string[] {
  if (created.length === 0) return [];
  return [
    '',
    `${created.length} new location${created.length === 1 ? '' : 's'} created from the exports: add opened_on, region and timezone for same-store growth and peer cohorts (caliper locations set ID --opened-on YYYY-MM-DD --region R --timezone ZONE), or save a name as an alias of an existing location (caliper locations alias ID "NAME")`,
    ...created.map(
      (l) => `  ${l.location_id}  ${l.name}${l.emr_system === null ? '' : `  (${l.emr_system})`}`,
    ),
  ];
}

/** One line per location-month where an EMR and a POS both carried sales. */
export function formatReconciliation(rows: readonly ReconciliationRow[]): string[] {
  if (rows.length === 0) return [];
  const flagged = rows.filter((r) => r.flagged).length;
  const lines = [
    '',
    `Sales reconciliation (revenue source vs compared system, net sales): ${rows.length} location-months, ${flagged} above the 2 % tolerance`,
  ];
  for (const r of rows) {
    const ratio = r.differenceRatio === null ? 'n/a' : `${(r.differenceRatio * 100).toFixed(1)} %`;
    lines.push(
      `  ${r.flagged ? '!' : ' '} ${r.locationId} ${r.month}  ${r.revenueSource} ${formatCents(r.revenueCents)}  ${r.comparedSystem} ${formatCents(r.comparedCents)}  difference ${formatCents(r.differenceCents)} (${ratio})`,
    );
  }
  return lines;
}

/** One line per Zenoti Business KPI figure compared with the detailed Zenoti reports. */
export function formatKpiCrossCheck(rows: readonly KpiCrossCheckRow[]): string[] {
  if (rows.length === 0) return [];
  const flagged = rows.filter((r) => r.flagged).length;
  const lines = [
    '',
    `Zenoti Business KPI cross-check (Business KPI vs detailed reports): ${rows.length} figures, ${flagged} above the tolerance (${(KPI_TOLERANCE * 100).toFixed(0)} %, ${KPI_COUNT_TOLERANCE} for counts)`,
  ];
  for (const r of rows) {
    const ratio = r.differenceRatio === null ? 'n/a' : `${(r.differenceRatio * 100).toFixed(1)} %`;
    lines.push(
      `  ${r.flagged ? '!' : ' '} ${r.locationId} ${r.period} ${r.figure}  business KPI ${formatKpiValue(r.unit, r.kpiValue)}  detailed ${formatKpiValue(r.unit, r.detailedValue)}  difference ${formatKpiValue(r.unit, r.difference)} (${ratio})`,
    );
  }
  return lines;
}

/** `exports/zenoti_appointments.csv: Zenoti · Appointments (score 0.95)`. */
export function formatRecognized(recognized: readonly RecognizedFile[]): string[] {
  return recognized.map(
    (r) =>
      `${r.file}: ${r.vendor} · ${r.report} (${r.forced ? `--profile ${r.profile}` : `score ${r.score.toFixed(2)}`})`,
  );
}

function formatConversionIssues(title: string, issues: readonly FileIssue[]): string[] {
  if (issues.length === 0) return [];
  const lines = ['', `${title}: ${issues.length}`];
  for (const issue of issues.slice(0, 50)) {
    const where = [issue.file, issue.row === null ? null : `row ${issue.row}`, issue.column]
      .filter(Boolean)
      .join(', ');
    lines.push(
      `  ${issue.severity === 'error' ? 'error  ' : 'warning'} ${where}: ${issue.message} [${issue.code}]`,
    );
  }
  if (issues.length > 50) lines.push(`  … and ${issues.length - 50} more; use --json for the full list`);
  return lines;
}

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

export function formatIngestReport(report: IngestReport, config: CliConfig): string {
  const lines: string[] = [];
  const width = Math.max(4, ...report.files.map((f) => f.file.length));
  const n = (x: number) => x.toLocaleString('en-US');
  lines.push(
    `${pad('file', width)}  ${pad('read', 9, true)}  ${pad('accepted', 9, true)}  ${pad('rejected', 9, true)}  ${pad('new', 9, true)}  ${pad('changed', 9, true)}  ${pad('same', 9, true)}`,
  );
  for (const f of report.files) {
    lines.push(
      `${pad(f.file, width)}  ${pad(n(f.rows_read), 9, true)}  ${pad(n(f.rows_accepted), 9, true)}  ${pad(n(f.rows_rejected), 9, true)}  ${pad(n(f.rows_inserted), 9, true)}  ${pad(n(f.rows_updated), 9, true)}  ${pad(n(f.rows_unchanged), 9, true)}`,
    );
  }
  const issues = report.files.flatMap((f) => f.issues);
  if (issues.length > 0) {
    // The ingest's own files' groups; the conversion warnings are listed above with their files.
    const groups = report.files.flatMap((f) => report.issue_groups.filter((g) => g.file === f.file));
    lines.push(
      '',
      `Data-quality report: ${n(issues.length)} issue${issues.length === 1 ? '' : 's'} in ${n(groups.length)} group${groups.length === 1 ? '' : 's'}`,
      ...formatIssueGroups(groups),
    );
  }
  lines.push('');
  const t = report.totals;
  if (report.committed) {
    lines.push(
      `Committed ingest #${report.ingest_id} for tenant "${report.tenant}" into ${config.storeFile}: ` +
        `${n(t.rows_accepted)} rows accepted (${n(t.rows_inserted)} new, ${n(t.rows_updated)} changed, ` +
        `${n(t.rows_unchanged)} unchanged), ${n(t.rows_rejected)} rejected.`,
      ...acceptedNote(report),
    );
  } else {
    lines.push(`Nothing was written: ${report.failure ?? 'unknown reason'}`, ...acceptAdvice(report));
  }
  return lines.join('\n');
}
