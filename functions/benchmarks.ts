import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';

import { benchmarksQuerySchema } from '../shared/contract/portfolio';
import {
  benchmarkOrWider,
  COHORT_ATTRIBUTES,
  type CohortAttribute,
  cohortFromText,
  DEFAULT_COHORT,
} from '../shared/metrics/benchmarks';
import { ApiError, errorResponse, withErrorMapping } from './httpErrors';
import { parseQuery } from './parseQuery';
import { runtime } from './runtime';
import { tenantOf } from './tenant';

/** `size_band,region` → the attributes, in the order asked (the last is dropped first). */
function cohortOf(text: string): CohortAttribute[] {
  const read = cohortFromText(text);
  if (read.ok) return read.cohort;
  throw new ApiError(
    'bad_request',
    `Unknown cohort attribute ${read.unknown.map((n) => JSON.stringify(n)).join(', ')}: expected some of ${COHORT_ATTRIBUTES.join(', ')}, or portfolio`,
  );
}

/**
 * `GET /api/benchmarks?metric=&period=&location=&cohort=`: a location ranked among its peers —
 * the cohort asked for (the engine's default without `cohort=`; `cohort=` empty: the whole
 * portfolio), or the next wider one when that is too small, named in the answer.
 */
export const benchmarks = withErrorMapping(async (request: HttpRequest): Promise<HttpResponseInit> => {
  const { metrics: cache } = runtime();
  const tenant = await tenantOf(request);
  const query = parseQuery(request, benchmarksQuerySchema);
  const cohort = query.cohort === undefined ? DEFAULT_COHORT : cohortOf(query.cohort);
  const ctx = await cache.forTenant(tenant);
  const answer = benchmarkOrWider(ctx, query.metric, query.location, query.period, cohort);
  if (!answer.ok) return errorResponse(answer.error);
  return { status: 200, jsonBody: answer.value };
});

app.http('benchmarks', {
  methods: ['GET'],
  authLevel: 'anonymous',
  route: 'benchmarks',
  handler: benchmarks,
});
