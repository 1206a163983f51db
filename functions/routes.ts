import type { HttpHandler, HttpMethod } from '@azure/functions';

import { actionDone, actions, snoozeAction } from './actions';
import { benchmarks } from './benchmarks';
import { briefingHandler } from './briefing';
import { callListHandler } from './callList';
import { catalog } from './catalog';
import { forecastHandler } from './forecast';
import { health } from './health';
import { ingest } from './ingest';
import { ingestJob } from './ingestJob';
import { locations, mergeLocationInto, updateLocation } from './locations';
import { metrics } from './metrics';
import { MAX_BATCH_BODY_BYTES, metricsBatch } from './metricsBatch';
import { openapi } from './openapi';
import { portfolio } from './portfolio';
import { reportHandler } from './report';
import { trace } from './trace';

/**
 * The largest body of a route that changes a few fields (a location edit, a merge): the most
 * their schemas take (shared/contract/locations.ts: eight 400-character fields, 100 aliases of 200)
 * is about 140 KB even with every character escaped as `\uXXXX`, so 1 MiB is ample and small.
 */
export const SMALL_BODY_BYTES = 1024 * 1024;

/**
 * How a route takes its request body, and how much of it.
 *
 * - `{ maxBytes }`: whole. The local host reads it into memory before the handler runs, and
 *   answers 413 `payload_too_large` instead when its `Content-Length` says more than
 *   `maxBytes` (before a byte of it is read, and without asking an `Expect: 100-continue`
 *   client for it), or when more than `maxBytes` arrive without one (chunked): it stops reading
 *   there and drops what it read.
 * - `stream`: the handler reads the body as it arrives and holds it to its own limit (an upload,
 *   to `CALIPER_INGEST_MAX_MB` while it streams to disk; a declared `Content-Length` over it is
 *   413 from the headers).
 *
 * A route without one takes no body: a `GET`'s is never read, and any other method's is 413.
 * These are the local host's limits; in Azure the Functions host buffers a body up to its own
 * limit before any handler runs, and the batch handler checks its limit again itself.
 */
export type RouteBody = { maxBytes: number } | 'stream';

/**
 * One HTTP trigger as the Functions host registers it (`app.http(name, {methods, route})`
 * beside each handler). The local host dispatches from this table, so a route added here
 * answers the same way under `npm start` and in Azure.
 */
export interface RouteDefinition {
  name: string;
  methods: readonly HttpMethod[];
  /** A Functions route template under `/api/`: `metrics/batch`, `trace/{id}`, `items/{id?}`. */
  route: string;
  handler: HttpHandler;
  /**
   * `tenant`: the handler resolves the caller's tenant and answers 401/403 without a valid
   * credential. Every trigger is `authLevel: 'anonymous'` for the host: auth is ours, not its.
   */
  auth: 'anonymous' | 'tenant';
  /** The request body the route takes (see RouteBody); none when absent. */
  body?: RouteBody;
}

export const ROUTES: readonly RouteDefinition[] = [
  { name: 'health', methods: ['GET'], route: 'health', handler: health, auth: 'anonymous' },
  { name: 'catalog', methods: ['GET'], route: 'catalog', handler: catalog, auth: 'tenant' },
  { name: 'metrics', methods: ['GET'], route: 'metrics', handler: metrics, auth: 'tenant' },
  {
    name: 'metricsBatch',
    methods: ['POST'],
    route: 'metrics/batch',
    handler: metricsBatch,
    auth: 'tenant',
    // 10,000 requests of four 200-character ids fit; a larger body is no batch.
    body: { maxBytes: MAX_BATCH_BODY_BYTES },
  },
  { name: 'ingest', methods: ['POST'], route: 'ingest', handler: ingest, auth: 'tenant', body: 'stream' },
  { name: 'ingestJob', methods: ['GET'], route: 'ingest/jobs/{jobId}', handler: ingestJob, auth: 'tenant' },
  { name: 'portfolio', methods: ['GET'], route: 'portfolio', handler: portfolio, auth: 'tenant' },
  { name: 'locations', methods: ['GET'], route: 'locations', handler: locations, auth: 'tenant' },
  {
    name: 'updateLocation',
    methods: ['PATCH'],
    route: 'locations/{locationId}',
    handler: updateLocation,
    auth: 'tenant',
    body: { maxBytes: SMALL_BODY_BYTES },
  },
  {
    name: 'mergeLocation',
    methods: ['POST'],
    route: 'locations/{locationId}/merge',
    handler: mergeLocationInto,
    auth: 'tenant',
    body: { maxBytes: SMALL_BODY_BYTES },
  },
  { name: 'trace', methods: ['GET'], route: 'trace', handler: trace, auth: 'tenant' },
  { name: 'benchmarks', methods: ['GET'], route: 'benchmarks', handler: benchmarks, auth: 'tenant' },
  { name: 'callList', methods: ['GET'], route: 'calllist', handler: callListHandler, auth: 'tenant' },
  { name: 'forecast', methods: ['GET'], route: 'forecast', handler: forecastHandler, auth: 'tenant' },
  { name: 'actions', methods: ['GET'], route: 'actions', handler: actions, auth: 'tenant' },
  {
    name: 'snoozeAction',
    methods: ['POST'],
    route: 'actions/{actionId}/snooze',
    handler: snoozeAction,
    auth: 'tenant',
    body: { maxBytes: SMALL_BODY_BYTES },
  },
  {
    name: 'actionDone',
    methods: ['POST'],
    route: 'actions/{actionId}/done',
    handler: actionDone,
    auth: 'tenant',
    body: { maxBytes: SMALL_BODY_BYTES },
  },
  { name: 'briefing', methods: ['GET'], route: 'briefing', handler: briefingHandler, auth: 'tenant' },
  { name: 'report', methods: ['GET'], route: 'report.xlsx', handler: reportHandler, auth: 'tenant' },
  { name: 'openapi', methods: ['GET'], route: 'openapi.json', handler: openapi, auth: 'anonymous' },
];
