/**
 * How well a score separates and predicts a binary outcome — the measures a backtest of the
 * churn score reports. Each takes parallel arrays: `scores` (higher = more likely the event)
 * and `outcomes` (1 = the event happened).
 */

/**
 * Area under the ROC curve: the probability that a random positive scores above a random
 * negative, ties counted half (the Mann–Whitney U statistic ÷ positives × negatives). Null
 * when either class is empty (there is no pair to compare).
 */
export function auc(scores: readonly number[], outcomes: readonly (0 | 1)[]): number | null {
  checkLengths(scores, outcomes);
  const order = scores.map((s, i) => ({ s, y: outcomes[i]! })).sort((a, b) => a.s - b.s);
  let positives = 0;
  let rankSum = 0;
  // Ranks from 1, each run of tied scores given the mean of its ranks (ties count half).
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j < order.length && order[j]!.s === order[i]!.s) j++;
    const meanRank = (i + 1 + j) / 2;
    for (let t = i; t < j; t++) {
      if (order[t]!.y === 1) {
        positives++;
        rankSum += meanRank;
      }
    }
    i = j;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return null;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * Lift in the top `fraction` (default 10 %) by score: the event rate among the highest-scored
 * rows ÷ the overall rate. The top holds fraction × n rows (not rounded); rows tied at the
 * boundary score each count in proportion, so the answer does not depend on the order of ties.
 * Null when there are no rows or no event at all.
 */
export function topLift(
  scores: readonly number[],
  outcomes: readonly (0 | 1)[],
  fraction = 0.1,
): number | null {
  checkLengths(scores, outcomes);
  const n = scores.length;
  const events = outcomes.reduce<number>((s, y) => s + y, 0);
  if (n === 0 || events === 0) return null;
  if (!(fraction > 0 && fraction <= 1)) throw new RangeError(`lift: fraction ${fraction} must be in (0, 1]`);
  const order = scores.map((s, i) => ({ s, y: outcomes[i]! })).sort((a, b) => b.s - a.s);
  const take = fraction * n;
  let taken = 0;
  let eventsTaken = 0;
  for (let i = 0; i < n && taken < take;) {
    let j = i;
    let tiedEvents = 0;
    while (j < n && order[j]!.s === order[i]!.s) tiedEvents += order[j++]!.y;
    const share = Math.min(1, (take - taken) / (j - i));
    taken += share * (j - i);
    eventsTaken += share * tiedEvents;
    i = j;
  }
  return eventsTaken / taken / (events / n);
}

export interface CalibrationBin {
  /** 1 = the lowest predictions. */
  bin: number;
  count: number;
  meanPredicted: number;
  actualRate: number;
}

/**
 * Calibration table: rows sorted by predicted probability (ties by their position in the
 * input) and cut into `bins` groups of as equal size as possible (group b holds ranks
 * ⌊(b−1)n/bins⌋ … ⌊bn/bins⌋ − 1), each with its mean prediction and the rate actually
 * observed. Empty groups (fewer rows than bins) are left out.
 */
export function calibrationTable(
  predicted: readonly number[],
  outcomes: readonly (0 | 1)[],
  bins = 10,
): CalibrationBin[] {
  checkLengths(predicted, outcomes);
  const n = predicted.length;
  const order = predicted.map((p, i) => ({ p, y: outcomes[i]!, i })).sort((a, b) => a.p - b.p || a.i - b.i);
  const table: CalibrationBin[] = [];
  for (let b = 0; b < bins; b++) {
    const from = Math.floor((b * n) / bins);
    const to = Math.floor(((b + 1) * n) / bins);
    if (to <= from) continue;
    const group = order.slice(from, to);
    table.push({
      bin: b + 1,
      count: group.length,
      meanPredicted: group.reduce((s, r) => s + r.p, 0) / group.length,
      actualRate: group.reduce((s, r) => s + r.y, 0) / group.length,
    });
  }
  return table;
}

/** Mean squared difference between predicted probability and outcome; null without rows. */
export function brierScore(predicted: readonly number[], outcomes: readonly (0 | 1)[]): number | null {
  checkLengths(predicted, outcomes);
  if (predicted.length === 0) return null;
  return predicted.reduce((s, p, i) => s + (p - outcomes[i]!) ** 2, 0) / predicted.length;
}

function checkLengths(scores: readonly number[], outcomes: readonly (0 | 1)[]): void {
  if (scores.length !== outcomes.length) {
    throw new RangeError(`${scores.length} scores but ${outcomes.length} outcomes`);
  }
  if (!scores.every(Number.isFinite)) throw new RangeError('a score is not finite');
}
