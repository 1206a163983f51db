import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';

import type { MetricErrorCode } from '../shared/metrics/computeMetric';

export type ApiErrorCode =
  | MetricErrorCode
  | 'bad_request'
  | 'invalid_json'
  | 'batch_too_large'
  | 'unauthorized'
  | 'forbidden'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'unknown_job'
  | 'unknown_action'
  | 'request_timeout'
  | 'too_many_requests';

/**
 * The only place an error becomes an HTTP status. A name the caller got wrong (metric,
 * location, provider) is 404 like any unknown resource; a malformed request is 400; a tenant
 * or period with nothing to answer from is 404 so clients can tell "no data" from a bug. A
 * caller without a valid credential is 401; a valid one that maps to no tenant is 403. An
 * upload over the size limit is 413, one in a format the endpoint does not take is 415. An
 * upload whose body does not arrive within the ingest time limit is 408; one the server cannot
 * take now (the tenant's line is full, or its turn did not come within the wait bound) is 429,
 * always with Retry-After.
 */
const STATUS: Record<ApiErrorCode, number> = {
  unknown_metric: 404,
  unknown_location: 404,
  unknown_provider: 404,
  no_data: 404,
  scope_not_supported: 400,
  invalid_period: 400,
  bad_request: 400,
  invalid_json: 400,
  batch_too_large: 400,
  unauthorized: 401,
  forbidden: 403,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unknown_job: 404,
  unknown_action: 404,
  request_timeout: 408,
  too_many_requests: 429,
};

export interface ApiErrorBody {
  code: ApiErrorCode;
  message: string;
}

/** A mistake in the request, thrown where it is found and answered by `withErrorMapping`. */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    /** For 429 (and 503-like answers): whole seconds the client should wait, sent as Retry-After. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function errorResponse(error: ApiErrorBody, retryAfterSeconds?: number): HttpResponseInit {
  const headers: Record<string, string> = {};
  // RFC 6750: a 401 names the scheme the client should retry with.
  if (error.code === 'unauthorized') headers['WWW-Authenticate'] = 'Bearer realm="caliper"';
  // RFC 9110 §10.2.3: delay-seconds; a 429 always says when to come back.
  if (retryAfterSeconds !== undefined || error.code === 'too_many_requests') {
    headers['Retry-After'] = String(Math.max(1, Math.ceil(retryAfterSeconds ?? 1)));
  }
  return {
    status: STATUS[error.code],
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    jsonBody: { error: { code: error.code, message: error.message } },
  };
}

type Handler = (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>;

/**
 * Known errors become 4xx with a machine-readable code; anything else is a bug or an outage:
 * logged with its stack for the operator, answered 500 without internals for the caller.
 */
export function withErrorMapping(handler: Handler): Handler {
  return async (request, context) => {
    try {
      return await handler(request, context);
    } catch (error) {
      if (error instanceof ApiError) {
        return errorResponse({ code: error.code, message: error.message }, error.retryAfterSeconds);
      }
      context.error(`${request.method} ${request.url} failed:`, error);
      return { status: 500, jsonBody: { error: { code: 'internal', message: 'Internal server error' } } };
    }
  };
}
