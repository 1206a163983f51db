import { createHash, hash as hashOnce } from 'node:crypto';

import { CsvError } from 'csv-parse';

import { normalizeLocationName } from '../connectors/locationIdentity';
import {
  type AnyFileSpec,
  CANONICAL_FILES,
  fileSpecByName,
  locationColumnsOf,
} from '../model/canonicalBundle';
import { normalizeEmail, normalizePhone, PERSONAL_KINDS, quoteCell } from '../model/cellTypes';
import {
  type ColumnDrop,
  DECISION_ROWS,
  ExtraColumnScreen,
  PERSONAL_KIND_TEXT,
  type PersonalKind,
} from '../privacy/personalValues';
import type { Pseudonymizer } from '../privacy/pseudonymize';
import { describeValue, looksPersonalValue, redactIssue, redactMessage } from '../privacy/redact';
import type {
  CaliperStore,
  CurrentRow,
  IngestTransaction,
  KnownLocation,
  StoredRow,
} from '../store/store.port';
import { storedColumnsOf } from '../store/storedColumns';
import { type Bundle, type BundleFile, type ByteFile, isRecordFile, type RecordFile } from './bundle';
import { type CsvRecord, CsvStructureError, readCsvRecords } from './csvRecords';
import type { DataQualityIssue, FileReport, IngestReport, IssueCode, RejectionCheck } from './dataQuality';
import { groupIssues } from './issueGroups';
import { hasOffset, toLocalWallTime } from './localTime';
import {
  blocksCommit,
  checkRejections,
  DEFAULT_MAX_REJECTED_SHARE,
  describeRejections,
  isShare,
} from './rejectionThreshold';
import { SerialWrites } from './serialWrites';

export interface IngestProgress {
  bytesDone: number;
  bytesTotal: number;
  file: string;
}

export interface IngestOptions {
  store: CaliperStore;
  tenant: string;
  pseudonymizer: Pseudonymizer;
  onProgress?: (progress: IngestProgress) => void;
  /** Rows handed to the store per call. */
  batchSize?: number;
  /**
   * Findings made before the canonical ingest (vendor conversion, reconciliation): kept in the
   * store's data-quality log with the ingest that carried them, committed or rolled back with it.
   */
  priorIssues?: readonly DataQualityIssue[];
  /**
   * The largest share (0–1) of any file's data rows that may be rejected for the ingest to
   * commit; DEFAULT_MAX_REJECTED_SHARE (5 %) when not given.
   */
  maxRejected?: number;
  /** Commit the accepted rows even when files are over `maxRejected` (the user saw the reasons). */
  acceptRejected?: boolean;
  /**
   * Rows rejected before the canonical ingest, by the vendor export they came from (a row the
   * conversion could not read): held to the same threshold as the canonical files' rows.
   */
  priorRejections?: readonly { file: string; rows_read: number; rows_rejected: number }[];
  /**
   * The ingest's date (YYYY-MM-DD), which dates the date-of-birth test of extra columns
   * (personalValues.ts); today (UTC) when not given.
   */
  today?: string;
  /**
   * Reads a canonical CSV file's records: `readCsvRecords` here when not given; the CLI and the
   * API run the same reader on a worker thread (io/csvOnWorker.ts).
   */
  readRecords?: (input: AsyncIterable<Buffer>, bytes: number) => AsyncIterable<CsvRecord>;
}

/**
 * Batches that may wait to be written while the next are read: the writer keeps up (a batch's
 * write takes a third of its reading), so a few keep it busy and the rows held few.
 */
const WRITES_WAITING = 4;

const CANONICAL_FILE_NAMES = CANONICAL_FILES.map((s) => s.file).join(', ');

/**
 * Files that carry patients or leads. An unknown column there (the user's own, or an extra
 * attribute a vendor conversion adds) is kept only when its values cannot hold personal data:
 * personalValues.ts decides by the values; the header words below drop a column before any
 * value is read, as a second line.
 */
const PATIENT_BEARING = new Set(['patients', 'appointments', 'sales', 'memberships', 'leads']);
/** Files whose every column describes a person: a cell quoted in a message is described instead. */
const PERSON_FILES = new Set(['patients', 'leads']);
const PERSONAL_TOKENS = new Set([
  'email',
  'mail',
  'phone',
  'mobile',
  'cell',
  'cellphone',
  'telephone',
  'tel',
  'address',
  'street',
  'city',
  'zip',
  'zipcode',
  'postal',
  'postcode',
  'birth',
  'birthday',
  'birthdate',
  'dob',
  'born',
  'ssn',
  'contact',
  // Free-text notes are never stored, whatever they hold.
  'note',
  'notes',
  'comment',
  'comments',
  'memo',
  'remark',
  'remarks',
  'message',
]);
const PERSON_QUALIFIERS = new Set([
  'first',
  'last',
  'full',
  'middle',
  'guest',
  'patient',
  'client',
  'customer',
  'member',
]);
/** A column named only by the person it is about (`Client`, `Patient`) holds that person. */
const PERSON_NOUNS = new Set(['guest', 'patient', 'client', 'customer', 'lead', 'person']);

/**
 * `Guest Name`, `e-mail`, `Date of Birth`, `Client`, `Notes` → personal; `Item Name`,
 * `Cancellation Reason`, `Client ID` → not by their header (their values still decide).
 */
