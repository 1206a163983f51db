import { z } from 'zod';

/*
 * The pieces every area of the API contract shares: the query parameters most routes take,
 * the error body every route can answer, and a nullable string.
 */

export const metricParam = z.string().min(1).describe('Metric id from GET /api/catalog, e.g. net_revenue');
export const periodParam = z
  .string()
  .min(1)
  .describe(
    'Period (docs/metrics.md, "Periods"): 2024, 2024-Q1 (also Q1 2024, 2024Q1), 2024-03 (also Mar-24, March 2024), FY2024, FY2024-Q1, LTM / YTD / QTD / MTD (at the as-of month), LTM@2024-06, 2024-01-01..2024-03-31, or relative to the as-of month: FY0 / FQ0 / CY0 / CQ0 (latest completed), FY-1, FY1 (current, to date), M0, M-1, LTM-1 (a year back), LTM-3M, LTM-1Q, YTD-1',
  );
export const locationParam = z.string().min(1).describe('Location id; omitted for the portfolio');
export const providerParam = z
  .string()
  .min(1)
  .describe('Provider id: at the given location, or across all of theirs when no location is given');

/** Every answer other than 2xx (and a failed slot of a batch). */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.string().describe('Machine-readable: unknown_metric, invalid_period, unauthorized…'),
    message: z.string(),
  }),
});

export const nullableString = z.string().nullable();

export type ErrorBody = z.infer<typeof errorBodySchema>;
