import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';

import type { IngestJobBody } from '../shared/contract/ingest';
import { ApiError, withErrorMapping } from './httpErrors';
import { runtime } from './runtime';
import { tenantOf } from './tenant';

/**
 * `GET /api/ingest/jobs/{jobId}`: progress of an upload started with `?async=true`, then its
 * ingest report. Another tenant's job is `unknown_job` like one that never existed.
 */
export const ingestJob = withErrorMapping(async (request: HttpRequest): Promise<HttpResponseInit> => {
  const tenant = await tenantOf(request);
  const jobId = request.params.jobId ?? '';
  const job: IngestJobBody | undefined = runtime().ingestJobs.get(tenant, jobId);
  if (job === undefined) throw new ApiError('unknown_job', `No ingest job ${JSON.stringify(jobId)}`);
  return { status: 200, jsonBody: job };
});

app.http('ingestJob', {
  methods: ['GET'],
  authLevel: 'anonymous',
  route: 'ingest/jobs/{jobId}',
  handler: ingestJob,
});
