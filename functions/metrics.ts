import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';

import { computeMetric } from '../shared/metrics/computeMetric';
import { ApiError, errorResponse, withErrorMapping } from './httpErrors';
import { runtime } from './runtime';
import { scopeJson, scopeOf } from './scopeOf';
import { tenantOf } from './tenant';

/** An absent or empty query parameter is the same thing: not given. */
function param(request: HttpRequest, name: string): string | undefined {
  const value = request.query.get(name)?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** `GET /api/metrics?metric=&period=&location=&provider=`: one value with its lineage. */
export const metrics = withErrorMapping(async (request: HttpRequest): Promise<HttpResponseInit> => {
  const { metrics: cache } = runtime();
  const tenant = await tenantOf(request);
  const metric = param(request, 'metric');
  const period = param(request, 'period');
  if (metric === undefined || period === undefined) {
    throw new ApiError('bad_request', 'metric and period are required query parameters');
  }
  const scope = scopeOf(param(request, 'location'), param(request, 'provider'));
  const answer = computeMetric(await cache.forTenant(tenant), metric, scope, period);
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
