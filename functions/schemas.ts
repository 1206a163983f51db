import type { HttpRequest } from '@azure/functions';
import { z } from 'zod';

import { SETTABLE_FIELDS } from '../io/locationEdits';
import { COHORT_ATTRIBUTES } from '../shared/metrics/benchmarks';
import { isLocalDate, isYearMonth } from '../shared/model/localDate';
import { FORECAST_CATEGORIES } from '../shared/models/forecastData';
import { MAX_FORECAST_MONTHS } from '../shared/models/revenueForecast';
import { ApiError } from './httpErrors';

/*
 * The query parameters and bodies of the API as zod schemas: the handlers parse with them and
 * openapi.ts describes them, so the document cannot drift from what the handlers accept.
 */

const metricParam = z.string().min(1).describe('Metric id from GET /api/catalog, e.g. net_revenue');
const periodParam = z
  .string()
  .min(1)
  .describe(
    'Period (docs/metrics.md, "Periods"): 2024, 2024-Q1 (also Q1 2024, 2024Q1), 2024-03 (also Mar-24, March 2024), FY2024, FY2024-Q1, LTM / YTD / QTD / MTD (at the as-of month), LTM@2024-06, 2024-01-01..2024-03-31, or relative to the as-of month: FY0 / FQ0 / CY0 / CQ0 (latest completed), FY-1, FY1 (current, to date), M0, M-1, LTM-1 (a year back), LTM-3M, LTM-1Q, YTD-1',
  );
const locationParam = z.string().min(1).describe('Location id; omitted for the portfolio');
const providerParam = z
  .string()
  .min(1)
  .describe('Provider id: at the given location, or across all of theirs when no location is given');

export const metricQuerySchema = z.object({
  metric: metricParam,
  period: periodParam,
  location: locationParam.optional(),
  provider: providerParam.optional(),
  as_reported_at: z
    .string()
    .max(40)
    .optional()
    .describe(
      'The value as it stood right after an ingest: its id (e.g. 3), or a date (YYYY-MM-DD, or a datetime; UTC unless it has an offset) naming the last ingest finished by then',
    ),
});

export const traceQuerySchema = metricQuerySchema.omit({ as_reported_at: true });

export const benchmarksQuerySchema = z.object({
  metric: metricParam,
  period: periodParam,
  location: z.string().min(1).describe('The location to rank among its peers'),
  cohort: z
    .string()
    .optional()
    .describe(
      `Comma-separated cohort attributes, some of ${COHORT_ATTRIBUTES.join(', ')}; none (the whole portfolio) when omitted`,
    ),
});

export const reportQuerySchema = z.object({
  period: periodParam,
  locations: z
    .string()
    .max(4000)
    .optional()
    .describe(
      "Only these locations, ids separated by commas; every location when omitted (portfolio figures stay the tenant's)",
    ),
  as_reported_at: z
    .string()
    .max(40)
    .optional()
    .describe(
      'The figures as they were after this ingest id, or after the last ingest on or before this date (YYYY-MM-DD), with a Restatements sheet',
    ),
});

/** The most rows one call list answers: a front desk's fortnight of calls, and a whole sheet. */
export const MAX_CALL_LIST = 500;

export const callListQuerySchema = z.object({
  location: locationParam.optional(),
  n: z
    .string()
    .regex(/^\d{1,6}$/)
    .transform(Number)
    .pipe(z.number().int().min(1).max(MAX_CALL_LIST))
    .optional()
    .describe(`How many patients, 1 to ${MAX_CALL_LIST}; 25 when omitted`),
  as_of: z
    .string()
    .refine(isLocalDate)
    .optional()
    .describe("The day scored, YYYY-MM-DD; each location's last day of sales data when omitted"),
});

export const forecastQuerySchema = z.object({
  location: locationParam.optional(),
  months: z
    .string()
    .regex(/^\d{1,2}$/)
    .transform(Number)
    .pipe(z.number().int().min(1).max(MAX_FORECAST_MONTHS))
    .optional()
    .describe(`Months ahead, 1 to ${MAX_FORECAST_MONTHS}; 3 when omitted`),
  category: z
    .enum(FORECAST_CATEGORIES)
    .optional()
    .describe('Only this service category per month (the totals and components stay)'),
  as_of: z
    .string()
    .refine(isYearMonth)
    .optional()
    .describe(
      "The forecast origin, YYYY-MM: the last month of data read; the location's last complete month when omitted (the portfolio: the latest of its open locations')",
    ),
});

