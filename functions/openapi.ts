import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { z } from 'zod';

import { version } from '../package.json';
import {
  actionDoneSchema,
  actionsBodySchema,
  actionSnoozeSchema,
  actionsQuerySchema,
  actionStateBodySchema,
  batchBodySchema,
  batchResponseSchema,
  benchmarkBodySchema,
  benchmarksQuerySchema,
  briefingBodySchema,
  briefingQuerySchema,
  callListBodySchema,
  callListQuerySchema,
  catalogBodySchema,
  errorBodySchema,
  forecastBodySchema,
  forecastQuerySchema,
  healthBodySchema,
  ingestJobBodySchema,
  ingestReportSchema,
  locationMergeBodySchema,
  locationMergeSchema,
  locationPatchSchema,
  locationsBodySchema,
  locationUpdateBodySchema,
  metricAsReportedBodySchema,
  metricQuerySchema,
  portfolioBodySchema,
  reportQuerySchema,
  traceBodySchema,
  traceQuerySchema,
} from '../shared/contract';

type JsonSchema = Record<string, unknown>;

/** JSON Schema 2020-12 is OpenAPI 3.1's schema dialect; only the `$schema` marker is dropped. */
function jsonSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input' });
  return rest;
}

function queryParameters(schema: z.ZodObject): JsonSchema[] {
  const object = jsonSchema(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(object.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: 'query',
      required: object.required?.includes(name) ?? false,
      ...(description === undefined ? {} : { description }),
      schema: rest,
    };
  });
}

const json = (schema: z.ZodType, description: string) => ({
  description,
  content: { 'application/json': { schema: jsonSchema(schema) } },
});

const ERROR = (description: string) => json(errorBodySchema, description);

/** The answers every authenticated route can give besides its own. */
const AUTH_ERRORS = {
  '401': ERROR('No credential, or an unknown, revoked or expired one'),
  '403': ERROR('A valid credential that maps to no Caliper tenant'),
};

const DATA_ERRORS = {
  '400': ERROR('A missing or malformed parameter (bad_request, invalid_period, scope_not_supported)'),
  ...AUTH_ERRORS,
  '404': ERROR('An unknown metric, location or provider, or a tenant with no data yet (no_data)'),
};

const NO_AUTH = { security: [] };

/** RFC 9110 Retry-After in delay-seconds: every 429 carries it. */
const RETRY_AFTER = {
  'Retry-After': {
    description: 'Whole seconds to wait before trying again',
    schema: { type: 'integer', minimum: 1 },
  },
};

/** 429: the tenant's line of writes is full, or the request's turn did not come within the wait bound. */
const BUSY = (description: string) => ({ ...ERROR(description), headers: RETRY_AFTER });

const LOCATION_WRITE_BUSY =
  'Not now (too_many_requests): the edit waits in the tenant’s line behind its uploads, and its turn did not come within CALIPER_INGEST_MAX_WAIT_S (or the line is full); nothing was written. Retry after Retry-After seconds';