export function looksPersonal(header: string): boolean {
  const tokens = header.split('_').filter(Boolean);
  if (tokens.some((t) => PERSONAL_TOKENS.has(t))) return true;
  if (tokens.length === 1 && PERSON_NOUNS.has(tokens[0]!)) return true;
  const hasName = tokens.some(
    (t) => t === 'name' || t === 'firstname' || t === 'lastname' || t === 'fullname',
  );
  return hasName && (tokens.length === 1 || tokens.some((t) => PERSON_QUALIFIERS.has(t)));
}

/** How to keep a column Caliper dropped, said in each warning. */
const KEEP_ADVICE =
  "if it is one of Caliper's columns under another name (a referral source, say), map it to that column with `caliper map`; a column that may hold names, contact details, notes or dates of birth is never stored";

/** Reference columns checked against what the tenant already has (a warning: the row is kept). */
const REFERENCES: Record<string, { column: string; target: 'providers' | 'services' | 'payroll_ids' }[]> = {
  appointments: [
    { column: 'provider_id', target: 'providers' },
    { column: 'service_code', target: 'services' },
  ],
  sales: [
    { column: 'provider_id', target: 'providers' },
    { column: 'service_code', target: 'services' },
  ],
  shifts: [{ column: 'provider_id', target: 'providers' }],
  payroll: [{ column: 'payroll_employee_id', target: 'payroll_ids' }],
};

const TARGET_FILE = {
  providers: 'providers.csv',
  services: 'services.csv',
  payroll_ids: 'providers.csv',
} as const;

