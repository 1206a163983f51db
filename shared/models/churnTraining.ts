import type { LoadedEvent } from '../engine/patientEvents';
import type { MetricData } from '../metrics/metricData';
import { addDays, type LocalDate } from '../model/localDate';
import { type BgNbdParams, fitBgNbd, type FrequencyRecency } from './bgnbd';
import {
  CHURN_FEATURES,
  featureVector,
  type LocationSnapshot,
  locationSnapshot,
  visitSummaries,
} from './churnFeatures';
import { fitLogisticRegression, type LogisticFit } from './logisticRegression';
import type { ModelFit } from './modelFit';
import { visitDaysBetween } from './patientHistory';

/**
 * Training the churn score's logistic regression without looking ahead: features as they
 * were on an earlier cut-off (`asOf − h`, the BG/NBD refitted on that day) and, as the
 * outcome, whether the patient came back (≥ 1 completed visit) in `(asOf − h, asOf]`. Nothing
 * after `asOf` is read, so the same code serves a live score (asOf = the last day of data) and
 * a backtest (asOf = a day in the past).
 *
 * The training rows are the patients seen in the 365 days before the cut-off. Patients gone
 * for longer are easy to call (any method does) and would make up most of a mature location's
 * list; left in, they would set the averages the reasons are measured from, so that being
 * three times overdue would look better than average. Scoring still covers every patient.
 *
 * The location's own history comes first; a location too small or too new to learn from
 * (fewer than 200 patients seen in the year before the cut-off, fewer than 30 of either
 * class, or a fit that does not converge) borrows every location's history instead, and when
 * that fails as well the score is the BG/NBD return probability alone. Each step down is
 * recorded, never silent.
 */

export const MIN_TRAINING_PATIENTS = 200;
/** Training rows are patients seen within this many days before the cut-off. */
export const ACTIVE_WITHIN_DAYS = 365;
export const MIN_TRAINING_CLASS = 30;

export type TrainedOn = 'location' | 'portfolio' | 'bgnbd_only';

export interface TrainingLocation {
  locationId: string;
  cutoff: LocalDate;
  /** Training rows: patients seen in the `ACTIVE_WITHIN_DAYS` before the cut-off. */
  patients: number;
  returned: number;
  /** Patients with a visit before the cut-off but none in the year before it: not trained on. */
  inactive: number;
  /** Why this location's history was not used (e.g. its BG/NBD fit failed at the cut-off). */
  skipped?: string;
}

export interface ChurnTraining {
  trainedOn: TrainedOn;
  /** Null when `trainedOn` is `bgnbd_only`. */
  fit: LogisticFit | null;
  /** Each location whose history was looked at, in the order tried. */
  locations: TrainingLocation[];
  /** Every step down from the location's own history, in words. */
  fallbacks: string[];
}

/**
 * A location's training rows, kept for the portfolio's model as long as the cache: the feature
 * vectors one after the other in one array (`CHURN_FEATURES.length` numbers a row), the outcomes
 * one byte each. A list of arrays was ≈ 100 bytes a row (0.8 M rows at 200 locations); this is 49.
 */
interface TrainingSet {
  location: TrainingLocation;
  features: Float64Array;
  outcomes: Uint8Array;
}

/** The set's rows as the logistic regression reads them (made for a fit, let go after it). */
function rowsOf(set: TrainingSet): number[][] {
  const k = CHURN_FEATURES.length;
  return Array.from({ length: set.outcomes.length }, (_, i) =>
    Array.from(set.features.subarray(i * k, (i + 1) * k)),
  );
}

/** What the churn score reads of the metric data. */
export type ChurnData = Pick<MetricData, 'events' | 'revenue' | 'locations' | 'dataRange'>;

/**
 * Snapshots and training sets by location, cut-off and horizon, so a backtest or a portfolio
 * of scores does not refit the same BG/NBD models. Valid for one `data` object only.
 *
 * `keepSnapshots: false` makes each location's snapshots (a features object per patient, at the
 * day scored and at the training cut-off) when asked and lets them go: for one pass over the
 * portfolio (the call list, actions and the briefing without a caller's cache), which asks for
 * each once. Kept, they were every patient of every location twice, held to the end (`caliper
 * calllist --portfolio` at 200 locations peaked at 3.3 GB). The training sets and fits, which the
 * portfolio's fallback model reads across locations, are kept either way.
 */
export class ChurnCache {
  constructor(private readonly options: { keepSnapshots?: boolean } = {}) {}

  private readonly snapshots = new Map<string, LocationSnapshot>();
  private readonly sets = new Map<string, TrainingSet>();
  private readonly portfolioSnapshots = new Map<string, LocationSnapshot>();
  private readonly portfolioFits = new Map<LocalDate, ModelFit<BgNbdParams> | null>();
  private readonly portfolioTrainings = new Map<string, PortfolioTraining>();

