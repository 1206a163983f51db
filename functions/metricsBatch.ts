import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';

import { computeMetric } from '../shared/metrics/computeMetric';
import type { MetricUnit } from '../shared/metrics/metricValue';
import { ApiError, type ApiErrorBody, withErrorMapping } from './httpErrors';
import { runtime } from './runtime';
import { batchBodySchema, MAX_BATCH } from './schemas';
import { scopeOf } from './scopeOf';
import { tenantOf } from './tenant';

export type BatchResult =
  | { value: number | null; unit: MetricUnit; coverage: number | null; reason?: string }
  | { error: ApiErrorBody };

async function readJson(request: HttpRequest): Promise<unknown> {
  const text = await request.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError('invalid_json', 'The request body is not valid JSON');
  }
}

/**
 * `POST /api/metrics/batch`: the custom functions' one round trip per recalculation. Results
 * keep the request order; a failed entry is an error in its slot, not a failed batch, so one
 * mistyped cell does not blank the whole sheet.
 */
export const metricsBatch = withErrorMapping(async (request: HttpRequest): Promise<HttpResponseInit> => {
  const { metrics: cache } = runtime();
  const tenant = await tenantOf(request);
  const parsed = batchBodySchema.safeParse(await readJson(request));
  if (!parsed.success) {
    if (parsed.error.issues.some((i) => i.code === 'too_big' && i.path.join('.') === 'requests')) {
      throw new ApiError('batch_too_large', `A batch holds at most ${MAX_BATCH} requests`);
    }
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw new ApiError('bad_request', `Bad batch body: ${where}${issue?.message ?? 'invalid'}`);
  }
  const blankIsAbsent = (id: string | undefined) =>
    id === undefined || id.trim() === '' ? undefined : id.trim();
  const requests = parsed.data.requests.map((r) => ({
    metric: r.metric.trim(),
    period: r.period.trim(),
    location: blankIsAbsent(r.location),
    provider: blankIsAbsent(r.provider),
  }));
  const { context: ctx, version } = await cache.versioned(tenant);
  // A sheet repeats the same cell reference often; each distinct request is computed once.
  const computed = new Map<string, BatchResult>();
  const results = requests.map((r) => {
    const key = JSON.stringify([r.metric, r.period, r.location ?? null, r.provider ?? null]);
    let result = computed.get(key);
    if (result === undefined) {
      const answer = computeMetric(ctx, r.metric, scopeOf(r.location, r.provider), r.period);
      result = answer.ok
        ? {
            value: answer.value.value,
            unit: answer.value.unit,
            coverage: answer.value.coverage,
            ...(answer.value.reason === undefined ? {} : { reason: answer.value.reason }),
          }
        : { error: answer.error };
      computed.set(key, result);
    }
    return result;
  });
  return {
    status: 200,
    headers: { 'x-caliper-data-version': String(version) },
    jsonBody: { results, data_version: version },
  };
});

app.http('metricsBatch', {
  methods: ['POST'],
  authLevel: 'anonymous',
  route: 'metrics/batch',
  handler: metricsBatch,
});