/** Header cells are matched after trimming, lower-casing and turning spaces into underscores. */
export function normalizeHeader(cell: string): string {
  return cell
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

function emptyReport(file: BundleFile, entity: string | null): FileReport {
  return {
    file: file.displayPath,
    entity,
    bytes: file.bytes,
    sha256: '',
    rows_read: 0,
    rows_accepted: 0,
    rows_rejected: 0,
    rows_inserted: 0,
    rows_updated: 0,
    rows_unchanged: 0,
    issues: [],
  };
}

/** A stored row's hash: its stored values in column order and its extra attributes. */
export function rowHash(values: readonly unknown[], extra: Record<string, string> | null): string {
  // The one-shot hash: the same digest without a Hash object per row (2.4× faster here).
  return hashOnce('sha256', JSON.stringify([values, extra]), 'base64url').slice(0, 32);
}

/** The ingest's queue of writes, and the file of the write that failed, if one did. */
interface Writing {
  writes: SerialWrites;
  failedIn: BundleFile | null;
}

/** State shared by every file of one ingest. */
interface IngestState {
  tx: IngestTransaction;
  writing: Writing;
  tenant: string;
  pseudonymizer: Pseudonymizer;
  locations: Map<string, KnownLocation>;
  /** Saved aliases, normalized → their location: a merged location's id names the location it became. */
  aliases: Map<string, string>;
  references: Record<'providers' | 'services' | 'payroll_ids', Set<string>>;
  /** payroll_employee_id → the first provider of this ingest that carries it. */
  payrollOwners: Map<string, { providerId: string; row: number }>;
  sourceFilePaths: Map<number, string>;
  readRecords: (input: AsyncIterable<Buffer>, bytes: number) => AsyncIterable<CsvRecord>;
  /** The files read, whose totals are written at the end. */
  finishedFiles: { sourceFileId: number; report: FileReport }[];
  bytesDone: number;
  bytesTotal: number;
  onProgress: ((progress: IngestProgress) => void) | undefined;
  batchSize: number;
  /** The ingest's date (YYYY-MM-DD), for the date-of-birth test of extra columns. */
  today: string;
}

/**
 * Ingests canonical bundles into the store as ONE all-or-nothing transaction: either every
 * accepted row of every bundle is committed, or (on a broken file, an I/O error, a store
 * failure, or a file with more rejected rows than `maxRejected` allows and no `acceptRejected`)
 * the store is left exactly as it was. Rejected rows are listed in the report with file, row,
 * column and reason, and grouped by file and code.
 */
export async function ingestBundles(
  bundles: readonly Bundle[],
  options: IngestOptions,
): Promise<IngestReport> {
  const maxRejected = options.maxRejected ?? DEFAULT_MAX_REJECTED_SHARE;
  if (!isShare(maxRejected)) {
    throw new RangeError(`maxRejected ${maxRejected} is not a share from 0 to 1`);
  }
  // Findings made before the ingest are the caller's: redacted here too, before they are kept.
  const priorIssues = (options.priorIssues ?? []).map(redactIssue);
  const priorRejections = options.priorRejections ?? [];
  const label = bundles.map((b) => b.label).join(', ');
  const files = orderForIngest(bundles.flatMap((b) => b.files));
  const reports: FileReport[] = [];
  const bytesTotal = files.reduce((sum, f) => sum + f.bytes, 0);
  const tx = await options.store.beginIngest(options.tenant, label, { bytes: bytesTotal });
  const writing: Writing = {
    writes: new SerialWrites(WRITES_WAITING, tx.ordersCalls === true),
    failedIn: null,
  };
  try {
    const state: IngestState = {
      tx,
      writing,
      tenant: options.tenant,
      pseudonymizer: options.pseudonymizer,
      locations: await tx.knownLocations(),
      aliases: new Map(
        [...(await tx.locationAliases())].map(([alias, id]) => [normalizeLocationName(alias), id]),
      ),
      references: {
        providers: await tx.knownIds('providers', 'provider_id'),
        services: await tx.knownIds('services', 'service_code'),
        payroll_ids: await tx.knownIds('providers', 'payroll_employee_id'),
      },
      payrollOwners: new Map(),
      sourceFilePaths: new Map(),
      finishedFiles: [],
      readRecords: options.readRecords ?? ((input) => readCsvRecords(input)),
      bytesDone: 0,
      bytesTotal,
      onProgress: options.onProgress,
      batchSize: options.batchSize ?? 2000,
      today: options.today ?? new Date().toISOString().slice(0, 10),
    };
    for (const file of files) {
      const report = await ingestFile(file, state);
      reports.push(report);
    }
    // The last files' writes finish their reports' counts.
    await writing.writes.drain();
    for (const { sourceFileId, report } of state.finishedFiles) {
      await tx.finishSourceFile(sourceFileId, {
        sha256: report.sha256,
        rowsRead: report.rows_read,
        rowsAccepted: report.rows_accepted,
        rowsRejected: report.rows_rejected,
      });
    }
    if (files.length === 0 || !reports.some((r) => r.entity !== null)) {
      await tx.rollback();
      return buildReport(
        null,
        options.tenant,
        reports,
        false,
        `no canonical bundle file found in ${label} (expected some of: ${CANONICAL_FILE_NAMES})`,
        { priorIssues },
      );
    }
    // The threshold is checked here, before anything is committed: one rule for every caller.
    const rejection = checkRejections(
      [...reports, ...priorRejections],
      maxRejected,
      options.acceptRejected === true,
    );
    const rowsAccepted = reports.reduce((sum, r) => sum + r.rows_accepted, 0);
    const failure =
      rowsAccepted === 0
        ? 'no row was accepted, so nothing was written'
        : blocksCommit(rejection)
          ? describeRejections(rejection, rowsAccepted)
          : null;
    if (failure !== null) {
      await tx.rollback();
      return buildReport(null, options.tenant, reports, false, failure, {
        priorIssues,
        priorRejections,
        rejection,
      });
    }
    const report = buildReport(tx.ingestId, options.tenant, reports, true, null, {
      priorIssues,
      priorRejections,
      rejection,
    });
    await tx.addIssues([...priorIssues, ...reports.flatMap((r) => r.issues)]);
    await tx.commit(report);
    return report;
  } catch (error) {
    await writing.writes.stop();
    await tx.rollback();
    // A write fails after its file was read, maybe while the next was being read: the file it
    // belongs to is the one that failed, and the reports after it are dropped.
    const failedAt = writing.failedIn === null ? reports.length : files.indexOf(writing.failedIn);
    reports.length = Math.min(reports.length, failedAt);
    const failedFile = files[failedAt];
    const problem = describeReadError(error);
    const failure = redactMessage(
      `${failedFile ? `${failedFile.displayPath}: ` : ''}${problem.message}; nothing was written (the ingest is all-or-nothing)`,
    );
    if (failedFile) {
      const failedReport = emptyReport(failedFile, fileSpecByName(failedFile.name)?.entity ?? null);
      failedReport.issues.push(
        redactIssue({
          file: failedFile.displayPath,
          row: problem.row,
          column: null,
          code: problem.code,
          severity: 'error',
          message: problem.message,
        }),
      );
      reports.push(failedReport);
    }
    return buildReport(null, options.tenant, reports, false, failure, { priorIssues });
  }
}

/** What csv-parse's own error codes mean, said without the cell its message quotes. */
const CSV_PARSE_REASONS: Record<string, string> = {
  INVALID_OPENING_QUOTE:
    'a `"` inside a cell that does not start with one: quote the whole cell and double the quote inside it ("")',
  CSV_INVALID_CLOSING_QUOTE:
    'a closing quote is followed by other characters; quotes inside a quoted cell must be doubled ("")',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE:
    'a closing quote is followed by other characters; quotes inside a quoted cell must be doubled ("")',
  CSV_QUOTE_NOT_CLOSED:
    'a quoted cell is never closed (a `"` is missing), so the rest of the file cannot be read',
  CSV_MAX_RECORD_SIZE: 'a row is longer than a CSV row may be',
};

/**
 * Why a file could not be read, as the report says it: a structural CSV error with its row,
 * never the parser's own message, which quotes the cell it stopped on (an email, a name…);
 * other errors (I/O, the store) by their message, redacted where it leaves the core.
 */
function describeReadError(error: unknown): {
  row: number | null;
  code: 'csv_structure' | 'unreadable_file';
  message: string;
} {
  if (error instanceof CsvStructureError)
    return { row: error.row, code: 'csv_structure', message: error.message };
  if (error instanceof CsvError) {
    const code = /^[A-Z_]{1,64}$/.test(error.code) ? error.code : 'unknown';
    const lines = (error as { lines?: unknown }).lines;
    const row = typeof lines === 'number' && Number.isInteger(lines) && lines > 0 ? lines : null;
    const reason = CSV_PARSE_REASONS[code] ?? `the CSV structure is broken (${code})`;
    return { row, code: 'csv_structure', message: row === null ? reason : `row ${row}: ${reason}` };
  }
  return {
    row: null,
    code: 'unreadable_file',
    message: error instanceof Error ? error.message : String(error),
  };
}

/** Referenced files first, so a bundle's own locations and providers are known to its facts. */
function orderForIngest(files: readonly BundleFile[]): BundleFile[] {
  const rank = (file: BundleFile) => {
    const index = CANONICAL_FILES.findIndex((s) => s.file === file.name.toLowerCase());
    return index === -1 ? CANONICAL_FILES.length : index;
  };
  return files
    .map((file, position) => ({ file, position }))
    .sort((a, b) => rank(a.file) - rank(b.file) || a.position - b.position)
    .map((x) => x.file);
}

/**
 * The ingest report of these file reports, its totals summed from them and their issues (after
 * `priorIssues`, the findings made before the ingest) grouped by file, code and severity.
 */
export function buildReport(
  ingestId: number | null,
  tenant: string,
  files: FileReport[],
  committed: boolean,
  failure: string | null,
  more: {
    priorIssues?: readonly DataQualityIssue[];
    /** Rows rejected before the canonical ingest (IngestOptions.priorRejections), counted in the totals. */
    priorRejections?: IngestOptions['priorRejections'];
    rejection?: RejectionCheck | null;
  } = {},
): IngestReport {
  const sum = (pick: (f: FileReport) => number) => files.reduce((total, f) => total + pick(f), 0);
  const written = committed ? 1 : 0;
  // The boundary where findings leave the core: no message carries an email, a phone or a long
  // number, whoever wrote it (the ingest's own issues already are; the callers' may not be).
  const redacted = files.map((f) =>
    f.issues.every((i) => redactIssue(i) === i) ? f : { ...f, issues: f.issues.map(redactIssue) },
  );
  return {
    ingest_id: ingestId,
    tenant,
    committed,
    failure: failure === null ? null : redactMessage(failure),
    rejection: more.rejection ?? null,
    files: redacted,
    issue_groups: groupIssues([
      ...(more.priorIssues ?? []).map(redactIssue),
      ...redacted.flatMap((f) => f.issues),
    ]),
    totals: {
      files: files.length,
      rows_read: sum((f) => f.rows_read),
      rows_accepted: sum((f) => f.rows_accepted),
      rows_rejected:
        sum((f) => f.rows_rejected) + (more.priorRejections ?? []).reduce((n, r) => n + r.rows_rejected, 0),
      rows_inserted: written * sum((f) => f.rows_inserted),
      rows_updated: written * sum((f) => f.rows_updated),
      rows_unchanged: written * sum((f) => f.rows_unchanged),
      bytes: sum((f) => f.bytes),
    },
  };
}

async function* hashedAndCounted(
  file: ByteFile,
  hash: ReturnType<typeof createHash>,
  state: IngestState,
): AsyncGenerator<Buffer> {
  for await (const chunk of file.read()) {
    hash.update(chunk);
    state.bytesDone += chunk.length;
    state.onProgress?.({ bytesDone: state.bytesDone, bytesTotal: state.bytesTotal, file: file.displayPath });
    yield chunk;
  }
}

/**
 * A record file's rows as the CSV reader gives a file's: its columns as the header (row 1),
 * then each record's cells in that order on the row it came from — no text in between.
 */
function* recordRows(file: RecordFile, state: IngestState): Generator<CsvRecord> {
  yield { row: 1, cells: [...file.columns] };
  const step = file.records.length === 0 ? 0 : file.bytes / file.records.length;
  let reported = state.bytesDone;
  const start = state.bytesDone;
  for (const [i, record] of file.records.entries()) {
    yield { row: record.sourceRow, cells: file.columns.map((c) => record.values[c] ?? '') };
    state.bytesDone = start + Math.round(step * (i + 1));
    if (state.bytesDone - reported >= 1 << 20 || i === file.records.length - 1) {
      reported = state.bytesDone;
      state.onProgress?.({
        bytesDone: state.bytesDone,
        bytesTotal: state.bytesTotal,
        file: file.displayPath,
      });
    }
  }
}

interface ColumnPlan {
  known: Map<string, number>;
  extra: { name: string; index: number }[];
  /**
   * In a file that carries patients or leads: the screen of its extra columns, decided on the
   * first rows (read ahead) and asked of every later cell. Null elsewhere: every extra is kept.
   */
  screen: ExtraColumnScreen | null;
}

async function ingestFile(file: BundleFile, state: IngestState): Promise<FileReport> {
  const spec = fileSpecByName(file.name);
  const report = emptyReport(file, spec?.entity ?? null);
  // The issue constructor: every message is redacted as it is made (redact.ts).
  const issueOf = (
    row: number | null,
    column: string | null,
    code: IssueCode,
    message: string,
    warning = false,
  ): DataQualityIssue =>
    redactIssue({
      file: file.displayPath,
      row,
      column,
      code,
      severity: warning ? 'warning' : 'error',
      message,
    });
  const issue = (...args: Parameters<typeof issueOf>) => {
    report.issues.push(issueOf(...args));
  };
  if (!spec) {
    issue(
      null,
      null,
      'unknown_file',
      `not a canonical bundle file, so it was not read (canonical files: ${CANONICAL_FILE_NAMES})`,
      true,
    );
    return report;
  }
  const writes = state.writing.writes;
  /** Queues a write of this file: a failure names the file, even after the next one began. */
  const queueWrite = (write: () => Promise<void>) =>
    writes.add(async () => {
      try {
        await write();
      } catch (error) {
        state.writing.failedIn ??= file;
        throw error;
      }
    });
  // The file's batches need its id, made once the writes before it are done (one connection,
  // and nothing else is written meanwhile: the first batch waits for it). Its first rows are
  // read in the meantime.
  const sourceFileId = writes.drain().then(async () => {
    const id = await state.tx.addSourceFile({
      path: file.displayPath,
      name: spec.file,
      entity: spec.entity,
      bytes: file.bytes,
    });
    state.sourceFilePaths.set(id, file.displayPath);
    return id;
  });
  // Handled here; thrown where the id is waited for.
  sourceFileId.catch(() => undefined);
  const hash = createHash('sha256');
  const records = isRecordFile(file)
    ? recordRows(file, state)
    : state.readRecords(hashedAndCounted(file, hash, state), file.bytes);

  let plan: ColumnPlan | null = null;
  let headerLength = 0;
  let fileRejection: string | null = null;
  let batch: StoredRow[] = [];
  const unknownRefs = new Map<string, { column: string; value: string; count: number; firstRow: number }>();
  const mergedRefs: MergedRefs = new Map();

  // A services, providers or patients row an export derived says nothing of what the export
  // does not carry (a role, a payroll id, a referral source): it completes the stored row.
  const completes = isRecordFile(file) && DERIVED_DIMENSIONS.has(spec.entity);
  let conflictIssues = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    let rows = batch;
    batch = [];
    const fileId = await sourceFileId;
    if (completes) {
      await writes.drain();
      const stored = await state.tx.currentRowsByKey(
        spec.entity,
        rows.map((r) => r.key),
      );
      rows = rows.map((r) => completedRow(spec, r, stored.get(JSON.stringify(r.key))));
    }
    // A conflict is listed where its batch ends among the file's issues, as if each write had
    // been waited for before the next row was read.
    const issueAt = report.issues.length;
    await queueWrite(async () => {
      const outcome = await state.tx.upsert(spec.entity, fileId, rows);
      report.rows_inserted += outcome.inserted;
      report.rows_updated += outcome.updated;
      report.rows_unchanged += outcome.unchanged;
      const conflicts: DataQualityIssue[] = [];
      for (const conflict of outcome.conflicts) {
        const row = rows[conflict.index];
        if (!row) continue;
        report.rows_accepted -= 1;
        report.rows_rejected += 1;
        const first = state.sourceFilePaths.get(conflict.firstSourceFileId) ?? 'an earlier file';
        conflicts.push(
          issueOf(
            row.sourceRow,
            spec.naturalKey.join('+'),
            'duplicate_key',
            `${spec.naturalKey.join(' + ')} ${row.key.join(' + ')} already came with different values from ${first} row ${conflict.firstSourceRow} in this ingest; this row was not kept`,
          ),
        );
      }
      report.issues.splice(issueAt + conflictIssues, 0, ...conflicts);
      conflictIssues += conflicts.length;
    });
  };

  // Rows read ahead while the extra columns of a patient-bearing file are being decided.
  const ahead: CsvRecord[] = [];
  let headerRow = 1;
  const decideExtras = async () => {
    const screen = plan?.screen;
    if (!plan || !screen || screen.isDecided) return;
    reportDroppedColumns(plan, screen.decide(), headerRow, issue);
    for (const record of ahead.splice(0)) await ingestRecord(record);
  };

  const ingestRecord = async (record: CsvRecord) => {
    report.rows_read += 1;
    if (fileRejection !== null || plan === null) {
      report.rows_rejected += 1;
      return;
    }
    const row = record.row;
    const stored = readRow(
      spec,
      plan,
      headerLength,
      record.cells,
      row,
      state,
      issue,
      unknownRefs,
      mergedRefs,
    );
    if (stored === 'merged_location') {
      // Accepted and left as it is: the location it describes lives on as another one.
      report.rows_accepted += 1;
      report.rows_unchanged += 1;
      return;
    }
    if (stored === null) {
      report.rows_rejected += 1;
      return;
    }
    report.rows_accepted += 1;
    batch.push(stored);
    if (batch.length >= state.batchSize) await flush();
  };

  for await (const record of records) {
    if (plan === null && fileRejection === null) {
      const planned = planColumns(spec, record.cells, record.row, issue, state.today);
      if (typeof planned === 'string') fileRejection = planned;
      else plan = planned;
      headerLength = record.cells.length;
      headerRow = record.row;
      continue;
    }
    const screen = plan?.screen;
    if (plan && screen && !screen.isDecided) {
      screen.observe(
        record.row,
        new Map(plan.extra.map(({ name, index }) => [name, record.cells[index] ?? ''])),
      );
      ahead.push(record);
      if (ahead.length >= DECISION_ROWS) await decideExtras();
      continue;
    }
    await ingestRecord(record);
  }
  // A file shorter than the read-ahead is decided on all its rows.
  await decideExtras();
  await flush();
  if (plan?.screen) reportLateDrops(plan.screen, issue);

  if (plan === null && fileRejection === null) {
    issue(null, null, 'empty_file', 'the file is empty (no header row)', true);
  }
  if (fileRejection !== null && report.rows_read > 0) {
    issue(
      null,
      null,
      'missing_column',
      `${fileRejection}: none of its ${report.rows_read} rows was ingested`,
    );
  }
  for (const ref of mergedRefs.values()) {
    issue(
      ref.firstRow,
      ref.column,
      'merged_location',
      `${ref.column} ${JSON.stringify(ref.value)} is a name of ${ref.into} (merged into it, or saved as its alias): its ${ref.count} row${ref.count === 1 ? ' was' : 's were'} counted at ${ref.into}`,
      true,
    );
  }
  for (const ref of unknownRefs.values()) {
    const target = REFERENCES[spec.entity]?.find((r) => r.column === ref.column)?.target ?? 'providers';
    issue(
      ref.firstRow,
      ref.column,
      'unknown_reference',
      `${ref.column} ${JSON.stringify(ref.value)} is not in ${TARGET_FILE[target]} (${ref.count} row${ref.count === 1 ? '' : 's'}, first at row ${ref.firstRow}); the rows were kept`,
      true,
    );
  }
  report.sha256 = isRecordFile(file) ? file.sha256 : hash.digest('hex');
  // Its totals are written once every write of the ingest has answered (a conflict moves a
  // row from accepted to rejected).
  state.finishedFiles.push({ sourceFileId: await sourceFileId, report });
  return report;
}