  snapshot(data: ChurnData, locationId: string, asOf: LocalDate, horizonDays: number): LocationSnapshot {
    const key = `${locationId}|${asOf}|${horizonDays}`;
    let s = this.snapshots.get(key);
    if (s === undefined) {
      s = locationSnapshot(data.events.eventsAt(locationId), data.revenue, locationId, asOf, horizonDays);
      if (this.keepsSnapshots) this.snapshots.set(key, s);
    }
    return s;
  }

  /**
   * The location's snapshot with a BG/NBD fitted on every location's patients on `asOf` (each
   * location as of min(asOf, its last day of data)): the fallback for a location whose own fit
   * does not converge — typically one open for a few months, too young to show who lapses.
   */
  portfolioSnapshot(
    data: ChurnData,
    locationId: string,
    asOf: LocalDate,
    horizonDays: number,
  ): LocationSnapshot {
    const key = `${locationId}|${asOf}|${horizonDays}`;
    let s = this.portfolioSnapshots.get(key);
    if (s === undefined) {
      const fit = this.portfolioBgNbd(data, asOf);
      s = fit.ok
        ? locationSnapshot(
            data.events.eventsAt(locationId),
            data.revenue,
            locationId,
            asOf,
            horizonDays,
            fit.fit,
          )
        : { locationId, asOf, horizonDays, bgnbd: { ok: false, reason: fit.reason }, patients: [] };
      if (this.keepsSnapshots) this.portfolioSnapshots.set(key, s);
    }
    return s;
  }

  private get keepsSnapshots(): boolean {
    return this.options.keepSnapshots ?? true;
  }

  private portfolioBgNbd(
    data: ChurnData,
    asOf: LocalDate,
  ): { ok: true; fit: ModelFit<BgNbdParams> } | { ok: false; reason: string } {
    let fit = this.portfolioFits.get(asOf);
    if (fit === undefined) {
      const customers = data.locations.flatMap((l) => {
        const last = data.dataRange.get(l.location_id)?.last;
        if (last === undefined) return [];
        const events = data.events.eventsAt(l.location_id);
        // Only what the fit reads: a summary holds the patient's history (its events), and
        // held for every patient of the portfolio at once they were most of the models' peak.
        return visitSummaries(events, data.revenue, l.location_id, last < asOf ? last : asOf).map(
          ({ x, tx, T }): FrequencyRecency => ({ x, tx, T }),
        );
      });
      fit = customers.length === 0 ? null : fitBgNbd(customers);
      this.portfolioFits.set(asOf, fit);
    }
    if (fit === null)
      return { ok: false, reason: `no patient of the portfolio had a visit on or before ${asOf}` };
    if (!fit.converged)
      return { ok: false, reason: `portfolio BG/NBD fit on ${asOf}: ${fit.reason ?? 'not converged'}` };
    return { ok: true, fit };
  }

  /**
   * The portfolio's model for `asOf` and `h` (`trainOnPortfolio`), fitted once: every location
   * that falls back to it reads the same one (at 200 locations a fit over 0.8 M rows, and its
   * copies of them, each time a location fell back).
   */
  portfolioTraining(data: ChurnData, asOf: LocalDate, horizonDays: number): PortfolioTraining {
    const key = `${asOf}|${horizonDays}`;
    let training = this.portfolioTrainings.get(key);
    if (training === undefined) {
      training = trainOnPortfolio(data, asOf, horizonDays, this);
      this.portfolioTrainings.set(key, training);
    }
    return training;
  }

  trainingSet(data: ChurnData, locationId: string, cutoff: LocalDate, horizonDays: number): TrainingSet {
    const key = `${locationId}|${cutoff}|${horizonDays}`;
    let set = this.sets.get(key);
    if (set === undefined) {
      const snapshot = this.snapshot(data, locationId, cutoff, horizonDays);
      set = buildTrainingSet(snapshot, data.events.eventsAt(locationId), horizonDays);
      this.sets.set(key, set);
    }
    return set;
  }
}

function buildTrainingSet(
  snapshot: LocationSnapshot,
  events: readonly LoadedEvent[],
  horizonDays: number,
): TrainingSet {
  const { locationId, asOf: cutoff } = snapshot;
  if (!snapshot.bgnbd.ok) {
    return {
      location: { locationId, cutoff, patients: 0, returned: 0, inactive: 0, skipped: snapshot.bgnbd.reason },
      features: new Float64Array(0),
      outcomes: new Uint8Array(0),
    };
  }
  const visits = visitDaysBetween(events, locationId, cutoff, addDays(cutoff, horizonDays));
  const active = snapshot.patients.filter((p) => p.daysSinceLast < ACTIVE_WITHIN_DAYS);
  const features = new Float64Array(active.length * CHURN_FEATURES.length);
  active.forEach((p, i) => features.set(featureVector(p), i * CHURN_FEATURES.length));
  const outcomes = Uint8Array.from(active, (p) => ((visits.get(p.personKey) ?? 0) > 0 ? 1 : 0));
  const returned = outcomes.reduce((s, y) => s + y, 0);
  const inactive = snapshot.patients.length - active.length;
  return {
    location: { locationId, cutoff, patients: active.length, returned, inactive },
    features,
    outcomes,
  };
}

