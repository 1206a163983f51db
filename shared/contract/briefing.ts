import { z } from 'zod';

import { isLocalDate } from '../model/localDate';
import { locationParam, nullableString } from './common';

/* `GET /api/briefing`: the daily briefing, each item with the figures that trace it. */

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

export type BriefingBody = z.infer<typeof briefingBodySchema>;