type MergedRefs = Map<
  string,
  { column: string; value: string; into: string; count: number; firstRow: number }
>;

/**
 * The location a canonical location id now means when it is no current location's id but a
 * saved alias of one (case and punctuation aside, as export names are matched), as the id of a
 * merged location is: its rows count there, never as a location brought back. Null for every
 * other id.
 */
function mergedInto(id: string, state: IngestState): string | null {
  if (state.locations.has(id)) return null;
  const into = state.aliases.get(normalizeLocationName(id));
  return into !== undefined && into !== id && state.locations.has(into) ? into : null;
}

type IssueSink = (
  row: number | null,
  column: string | null,
  code: IssueCode,
  message: string,
  warning?: boolean,
) => void;

/** A column as a warning names it: by its header, or by its position when the header itself looks personal. */
function columnLabel(name: string, index: number): { label: string; column: string } {
  return looksPersonalValue(name)
    ? { label: `column ${index + 1} (its header looks like personal data)`, column: `column ${index + 1}` }
    : { label: `column "${name}"`, column: name };
}

/** Reads the header; returns why the whole file is rejected, or how each column is used. */
function planColumns(
  spec: AnyFileSpec,
  header: string[],
  row: number,
  issue: IssueSink,
  today: string,
): ColumnPlan | string {
  const names = header.map(normalizeHeader);
  const known = new Map<string, number>();
  const extra: { name: string; index: number }[] = [];
  const seen = new Map<string, number>();
  for (const [index, name] of names.entries()) {
    const first = seen.get(name);
    if (first !== undefined) {
      issue(
        row,
        name,
        'duplicate_column',
        `column "${name}" appears twice (columns ${first + 1} and ${index + 1})`,
      );
      return `duplicate column "${name}"`;
    }
    seen.set(name, index);
    if (name in spec.columns) {
      known.set(name, index);
    } else if (name === '') {
      continue;
    } else if (PATIENT_BEARING.has(spec.entity) && (looksPersonal(name) || looksPersonalValue(name))) {
      const { label, column } = columnLabel(name, index);
      issue(
        row,
        column,
        'personal_column_dropped',
        `${label} is named like personal data (a name, contact details, an address, a date of birth or a note), which Caliper does not store: its values were not kept; ${KEEP_ADVICE}`,
        true,
      );
    } else {
      extra.push({ name, index });
    }
  }
  const missing = Object.entries(spec.columns)
    .filter(([name, column]) => column.required && !known.has(name))
    .map(([name]) => name);
  if (missing.length > 0) {
    for (const name of missing) {
      issue(row, name, 'missing_column', `required column "${name}" is missing from the header`);
    }
    return `required column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')} missing`;
  }
  const screen =
    PATIENT_BEARING.has(spec.entity) && extra.length > 0
      ? new ExtraColumnScreen(
          extra.map((e) => e.name),
          today,
        )
      : null;
  return { known, extra, screen };
}

