import path from 'node:path';

import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { BundleOpenError } from '../io/bundleFiles';
import { withCsvReader } from '../io/csvOnWorker';
import { loadTenantSecret } from '../io/tenantSecrets';
import { openVendorBundles, type VendorBundleOptions } from '../io/vendorBundle';
import { currencyCode, FxRateError, parseFxPair } from '../shared/connectors/currency';
import { profileById } from '../shared/connectors/registry';
import { parseRevenueSourcePair } from '../shared/connectors/revenueSources';
import { isIdPrefix, toDataQualityIssues } from '../shared/connectors/vendorConversion';
import type {
  FileIssue,
  IngestJobBody,
  IngestJobProgress,
  IngestReportBody,
  VendorOutcome,
} from '../shared/contract/ingest';
import type { IngestReport } from '../shared/ingest/dataQuality';
import { buildReport, ingestBundles, type IngestProgress } from '../shared/ingest/ingestBundles';
import { isKnownTimeZone } from '../shared/model/cellTypes';
import { createPseudonymizer } from '../shared/privacy/pseudonymize';
import { redactIssue } from '../shared/privacy/redact';
import { DEFAULT_INGEST_MAX_BYTES, ingestLimitsOf } from './config';
import { ApiError, withErrorMapping } from './httpErrors';
import { bundlesUnderDeadline, IngestDeadline, IngestTimedOut, storeUnderDeadline } from './ingestDeadline';
import type { TenantTicket } from './ingestQueue';
import { type IngestThreshold, thresholdOf } from './ingestThreshold';
import { receiveUpload, type Upload, uploadRoot, uploadShape } from './ingestUpload';
import { dispatchRefresh, refreshQueueOutput } from './refreshLocation';
import { runtime } from './runtime';
import { tenantOf } from './tenant';
import { enterLine, turnDidNotCome } from './tenantTurn';
import { type LockWait, LockWaitTimeout } from './writeLock';

/** The answer when nothing was written: no file report, zero totals, why, and the findings grouped. */
function nothingWritten(tenant: string, failure: string, findings: readonly FileIssue[] = []): IngestReport {
  return buildReport(null, tenant, [], false, failure, { priorIssues: toDataQualityIssues(findings) });
}

function stripFolder(text: string, dir: string): string {
  return text.split(`${dir}${path.sep}`).join('');
}

/** The temp folder means nothing to the caller (and names the host's disk): file names stay bare. */
function withoutFolder<T extends IngestReport>(report: T, dir: string): T {
  const escaped = JSON.stringify(`${dir}${path.sep}`).slice(1, -1);
  return JSON.parse(JSON.stringify(report).split(escaped).join('')) as T;
}

type IngestOutcome = IngestReport & VendorOutcome;

/**
 * `?profile=`, `?location=`, `?id_prefix=`, `?timezone=`, `?revenue_source=L001=square,L002=stripe`,
 * `?fx=IDR:0.0000615,EUR:1.08`, `?default_currency=USD`: the CLI's flags as query parameters.
 */
