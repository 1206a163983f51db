import type { Scope } from '../metrics/scope';
import type { LocalDate, YearMonth } from '../model/localDate';

/**
 * An action: something the front desk or the owner should do now, with what it is worth.
 * Produced by the triggers (triggers.ts) from the churn score and the metric engine; listed
 * largest dollars first (`compareActions`) by `caliper actions`, `GET /api/actions` and the
 * daily briefing. See docs/actions.md for each rule and how its dollars are computed.
 */

/** The rules, in the order that breaks a tie in dollars (patient rules first, then alerts). */
export const ACTION_RULES = [
  'vip_past_due',
  'cadence_broken',
  'provider_out_of_band',
  'no_show_spike',
] as const;
export type ActionRule = (typeof ACTION_RULES)[number];

/** `front_desk`: a patient to contact (with an outreach draft); `owner`: an alert to look into. */
export type ActionAudience = 'front_desk' | 'owner';

/**
 * Whom the action is about. A patient is named only by the location's own patient id (its
 * EMR's), so the front desk can look the person up — never by a name, contact or person key.
 * Provider display names are staff names, which Caliper reports by design.
 */
export type ActionSubject =
  | { kind: 'patient'; patientId: string }
  | { kind: 'provider'; providerId: string; displayName: string | null }
  | { kind: 'location'; locationId: string; name: string };

/**
 * Where a fact comes from, so a user can check it:
 * - `metric`: a value of the metric engine — `caliper trace <metric> --period <period> …` or
 *   `GET /api/trace?metric=…&period=…&location=…&provider=…` answers it with its source rows;
 * - `churn_model`: a field of the churn score (shared/models/churnRisk.ts, docs/models.md
 *   "Churn risk") of the patient at the location on `asOf`;
 * - `patient_revenue`: the patient's net revenue at the location over `window` (the VIP rank;
 *   `vip_revenue_share` over the same window traces the ranking's totals).
 */
export type FactSource =
  | { kind: 'metric'; metric: string; scope: Scope; period: string }
  | { kind: 'churn_model'; field: string; asOf: LocalDate; horizonDays: number }
  | { kind: 'patient_revenue'; window: { start: LocalDate; end: LocalDate } };

export type FactUnit = 'cents' | 'ratio' | 'count' | 'days' | 'date' | 'text';

/** One figure an action rests on; money in integer cents; null with a reason when absent. */
export interface ActionFact {
  name: string;
  value: number | string | null;
  unit: FactUnit;
  /** Why the value is null. */
  reason?: string;
  source: FactSource;
}

/**
 * A short message for the front desk to send a patient, with placeholders the EMR's messaging
 * fills (`{{first_name}}`, `{{practice_name}}`, `{{booking_link}}`, `{{practice_phone}}`). It
 * holds no identifier of any kind and no digit: only the treatment category and the time since
 * the last visit in words (outreachDrafts.ts).
 */
export interface OutreachDraft {
  /** The template's category, e.g. `neurotoxin`, `other`. */
  template: string;
  text: string;
  /** The placeholders the text uses, in order of first use. */
  placeholders: string[];
}

/** Another rule that holds for the same patient, folded into the action that won on dollars. */
export interface AlsoTrue {
  rule: ActionRule;
  id: string;
  dollarsCents: number | null;
  sentence: string;
}

export interface Action {
  /**
   * Stable: rule, location, subject and period (actionIds.ts), so the same situation is the same
   * action on every run, and a new period can raise it again after it was marked done.
   */
  id: string;
  rule: ActionRule;
  audience: ActionAudience;
  locationId: string;
  subject: ActionSubject;
  /** The month the action is about: the month scored for patients, the month measured for alerts. */
  period: YearMonth;
  /** The day the figures were taken on. */
  asOf: LocalDate;
  /** What it is worth, in integer cents; null when nothing measures it (`dollarsBasis` says why). */
  dollarsCents: number | null;
  /** One line: how the dollars were computed, or why there are none. */
  dollarsBasis: string;
  /** The action in plain words. */
  sentence: string;
  facts: ActionFact[];
  /** Front-desk actions: the other rules true of the same patient (deduplication); else empty. */
  alsoTrue: AlsoTrue[];
  /** Front-desk actions only; null for owner alerts. */
  draft: OutreachDraft | null;
}

/**
 * Largest dollars first; actions without dollars after every action with some; then by rule
 * (ACTION_RULES order), location and id, so the order is the same on every run.
 */
export function compareActions(a: Action, b: Action): number {
  if (a.dollarsCents !== b.dollarsCents) {
    if (a.dollarsCents === null) return 1;
    if (b.dollarsCents === null) return -1;
    return b.dollarsCents - a.dollarsCents;
  }
  return (
    ACTION_RULES.indexOf(a.rule) - ACTION_RULES.indexOf(b.rule) ||
    (a.locationId < b.locationId ? -1 : a.locationId > b.locationId ? 1 : 0) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}
