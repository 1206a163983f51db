import type { Scope } from '../metrics/scope';
import type { Action, ActionFact, ActionSubject, FactSource } from './action';
import type { ListedAction } from './actionState';
import type { LocationActions } from './triggers';

/**
 * Actions as `caliper actions --json` and `GET /api/actions` answer them: snake_case like the
 * rest of the API, money in integer cents, and for each metric fact the `caliper trace` command
 * and the `GET /api/trace` path that answer it with its source rows.
 */

function scopeJson(scope: Scope) {
  return {
    kind: scope.kind,
    location_id: scope.kind === 'portfolio' ? null : scope.locationId,
    provider_id: scope.kind === 'provider' ? scope.providerId : null,
  };
}

/** `caliper trace …` and `/api/trace?…` for a metric fact. */
export function traceOf(source: Extract<FactSource, { kind: 'metric' }>): { cli: string; api: string } {
  const { scope } = source;
  const flags = [`--period ${source.period}`];
  const query = new URLSearchParams({ metric: source.metric, period: source.period });
  if (scope.kind !== 'portfolio' && scope.locationId !== null) {
    flags.push(`--location ${scope.locationId}`);
    query.set('location', scope.locationId);
  }
  if (scope.kind === 'provider') {
    flags.push(`--provider ${scope.providerId}`);
    query.set('provider', scope.providerId);
  }
  return { cli: `caliper trace ${source.metric} ${flags.join(' ')}`, api: `/api/trace?${query.toString()}` };
}

function sourceJson(source: FactSource): Record<string, unknown> {
  switch (source.kind) {
    case 'metric':
      return {
        kind: 'metric',
        metric: source.metric,
        scope: scopeJson(source.scope),
        period: source.period,
        trace: traceOf(source),
      };
    case 'churn_model':
      return {
        kind: 'churn_model',
        field: source.field,
        as_of: source.asOf,
        horizon_days: source.horizonDays,
      };
    case 'patient_revenue':
      return { kind: 'patient_revenue', window: source.window };
  }
}

function factJson(fact: ActionFact): Record<string, unknown> {
  return {
    name: fact.name,
    value: fact.value,
    unit: fact.unit,
    ...(fact.reason === undefined ? {} : { reason: fact.reason }),
    source: sourceJson(fact.source),
  };
}

function subjectJson(subject: ActionSubject): Record<string, unknown> {
  switch (subject.kind) {
    case 'patient':
      return { kind: 'patient', patient_id: subject.patientId };
    case 'provider':
      return { kind: 'provider', provider_id: subject.providerId, display_name: subject.displayName };
    case 'location':
      return { kind: 'location', location_id: subject.locationId, name: subject.name };
  }
}

export function actionJson(action: Action, state: ListedAction['state'] = null): Record<string, unknown> {
  return {
    id: action.id,
    rule: action.rule,
    audience: action.audience,
    location_id: action.locationId,
    subject: subjectJson(action.subject),
    period: action.period,
    as_of: action.asOf,
    dollars_cents: action.dollarsCents,
    dollars_basis: action.dollarsBasis,
    sentence: action.sentence,
    facts: action.facts.map(factJson),
    also_true: action.alsoTrue.map((a) => ({
      rule: a.rule,
      id: a.id,
      dollars_cents: a.dollarsCents,
      sentence: a.sentence,
    })),
    draft: action.draft,
    state,
  };
}

export function locationActionsJson(location: LocationActions): Record<string, unknown> {
  return {
    location_id: location.locationId,
    name: location.name,
    evaluated: location.evaluated,
    reason: location.reason,
    as_of: location.asOf,
    month: location.month,
    patients_scored: location.patientsScored,
    actions_found: location.actions.length,
    notes: location.notes,
  };
}
