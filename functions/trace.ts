import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';

import { traceQuerySchema } from '../shared/contract/metrics';
import { metricById } from '../shared/metrics/catalog';
import { scopeOf } from '../shared/metrics/cellAnswers';
import { computeMetric } from '../shared/metrics/computeMetric';
import { sourceQueriesFor, type SourceRecords } from '../shared/metrics/lineage';
import { errorResponse, withErrorMapping } from './httpErrors';
import { metricValueJson } from './metricJson';
import { parseQuery } from './parseQuery';
import { runtime } from './runtime';
import { tenantOf } from './tenant';

/**
 * `GET /api/trace?metric=&period=&location=&provider=`: a value with its definition, formula,
 * operands, coverage and the source files and row numbers it rests on (`caliper trace --json`).
 */
export const trace = withErrorMapping(async (request: HttpRequest): Promise<HttpResponseInit> => {
  const { metrics: cache, store } = runtime();
  const tenant = await tenantOf(request);
  const query = parseQuery(request, traceQuerySchema);
  const scope = scopeOf(query.location, query.provider);
  const ctx = await cache.forTenant(tenant);
  const answer = computeMetric(ctx, query.metric, scope, query.period);
  if (!answer.ok) return errorResponse(answer.error);
  const v = answer.value;
  const definition = metricById(v.metric);
  const sources: SourceRecords[] = [];
  for (const q of definition ? sourceQueriesFor(ctx, definition, scope, v.period) : []) {
    sources.push(...(await store.sourceRecords(tenant, q)));
  }
  return {
    status: 200,
    jsonBody: {
      ...metricValueJson(v),
      label: definition?.label ?? v.metric,
      definition: definition?.definition ?? null,
      ...(v.details === undefined ? {} : { details: v.details }),
      sources,
    },
  };
});

app.http('trace', { methods: ['GET'], authLevel: 'anonymous', route: 'trace', handler: trace });
