import path from 'node:path';

import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { BundleOpenError, openBundle } from '../io/bundleFiles';
import { loadTenantSecret } from '../io/tenantSecrets';
import type { IngestReport } from '../shared/ingest/dataQuality';
import { ingestBundles, type IngestProgress } from '../shared/ingest/ingestBundles';
import { createPseudonymizer } from '../shared/privacy/pseudonymize';
import { DEFAULT_INGEST_MAX_BYTES } from './config';
import { ApiError, withErrorMapping } from './httpErrors';
import type { IngestJobProgress } from './ingestJobs';
import { receiveUpload, type Upload } from './ingestUpload';
import { dispatchRefresh, refreshQueueOutput } from './refreshLocation';
import { runtime } from './runtime';
import { tenantOf } from './tenant';

function nothingWritten(tenant: string, failure: string): IngestReport {
  return {
    ingest_id: null,
    tenant,
    committed: false,
    failure,
    files: [],
    totals: {
      files: 0,
      rows_read: 0,
      rows_accepted: 0,
      rows_rejected: 0,
      rows_inserted: 0,
      rows_updated: 0,
      rows_unchanged: 0,
      bytes: 0,
    },
  };
}

/** The temp folder means nothing to the caller (and names the host's disk): file names stay bare. */
function withoutFolder(report: IngestReport, dir: string): IngestReport {
  const escaped = JSON.stringify(`${dir}${path.sep}`).slice(1, -1);
  return JSON.parse(JSON.stringify(report).split(escaped).join('')) as IngestReport;
}

async function ingestUpload(
  upload: Upload,
  tenant: string,
  onProgress?: (progress: IngestJobProgress) => void,
): Promise<IngestReport> {
  const { config, store } = runtime();
  let report: IngestReport;
  try {
    const bundle = await openBundle(upload.bundlePath);
    report = await ingestBundles([bundle], {
      store,
      tenant,
      pseudonymizer: createPseudonymizer(loadTenantSecret(config.storeFile, tenant)),
      ...(onProgress === undefined
        ? {}
        : {
            onProgress: (p: IngestProgress) =>
              onProgress({
                bytes_done: p.bytesDone,
                bytes_total: p.bytesTotal,
                file: path.basename(p.file),
              }),
          }),
    });
  } catch (error) {
    if (!(error instanceof BundleOpenError)) throw error;
    report = nothingWritten(tenant, `${error.message}; nothing was written`);
  }
  return withoutFolder(report, upload.dir);
}

/**
 * `POST /api/ingest`: one bundle (a zip, one canonical CSV, or a multipart form of CSV files)
 * ingested for the caller's tenant exactly as `caliper ingest` would. Without `?async=true`
 * the request waits and answers the ingest report: 200 when it committed (rejected rows are in
 * the report), 422 when nothing was written. With `?async=true` it answers 202 with a job id at
 * once; `GET /api/ingest/jobs/{id}` then reports progress and, at the end, the same report.
 */
export const ingest = withErrorMapping(
  async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const { config, ingestJobs } = runtime();
    const tenant = await tenantOf(request, 'ingest');
    const asJob = parseAsync(request.query.get('async'));
    const upload = await receiveUpload(request, config.ingestMaxBytes ?? DEFAULT_INGEST_MAX_BYTES);

    if (!asJob) {
      try {
        const report = await ingestUpload(upload, tenant);
        const refresh = report.committed ? await dispatchRefresh(tenant, context) : null;
        return { status: report.committed ? 200 : 422, jsonBody: { ...report, refresh } };
      } finally {
        await upload.remove();
      }
    }

    const job = ingestJobs.create(tenant, upload.bytes);
    void (async () => {
      try {
        const report = await ingestUpload(upload, tenant, (p) => ingestJobs.progress(job.job_id, p));
        // The response is gone, so no output binding can carry queue messages: the locations
        // are refreshed here, or by the first query when the Function App fans out by queue.
        if (report.committed && config.refresh !== 'queue') await dispatchRefresh(tenant, context);
        ingestJobs.finish(job.job_id, report);
      } catch (error) {
        context.error(`ingest job ${job.job_id} failed`, error);
        ingestJobs.fail(job.job_id, {
          code: 'bad_request',
          message: 'The ingest failed on the server; nothing was written. Try again or contact support.',
        });
      } finally {
        await upload.remove();
      }
    })();
    const statusUrl = `/api/ingest/jobs/${job.job_id}`;
    return { status: 202, headers: { location: statusUrl }, jsonBody: { ...job, status_url: statusUrl } };
  },
);

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
