import { addDays, type LocalDate } from '../model/localDate';
import { DEFAULT_HORIZON_DAYS, scoreChurnRisk } from './churnRisk';
import { ACTIVE_WITHIN_DAYS, ChurnCache, type ChurnData, type TrainedOn } from './churnTraining';
import { auc, brierScore, type CalibrationBin, calibrationTable, topLift } from './classificationMetrics';
import { visitDaysBetween } from './patientHistory';

/**
 * Backtest of the churn score: score every location at a past cut-off C exactly as a live
 * score would have been computed on that day (the regression trained at C − h on who came
 * back by C, the BG/NBD fitted at C, nothing after C read but the bookings on the book), then
 * look at who actually came back — at least one completed visit — in (C, C + h]. Reported per
 * location and pooled over them, for the score and for two baselines: the BG/NBD return
 * probability alone, and recency alone (days since the last visit, a ranking, not a
 * probability, so it has no Brier score or calibration).
 *
 * Two populations: every patient with a visit on or before C, and the "active" ones, seen in
 * the `activeWithinDays` (default 365) before C. Long-gone patients are easy to call for any
 * method, so the active population is the harder and more useful test.
 */

export interface BacktestOptions {
  /** One cut-off for every location; default each location's last day of data − h. */
  cutoff?: LocalDate;
  horizonDays?: number;
  activeWithinDays?: number;
}

export interface MethodMetrics {
  /** AUC of the return prediction (the same as the churn score's AUC for churn). */
  auc: number | null;
  /** Churn rate in the top 10 % by churn risk ÷ the overall churn rate. */
  topDecileChurnLift: number | null;
  brier: number | null;
  /** By decile of predicted return probability: mean predicted vs actual return rate. */
  calibration: CalibrationBin[] | null;
}

export interface SegmentBacktest {
  patients: number;
  returned: number;
  returnRate: number | null;
  /** The highest possible top-decile churn lift: 1 ÷ the churn rate (when it is ≥ 10 %). */
  liftCeiling: number | null;
  model: MethodMetrics;
  bgnbd: MethodMetrics;
  recency: MethodMetrics;
}

export interface LocationBacktest {
  locationId: string;
  cutoff: LocalDate;
  scored: boolean;
  reason?: string;
  trainedOn: TrainedOn | null;
  fallbacks: string[];
  all: SegmentBacktest | null;
  active: SegmentBacktest | null;
}

export interface ChurnBacktest {
  horizonDays: number;
  activeWithinDays: number;
  locations: LocationBacktest[];
  pooled: { all: SegmentBacktest; active: SegmentBacktest };
}

interface Prediction {
  model: number;
  bgnbd: number;
  daysSinceLast: number;
  returned: 0 | 1;
}

export function backtestChurn(data: ChurnData, options: BacktestOptions = {}): ChurnBacktest {
  const horizonDays = options.horizonDays ?? DEFAULT_HORIZON_DAYS;
  const activeWithinDays = options.activeWithinDays ?? ACTIVE_WITHIN_DAYS;
  const cache = new ChurnCache();
  const locations: LocationBacktest[] = [];
  const pooled: Prediction[] = [];
  for (const l of data.locations) {
    const locationId = l.location_id;
    const last = data.dataRange.get(locationId)?.last;
    const cutoff = options.cutoff ?? (last === undefined ? '' : addDays(last, -horizonDays));
    const skip = (reason: string): LocationBacktest => ({
      locationId,
      cutoff,
      scored: false,
      reason,
      trainedOn: null,
      fallbacks: [],
      all: null,
      active: null,
    });
    if (last === undefined) {
      locations.push(skip('no sales data'));
      continue;
    }
    const outcomeEnd = addDays(cutoff, horizonDays);
    if (outcomeEnd > last) {
      locations.push(
        skip(`the outcome window (${cutoff}, ${outcomeEnd}] runs past the last day of data ${last}`),
      );
      continue;
    }
    const scores = scoreChurnRisk(data, locationId, { asOf: cutoff, horizonDays, cache });
    if (!scores.scored || scores.model === null) {
      locations.push(skip(scores.reason ?? 'not scored'));
      continue;
    }
    const visits = visitDaysBetween(data.events.eventsAt(locationId), locationId, cutoff, outcomeEnd);
    const predictions = scores.patients.map((p): Prediction => ({
      model: p.returnProbability,
      bgnbd: p.bgnbdReturnProbability,
      daysSinceLast: p.daysSinceLast,
      returned: (visits.get(p.personKey) ?? 0) > 0 ? 1 : 0,
    }));
    pooled.push(...predictions);
    locations.push({
      locationId,
      cutoff,
      scored: true,
      trainedOn: scores.model.trainedOn,
      fallbacks: scores.model.fallbacks,
      all: segment(predictions),
      active: segment(predictions.filter((p) => p.daysSinceLast < activeWithinDays)),
    });
  }
  return {
    horizonDays,
    activeWithinDays,
    locations,
    pooled: {
      all: segment(pooled),
      active: segment(pooled.filter((p) => p.daysSinceLast < activeWithinDays)),
    },
  };
}

function segment(predictions: readonly Prediction[]): SegmentBacktest {
  const outcomes = predictions.map((p) => p.returned);
  const churned = outcomes.map((y): 0 | 1 => (y === 1 ? 0 : 1));
  const returned = outcomes.reduce<number>((s, y) => s + y, 0);
  const n = predictions.length;
  const churnRate = n === 0 ? null : 1 - returned / n;
  const probability = (scores: number[]): MethodMetrics => ({
    auc: auc(scores, outcomes),
    topDecileChurnLift: topLift(
      scores.map((s) => 1 - s),
      churned,
    ),
    brier: brierScore(scores, outcomes),
    calibration: n === 0 ? null : calibrationTable(scores, outcomes),
  });
  return {
    patients: n,
    returned,
    returnRate: n === 0 ? null : returned / n,
    liftCeiling: churnRate === null || churnRate === 0 ? null : 1 / Math.max(churnRate, 0.1),
    model: probability(predictions.map((p) => p.model)),
    bgnbd: probability(predictions.map((p) => p.bgnbd)),
    recency: {
      auc: auc(
        predictions.map((p) => -p.daysSinceLast),
        outcomes,
      ),
      topDecileChurnLift: topLift(
        predictions.map((p) => p.daysSinceLast),
        churned,
      ),
      brier: null,
      calibration: null,
    },
  };
}
