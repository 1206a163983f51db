import type { HttpHandler, HttpMethod } from '@azure/functions';

import { benchmarks } from './benchmarks';
import { catalog } from './catalog';
import { health } from './health';
import { ingest } from './ingest';
import { ingestJob } from './ingestJob';
import { locations, mergeLocationInto, updateLocation } from './locations';
import { metrics } from './metrics';
import { metricsBatch } from './metricsBatch';
import { openapi } from './openapi';
import { portfolio } from './portfolio';
import { trace } from './trace';

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
  /**
   * `stream`: the handler reads the body as it arrives (an upload, held to its limit while it
   * streams to disk); otherwise the local host reads the body into memory first, up to the
   * upload limit.
   */
  body?: 'stream';
}

export const ROUTES: readonly RouteDefinition[] = [
  { name: 'health', methods: ['GET'], route: 'health', handler: health, auth: 'anonymous' },
  { name: 'catalog', methods: ['GET'], route: 'catalog', handler: catalog, auth: 'tenant' },
  { name: 'metrics', methods: ['GET'], route: 'metrics', handler: metrics, auth: 'tenant' },
  { name: 'metricsBatch', methods: ['POST'], route: 'metrics/batch', handler: metricsBatch, auth: 'tenant' },
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
  },
  {
    name: 'mergeLocation',
    methods: ['POST'],
    route: 'locations/{locationId}/merge',
    handler: mergeLocationInto,
    auth: 'tenant',
  },
  { name: 'trace', methods: ['GET'], route: 'trace', handler: trace, auth: 'tenant' },
  { name: 'benchmarks', methods: ['GET'], route: 'benchmarks', handler: benchmarks, auth: 'tenant' },
  { name: 'openapi', methods: ['GET'], route: 'openapi.json', handler: openapi, auth: 'anonymous' },
];
