import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';

import { computeMetric } from '../shared/metrics/computeMetric';
import { errorResponse, withErrorMapping } from './httpErrors';
import { runtime } from './runtime';
import { metricQuerySchema, parseQuery } from './schemas';
import { scopeJson, scopeOf } from './scopeOf';
import { tenantOf } from './tenant';

/** `GET /api/metrics?metric=&period=&location=&provider=`: one value with its lineage. */
export const metrics = withErrorMapping(async (request: HttpRequest): Promise<HttpResponseInit> => {
  const { metrics: cache } = runtime();
  const tenant = await tenantOf(request);
  const query = parseQuery(request, metricQuerySchema);
  const scope = scopeOf(query.location, query.provider);
  const answer = computeMetric(await cache.forTenant(tenant), query.metric, scope, query.period);
  if (!answer.ok) return errorResponse(answer.error);
  const v = answer.value;
  return {
    status: 200,
    jsonBody: {
      metric: v.metric,
      period: { label: v.period.label, start: v.period.start, end: v.period.end },
      scope: scopeJson(v.scope),
      value: v.value,
      unit: v.unit,
      coverage: v.coverage,
      ...(v.reason === undefined ? {} : { reason: v.reason }),
      formula: v.formula,
      operands: v.operands,
    },
  };
});

app.http('metrics', { methods: ['GET'], authLevel: 'anonymous', route: 'metrics', handler: metrics });