/** Why a training set is too small to learn from, or null when it is large enough. */
function tooSmall(patients: number, returned: number): string | null {
  const lapsed = patients - returned;
  if (patients < MIN_TRAINING_PATIENTS) {
    return `${patients} patients seen in the year before (needs ${MIN_TRAINING_PATIENTS})`;
  }
  if (returned < MIN_TRAINING_CLASS || lapsed < MIN_TRAINING_CLASS) {
    return `${returned} came back and ${lapsed} did not (needs ${MIN_TRAINING_CLASS} of each)`;
  }
  return null;
}

function fitSet(rows: number[][], outcomes: (0 | 1)[]): LogisticFit {
  return fitLogisticRegression([...CHURN_FEATURES], rows, outcomes);
}

/**
 * The logistic regression for scoring `locationId` on `asOf` with horizon `h`: trained on the
 * location's features at `asOf − h` and who came back by `asOf`; failing that, on every
 * location's (each at min(asOf, its last day of data) − h, so no outcome after `asOf` is read).
 */
export function trainChurnModel(
  data: ChurnData,
  locationId: string,
  asOf: LocalDate,
  horizonDays: number,
  cache: ChurnCache = new ChurnCache(),
): ChurnTraining {
  const fallbacks: string[] = [];
  const cutoff = addDays(asOf, -horizonDays);
  const own = cache.trainingSet(data, locationId, cutoff, horizonDays);
  const ownProblem = own.location.skipped ?? tooSmall(own.location.patients, own.location.returned) ?? null;
  if (ownProblem === null) {
    const fit = fitSet(rowsOf(own), [...own.outcomes] as (0 | 1)[]);
    if (fit.converged) return { trainedOn: 'location', fit, locations: [own.location], fallbacks };
    fallbacks.push(`the location's own model (cut-off ${cutoff}) did not converge: ${fit.reason ?? ''}`);
  } else {
    fallbacks.push(`the location's own history at ${cutoff} is too small to train on: ${ownProblem}`);
  }

  const portfolio = cache.portfolioTraining(data, asOf, horizonDays);
  return {
    trainedOn: portfolio.trainedOn,
    fit: portfolio.fit,
    locations: [...portfolio.locations],
    fallbacks: [...fallbacks, ...portfolio.fallbacks],
  };
}

/** The model trained on every location's history for `asOf` and `h`: the same whichever location falls back to it. */
type PortfolioTraining = Omit<ChurnTraining, 'trainedOn'> & { trainedOn: 'portfolio' | 'bgnbd_only' };

/**
 * Every location's training set (each at min(asOf, its last day of data) − h), fitted as one;
 * failing that, the BG/NBD alone. Its steps down in words, as `trainChurnModel` lists them.
 */
function trainOnPortfolio(
  data: ChurnData,
  asOf: LocalDate,
  horizonDays: number,
  cache: ChurnCache,
): PortfolioTraining {
  const fallbacks: string[] = [];
  const cutoff = addDays(asOf, -horizonDays);
  const locations: TrainingLocation[] = [];
  const rows: number[][] = [];
  const outcomes: (0 | 1)[] = [];
  for (const l of data.locations) {
    const last = data.dataRange.get(l.location_id)?.last;
    if (last === undefined) {
      locations.push({
        locationId: l.location_id,
        cutoff,
        patients: 0,
        returned: 0,
        inactive: 0,
        skipped: 'no sales data',
      });
      continue;
    }
    const end = last < asOf ? last : asOf;
    const set = cache.trainingSet(data, l.location_id, addDays(end, -horizonDays), horizonDays);
    locations.push(set.location);
    for (const row of rowsOf(set)) rows.push(row);
    for (const outcome of set.outcomes) outcomes.push(outcome as 0 | 1);
  }
  const returned = outcomes.reduce<number>((s, y) => s + y, 0);
  const poolProblem = tooSmall(rows.length, returned);
  if (poolProblem === null) {
    const fit = fitSet(rows, outcomes);
    if (fit.converged) {
      const used = locations.filter((l) => !l.skipped).length;
      fallbacks.push(`trained on the portfolio's ${used} ${used === 1 ? 'location' : 'locations'} instead`);
      return { trainedOn: 'portfolio', fit, locations, fallbacks };
    }
    fallbacks.push(`the portfolio model did not converge: ${fit.reason ?? ''}`);
  } else {
    const skipped = locations
      .filter((l) => l.skipped !== undefined)
      .map((l) => `${l.locationId}: ${l.skipped}`);
    const why = skipped.length === 0 ? '' : ` (left out: ${skipped.join('; ')})`;
    fallbacks.push(`the portfolio's history is too small to train on as well: ${poolProblem}${why}`);
  }
  fallbacks.push('scored by the BG/NBD return probability alone');
  return { trainedOn: 'bgnbd_only', fit: null, locations, fallbacks };
}