/** The warning of each extra column whose values look like personal data; the column is no longer kept. */
function reportDroppedColumns(
  plan: ColumnPlan,
  dropped: ReadonlyMap<string, ColumnDrop>,
  headerRow: number,
  issue: IssueSink,
): void {
  for (const { name, index } of plan.extra) {
    const drop = dropped.get(name);
    if (drop === undefined) continue;
    const { label, column } = columnLabel(name, index);
    const where = drop.row === null ? '' : ` (first at row ${drop.row})`;
    issue(
      headerRow,
      column,
      'personal_column_dropped',
      `${label} holds values that look like personal data — ${PERSONAL_KIND_TEXT[drop.personal]}${where} — which Caliper does not store: the column was not kept; ${KEEP_ADVICE}`,
      true,
    );
  }
  plan.extra = plan.extra.filter((e) => !dropped.has(e.name));
}

/** The warning of each kept extra column some of whose later values looked personal and were dropped. */
function reportLateDrops(screen: ExtraColumnScreen, issue: IssueSink): void {
  for (const late of screen.lateDrops()) {
    const kinds = late.kinds.map((k: PersonalKind) => PERSONAL_KIND_TEXT[k]).join(', ');
    issue(
      late.firstRow,
      late.column,
      'personal_value_dropped',
      `column "${late.column}": ${late.count} value${late.count === 1 ? '' : 's'} (first at row ${late.firstRow}) looked like personal data — ${kinds} — and ${late.count === 1 ? 'was' : 'were'} not kept; the column's other values were; ${KEEP_ADVICE}`,
      true,
    );
  }
}