/** One recalculation of a large workbook fits; beyond that the client splits its batches. */
export const MAX_BATCH = 10_000;

/** The body metricsBatch.ts parses; an empty location or provider counts as absent. */
export const batchBodySchema = z.object({
  requests: z
    .array(
      z.object({
        metric: metricParam,
        period: periodParam,
        location: z.string().optional().describe('Location id; omitted or empty for the portfolio'),
        provider: z.string().optional().describe('Provider id; omitted or empty for none'),
      }),
    )
    .max(MAX_BATCH)
    .describe('Results come back in the same order; a failed entry is an error in its slot'),
});

export const errorBodySchema = z.object({
  error: z.object({
    code: z.string().describe('Machine-readable: unknown_metric, invalid_period, unauthorized…'),
    message: z.string(),
  }),
});

/**
 * The request's query parameters parsed with `schema`; an empty parameter counts as absent.
 * A missing or malformed one is the caller's mistake: 400 `bad_request` naming the parameter.
 */
export function parseQuery<T extends z.ZodObject>(request: HttpRequest, schema: T): z.infer<T> {
  const given: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = request.query.get(key)?.trim();
    if (value !== undefined && value !== '') given[key] = value;
  }
  const parsed = schema.safeParse(given);
  if (!parsed.success) {
    const names = [...new Set(parsed.error.issues.map((i) => i.path.join('.')))];
    throw new ApiError('bad_request', `Missing or invalid query parameter: ${names.join(', ')}`);
  }
  return parsed.data;
}

/* Response bodies, for the OpenAPI document; the handlers' tests pin the values. */

const nullableString = z.string().nullable();

const scopeBodySchema = z.object({
  kind: z.enum(['portfolio', 'location', 'provider']),
  location_id: nullableString,
  provider_id: nullableString,
});

const operandSchema = z.object({ name: z.string(), value: z.number().nullable(), unit: z.string() });

export const metricBodySchema = z.object({
  metric: z.string(),
  period: z.object({ label: z.string(), start: z.string(), end: z.string() }),
  scope: scopeBodySchema,
  value: z
    .number()
    .nullable()
    .describe('In the metric unit (dollars, a fraction, a count); null = not available'),
  unit: z.enum(['usd', 'ratio', 'count', 'hours', 'minutes']),
  coverage: z.number().nullable().describe('Share of operating days in the period the data covers'),
  reason: z.string().optional().describe('Why the value is null'),
  formula: z.string(),
  operands: z.array(operandSchema),
});

/** `GET /api/metrics` with as_reported_at: the value as it stood then, and the ingest it is as of. */
export const metricAsReportedBodySchema = metricBodySchema.extend({
  as_reported: z
    .object({
      ingest_id: z.number(),
      finished_at: z.string().describe('When that ingest committed (ISO 8601, UTC)'),
    })
    .optional()
    .describe('With as_reported_at only: the ingest the value is as of'),
});

export const traceBodySchema = metricBodySchema.extend({
  label: z.string(),
  definition: nullableString,
  details: z.record(z.string(), z.unknown()).optional(),
  sources: z.array(
    z.object({
      fact: z.string().describe('Canonical file, e.g. sales.csv'),
      file: z.string().describe('The file as ingested (path, or zip:entry)'),
      ingest_id: z.number(),
      rows: z.number().describe('How many of its rows count'),
      sample_rows: z.array(z.number()).describe('The first row numbers, as Excel numbers them'),
    }),
  ),
});

export const batchResponseSchema = z.object({
  results: z.array(
    z.union([
      z.object({
        value: z.number().nullable(),
        unit: z.string(),
        coverage: z.number().nullable(),
        reason: z.string().optional(),
      }),
      z.object({ error: errorBodySchema.shape.error }),
    ]),
  ),
  data_version: z
    .number()
    .describe("The tenant's latest ingest id: cached answers with another version are stale"),
});

