import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';

import { metricQuerySchema } from '../shared/contract/metrics';
import { scopeOf } from '../shared/metrics/cellAnswers';
import { computeMetric } from '../shared/metrics/computeMetric';
import { asReportedContext } from './asReportedContexts';
import { errorResponse, withErrorMapping } from './httpErrors';
import { metricValueJson } from './metricJson';
import { parseQuery } from './parseQuery';
import { runtime } from './runtime';
import { tenantOf } from './tenant';

/**
 * `GET /api/metrics?metric=&period=&location=&provider=`: one value with its lineage;
 * `&as_reported_at=` (an ingest id or a date) answers it as it stood right after that ingest.
 */
export const metrics = withErrorMapping(async (request: HttpRequest): Promise<HttpResponseInit> => {
  const { metrics: cache, store } = runtime();
  const tenant = await tenantOf(request);
  const query = parseQuery(request, metricQuerySchema);
  const scope = scopeOf(query.location, query.provider);
  if (query.as_reported_at !== undefined) {
    const { ctx, ingest } = await asReportedContext(store, tenant, query.as_reported_at);
    const answer = computeMetric(ctx, query.metric, scope, query.period);
    if (!answer.ok) return errorResponse(answer.error);
    const as_reported = { ingest_id: ingest.ingest_id, finished_at: ingest.finished_at };
    return { status: 200, jsonBody: { ...metricValueJson(answer.value), as_reported } };
  }
  const answer = computeMetric(await cache.forTenant(tenant), query.metric, scope, query.period);
  if (!answer.ok) return errorResponse(answer.error);
  return { status: 200, jsonBody: metricValueJson(answer.value) };
});

app.http('metrics', { methods: ['GET'], authLevel: 'anonymous', route: 'metrics', handler: metrics });