function readRow(
  spec: AnyFileSpec,
  plan: ColumnPlan,
  headerLength: number,
  cells: string[],
  row: number,
  state: IngestState,
  issue: IssueSink,
  unknownRefs: Map<string, { column: string; value: string; count: number; firstRow: number }>,
  mergedRefs: MergedRefs,
): StoredRow | 'merged_location' | null {
  if (cells.length !== headerLength) {
    // A trailing separator (one more, empty cell) is a common export quirk, not lost data.
    const onlyEmptyExtras =
      cells.length > headerLength && cells.slice(headerLength).every((c) => c.trim() === '');
    if (!onlyEmptyExtras) {
      issue(row, null, 'column_count', `row has ${cells.length} cells but the header has ${headerLength}`);
      return null;
    }
  }
  const raw: Record<string, string | undefined> = {};
  for (const [name, index] of plan.known) raw[name] = cells[index];
  const columns = columnsOf(spec);
  // A malformed email or phone must not cost the row (the visit or patient is real): the
  // value is dropped with a warning that withholds it.
  for (const [name, column] of columns.personal) {
    const text = raw[name]?.trim() ?? '';
    if (text === '') continue;
    if (column.kind === 'email' && normalizeEmail(text) === null) {
      issue(
        row,
        name,
        'invalid_email',
        'not a valid email address (value withheld); the row was kept without it',
        true,
      );
      raw[name] = '';
    } else if (column.kind === 'phone' && normalizePhone(text) === null) {
      issue(
        row,
        name,
        'invalid_phone',
        'not a phone number that reduces to E.164 digits (value withheld); the row was kept without it',
        true,
      );
      raw[name] = '';
    }
  }
  const read = spec.readCells(raw);
  if (Array.isArray(read)) {
    for (const problem of read) {
      const message = withoutPersonalValue(spec, problem.column, raw[problem.column], problem.message);
      issue(row, problem.column, problem.code, message);
    }
    return null;
  }
  const values = read as Record<string, string | number | null>;
  const problems = spec.check(read);
  if (problems.length > 0) {
    for (const p of problems) issue(row, p.column, p.code, p.message);
    return null;
  }

  if (spec.entity === 'locations') {
    const id = String(values.location_id);
    const into = mergedInto(id, state);
    if (into !== null) {
      issue(
        row,
        'location_id',
        'merged_location',
        `location ${JSON.stringify(id)} is a name of ${into} (merged into it, or saved as its alias): this row was not written; ${into} keeps its own fields (caliper locations set ${into} changes them)`,
        true,
      );
      return 'merged_location';
    }
  } else {
    for (const column of columns.locations) {
      const id = values[column];
      const into = typeof id === 'string' ? mergedInto(id, state) : null;
      if (typeof id !== 'string' || into === null) continue;
      values[column] = into;
      const key = `${column}\u0000${id}`;
      const seen = mergedRefs.get(key);
      if (seen) seen.count += 1;
      else mergedRefs.set(key, { column, value: id, into, count: 1, firstRow: row });
    }
  }

  const locationId = typeof values.location_id === 'string' ? values.location_id : null;
  if (locationId !== null && spec.entity !== 'locations' && !state.locations.has(locationId)) {
    issue(
      row,
      'location_id',
      'unknown_location',
      `location_id ${JSON.stringify(locationId)} is not in locations.csv of this bundle nor already in the store`,
    );
    return null;
  }

  const timeZone = locationId === null ? null : (state.locations.get(locationId)?.timezone ?? null);
  for (const name of columns.datetimes) {
    const value = values[name];
    if (typeof value !== 'string' || !hasOffset(value)) continue;
    if (timeZone !== null) {
      values[name] = toLocalWallTime(value, timeZone);
    } else {
      values[name] = value.slice(0, 19);
      issue(
        row,
        name,
        'timezone_unknown',
        `${name} carries a UTC offset but the location has no timezone, so its wall-clock time was kept as written`,
        true,
      );
    }
  }

  for (const ref of REFERENCES[spec.entity] ?? []) {
    const value = values[ref.column];
    const known = state.references[ref.target];
    if (typeof value !== 'string' || known.size === 0 || known.has(value)) continue;
    const key = `${ref.column}\u0000${value}`;
    const seen = unknownRefs.get(key);
    if (seen) seen.count += 1;
    else unknownRefs.set(key, { column: ref.column, value, count: 1, firstRow: row });
  }

  if (spec.entity === 'providers') checkPayrollOwner(values, row, state, issue);

  const stored = toStoredRow(spec, values, plan, cells, row, state);
  rememberReferences(spec, values, state);
  return stored;
}

