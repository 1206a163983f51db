import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';

import { benchmarksQuerySchema } from '../shared/contract/portfolio';
import { benchmark, COHORT_ATTRIBUTES, type CohortAttribute } from '../shared/metrics/benchmarks';
import { ApiError, errorResponse, withErrorMapping } from './httpErrors';
import { parseQuery } from './parseQuery';
import { runtime } from './runtime';
import { tenantOf } from './tenant';

function isCohortAttribute(name: string): name is CohortAttribute {
  return (COHORT_ATTRIBUTES as readonly string[]).includes(name);
}

/** `size_band,region` → the attributes, in the order asked (the last is dropped first). */
function cohortOf(text: string | undefined): CohortAttribute[] {
  const names = (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const unknown = names.filter((n) => !isCohortAttribute(n));
  if (unknown.length > 0) {
    throw new ApiError(
      'bad_request',
      `Unknown cohort attribute ${unknown.map((n) => JSON.stringify(n)).join(', ')}: expected some of ${COHORT_ATTRIBUTES.join(', ')}`,
    );
  }
  return [...new Set(names.filter(isCohortAttribute))];
}

/** `GET /api/benchmarks?metric=&period=&location=&cohort=`: a location ranked among its peers. */
export const benchmarks = withErrorMapping(async (request: HttpRequest): Promise<HttpResponseInit> => {
  const { metrics: cache } = runtime();
  const tenant = await tenantOf(request);
  const query = parseQuery(request, benchmarksQuerySchema);
  const cohort = cohortOf(query.cohort);
  const answer = benchmark(await cache.forTenant(tenant), query.metric, query.location, query.period, cohort);
  if (!answer.ok) return errorResponse(answer.error);
  return { status: 200, jsonBody: answer.value };
});

app.http('benchmarks', {
  methods: ['GET'],
  authLevel: 'anonymous',
  route: 'benchmarks',
  handler: benchmarks,
});
