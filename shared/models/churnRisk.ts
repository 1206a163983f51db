import type { ServiceCategory } from '../model/canonicalBundle';
import { addDays, isLocalDate, type LocalDate } from '../model/localDate';
import type { BgNbdParams } from './bgnbd';
import { featureVector, type PatientFeatures } from './churnFeatures';
import { describe, reasonsFromContributions } from './churnReasons';
import {
  ACTIVE_WITHIN_DAYS,
  ChurnCache,
  type ChurnData,
  trainChurnModel,
  type TrainedOn,
  type TrainingLocation,
} from './churnTraining';
import { fitSpendModel, patientValue } from './churnValue';
import type { GammaGammaParams } from './gammaGamma';
import { type LogisticFit, logitContributions, predictLogistic } from './logisticRegression';

/**
 * Patient churn risk per location: the probability that a patient does NOT come back (no
 * completed visit) within the next `horizonDays` after `asOf`, with reasons in words and the
 * money at stake. The score is a logistic regression over the BG/NBD return probability and
 * behavioural facts (how overdue the patient is against their own rhythm or their treatment's
 * cycle, missed appointments, whether anything is booked, the spend trend, how many visit days),
 * trained on the same location's history at an earlier cut-off — see `churnTraining.ts` for the
 * training and its fallbacks, `churnFeatures.ts` for the features, `churnValue.ts` for the
 * money, and docs/models.md "Churn risk".
 */

export const DEFAULT_HORIZON_DAYS = 90;

export interface ChurnOptions {
  /** The day scored, inclusive; default the location's last day of sales data. */
  asOf?: LocalDate;
  horizonDays?: number;
  /** Shares BG/NBD fits and training sets between calls on the same data (backtests, portfolios). */
  cache?: ChurnCache;
}

export interface PatientChurn {
  personKey: string;
  patientId: string;
  lastVisit: { day: LocalDate; category: ServiceCategory | null; providerId: string | null };
  visitDays: number;
  daysSinceLast: number;
  typicalIntervalDays: number;
  intervalSource: PatientFeatures['intervalSource'];
  daysOverdue: number;
  nextBooked: LocalDate | null;
  pAlive: number;
  /** BG/NBD alone: P(≥ 1 visit within the horizon). */
  bgnbdReturnProbability: number;
  /** The score: P(≥ 1 visit within the horizon). */
  returnProbability: number;
  churnRisk: number;
  expectedVisitsIfAlive: number;
  spendPerVisitCents: number | null;
  spendBasis: 'own_history' | 'population_mean' | null;
  valueIfRetainedCents: number | null;
  valueAtRiskCents: number | null;
  /** Why the values are null. */
  valueReason?: string;
  reasons: string[];
}

export interface ChurnModelInfo {
  trainedOn: TrainedOn;
  trainingCutoff: LocalDate;
  /** The BG/NBD the features were computed with: the location's own, or the portfolio's (a fallback). */
  bgnbd: {
    fittedOn: 'location' | 'portfolio';
    params: BgNbdParams;
    logLikelihood: number;
    customers: number;
    iterations: number;
  };
  gammaGamma:
    | {
        fitted: true;
        params: GammaGammaParams;
        repeatBuyers: number;
        populationMeanCents: number | null;
        frequencySpendCorrelation: number;
      }
    | { fitted: false; reason: string };
  /** The trained regression (null when scored by the BG/NBD alone). */
  logistic: LogisticFit | null;
  training: TrainingLocation[];
  counts: {
    /** Patients scored: every patient with a visit on or before `asOf`. */
    patients: number;
    /** Of them, seen in the year before `asOf`, and with an appointment on the book. */
    active: number;
    booked: number;
    /** Training rows and how many of them came back (summed over `training`). */
    trainingRows: number;
    trainingReturned: number;
  };
  /** Every step down from the location's own trained model, in words; empty when none. */
  fallbacks: string[];
}

export interface ChurnScores {
  locationId: string;
  asOf: LocalDate;
  horizonDays: number;
  scored: boolean;
  /** Why nothing could be scored. */
  reason?: string;
  model: ChurnModelInfo | null;
  /** Highest churn risk first (ties by person key). */
  patients: PatientChurn[];
}

