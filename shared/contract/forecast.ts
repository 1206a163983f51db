import { z } from 'zod';

import { isYearMonth } from '../model/localDate';
import { FORECAST_CATEGORIES } from '../models/forecastData';
import { MAX_FORECAST_MONTHS } from '../models/revenueForecast';
import { locationParam, nullableString } from './common';

/* `GET /api/forecast`: a location's or the portfolio's revenue forecast. */

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

export type ForecastBody = z.infer<typeof forecastBodySchema>;