/** A file's columns a row's checks walk, listed once per file spec rather than per row. */
interface ColumnLists {
  /** Email and phone columns, with their specs. */
  personal: [string, AnyFileSpec['columns'][string]][];
  /** Columns naming a location (`locationColumnsOf`). */
  locations: string[];
  datetimes: string[];
}

const columnLists = new WeakMap<AnyFileSpec, ColumnLists>();

function columnsOf(spec: AnyFileSpec): ColumnLists {
  let lists = columnLists.get(spec);
  if (lists === undefined) {
    const entries = Object.entries(spec.columns);
    lists = {
      personal: entries.filter(([, c]) => c.kind === 'email' || c.kind === 'phone'),
      locations: locationColumnsOf(spec),
      datetimes: entries.filter(([, c]) => c.kind === 'datetime').map(([name]) => name),
    };
    columnLists.set(spec, lists);
  }
  return lists;
}

/**
 * A cell's problem as the report says it. A cell of a patient's or lead's file, a patient_id,
 * or any cell of a file that carries patients that looks like personal data is not quoted but
 * described (`a value of 24 characters is not a calendar date…`).
 */
function withoutPersonalValue(
  spec: AnyFileSpec,
  column: string,
  raw: string | undefined,
  message: string,
): string {
  const text = raw?.trim() ?? '';
  if (text === '' || !PATIENT_BEARING.has(spec.entity)) return message;
  const personal = PERSON_FILES.has(spec.entity) || column === 'patient_id' || looksPersonalValue(text);
  return personal ? message.split(quoteCell(text)).join(describeValue(text)) : message;
}

