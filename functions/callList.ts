import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';

import { callList } from '../shared/actions/callList';
import { callListJson } from '../shared/actions/callListJson';
import { type CallListBody, callListQuerySchema } from '../shared/contract/callList';
import type { MetricData } from '../shared/metrics/metricData';
import { ChurnCache } from '../shared/models/churnTraining';
import { ApiError, withErrorMapping } from './httpErrors';
import { parseQuery } from './parseQuery';
import { runtime } from './runtime';
import { tenantOf } from './tenant';

/**
 * The churn model's fits per loaded data version: the first call list of a tenant fits a BG/NBD
 * and a regression per location (seconds on a mature location), the next ones reuse them (a
 * workbook recalculating, the pane changing n). Keyed by the data object, so a new ingest —
 * a new MetricData in the metrics cache — starts afresh and the old fits go with the old data.
 */
const fits = new WeakMap<MetricData, ChurnCache>();

function fitsFor(data: MetricData): ChurnCache {
  let cache = fits.get(data);
  if (cache === undefined) {
    cache = new ChurnCache();
    fits.set(data, cache);
  }
  return cache;
}

/**
 * `GET /api/calllist?location=&n=&as_of=`: the patients to call, most money at stake first, of
 * one location or (no location) the top n across every open location. Patients are named by
 * the practice's own id only; money is in integer cents.
 */
export const callListHandler = withErrorMapping(async (request: HttpRequest): Promise<HttpResponseInit> => {
  const { metrics: cache } = runtime();
  const tenant = await tenantOf(request);
  const query = parseQuery(request, callListQuerySchema);
  // Answers 404 no_data before the first ingest, like every other data route.
  const { context, version } = await cache.versioned(tenant);
  const answer = callList(context.data, query.location ?? null, {
    cache: fitsFor(context.data),
    ...(query.n === undefined ? {} : { n: query.n }),
    ...(query.as_of === undefined ? {} : { asOf: query.as_of }),
  });
  if (!answer.ok) {
    // A location that cannot be scored has nothing to answer from: 404 no_data, with the reason.
    const code = answer.error.code === 'unknown_location' ? 'unknown_location' : 'no_data';
    throw new ApiError(code, answer.error.message);
  }
  const body: CallListBody = { data_version: version, ...callListJson(answer.list) };
  return { status: 200, jsonBody: body };
});

app.http('callList', {
  methods: ['GET'],
  authLevel: 'anonymous',
  route: 'calllist',
  handler: callListHandler,
});
