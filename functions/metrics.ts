import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';

import { computeMetric } from '../shared/metrics/computeMetric';
import { errorResponse, withErrorMapping } from './httpErrors';
import { metricValueJson } from './metricJson';
import { runtime } from './runtime';
import { metricQuerySchema, parseQuery } from './schemas';
import { scopeOf } from './scopeOf';
import { tenantOf } from './tenant';

/** `GET /api/metrics?metric=&period=&location=&provider=`: one value with its lineage. */
export const metrics = withErrorMapping(async (request: HttpRequest): Promise<HttpResponseInit> => {
  const { metrics: cache } = runtime();
  const tenant = await tenantOf(request);
  const query = parseQuery(request, metricQuerySchema);
  const scope = scopeOf(query.location, query.provider);
  const answer = computeMetric(await cache.forTenant(tenant), query.metric, scope, query.period);
  if (!answer.ok) return errorResponse(answer.error);
  return { status: 200, jsonBody: metricValueJson(answer.value) };
});

app.http('metrics', { methods: ['GET'], authLevel: 'anonymous', route: 'metrics', handler: metrics });