/**
 * One payroll id pays one person: two providers with the same payroll_employee_id would have
 * the payroll of one allocated to the other. The row is kept (the id may be a typo in either
 * row) and the clash is reported, naming both providers.
 */
function checkPayrollOwner(
  values: Record<string, string | number | null>,
  row: number,
  state: IngestState,
  issue: IssueSink,
): void {
  const payrollId = values.payroll_employee_id;
  const providerId = values.provider_id;
  if (typeof payrollId !== 'string' || typeof providerId !== 'string') return;
  const owner = state.payrollOwners.get(payrollId);
  if (owner === undefined) {
    state.payrollOwners.set(payrollId, { providerId, row });
  } else if (owner.providerId !== providerId) {
    issue(
      row,
      'payroll_employee_id',
      'shared_payroll_id',
      `payroll_employee_id ${payrollId} is also provider ${owner.providerId}'s (row ${owner.row}); their payroll cannot be told apart — give each provider their own payroll id`,
      true,
    );
  }
}

/** A patient's identity across systems: the email's, else the phone's pseudonym, else the id. */
function personKey(values: Readonly<Record<string, string | number | null>>): string {
  const key = values.email_hash ?? values.phone_hash ?? `id:${String(values.patient_id)}`;
  return String(key);
}

/** The entities whose rows a vendor export derives from its facts (ingestBundles' `completes`). */
const DERIVED_DIMENSIONS = new Set(['services', 'providers', 'patients']);

/**
 * A derived row with the stored version's values wherever it has none (and the stored extra
 * attributes it does not repeat), hashed again: equal to the stored row when it adds nothing.
 */
function completedRow(spec: AnyFileSpec, row: StoredRow, stored: CurrentRow | undefined): StoredRow {
  if (stored === undefined) return row;
  const values = { ...row.values };
  for (const column of storedColumnsOf(spec)) {
    if ((values[column.name] ?? null) === null) values[column.name] = stored.values[column.name] ?? null;
  }
  if (spec.entity === 'patients') values.person_key = personKey(values);
  const extra = stored.extra === null && row.extra === null ? null : { ...stored.extra, ...row.extra };
  const ordered = storedColumnsOf(spec).map((c) => values[c.name] ?? null);
  return { ...row, values, extra, hash: rowHash(ordered, extra) };
}

function toStoredRow(
  spec: AnyFileSpec,
  values: Record<string, string | number | null>,
  plan: ColumnPlan,
  cells: string[],
  row: number,
  state: IngestState,
): StoredRow {
  const out: Record<string, string | number | null> = {};
  for (const column of storedColumnsOf(spec)) {
    if (column.source === null) continue;
    const value = values[column.source] ?? null;
    const kind = spec.columns[column.source]?.kind;
    if (kind !== undefined && PERSONAL_KINDS.has(kind) && typeof value === 'string') {
      out[column.name] = state.pseudonymizer.pseudonymize(kind === 'email' ? 'email' : 'phone', value);
    } else {
      out[column.name] = value;
    }
  }
  if (spec.entity === 'patients') {
    out.person_key = personKey(out);
  }
  let extra: Record<string, string> | null = null;
  for (const { name, index } of plan.extra) {
    const text = cells[index]?.trim() ?? '';
    if (text === '') continue;
    // A later value of a kept column is checked again: a personal-looking one is not kept.
    if (plan.screen !== null && !plan.screen.keep(name, text, row)) continue;
    extra ??= {};
    extra[name] = text;
  }
  const ordered = storedColumnsOf(spec).map((c) => out[c.name] ?? null);
  return {
    key: spec.naturalKey.map((k) => String(values[k])),
    values: out,
    extra,
    hash: rowHash(ordered, extra),
    sourceRow: row,
  };
}

/** Rows accepted now are known to the files that follow in the same ingest. */
function rememberReferences(
  spec: AnyFileSpec,
  values: Record<string, string | number | null>,
  state: IngestState,
) {
  if (spec.entity === 'locations' && typeof values.location_id === 'string') {
    state.locations.set(values.location_id, {
      timezone: typeof values.timezone === 'string' ? values.timezone : null,
    });
  } else if (spec.entity === 'providers') {
    if (typeof values.provider_id === 'string') state.references.providers.add(values.provider_id);
    if (typeof values.payroll_employee_id === 'string')
      state.references.payroll_ids.add(values.payroll_employee_id);
  } else if (spec.entity === 'services' && typeof values.service_code === 'string') {
    state.references.services.add(values.service_code);
  }
}