const cohortSummarySchema = z.object({
  attributes: z.record(z.string(), z.string()),
  size: z.number(),
});

export const benchmarkBodySchema = z.object({
  metric: z.string(),
  location_id: z.string(),
  period: z.string(),
  value: z.number().nullable(),
  cohort: cohortSummarySchema,
  shown: z.boolean().describe('False when fewer than 5 peers have a value'),
  percentile: z.number().nullable().describe('0–100, 100 = best'),
  peers: z.object({ p25: z.number(), median: z.number(), p75: z.number() }).nullable(),
  reason: z.string().optional(),
  wider_cohort: cohortSummarySchema.optional(),
  reference: z.record(z.string(), z.unknown()).optional().describe('Labelled industry reference range'),
});

export const portfolioBodySchema = z.object({
  tenant: z.string(),
  data_version: z
    .number()
    .describe("The tenant's latest ingest id: cached answers with another version are stale"),
  locations: z.array(
    z.object({
      location_id: z.string(),
      name: z.string(),
      region: nullableString,
      emr_system: nullableString,
      opened_on: nullableString,
      closed_on: nullableString,
      providers: z.number(),
      patients: z.number(),
      first_sale_on: nullableString,
      last_sale_on: nullableString,
    }),
  ),
  providers: z.array(
    z.object({ provider_id: z.string(), display_name: z.string(), location_ids: z.array(z.string()) }),
  ),
  data_freshness: z.array(
    z.object({ location_id: z.string(), last_sale_on: nullableString, last_ingest_at: nullableString }),
  ),
  periods: z.object({
    first_month: nullableString,
    last_month: nullableString,
    as_of_month: nullableString.describe('The latest month with complete data for every open location'),
  }),
});

/** `GET /api/calllist` answers: shared/actions/callListJson.ts, money in integer cents. */
export const callListBodySchema = z.object({
  data_version: z
    .number()
    .describe("The tenant's latest ingest id: cached answers with another version are stale"),
  scope: z.enum(['location', 'portfolio']),
  location_id: nullableString.describe('The location asked for; null for the portfolio'),
  location_name: nullableString,
  as_of: nullableString.describe(
    "The day scored; null in a portfolio whose locations were scored on different days (each location's is listed)",
  ),
  horizon_days: z.number().describe('Churn risk = no completed visit within this many days after as_of'),
  n: z.number(),
  patients_scored: z.number(),
  eligible: z
    .number()
    .describe('Scored patients with nothing booked, seen in the 365 days before as_of, with a value at risk'),
  eligible_value_at_risk_cents: z.number(),
  shown_value_at_risk_cents: z.number().describe('The total of the rows answered'),
  fallbacks: z
    .array(z.string())
    .describe("Every step down from a location's own model, and every location not scored, in words"),
  locations: z.array(
    z.object({
      location_id: z.string(),
      name: z.string(),
      as_of: nullableString,
      scored: z.boolean(),
      reason: nullableString.describe('Why the location was not scored'),
      trained_on: nullableString.describe('location, portfolio or bgnbd_only'),
      patients_scored: z.number(),
      eligible: z.number(),
      eligible_value_at_risk_cents: z.number(),
      fallbacks: z.array(z.string()),
    }),
  ),
  rows: z.array(
    z.object({
      rank: z.number(),
      location_id: z.string(),
      patient_id: z.string().describe("The location's own (EMR) patient id: never a name, email or phone"),
      last_treatment: nullableString.describe("The last visit's service category in words, e.g. Neurotoxin"),
      last_visit_on: z.string(),
      provider_name: nullableString,
      days_since_last: z.number(),
      typical_interval_days: z.number(),
      days_overdue: z.number(),
      churn_risk: z.number().describe('A fraction: P(no visit within horizon_days)'),
      reasons: z.string().describe('The model\'s reasons in words, joined by "; "'),
      value_at_risk_cents: z.number(),
      value_if_retained_cents: z.number(),
    }),
  ),
});

