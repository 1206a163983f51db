import { z } from 'zod';

import { isLocalDate } from '../model/localDate';
import { locationParam, nullableString } from './common';

/* `GET /api/actions` and an action's snooze and done. */

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

export type ActionsBody = z.infer<typeof actionsBodySchema>;
export type ActionStateBody = z.infer<typeof actionStateBodySchema>;
