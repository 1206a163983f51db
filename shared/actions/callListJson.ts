import type { CallList, CallListLocation, CallListRow } from './callList';

/**
 * The call list as the API answers it and `caliper calllist --json` prints it: snake_case, money
 * in integer cents, the churn risk a fraction, absent facts null. One function, so the CLI and
 * the API cannot drift apart (shared/contract/callList.ts `callListBodySchema` describes it).
 */

export interface CallListRowJson {
  rank: number;
  location_id: string;
  patient_id: string;
  last_treatment: string | null;
  last_visit_on: string;
  provider_name: string | null;
  days_since_last: number;
  typical_interval_days: number;
  days_overdue: number;
  churn_risk: number;
  reasons: string;
  value_at_risk_cents: number;
  value_if_retained_cents: number;
}

export interface CallListLocationJson {
  location_id: string;
  name: string;
  as_of: string | null;
  scored: boolean;
  reason: string | null;
  trained_on: string | null;
  patients_scored: number;
  eligible: number;
  eligible_value_at_risk_cents: number;
  fallbacks: string[];
}

export interface CallListJson {
  scope: 'location' | 'portfolio';
  location_id: string | null;
  location_name: string | null;
  as_of: string | null;
  horizon_days: number;
  n: number;
  patients_scored: number;
  eligible: number;
  eligible_value_at_risk_cents: number;
  shown_value_at_risk_cents: number;
  fallbacks: string[];
  locations: CallListLocationJson[];
  rows: CallListRowJson[];
}

export function callListJson(list: CallList): CallListJson {
  const site = list.scope.kind === 'location' ? list.scope : null;
  return {
    scope: list.scope.kind,
    location_id: site?.locationId ?? null,
    location_name: site?.name ?? null,
    as_of: list.asOf,
    horizon_days: list.horizonDays,
    n: list.n,
    patients_scored: list.patientsScored,
    eligible: list.eligible,
    eligible_value_at_risk_cents: list.eligibleValueAtRiskCents,
    shown_value_at_risk_cents: list.shownValueAtRiskCents,
    fallbacks: list.fallbacks,
    locations: list.locations.map(locationJson),
    rows: list.rows.map(rowJson),
  };
}

function locationJson(l: CallListLocation): CallListLocationJson {
  return {
    location_id: l.locationId,
    name: l.name,
    as_of: l.asOf,
    scored: l.scored,
    reason: l.reason,
    trained_on: l.trainedOn,
    patients_scored: l.patientsScored,
    eligible: l.eligible,
    eligible_value_at_risk_cents: l.eligibleValueAtRiskCents,
    fallbacks: l.fallbacks,
  };
}

function rowJson(r: CallListRow): CallListRowJson {
  return {
    rank: r.rank,
    location_id: r.locationId,
    patient_id: r.patientId,
    last_treatment: r.lastTreatment,
    last_visit_on: r.lastVisitOn,
    provider_name: r.providerName,
    days_since_last: r.daysSinceLast,
    typical_interval_days: r.typicalIntervalDays,
    days_overdue: r.daysOverdue,
    churn_risk: r.churnRisk,
    reasons: r.reasons,
    value_at_risk_cents: r.valueAtRiskCents,
    value_if_retained_cents: r.valueIfRetainedCents,
  };
}