export function scoreChurnRisk(data: ChurnData, locationId: string, options: ChurnOptions = {}): ChurnScores {
  const horizonDays = options.horizonDays ?? DEFAULT_HORIZON_DAYS;
  if (!(Number.isInteger(horizonDays) && horizonDays >= 1)) {
    throw new RangeError(`churn: horizon ${horizonDays} must be a whole number of days ≥ 1`);
  }
  const asOf = options.asOf ?? data.dataRange.get(locationId)?.last;
  const unscored = (day: LocalDate, reason: string): ChurnScores => ({
    locationId,
    asOf: day,
    horizonDays,
    scored: false,
    reason,
    model: null,
    patients: [],
  });
  if (asOf === undefined)
    return unscored('', `location ${locationId} has no sales data to take the day from`);
  if (!isLocalDate(asOf))
    throw new RangeError(`churn: asOf ${JSON.stringify(asOf)} is not a YYYY-MM-DD date`);

  const cache = options.cache ?? new ChurnCache();
  const bgnbdFallbacks: string[] = [];
  let snapshot = cache.snapshot(data, locationId, asOf, horizonDays);
  if (!snapshot.bgnbd.ok) {
    const own = snapshot.bgnbd.reason;
    snapshot = cache.portfolioSnapshot(data, locationId, asOf, horizonDays);
    if (!snapshot.bgnbd.ok) return unscored(asOf, `${own}; ${snapshot.bgnbd.reason}`);
    bgnbdFallbacks.push(
      `the location's own BG/NBD did not fit (${own}): fitted on every location's patients instead`,
    );
  }
  const bgnbd = snapshot.bgnbd.fit;
  const training = trainChurnModel(data, locationId, asOf, horizonDays, cache);
  const spend = fitSpendModel(snapshot.patients);

  const patients = snapshot.patients.map((f) => {
    const row = featureVector(f);
    const fit = training.fit;
    const returnProbability = fit === null ? f.bgnbdReturnProbability : predictLogistic(fit, row);
    const churnRisk = 1 - returnProbability;
    const reasons =
      fit === null
        ? [`${describe('bgnbd_return_logit', f, horizonDays)} (no trained model: BG/NBD alone)`]
        : reasonsFromContributions(
            f,
            logitContributions(fit, row).map((c) => -c),
            horizonDays,
            fit.means,
          );
    const value = patientValue(bgnbd.params, spend, f, churnRisk);
    const patient: PatientChurn = {
      personKey: f.personKey,
      patientId: f.patientId,
      lastVisit: { day: f.lastVisit.day, category: f.lastVisit.category, providerId: f.lastVisit.providerId },
      visitDays: f.visitDays,
      daysSinceLast: f.daysSinceLast,
      typicalIntervalDays: f.typicalIntervalDays,
      intervalSource: f.intervalSource,
      daysOverdue: f.daysOverdue,
      nextBooked: f.nextBooked,
      pAlive: f.pAlive,
      bgnbdReturnProbability: f.bgnbdReturnProbability,
      returnProbability,
      churnRisk,
      expectedVisitsIfAlive: value.expectedVisitsIfAlive,
      spendPerVisitCents: value.spendPerVisitCents,
      spendBasis: value.spendBasis,
      valueIfRetainedCents: value.valueIfRetainedCents,
      valueAtRiskCents: value.valueAtRiskCents,
      ...(value.reason === undefined ? {} : { valueReason: value.reason }),
      reasons,
    };
    return patient;
  });
  patients.sort((a, b) => b.churnRisk - a.churnRisk || (a.personKey < b.personKey ? -1 : 1));

  return {
    locationId,
    asOf,
    horizonDays,
    scored: true,
    model: {
      trainedOn: training.trainedOn,
      trainingCutoff: addDays(asOf, -horizonDays),
      bgnbd: {
        fittedOn: snapshot.bgnbd.fittedOn,
        params: bgnbd.params,
        logLikelihood: bgnbd.logLikelihood,
        customers: bgnbd.customers,
        iterations: bgnbd.iterations,
      },
      gammaGamma: spend.ok
        ? {
            fitted: true,
            params: spend.fit.params,
            repeatBuyers: spend.fit.customers,
            populationMeanCents: spend.populationMeanCents,
            frequencySpendCorrelation: spend.frequencySpendCorrelation,
          }
        : { fitted: false, reason: spend.reason },
      logistic: training.fit,
      training: training.locations,
      counts: {
        patients: patients.length,
        active: patients.filter((p) => p.daysSinceLast < ACTIVE_WITHIN_DAYS).length,
        booked: patients.filter((p) => p.nextBooked !== null).length,
        trainingRows: training.locations.reduce((s, l) => s + l.patients, 0),
        trainingReturned: training.locations.reduce((s, l) => s + l.returned, 0),
      },
      fallbacks: [
        ...bgnbdFallbacks,
        ...training.fallbacks,
        ...(spend.ok ? [] : [`no money at stake: ${spend.reason}`]),
      ],
    },
    patients,
  };
}
