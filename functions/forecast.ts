import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';

import { type ForecastBody, forecastQuerySchema } from '../shared/contract/forecast';
import type { MetricContext } from '../shared/metrics/metricContext';
import { ForecastCache } from '../shared/models/forecastCache';
import { forecastScope } from '../shared/models/scopeForecast';
import { scopeForecastJson } from '../shared/models/scopeForecastJson';
import { ApiError, withErrorMapping } from './httpErrors';
import { parseQuery } from './parseQuery';
import { runtime } from './runtime';
import { tenantOf } from './tenant';

/**
 * The forecasts per loaded data version: about a second per location (mostly the BG/NBD fit),
 * asked again by every recalculation of a workbook. Keyed by the context the metrics cache holds
 * for one tenant at one version, so a new ingest — a new context — starts afresh and an answer
 * never outlives its data.
 */
const forecasts = new WeakMap<MetricContext, ForecastCache>();

function forecastsFor(context: MetricContext): ForecastCache {
  let cache = forecasts.get(context);
  if (cache === undefined) {
    cache = new ForecastCache();
    forecasts.set(context, cache);
  }
  return cache;
}

/**
 * `GET /api/forecast?location=&months=&category=&as_of=`: net revenue of the months after the
 * origin, of one location or (no location) the sum of the open locations', per category and
 * part, beside the seasonal-naive baseline; money in integer cents.
 */
export const forecastHandler = withErrorMapping(async (request: HttpRequest): Promise<HttpResponseInit> => {
  const { metrics: cache } = runtime();
  const tenant = await tenantOf(request);
  const query = parseQuery(request, forecastQuerySchema);
  // Answers 404 no_data before the first ingest, like every other data route.
  const { context, version } = await cache.versioned(tenant);
  const answer = forecastScope(context, query.location ?? null, {
    cache: forecastsFor(context),
    ...(query.months === undefined ? {} : { months: query.months }),
    ...(query.as_of === undefined ? {} : { origin: query.as_of }),
  });
  if (!answer.ok) {
    // As the call list: nothing to forecast from is 404 no_data, with the reason.
    const code = answer.error.code === 'unknown_location' ? 'unknown_location' : 'no_data';
    throw new ApiError(code, answer.error.message);
  }
  const body: ForecastBody = {
    data_version: version,
    ...scopeForecastJson(answer.forecast, query.category),
  };
  return { status: 200, jsonBody: body };
});

app.http('forecast', {
  methods: ['GET'],
  authLevel: 'anonymous',
  route: 'forecast',
  handler: forecastHandler,
});
