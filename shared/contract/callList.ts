import { z } from 'zod';

import { isLocalDate } from '../model/localDate';
import { locationParam, nullableString } from './common';
import { MAX_CALL_LIST } from './constants';

/* `GET /api/calllist`: the patients most worth a call, by the practice's own patient id. */

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

export type CallListBody = z.infer<typeof callListBodySchema>;
