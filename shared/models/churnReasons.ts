import { CHURN_FEATURES, type ChurnFeature, type PatientFeatures, RECENT_DAYS } from './churnFeatures';

/**
 * The churn score's reasons in words: each feature's contribution to the risk — minus its
 * term βⱼ·(xⱼ − meanⱼ)/sdⱼ on the return logit, i.e. how far this patient's value pushes the
 * risk above that of an average patient of the training data — largest first. Features that
 * push the risk down, or by less than `MIN_REASON_LOGIT`, are not reasons. A feature whose
 * value is the absence of something (no missed appointment, no spend to compare) has no words
 * and is left out, and so is a count of visit days above the training average: given P(alive),
 * the regression may count many past visits against a return (it corrects the BG/NBD), which
 * is no reason a front desk could act on. The words name facts about visits and money only:
 * no names, no pronouns.
 */

export const MAX_REASONS = 4;
/** Contributions below 0.1 on the logit scale (about 2 points of probability) are noise. */
export const MIN_REASON_LOGIT = 0.1;

export function reasonsFromContributions(
  f: PatientFeatures,
  riskContributions: readonly number[],
  horizonDays: number,
  /** The training rows' mean of each feature (in `CHURN_FEATURES` order). */
  means: readonly number[],
): string[] {
  return CHURN_FEATURES.map((feature, j) => ({ feature, contribution: riskContributions[j]! }))
    .filter((c) => c.contribution >= MIN_REASON_LOGIT)
    .sort(
      (a, b) =>
        b.contribution - a.contribution ||
        CHURN_FEATURES.indexOf(a.feature) - CHURN_FEATURES.indexOf(b.feature),
    )
    .map((c) =>
      c.feature === 'log_visit_days' && Math.log(f.visitDays) > means[CHURN_FEATURES.indexOf(c.feature)]!
        ? null
        : describe(c.feature, f, horizonDays),
    )
    .filter((text): text is string => text !== null)
    .slice(0, MAX_REASONS);
}

/** The words for one feature's value, or null when there is nothing to say about it. */
export function describe(feature: ChurnFeature, f: PatientFeatures, horizonDays: number): string | null {
  switch (feature) {
    case 'bgnbd_return_logit':
      return `P(alive) ${percent(f.pAlive)} (BG/NBD), ${percent(f.bgnbdReturnProbability)} chance of a visit within ${horizonDays} days`;
    case 'log1p_overdue_ratio': {
      const ratio = `${f.overdueRatio.toFixed(1)}×`;
      const usual =
        f.intervalSource === 'own_history'
          ? `the usual ${f.typicalIntervalDays} days`
          : `the ${f.typicalIntervalDays}-day ${(f.lastVisit.category ?? 'service').replace(/_/g, ' ')} cycle`;
      return `${plural(f.daysSinceLast, 'day')} since the last visit, ${ratio} ${usual}`;
    }
    case 'missed_180d': {
      const missed = f.missed.noShows + f.missed.lateCancels;
      if (missed === 0) return null;
      return `${missed} ${missed === 1 ? 'no-show or late cancel' : 'no-shows or late cancels'} in the last ${RECENT_DAYS / 30} months`;
    }
    case 'no_booking':
      return f.nextBooked === null ? 'no appointment booked' : null;
    case 'spend_trend':
      return spendWords(f);
    case 'log_visit_days':
      return `only ${plural(f.visitDays, 'visit day')} on record`;
  }
}

function spendWords(f: PatientFeatures): string | null {
  const { trend, recentCents, priorCents } = f.spend;
  if (trend === null) return null;
  const months = RECENT_DAYS / 30;
  if (priorCents <= 0)
    return `spend of ${dollars(recentCents)} in the last ${months} months, none in the ${months} before`;
  if (recentCents <= 0)
    return `no spend in the last ${months} months, after ${dollars(priorCents)} in the ${months} before`;
  const change = Math.round((recentCents / priorCents - 1) * 100);
  if (change === 0) return `spend unchanged on the prior ${months} months`;
  // A percentage in the thousands reads as a glitch: past a tripling, the two amounts say it.
  if (change > 200)
    return `spend of ${dollars(recentCents)} in the last ${months} months, up from ${dollars(priorCents)} in the ${months} before`;
  return `spend ${change < 0 ? 'down' : 'up'} ${Math.abs(change)} % on the prior ${months} months`;
}

function percent(p: number): string {
  const value = p * 100;
  // Whole percent, except that a probability is never shown as 0 % or 100 % unless it is.
  if (value > 0 && value < 1) return '<1 %';
  if (value < 100 && value > 99) return '>99 %';
  return `${Math.round(value)} %`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function dollars(cents: number): string {
  return `$${Math.round(cents / 100).toLocaleString('en-US')}`;
}