function vendorOptions(request: HttpRequest): VendorBundleOptions {
  const text = (name: string) => {
    const value = request.query.get(name)?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const profileId = text('profile');
  if (profileId !== undefined && profileById(profileId) === undefined) {
    throw new ApiError('bad_request', `?profile=${JSON.stringify(profileId)} is not a known vendor profile`);
  }
  const revenueSources: Record<string, string> = {};
  for (const pair of (text('revenue_source') ?? '').split(',').filter((p) => p.trim() !== '')) {
    const parsed = parseRevenueSourcePair(pair);
    if (parsed === null) {
      throw new ApiError('bad_request', `?revenue_source: ${JSON.stringify(pair)} is not LOCATION=SYSTEM`);
    }
    revenueSources[parsed[0]] = parsed[1];
  }
  // `?fx=IDR:0.0000615,EUR:1.08`: comma-separated pairs, as ?revenue_source (`IDR=…` works too).
  const fxRates = new Map<string, number>();
  for (const pair of (text('fx') ?? '').split(',').filter((p) => p.trim() !== '')) {
    try {
      fxRates.set(...parseFxPair(pair));
    } catch (error) {
      if (!(error instanceof FxRateError)) throw error;
      throw new ApiError('bad_request', `?fx: ${error.message.replace('CURRENCY=RATE', 'CURRENCY:RATE')}`);
    }
  }
  const defaultCurrencyText = text('default_currency');
  const defaultCurrency = defaultCurrencyText === undefined ? undefined : currencyCode(defaultCurrencyText);
  if (defaultCurrency === null) {
    throw new ApiError(
      'bad_request',
      `?default_currency=${JSON.stringify(defaultCurrencyText)} is not an ISO 4217 currency code`,
    );
  }
  const locationId = text('location');
  const idPrefix = text('id_prefix');
  if (idPrefix !== undefined && !isIdPrefix(idPrefix)) {
    throw new ApiError(
      'bad_request',
      `?id_prefix=${JSON.stringify(idPrefix)}: use 1–40 letters, digits, - or _`,
    );
  }
  const timeZone = text('timezone');
  if (timeZone !== undefined && !isKnownTimeZone(timeZone)) {
    throw new ApiError('bad_request', `?timezone=${JSON.stringify(timeZone)} is not an IANA time zone`);
  }
  return {
    revenueSources,
    fxRates,
    ...(defaultCurrency === undefined ? {} : { defaultCurrency }),
    ...(idPrefix === undefined ? {} : { idPrefix }),
    ...(timeZone === undefined ? {} : { defaultTimeZone: timeZone }),
    ...(profileId === undefined ? {} : { profileId }),
    ...(locationId === undefined ? {} : { locationId }),
  };
}

function describeIssue(issue: FileIssue): string {
  const where = [issue.file, issue.row === null ? null : `row ${issue.row}`, issue.column].filter(Boolean);
  return `${where.join(', ')}: ${issue.message}`;
}

/** How one upload's ingest runs: its deadline, how long it waits for the writer, what follows a commit. */
interface IngestRun<R> {
  deadline: IngestDeadline;
  /** Waiting for the store's writer: bounded for a synchronous request, until the deadline for a job. */
  wait: LockWait;
  onProgress?: (progress: IngestJobProgress) => void;
  /** About to wait for the store's writer (a job shows `queued` meanwhile), then holding it. */
  onWriterWait?: () => void;
  onWriter?: () => void;
  /** Runs under the writer right after a commit: the aggregate refresh. */
  afterCommit: () => Promise<R>;
}

const NONE: VendorOutcome = {
  vendor_files: [],
  conversion_issues: [],
  reconciliation: [],
  kpi_cross_check: [],
  created_locations: [],
};

function timedOut(tenant: string, error: IngestTimedOut): IngestOutcome {
  return { ...nothingWritten(tenant, `${error.message}; nothing was written`), ...NONE };
}

/**
 * One upload's ingest. Only the store transaction runs under the writer lock: the tenant's
 * locations are read from the read connection and vendor exports are converted before it, so
 * that work never holds up another tenant. The deadline holds throughout; a writer that does not
 * come within `run.wait` throws LockWaitTimeout (the caller answers 429).
 */
async function ingestUpload<R>(
  upload: Upload,
  tenant: string,
  options: VendorBundleOptions,
  threshold: IngestThreshold,
  run: IngestRun<R>,
): Promise<{ outcome: IngestOutcome; after: R | null }> {
  const { config, store, writer, writeLock } = runtime();
  const { deadline, onProgress } = run;
  let outcome: IngestOutcome;
  let after: R | null = null;
  try {
    // Vendor exports are converted first; canonical files pass through untouched. The locations
    // ingested before resolve the exports' center names, and their time zones place
    // UTC-stamped sales on their location's day. Read from committed data: no lock needed (the
    // tenant's own writes wait for this ingest's turn to end).
    const knownLocations = await store.locationIdentities(tenant);
    const opened = await openVendorBundles([upload.bundlePath], {
      ...options,
      knownLocations,
      ...(onProgress === undefined
        ? {}
        : {
            onConvertProgress: (done: number, total: number, file: string) =>
              onProgress({
                phase: 'converting',
                bytes_done: done,
                bytes_total: total,
                file: path.basename(file),
              }),
          }),
    });
    deadline.check();
    if (!opened.ok) {
      const shown = opened.errors.slice(0, 3).map(describeIssue).join('; ');
      const more = opened.errors.length > 3 ? ` (and ${opened.errors.length - 3} more)` : '';
      outcome = {
        ...nothingWritten(tenant, `${shown}${more}; nothing was written`, [
          ...opened.errors,
          ...opened.warnings,
        ]),
        ...NONE,
        vendor_files: opened.recognized,
        conversion_issues: [...opened.errors, ...opened.warnings].map(redactIssue),
      };
    } else {
      // The store keeps each file's name for lineage and the data-quality log: the upload's own
      // names (north.zip:sales.csv), never the host's temp folder.
      const bundles = bundlesUnderDeadline(
        opened.bundles.map((bundle) => ({
          label: stripFolder(bundle.label, upload.dir),
          files: bundle.files.map((file) => ({
            ...file,
            displayPath: stripFolder(file.displayPath, upload.dir),
          })),
        })),
        deadline,
      );
      run.onWriterWait?.();
      const report = await writeLock.run(
        async () => {
          run.onWriter?.();
          const done = await withCsvReader((readRecords) =>
            ingestBundles(bundles, {
              readRecords,
              store: storeUnderDeadline(writer, deadline),
              tenant,
              pseudonymizer: createPseudonymizer(loadTenantSecret(config.storeFile, tenant)),
              priorIssues: toDataQualityIssues(opened.warnings).map((i) => ({
                ...i,
                file: stripFolder(i.file, upload.dir),
              })),
              priorRejections: opened.conversionRows.map((r) => ({
                ...r,
                file: stripFolder(r.file, upload.dir),
              })),
              ...threshold,
              ...(onProgress === undefined
                ? {}
                : {
                    onProgress: (p: IngestProgress) =>
                      onProgress({
                        phase: 'ingesting',
                        bytes_done: p.bytesDone,
                        bytes_total: p.bytesTotal,
                        file: path.basename(p.file),
                      }),
                  }),
            }),
          );
          if (done.committed) after = await run.afterCommit();
          return done;
        },
        { tenant, ...run.wait },
      );
      outcome = {
        ...report,
        vendor_files: opened.recognized,
        conversion_issues: opened.warnings.map(redactIssue),
        reconciliation: opened.reconciliation,
        kpi_cross_check: opened.kpiCrossCheck,
        created_locations: report.committed ? opened.createdLocations : [],
      };
    }
  } catch (error) {
    if (error instanceof IngestTimedOut) outcome = timedOut(tenant, error);
    else if (error instanceof BundleOpenError) {
      outcome = { ...nothingWritten(tenant, `${error.message}; nothing was written`), ...NONE };
    } else throw error;
  }
  return { outcome: withoutFolder(outcome, upload.dir), after };
}

/**
 * `POST /api/ingest`: one bundle (a zip, one canonical CSV, or a multipart form of CSV files)
 * ingested for the caller's tenant exactly as `caliper ingest` would. Without `?async=true`
 * the request waits and answers the ingest report: 200 when it committed (rejected rows are in
 * the report, grouped in `issue_groups`), 422 when nothing was written — also when a file has
 * more rejected rows than `?max_rejected=` (default 5 %) allows and `?accept_rejected=true` is
 * not given. With `?async=true` it answers 202 with a job id at
 * once; `GET /api/ingest/jobs/{id}` then reports progress and, at the end, the same report.
 *
 * Uploads of one tenant take turns (one running, `CALIPER_INGEST_QUEUE` more in hand, else 429
 * before the body is read); different tenants only share the store's writer, for their store
 * transaction alone. A synchronous request whose turn does not come within
 * `CALIPER_INGEST_MAX_WAIT_S` is answered 429 with Retry-After, nothing written.
 */
export const ingest = withErrorMapping(
  async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const { config, ingestJobs } = runtime();
    const limits = ingestLimitsOf(config);
    const maxBytes = config.ingestMaxBytes ?? DEFAULT_INGEST_MAX_BYTES;
    const tenant = await tenantOf(request, 'ingest');
    const asJob = parseAsync(request.query.get('async'));
    const options = vendorOptions(request);
    const threshold = thresholdOf(request);
    // 415, 400 and a declared 413 come from the headers; then the tenant's line (429). Neither
    // reads a byte of the body.
    const shape = uploadShape(request, maxBytes);
    const ticket = enterLine(tenant);
    const deadline = new IngestDeadline(limits.timeoutMs);
    let upload: Upload | undefined;
    let handedToJob = false;
    try {
      upload = await receiveUpload(request, shape, {
        maxBytes,
        root: uploadRoot(limits.uploadRoot),
        signal: deadline.signal,
      });

      if (asJob) {
        const job = ingestJobs.create(tenant, upload.bytes);
        handedToJob = true;
        void runJob(job.job_id, tenant, ticket, upload, deadline, options, threshold, context);
        const statusUrl = `/api/ingest/jobs/${job.job_id}`;
        const accepted: IngestJobBody = { ...job, status_url: statusUrl };
        return { status: 202, headers: { location: statusUrl }, jsonBody: accepted };
      }

      const wait: LockWait = { waitUntil: Math.min(Date.now() + limits.maxWaitMs, deadline.at) };
      try {
        await ticket.turn(wait);
        const { outcome, after } = await ingestUpload(upload, tenant, options, threshold, {
          deadline,
          wait,
          afterCommit: () => dispatchRefresh(tenant, context),
        });
        const body: IngestReportBody = { ...outcome, refresh: after };
        return { status: outcome.committed ? 200 : 422, jsonBody: body };
      } catch (error) {
        if (!(error instanceof LockWaitTimeout)) throw error;
        throw turnDidNotCome();
      }
    } finally {
      if (!handedToJob) {
        ticket.leave();
        deadline.clear();
        await upload?.remove();
      }
    }
  },
);