const forecastCentsSchema = z.object({
  cents: z.number(),
  returning_cents: z.number(),
  new_patients_cents: z.number(),
  seasonal_naive_cents: z
    .number()
    .nullable()
    .describe('The category in the same month a year earlier; null when the month has none'),
});

/** `GET /api/forecast` answers: shared/models/scopeForecastJson.ts, money in integer cents. */
export const forecastBodySchema = z.object({
  data_version: z
    .number()
    .describe("The tenant's latest ingest id: cached answers with another version are stale"),
  scope: z.enum(['location', 'portfolio']),
  location_id: nullableString.describe('The location asked for; null for the portfolio'),
  location_name: nullableString,
  category: z.enum(FORECAST_CATEGORIES).nullable().describe('The category asked for: the only one per month'),
  origin: z.string().describe('The last month of data read (YYYY-MM); the forecast starts the month after'),
  as_of: z.string().describe("The origin's last day"),
  months_ahead: z.number(),
  locations_in_sum: z.number().describe('How many locations the figures add up (1 for a location)'),
  locations: z
    .array(
      z.object({
        location_id: z.string(),
        name: z.string(),
        in_sum: z.boolean(),
        code: nullableString.describe('insufficient_history, location_closed or invalid_request'),
        reason: nullableString.describe('Why the location is not in the sum (never counted as 0)'),
        inputs: z
          .record(z.string(), z.unknown())
          .nullable()
          .describe(
            "What the location's forecast read: complete months, patients, BG/NBD fit, show rate, calibration, revenue per visit, new-patient and other-revenue months (docs/models.md)",
          ),
      }),
    )
    .describe('The location, or every location open after the origin'),
  months: z.array(
    z.object({
      month: z.string(),
      horizon: z.number().describe('Months after the origin'),
      total_cents: z.number(),
      components: z.object({
        returning_cents: z.number(),
        new_patients_cents: z.number(),
        other_cents: z.number().describe('Retail, membership fees, other lines: in no category'),
      }),
      categories: z.record(z.string(), forecastCentsSchema),
      seasonal_naive_from: z.string(),
      seasonal_naive_cents: z.number().nullable().describe('Net revenue in the same month a year earlier'),
      seasonal_naive_reason: nullableString.describe('Why there is no seasonal-naive value'),
    }),
  ),
});

export const catalogBodySchema = z.array(
  z.object({
    id: z.string(),
    label: z.string(),
    unit: z.string(),
    family: z.string(),
    scopes: z.array(z.string()),
    facts: z.array(z.string()),
    definition: z.string(),
    direction: z.string(),
  }),
);

export const healthBodySchema = z.object({ status: z.literal('ok'), version: z.string() });

export const ingestReportSchema = z
  .object({
    ingest_id: z.number().nullable(),
    tenant: z.string(),
    committed: z.boolean(),
    failure: nullableString.describe('Why nothing was written, when committed is false'),
    files: z
      .array(z.record(z.string(), z.unknown()))
      .describe('Per file: rows read, accepted, rejected, issues'),
    totals: z.record(z.string(), z.number()),
    rejection: z
      .object({
        max_share: z.number().describe('The largest share (0–1) of a file’s rows that may be rejected'),
        accepted: z.boolean().describe('true: the caller accepted rejected rows above the threshold'),
        files_over: z
          .array(
            z.object({
              file: z.string(),
              rows_read: z.number(),
              rows_rejected: z.number(),
              share: z.number(),
            }),
          )
          .describe('Files with more rejected rows than max_share allows'),
      })
      .nullable()
      .describe('The rejected-row threshold checked before commit; null when the ingest stopped before it'),
    issue_groups: z
      .array(
        z.object({
          file: z.string(),
          code: z.string(),
          severity: z.enum(['error', 'warning']),
          count: z.number(),
          examples: z
            .array(z.object({ row: z.number().nullable(), column: nullableString, message: z.string() }))
            .describe('The first two issues of the group'),
          hint: nullableString.describe('How to fix issues of this code; null when there is no known fix'),
        }),
      )
      .describe('The issues grouped by file, code and severity, with a count, two examples and a fix'),
    vendor_files: z
      .array(z.record(z.string(), z.unknown()))
      .optional()
      .describe('Vendor exports recognized: file, profile, vendor, report, detection score, rows'),
    conversion_issues: z
      .array(z.record(z.string(), z.unknown()))
      .optional()
      .describe('Findings of the vendor conversion: file, row, column, code, severity, message'),
    reconciliation: z
      .array(z.record(z.string(), z.unknown()))
      .optional()
      .describe('EMR vs POS net sales per location-month where a location has both; flagged above 2 %'),
    kpi_cross_check: z
      .array(z.record(z.string(), z.unknown()))
      .optional()
      .describe('Zenoti Business KPI figures against the same figures from the detailed reports'),
  })
  .describe('The ingest report: all-or-nothing, with row-level issues as data');

