import { z } from 'zod';

import {
  errorBodySchema,
  locationParam,
  metricParam,
  nullableString,
  periodParam,
  providerParam,
} from './common';
import { MAX_BATCH } from './constants';

/* Metrics: one value (`GET /api/metrics`), its trace, a batch of values, and the catalog. */

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

export const catalogBodySchema = z.array(
  z.object({
    id: z.string(),
    label: z.string(),
    unit: z.string(),
    family: z.string(),
    scopes: z.array(z.string()),
    facts: z.array(z.string()),
    definition: z.string(),
    plain: z.string().describe('The definition in plain words, for people'),
    direction: z.string(),
  }),
);

export type MetricBody = z.infer<typeof metricBodySchema>;
export type MetricAsReportedBody = z.infer<typeof metricAsReportedBodySchema>;
export type TraceBody = z.infer<typeof traceBodySchema>;
export type BatchBody = z.infer<typeof batchBodySchema>;
export type BatchRequest = BatchBody['requests'][number];
export type BatchResponse = z.infer<typeof batchResponseSchema>;
export type BatchResult = BatchResponse['results'][number];
export type CatalogBody = z.infer<typeof catalogBodySchema>;
export type CatalogEntry = CatalogBody[number];
