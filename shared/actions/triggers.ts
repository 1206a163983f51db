import type { MetricContext } from '../metrics/metricContext';
import { isLocalDate, type LocalDate, type YearMonth } from '../model/localDate';
import { DEFAULT_HORIZON_DAYS, scoreChurnRisk } from '../models/churnRisk';
import { ChurnCache } from '../models/churnTraining';
import { type Action, compareActions } from './action';
import { lastCompleteMonth, noShowSpike, providerAlerts } from './locationTriggers';
import { patientActions, vipRanking } from './patientTriggers';

/**
 * Automated action triggers: each location's rules run on one day (`asOf`) and give the
 * deduplicated actions, largest dollars first. Patient rules (patientTriggers.ts) read the
 * churn score on `asOf`; the owner's alerts (locationTriggers.ts) read the metric engine over
 * the last complete month. Pure: the caller loads the metric context and applies the saved
 * snooze and done states (actionState.ts). docs/actions.md describes every rule.
 */

export interface ActionOptions {
  /**
   * The day the list is made (the caller's clock): a location closed on or before it has nobody
   * to act, and is not evaluated.
   */
  today: LocalDate;
  /** The day the figures are taken on; default each location's last day of sales data. */
  asOf?: LocalDate;
  horizonDays?: number;
  /** Shares the churn model's fits between locations of the same data (a portfolio, an API process). */
  cache?: ChurnCache;
}

export interface LocationActions {
  locationId: string;
  name: string;
  evaluated: boolean;
  /** Why the location was not evaluated (null when it was). */
  reason: string | null;
  asOf: LocalDate | null;
  /** The month the owner's alerts measure. */
  month: YearMonth | null;
  /** Patients the churn score covered (0 when it could not score the location: see `notes`). */
  patientsScored: number;
  /** What could not be judged, and the churn model's fallbacks, in words: never hidden. */
  notes: string[];
  /** Deduplicated, largest dollars first. */
  actions: Action[];
}

/**
 * One action per id, and one front-desk action per patient: the rule with the most dollars wins
 * (a tie goes to the rule listed first in ACTION_RULES) and the others are listed on it as
 * `alsoTrue`, so the front desk contacts a patient once.
 */
export function deduplicate(actions: readonly Action[]): Action[] {
  const byId = new Map<string, Action>();
  for (const action of actions) if (!byId.has(action.id)) byId.set(action.id, action);
  const out: Action[] = [];
  const byPatient = new Map<string, Action[]>();
  for (const action of byId.values()) {
    if (action.subject.kind !== 'patient') {
      out.push(action);
      continue;
    }
    const key = `${action.locationId}\u0000${action.subject.patientId}`;
    byPatient.set(key, [...(byPatient.get(key) ?? []), action]);
  }
  for (const group of byPatient.values()) {
    const [winner, ...others] = [...group].sort(compareActions);
    if (winner === undefined) continue;
    out.push({
      ...winner,
      alsoTrue: [
        ...winner.alsoTrue,
        ...others.map((o) => ({
          rule: o.rule,
          id: o.id,
          dollarsCents: o.dollarsCents,
          sentence: o.sentence,
        })),
      ],
    });
  }
  return out.sort(compareActions);
}

export function locationActions(
  ctx: MetricContext,
  locationId: string,
  options: ActionOptions,
): LocationActions {
  const location = ctx.location(locationId);
  const none = (reason: string, asOf: LocalDate | null = null): LocationActions => ({
    locationId,
    name: location?.name ?? locationId,
    evaluated: false,
    reason,
    asOf,
    month: null,
    patientsScored: 0,
    notes: [],
    actions: [],
  });
  if (location === undefined) return none('unknown location');
  if (location.closed_on !== null && location.closed_on <= options.today)
    return none(`closed on ${location.closed_on}: nobody there to act`);
  const range = ctx.data.dataRange.get(locationId);
  const asOf = options.asOf ?? range?.last;
  if (asOf === undefined || range === undefined) return none('no sales data yet');
  if (!isLocalDate(asOf))
    throw new RangeError(`actions: asOf ${JSON.stringify(asOf)} is not a YYYY-MM-DD date`);
  if (asOf < range.first)
    return none(`${asOf} is before the location's first day of data, ${range.first}`, asOf);

  const horizonDays = options.horizonDays ?? DEFAULT_HORIZON_DAYS;
  const churn = scoreChurnRisk(ctx.data, locationId, {
    asOf,
    horizonDays,
    // Without the caller's cache this location is scored once: its snapshots need not be kept.
    cache: options.cache ?? new ChurnCache({ keepSnapshots: false }),
  });
  const notes = churn.scored
    ? (churn.model?.fallbacks ?? []).map((f) => `churn model: ${f}`)
    : [`patients not scored, so no patient actions: ${churn.reason ?? 'no reason given'}`];
  const month = lastCompleteMonth(asOf);
  const providers = providerAlerts(ctx, locationId, month, asOf);
  const noShows = noShowSpike(ctx, locationId, month, asOf);
  const patients = patientActions({
    locationId,
    asOf,
    horizonDays,
    patients: churn.patients,
    vip: vipRanking(ctx, locationId, asOf),
  });
  return {
    locationId,
    name: location.name,
    evaluated: true,
    reason: null,
    asOf,
    month,
    patientsScored: churn.patients.length,
    notes: [...notes, ...providers.notes, ...noShows.notes],
    actions: deduplicate([...patients, ...providers.actions, ...noShows.actions]),
  };
}

export interface PortfolioActions {
  locations: LocationActions[];
  /** Every location's actions, largest dollars first. */
  actions: Action[];
}

/**
 * Every location's actions (or those of `locationIds`), with one churn cache across them (the
 * portfolio's fallback model reads every location's training set); without the caller's, each
 * location is scored once, and its snapshots are let go.
 */
export function portfolioActions(
  ctx: MetricContext,
  options: ActionOptions & { locationIds?: readonly string[] },
): PortfolioActions {
  const cache = options.cache ?? new ChurnCache({ keepSnapshots: false });
  const locations = (options.locationIds ?? ctx.allLocationIds()).map((id) =>
    locationActions(ctx, id, { ...options, cache }),
  );
  return { locations, actions: deduplicate(locations.flatMap((l) => l.actions)) };
}