export const ingestJobBodySchema = z.object({
  job_id: z.string(),
  status: z
    .enum(['queued', 'running', 'done', 'failed'])
    .describe(
      'queued: waiting for the tenant’s earlier upload or for the store’s writer (it may go back to queued between converting and ingesting); running: converting or ingesting',
    ),
  created_at: z.string(),
  finished_at: nullableString,
  progress: z.object({
    phase: z
      .enum(['converting', 'ingesting'])
      .optional()
      .describe('Vendor exports are converted first, then ingested; each phase counts its own bytes'),
    bytes_done: z.number(),
    bytes_total: z.number(),
    file: nullableString.describe('The file being read'),
  }),
  report: ingestReportSchema.optional().describe('When finished: the ingest report'),
  error: errorBodySchema.shape.error.optional().describe('When the server failed; nothing was written'),
  status_url: z.string().optional().describe('Where to poll (in the 202 answer)'),
});

/** A location as `GET /api/locations` answers it: every field, null when unknown, and its aliases. */
export const locationRecordSchema = z.object({
  location_id: z.string(),
  name: z.string(),
  region: nullableString,
  timezone: nullableString,
  opened_on: nullableString.describe('null for a location created from an export until someone sets it'),
  closed_on: nullableString,
  acquired_on: nullableString,
  emr_system: nullableString,
  rooms: z.number().nullable(),
  aliases: z.array(z.string()).describe('Other names and vendor ids under which exports name it'),
});

export const locationsBodySchema = z.object({ tenant: z.string(), locations: z.array(locationRecordSchema) });

/**
 * `PATCH /api/locations/{locationId}` answers: the location as it now is (200) or as it was (422),
 * and the ingest report of the field change — null when only aliases were saved.
 */
export const locationUpdateBodySchema = z.object({
  location: locationRecordSchema,
  report: ingestReportSchema
    .nullable()
    .describe(
      'committed false (422): a value was refused, the issues say which and why; nothing was written',
    ),
});

/** `PATCH /api/locations/{locationId}`: fields to set (null or "" clears one) and aliases to save. */
export const locationPatchSchema = z
  .object({
    fields: z
      .object(Object.fromEntries(SETTABLE_FIELDS.map((f) => [f, z.string().max(400).nullable().optional()])))
      .strict()
      .optional(),
    aliases: z.array(z.string().max(200)).max(100).optional(),
  })
  .strict();

/** `POST /api/locations/{into}/merge`: the location that becomes `into`. */
export const locationMergeSchema = z
  .object({
    from: z.string().min(1).max(200).describe('The location that goes away (e.g. one an export created)'),
    keep_into: z
      .boolean()
      .optional()
      .describe(
        "true: where both have a row with one key and different values, keep into's (from's stays in history) instead of refusing",
      ),
  })
  .strict();

const storedValue = z.union([z.string(), z.number()]).nullable();