function buildDocument(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Caliper API',
      version,
      description:
        'Medspa portfolio KPIs. Every route but /health and /openapi.json needs a bearer credential ' +
        '(a Caliper API key, or an Entra ID access token when the host runs in entra mode); the ' +
        'tenant is always the credential’s own, never a request parameter.',
    },
    servers: [{ url: '/api' }],
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'A Caliper API key (caliper keys create) or an Entra ID access token',
        },
      },
    },
    security: [{ bearer: [] }],
    paths: {
      '/health': {
        get: {
          operationId: 'health',
          summary: 'Liveness; needs no credential and does not open the store',
          ...NO_AUTH,
          responses: { '200': json(healthBodySchema, 'The host is up') },
        },
      },
      '/openapi.json': {
        get: {
          operationId: 'openapi',
          summary: 'This document; needs no credential',
          ...NO_AUTH,
          responses: {
            '200': { description: 'An OpenAPI 3.1 document', content: { 'application/json': {} } },
          },
        },
      },
      '/catalog': {
        get: {
          operationId: 'catalog',
          summary: 'Every metric with its unit, scopes, facts and definition',
          responses: { '200': json(catalogBodySchema, 'The metric catalog'), ...AUTH_ERRORS },
        },
      },
      '/metrics': {
        get: {
          operationId: 'metrics',
          summary:
            'One metric value for a scope and period, with its lineage; with as_reported_at, as it stood right after that ingest',
          parameters: queryParameters(metricQuerySchema),
          responses: {
            '200': json(metricAsReportedBodySchema, 'The value'),
            ...DATA_ERRORS,
            '400': ERROR(
              'A missing or malformed parameter (bad_request, invalid_period, scope_not_supported), or an as_reported_at that names no ingest of the tenant (bad_request)',
            ),
          },
        },
      },
      '/metrics/batch': {
        post: {
          operationId: 'metricsBatch',
          summary: 'Many metric values in one round trip; a failed entry is an error in its slot',
          requestBody: {
            required: true,
            content: { 'application/json': { schema: jsonSchema(batchBodySchema) } },
          },
          responses: {
            '200': json(batchResponseSchema, 'One result per request, in request order'),
            '400': ERROR('Invalid JSON (invalid_json), a bad body (bad_request) or too many requests'),
            ...AUTH_ERRORS,
            '404': ERROR('The tenant has no data yet (no_data)'),
          },
        },
      },
      '/portfolio': {
        get: {
          operationId: 'portfolio',
          summary: 'Locations, providers, data freshness and the months the data spans',
          responses: {
            '200': json(portfolioBodySchema, 'The portfolio'),
            ...AUTH_ERRORS,
            '404': ERROR('The tenant has no data yet (no_data)'),
          },
        },
      },
      '/locations': {
        get: {
          operationId: 'locations',
          summary: 'Every location with all its fields and saved aliases (opened_on null: not set yet)',
          responses: { '200': json(locationsBodySchema, 'The locations'), ...AUTH_ERRORS },
        },
      },
      '/locations/{locationId}': {
        patch: {
          operationId: 'updateLocation',
          summary:
            'Sets fields of a location (a new version of its row, checked like locations.csv) and saves aliases',
          parameters: [{ name: 'locationId', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: jsonSchema(locationPatchSchema) } },
          },
          responses: {
            '200': json(
              locationUpdateBodySchema,
              'Changed: the location as it now is, and the ingest report of a field change',
            ),
            '400': ERROR('Invalid JSON (invalid_json) or an unknown field or empty alias (bad_request)'),
            ...AUTH_ERRORS,
            '404': ERROR('No such location (unknown_location)'),
            '422': json(
              locationUpdateBodySchema,
              'A value was refused (the report says which and why); nothing was written',
            ),
            '429': BUSY(LOCATION_WRITE_BUSY),
          },
        },
      },
      '/locations/{locationId}/merge': {
        post: {
          operationId: 'mergeLocation',
          summary:
            'Merges another location into this one: its facts count here, its names resolve here (one ingest, history kept)',
          parameters: [
            {
              name: 'locationId',
              in: 'path',
              required: true,
              description: 'The location that stays (into)',
              schema: { type: 'string' },
            },
          ],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: jsonSchema(locationMergeSchema) } },
          },
          responses: {
            '200': json(
              locationMergeBodySchema,
              'Merged: what moved, what counts once, the fields filled, into as it now is and the ingest report',
            ),
            '400': ERROR(
              'Invalid JSON (invalid_json), a body without from, or a location merged into itself (bad_request)',
            ),
            ...AUTH_ERRORS,
            '404': ERROR('No such location, from or into (unknown_location)'),
            '422': json(
              locationMergeBodySchema,
              'Refused: rows of both with one key and different values (listed in conflicts); nothing was written',
            ),
            '429': BUSY(LOCATION_WRITE_BUSY),
          },
        },
      },
      '/trace': {
        get: {
          operationId: 'trace',
          summary: 'A value with its definition, formula, operands and source files and rows',
          parameters: queryParameters(traceQuerySchema),
          responses: { '200': json(traceBodySchema, 'The value and its lineage'), ...DATA_ERRORS },
        },
      },
      '/benchmarks': {
        get: {
          operationId: 'benchmarks',
          summary: 'A location ranked among its peer cohort (shown only for 5 or more peers)',
          parameters: queryParameters(benchmarksQuerySchema),
          responses: {
            '200': json(benchmarkBodySchema, 'The benchmark'),
            ...DATA_ERRORS,
            '400': ERROR('A missing or malformed parameter, or an unknown cohort attribute'),
          },
        },
      },
      '/calllist': {
        get: {
          operationId: 'callList',
          summary:
            'The patients to call, most money at stake first: nothing booked, seen within the year, by churn risk × value if retained; one location, or the top n across every open location',
          parameters: queryParameters(callListQuerySchema),
          responses: {
            '200': json(
              callListBodySchema,
              'The call list; patients by the practice’s own id, money in cents',
            ),
            ...DATA_ERRORS,
            '400': ERROR('A malformed parameter: n not a whole number from 1 to 500, as_of not a date'),
            '404': ERROR(
              'An unknown location (unknown_location), or nothing to score: no data yet, or the location could not be scored, with the reason (no_data)',
            ),
          },
        },
      },
      '/forecast': {
        get: {
          operationId: 'forecast',
          summary:
            'Net revenue of the months after the origin, per service category and as returning patients, new patients and other revenue, beside the seasonal-naive baseline; one location, or the sum of the open locations at one origin, every location not in the sum listed with its reason',
          parameters: queryParameters(forecastQuerySchema),
          responses: {
            '200': json(forecastBodySchema, 'The forecast, money in cents'),
            ...DATA_ERRORS,
            '400': ERROR(
              'A malformed parameter: months not a whole number from 1 to 12, an unknown category, as_of not a month (YYYY-MM)',
            ),
            '404': ERROR(
              'An unknown location (unknown_location), or nothing to forecast: no data yet, or the location (every location of the portfolio) cannot be forecast — too little history, closing within the horizon, an origin outside its data — with the reason (no_data)',
            ),
          },
        },
      },
      '/actions': {
        get: {
          operationId: 'actions',
          summary:
            'What to do, largest dollars first: patients for the front desk (VIP past due, rhythm broken; each with an outreach draft) and alerts for the owner (provider pay out of band, no-show spike), each with its dollars and traceable facts; snoozed and done ones left out',
          parameters: queryParameters(actionsQuerySchema),
          responses: {
            '200': json(actionsBodySchema, 'The actions; patients by the practice’s own id, money in cents'),
            ...DATA_ERRORS,
          },
        },
      },
      '/briefing': {
        get: {
          operationId: 'briefing',
          summary:
            'The daily briefing: what changed and what to do, largest dollars first (gap dollars, at-risk VIPs and broken rhythms as counts and dollars, providers out of band, no-show spikes, membership churn, net revenue and the forecast against last year), each item with the figures behind it and the calls that answer them; the portfolio’s briefing of a day the timer wrote is served as stored',
          parameters: queryParameters(briefingQuerySchema),
          responses: {
            '200': json(briefingBodySchema, 'The briefing; no patient identifier, money in cents'),
            ...DATA_ERRORS,
            '400': ERROR('A malformed parameter: date not a day (YYYY-MM-DD)'),
            '404': ERROR('An unknown location (unknown_location), or no data yet (no_data)'),
          },
        },
      },
      '/report.xlsx': {
        get: {
          operationId: 'report',
          summary:
            'The board pack as an Excel workbook (the one caliper report writes): Summary, Same-store, Providers, Membership, Patients, Benchmarks, Money at stake, Data quality, Definitions, with live totals, growth and ratio formulas; as_reported_at gives the figures as they were after an earlier ingest and adds a Restatements sheet',
          parameters: queryParameters(reportQuerySchema),
          responses: {
            '200': {
              description: 'The workbook',
              content: {
                'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
                  schema: { type: 'string', format: 'binary' },
                },
              },
            },
            ...DATA_ERRORS,
            '400': ERROR(
              'A malformed parameter: a period not in the grammar (invalid_period), an as_reported_at that is no ingest id or date (bad_request)',
            ),
            '404': ERROR(
              'An unknown location (unknown_location), or no data yet, or none at as_reported_at (no_data)',
            ),
          },
        },
      },
      ...Object.fromEntries(
        (
          [
            ['snooze', 'snoozeAction', actionSnoozeSchema, 'Leaves an action out of the list through a day'],
            ['done', 'actionDone', actionDoneSchema, 'Marks an action done: it leaves the list for good'],
          ] as const
        ).map(([verb, operationId, body, summary]) => [
          `/actions/{actionId}/${verb}`,
          {
            post: {
              operationId,
              summary: `${summary} (read access is enough: it changes no data, only the tenant’s to-do state)`,
              parameters: [
                {
                  name: 'actionId',
                  in: 'path',
                  required: true,
                  description: 'The action id as GET /api/actions answers it',
                  schema: { type: 'string' },
                },
              ],
              requestBody: {
                required: verb === 'snooze',
                content: { 'application/json': { schema: jsonSchema(body) } },
              },
              responses: {
                '200': json(actionStateBodySchema, 'The state filed'),
                '400': ERROR(
                  'Invalid JSON (invalid_json), or a bad body: until not a day after today (bad_request)',
                ),
                ...AUTH_ERRORS,
                '404': ERROR(
                  'No such action among the tenant’s current ones, the id quoted by its head (unknown_action), or no data yet (no_data)',
                ),
                '429': BUSY(
                  'Not now (too_many_requests): the store’s writer (an ingest) did not free up within CALIPER_INGEST_MAX_WAIT_S; nothing was filed',
                ),
              },
            },
          },
        ]),
      ),
      '/ingest': {
        post: {
          operationId: 'ingest',
          summary: 'Ingests a bundle for the credential’s tenant, all or nothing',
          requestBody: {
            required: true,
            content: {
              'application/zip': {
                schema: { type: 'string', contentMediaType: 'application/zip' },
                description: 'A zipped bundle of canonical CSV files',
              },
              'text/csv': {
                schema: { type: 'string' },
                description: 'One canonical CSV file, named by ?file= or an x-caliper-filename header',
              },
              'multipart/form-data': {
                schema: {
                  type: 'object',
                  properties: { files: { type: 'array', items: { type: 'string', format: 'binary' } } },
                },
                description:
                  'Canonical CSV files (one bundle), or one .zip, as a browser file input sends them',
              },
            },
          },
          parameters: [
            {
              name: 'async',
              in: 'query',
              required: false,
              description: 'true: answer 202 with a job to poll at /ingest/jobs/{jobId} instead of waiting',
              schema: { type: 'boolean' },
            },
            {
              name: 'file',
              in: 'query',
              required: false,
              description: 'The canonical file name of a text/csv body, e.g. sales.csv',
              schema: { type: 'string' },
            },
            {
              name: 'max_rejected',
              in: 'query',
              required: false,
              description:
                'The largest share of any file’s rows that may be rejected for the ingest to commit: 10% or 0.1 (default 5%)',
              schema: { type: 'string' },
            },
            {
              name: 'accept_rejected',
              in: 'query',
              required: false,
              description: 'true: commit the accepted rows even when a file is over max_rejected',
              schema: { type: 'boolean' },
            },
            ...(
              [
                [
                  'profile',
                  'Read every vendor export as this profile (e.g. zenoti.appointments) instead of detecting it',
                ],
                ['location', 'The location of vendor exports that do not name one'],
                [
                  'id_prefix',
                  'Namespace of the vendor ids (default: the vendor), for two sites of one system',
                ],
                ['timezone', 'IANA time zone of locations neither the upload nor the store describes'],
                [
                  'revenue_source',
                  'LOCATION=SYSTEM pairs, comma-separated: whose sales count where an EMR and a POS both carry them',
                ],
                [
                  'fx',
                  'CURRENCY:RATE pairs, comma-separated (e.g. IDR:0.0000615,EUR:1.08): USD per 1 unit of a foreign currency; an export in a currency without a rate is refused, a converted one keeps its original amounts and is reported',
                ],
                [
                  'default_currency',
                  'The currency of records that state none (old Stripe objects), e.g. USD; without it such records are refused',
                ],
              ] as const
            ).map(([name, description]) => ({
              name,
              in: 'query',
              required: false,
              description,
              schema: { type: 'string' },
            })),
          ],
          responses: {
            '200': json(
              ingestReportSchema,
              'The ingest report: committed (rejected rows within max_rejected, or accepted, are listed and grouped)',
            ),
            '202': json(
              ingestJobBodySchema,
              'With ?async=true: the job, queued (it waits in the tenant’s line until the ingest time limit)',
            ),
            '400': ERROR(
              'An empty body, a CSV without ?file=<canonical name>.csv, a malformed ?max_rejected= / ?accept_rejected=, or a body cut short',
            ),
            '408': ERROR(
              'The body did not arrive within the ingest time limit (CALIPER_INGEST_TIMEOUT_S); nothing was kept (request_timeout)',
            ),
            '413': ERROR(
              'The body is larger than the ingest limit (CALIPER_INGEST_MAX_MB): refused from its Content-Length before the body is read, or as soon as a body without one passes the limit (payload_too_large)',
            ),
            '415': ERROR(
              'Neither application/zip, text/csv nor multipart/form-data (unsupported_media_type)',
            ),
            '422': json(
              ingestReportSchema,
              'Nothing was written; the report says why (e.g. files over max_rejected, named with their share, a zip over the CALIPER_LIMIT_ZIP_* limits, or an ingest that ran past the time limit and was rolled back)',
            ),
            '429': BUSY(
              'Not now (too_many_requests): the tenant already has 1 + CALIPER_INGEST_QUEUE uploads in hand (answered before the body is read), or a synchronous ingest did not get its turn (the tenant’s earlier upload, or another ingest’s store transaction) within CALIPER_INGEST_MAX_WAIT_S; nothing was written. Retry after Retry-After seconds, or send ?async=true to wait in line',
            ),
            ...AUTH_ERRORS,
          },
        },
      },
      '/ingest/jobs/{jobId}': {
        get: {
          operationId: 'ingestJob',
          summary: 'Progress of an ?async=true ingest, then its report',
          parameters: [{ name: 'jobId', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            '200': json(ingestJobBodySchema, 'The job: status, progress and, when finished, the report'),
            '404': ERROR('No such job for this tenant (unknown_job)'),
            ...AUTH_ERRORS,
          },
        },
      },
    },
  };
}

let document: Record<string, unknown> | undefined;

/** `GET /api/openapi.json`: the API described from the same zod schemas the handlers parse with. */
export function openapi(_request: HttpRequest, _context: InvocationContext): Promise<HttpResponseInit> {
  document ??= buildDocument();
  return Promise.resolve({ status: 200, jsonBody: document });
}

app.http('openapi', { methods: ['GET'], authLevel: 'anonymous', route: 'openapi.json', handler: openapi });
