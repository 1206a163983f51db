import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';

import { BundleOpenError, openBundle } from '../io/bundleFiles';
import { loadTenantSecret } from '../io/tenantSecrets';
import type { IngestReport } from '../shared/ingest/dataQuality';
import { ingestBundles } from '../shared/ingest/ingestBundles';
import { createPseudonymizer } from '../shared/privacy/pseudonymize';
import { DEFAULT_INGEST_MAX_BYTES } from './config';
import { ApiError, withErrorMapping } from './httpErrors';
import { runtime } from './runtime';
import { tenantOf } from './tenant';

/** Browsers on Windows label a .zip `application/x-zip-compressed`; both mean the same archive. */
const ZIP_TYPES = new Set(['application/zip', 'application/x-zip-compressed']);
const CSV_TYPES = new Set(['text/csv']);

/** A bare file name: it becomes a path in the temp folder, so no separators and no `..`. */
const CSV_FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}\.csv$/i;

function mediaTypeOf(request: HttpRequest): string {
  return (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

function tooLarge(limit: number): ApiError {
  return new ApiError('payload_too_large', `An upload holds at most ${limit} bytes; split the bundle`);
}

/** The name the body is stored under: what openBundle needs to read it as a zip or one CSV. */
function uploadName(request: HttpRequest): string {
  const type = mediaTypeOf(request);
  if (ZIP_TYPES.has(type)) return 'bundle.zip';
  if (CSV_TYPES.has(type)) {
    const file = request.query.get('file');
    if (file === null || file.trim() === '') {
      throw new ApiError('bad_request', 'A text/csv upload names its canonical file: ?file=sales.csv');
    }
    if (!CSV_FILE_NAME.test(file.trim())) {
      throw new ApiError('bad_request', `?file=${JSON.stringify(file)} is not a plain .csv file name`);
    }
    return file.trim();
  }
  throw new ApiError(
    'unsupported_media_type',
    `Content-Type ${type === '' ? '(none)' : JSON.stringify(type)} is not accepted: send application/zip (a bundle) or text/csv with ?file=<canonical file>`,
  );
}

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

/**
 * `POST /api/ingest`: one bundle as a raw body, ingested for the caller's tenant exactly as
 * `caliper ingest` would. Answers the ingest report: 200 when it committed (rejected rows are
 * in the report), 422 when nothing was written. The request waits for the whole ingest; a
 * job id to poll for progress on long uploads is not there yet.
 */
export const ingest = withErrorMapping(async (request: HttpRequest): Promise<HttpResponseInit> => {
  const { config, store } = runtime();
  const tenant = await tenantOf(request);
  const name = uploadName(request);
  const limit = config.ingestMaxBytes ?? DEFAULT_INGEST_MAX_BYTES;
  // Refused before the body is read when the client says up front that it is too large.
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  const body = Buffer.from(await request.arrayBuffer());
  if (body.length > limit) throw tooLarge(limit);
  if (body.length === 0) throw new ApiError('bad_request', 'The request body is empty');

  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'caliper-ingest-'));
  try {
    const file = path.join(dir, name);
    await fs.promises.writeFile(file, body, { mode: 0o600 });
    let report: IngestReport;
    try {
      const bundle = await openBundle(file);
      report = await ingestBundles([bundle], {
        store,
        tenant,
        pseudonymizer: createPseudonymizer(loadTenantSecret(config.storeFile, tenant)),
      });
    } catch (error) {
      if (!(error instanceof BundleOpenError)) throw error;
      report = nothingWritten(tenant, `${error.message}; nothing was written`);
    }
    return { status: report.committed ? 200 : 422, jsonBody: withoutFolder(report, dir) };
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
});

app.http('ingest', { methods: ['POST'], authLevel: 'anonymous', route: 'ingest', handler: ingest });