/** `POST /api/locations/{into}/merge` answers: what moved, what was filled, and the ingest report. */
export const locationMergeBodySchema = z.object({
  from: z.string(),
  into: z.string(),
  committed: z.boolean(),
  failure: nullableString.describe('Why nothing was written (422)'),
  ingest_id: z.number().nullable(),
  location: locationRecordSchema.nullable().describe('into as it now is: its fields and aliases'),
  moved: z
    .record(z.string(), z.number())
    .describe("from's rows now at into, per entity (patients: their home location)"),
  duplicates: z
    .record(z.string(), z.number())
    .describe('Rows both had with the same key and values (providers, shifts, spend): counted once now'),
  providers_combined: z.array(z.string()).describe('Providers with a row at both: one row at into now'),
  conflicts: z
    .array(
      z.object({
        entity: z.string(),
        key: z.record(z.string(), z.string()),
        differences: z.array(z.object({ column: z.string(), from: nullableString, into: nullableString })),
      }),
    )
    .describe("Rows with one key and different values: why a merge was refused, or where into's were kept"),
  filled: z
    .record(z.string(), z.union([z.string(), z.number()]))
    .describe('Fields into lacked, taken from from'),
  kept: z
    .record(z.string(), z.object({ into: storedValue, from: storedValue }))
    .describe('Fields where into kept its own value (closed_on is never taken: empty means open)'),
  aliases_added: z.array(z.string()).describe("from's aliases, name and id, now into's"),
  aliases_skipped: z.array(z.object({ alias: z.string(), location_id: z.string() })),
  report: ingestReportSchema,
  refresh: z
    .object({ mode: z.enum(['inline', 'queue']), locations: z.array(z.string()) })
    .nullable()
    .optional()
    .describe('The locations whose aggregates were recomputed (or queued) after the merge'),
});

/** `GET /api/actions`: one location's actions, or every location's. */
export const actionsQuerySchema = z.object({
  location: locationParam.optional(),
  as_of: z
    .string()
    .refine(isLocalDate)
    .optional()
    .describe(
      "The day the figures are taken on, YYYY-MM-DD; each location's last day of sales data when omitted",
    ),
  include_snoozed: z
    .enum(['true', 'false'])
    .optional()
    .describe('true: list snoozed and done actions too, each with its state'),
});

/** `POST /api/actions/{actionId}/snooze`. */
export const actionSnoozeSchema = z
  .object({
    until: z
      .string()
      .max(40)
      .describe(
        'YYYY-MM-DD, after today: the last day the action stays out of the list (it is back the day after)',
      ),
    as_of: z
      .string()
      .refine(isLocalDate)
      .optional()
      .describe('The day the list was made for, when it was not the default'),
  })
  .strict();

/** `POST /api/actions/{actionId}/done`: an empty body, or only the day the list was made for. */
export const actionDoneSchema = actionSnoozeSchema.omit({ until: true });

const actionFactSchema = z.object({
  name: z.string(),
  value: z.union([z.number(), z.string()]).nullable().describe('Money in integer cents (unit cents)'),
  unit: z.enum(['cents', 'ratio', 'count', 'days', 'date', 'text']),
  reason: z.string().optional().describe('Why the value is null'),
  source: z
    .record(z.string(), z.unknown())
    .describe(
      'metric (metric, scope, period and trace: the caliper trace command and the /api/trace path), churn_model (the churn score field) or patient_revenue (the 12-month window)',
    ),
});

/** An action as shared/actions/actionJson.ts writes it. */
export const actionBodySchema = z.object({
  id: z.string().describe('Stable: rule:location:subject:YYYY-MM, URL-safe'),
  rule: z.enum(['vip_past_due', 'cadence_broken', 'provider_out_of_band', 'no_show_spike']),
  audience: z.enum(['front_desk', 'owner']),
  location_id: z.string(),
  subject: z
    .record(z.string(), z.unknown())
    .describe(
      'patient (patient_id: the practice’s own EMR id), provider (provider_id, display_name) or location',
    ),
  period: z.string().describe('The month the action is about'),
  as_of: z.string(),
  dollars_cents: z
    .number()
    .nullable()
    .describe('What it is worth, integer cents; null when nothing measures it'),
  dollars_basis: z.string().describe('How the dollars were computed, or why there are none'),
  sentence: z.string(),
  facts: z.array(actionFactSchema),
  also_true: z.array(
    z.object({
      rule: z.string(),
      id: z.string(),
      dollars_cents: z.number().nullable(),
      sentence: z.string(),
    }),
  ),
  draft: z
    .object({ template: z.string(), text: z.string(), placeholders: z.array(z.string()) })
    .nullable()
    .describe(
      'Front-desk actions: the outreach message, with {{first_name}}, {{practice_name}}, {{booking_link}} and {{practice_phone}} for the EMR to fill; no identifier of any kind',
    ),
  state: z
    .object({ status: z.enum(['snoozed', 'done']), until: z.string().optional() })
    .nullable()
    .describe('With include_snoozed=true: snoozed (until a day) or done; null when open'),
});