/** An `?async=true` upload, after its 202: waits in line, runs, cleans up, then reports. */
async function runJob(
  jobId: string,
  tenant: string,
  ticket: TenantTicket,
  upload: Upload,
  deadline: IngestDeadline,
  options: VendorBundleOptions,
  threshold: IngestThreshold,
  context: InvocationContext,
): Promise<void> {
  const { config, ingestJobs } = runtime();
  let finish: () => void;
  try {
    // A job waits as long as its deadline allows, `queued` meanwhile.
    const wait: LockWait = { signal: deadline.signal };
    await ticket.turn(wait);
    ingestJobs.running(jobId);
    const { outcome } = await ingestUpload(upload, tenant, options, threshold, {
      deadline,
      wait,
      onProgress: (p) => ingestJobs.progress(jobId, p),
      onWriterWait: () => ingestJobs.queued(jobId),
      onWriter: () => ingestJobs.running(jobId),
      // The response is gone, so no output binding can carry queue messages: the locations
      // are refreshed here, or by the first query when the Function App fans out by queue.
      afterCommit: async () => {
        if (config.refresh !== 'queue') await dispatchRefresh(tenant, context);
        return null;
      },
    });
    finish = () => {
      ingestJobs.finish(jobId, outcome);
      // With the refresh fanned out by queue, other instances refresh: answering here would
      // refresh every location in this one first.
      if (outcome.committed && config.refresh !== 'queue') storeAnswersAfter(tenant, jobId, context);
    };
  } catch (error) {
    if (error instanceof IngestTimedOut) {
      finish = () => ingestJobs.finish(jobId, timedOut(tenant, error));
    } else {
      context.error(`ingest job ${jobId} failed`, error);
      finish = () =>
        ingestJobs.fail(jobId, {
          code: 'bad_request',
          message: 'The ingest failed on the server; nothing was written. Try again or contact support.',
        });
    }
  } finally {
    ticket.leave();
    deadline.clear();
    // Gone before the job says it is over: a client that sees `done` sees no upload left.
    await upload
      .remove()
      .catch((error: unknown) => context.error(`ingest job ${jobId}: upload not removed`, error));
  }
  finish();
}

/**
 * After a job's ingest committed, in the background: the tenant's standard answers computed and
 * stored for its new data version (shared/metrics/storedAnswers.ts), so the workbook recalculated
 * next — in this process or another instance — reads them. The job is done before: its report is
 * final at the commit. A failure is logged; questions are then computed as before.
 */
function storeAnswersAfter(tenant: string, jobId: string, context: InvocationContext): void {
  runtime()
    .metrics.storeAnswers(tenant)
    .then(
      (report) =>
        context.log(
          `ingest job ${jobId}: ${report.cells} answers of data version ${report.version} ${report.stored ? 'stored' : 'not stored (a later ingest landed)'}`,
        ),
      (error: unknown) => context.error(`ingest job ${jobId}: answers not stored`, error),
    );
}

function parseAsync(value: string | null): boolean {
  if (value === null || value === '' || value === 'false' || value === '0') return false;
  if (value === 'true' || value === '1') return true;
  throw new ApiError('bad_request', `?async=${JSON.stringify(value)} must be true or false`);
}

app.http('ingest', {
  methods: ['POST'],
  authLevel: 'anonymous',
  route: 'ingest',
  handler: ingest,
  extraOutputs: [refreshQueueOutput],
});
