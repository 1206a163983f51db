import { z } from 'zod';

import { COHORT_ATTRIBUTES } from '../metrics/benchmarks';
import { metricParam, nullableString, periodParam } from './common';

/* The tenant's portfolio, the health check, peer benchmarks and the board-pack report's query. */

export const healthBodySchema = z.object({ status: z.literal('ok'), version: z.string() });

export const benchmarksQuerySchema = z.object({
  metric: metricParam,
  period: periodParam,
  location: z.string().min(1).describe('The location to rank among its peers'),
  cohort: z
    .string()
    .optional()
    .describe(
      `Comma-separated cohort attributes, some of ${COHORT_ATTRIBUTES.join(', ')}, or \`portfolio\` for the whole portfolio; size_band,region when omitted. A cohort too small to show gives way to the next wider one, named in the answer`,
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

const cohortSummarySchema = z.object({
  attributes: z.record(z.string(), z.string()),
  size: z.number(),
});

export const benchmarkBodySchema = z.object({
  metric: z.string(),
  location_id: z.string(),
  period: z.string(),
  value: z.number().nullable(),
  cohort: cohortSummarySchema.describe(
    'The cohort ranked in: the one asked for, or the next wider one when that was too small',
  ),
  asked_cohort: cohortSummarySchema
    .optional()
    .describe('The cohort asked for, when it was too small and `cohort` is the wider one ranked in instead'),
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

export type HealthBody = z.infer<typeof healthBodySchema>;
export type BenchmarkBody = z.infer<typeof benchmarkBodySchema>;
export type PortfolioBody = z.infer<typeof portfolioBodySchema>;