export const actionsBodySchema = z.object({
  tenant: z.string(),
  data_version: z.number(),
  today: z.string().describe('The day the list was made: snoozes end and closed locations drop out by it'),
  locations: z.array(
    z.object({
      location_id: z.string(),
      name: z.string(),
      evaluated: z.boolean(),
      reason: nullableString.describe('Why the location was not evaluated (closed, no data)'),
      as_of: nullableString,
      month: nullableString.describe('The month the owner’s alerts measure'),
      patients_scored: z.number(),
      actions_found: z.number(),
      notes: z.array(z.string()).describe('What could not be judged, and the churn model’s fallbacks'),
    }),
  ),
  hidden: z.number().describe('Snoozed or done actions left out (include_snoozed=true lists them)'),
  actions: z.array(actionBodySchema).describe('Largest dollars first'),
});

export const actionStateBodySchema = z.object({
  action_id: z.string(),
  status: z.enum(['snoozed', 'done']),
  snoozed_until: nullableString,
  updated_at: z.string(),
});

/** `GET /api/briefing`: the portfolio's briefing, or one location's. */
export const briefingQuerySchema = z.object({
  location: locationParam.optional(),
  date: z
    .string()
    .refine(isLocalDate)
    .optional()
    .describe(
      "The day of the briefing, YYYY-MM-DD; today (UTC) when omitted. Figures are taken on it, or on a location's last day of data when that is earlier",
    ),
});

const briefingFigureSchema = z.object({
  kind: z.enum(['metric', 'actions', 'forecast']),
  name: z.string(),
  value: z.number().nullable().describe('Money in integer cents (unit cents)'),
  unit: z.enum(['cents', 'ratio', 'count', 'days', 'date', 'text']),
  reason: z.string().optional().describe('Why the value is null'),
  metric: z.string().optional().describe('metric: the metric id'),
  scope: z.record(z.string(), z.unknown()).optional().describe('metric: kind, location_id, provider_id'),
  period: z.string().optional().describe('metric: the period, as caliper trace takes it'),
  rule: z.string().optional().describe('actions: the rule whose open actions are counted or summed'),
  location_id: z.string().optional().describe('actions and forecast: the location'),
  as_of: z.string().optional().describe('actions: the day the actions were taken on'),
  origin: z.string().optional().describe('forecast: the origin month'),
  month: z.string().optional().describe('forecast: the month forecast'),
  trace: z
    .object({ cli: z.string(), api: z.string() })
    .describe('The caliper command and the API path that answer this figure'),
});

export const briefingBodySchema = z.object({
  tenant: z.string(),
  data_version: z.number().describe('The data version the briefing was made from'),
  source: z.enum(['stored', 'computed']).describe('stored: the one the daily timer wrote for that day'),
  created_at: nullableString.describe('When the timer wrote it; null when computed for this request'),
  date: z.string(),
  scope: z.object({
    kind: z.enum(['portfolio', 'location']),
    location_id: nullableString,
    name: nullableString,
  }),
  as_of_month: nullableString.describe('The last complete month the briefing reads'),
  items: z
    .array(
      z.object({
        kind: z.string().describe('gap, vip_past_due, provider_out_of_band, forecast_vs_last_year…'),
        location_id: nullableString,
        sentence: z.string().describe('Plain words; patients only as counts and dollars'),
        dollars_cents: z
          .number()
          .nullable()
          .describe('Integer cents, signed for a change; null when nothing measures it'),
        dollars_basis: z.string(),
        trace: z.array(briefingFigureSchema),
      }),
    )
    .describe('Largest dollars first (by size), none last'),
  notes: z.array(z.string()).describe('Locations not evaluated, rules not judged, actions snoozed'),
});
