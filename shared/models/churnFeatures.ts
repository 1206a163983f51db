import type { LoadedEvent } from '../engine/patientEvents';
import type { RevenueRows } from '../engine/revenueRows';
import type { ServiceCategory } from '../model/canonicalBundle';
import { addDays, type LocalDate, toDayNumber } from '../model/localDate';
import { type BgNbdParams, fitBgNbd, probabilityAlive } from './bgnbd';
import { logit } from './logisticRegression';
import type { ModelFit } from './modelFit';
import { patientHistories, type PatientHistory, type PatientVisit, visitDays } from './patientHistory';
import { expectedCycleDays } from './treatmentCycles';

/**
 * The churn score's view of one location's patients on a day (`asOf`, inclusive): a BG/NBD fit
 * on their visit days and, per patient, the facts the score combines. Everything comes from
 * `patientHistories`, so nothing after `asOf` is read except the bookings already on the book.
 */

/** The windows recent behaviour is measured over: the last six months and the six before. */
export const RECENT_DAYS = 180;

/** Names of the logistic regression's inputs, in the order of `featureVector`. */
export const CHURN_FEATURES = [
  'bgnbd_return_logit',
  'log1p_overdue_ratio',
  'missed_180d',
  'no_booking',
  'spend_trend',
  'log_visit_days',
] as const;
export type ChurnFeature = (typeof CHURN_FEATURES)[number];

/** The spend trend is a log ratio bounded to ±3 (a change beyond ×20 says no more than ×20). */
export const SPEND_TREND_LIMIT = 3;
/** $1 added to both windows so an empty window gives a finite ratio. */
const SPEND_SMOOTHING_CENTS = 100;
/** BG/NBD probabilities are kept inside [1e-6, 1 − 1e-6] before the logit. */
const PROBABILITY_FLOOR = 1e-6;

export interface PatientFeatures {
  personKey: string;
  patientId: string;
  lastVisit: PatientVisit;
  firstVisitDay: LocalDate;
  visitDays: number;
  daysSinceLast: number;
  typicalIntervalDays: number;
  /** Own history: the median gap between visit days (≥ 2 gaps); else the last category's cycle. */
  intervalSource: 'own_history' | 'category_cycle';
  overdueRatio: number;
  daysOverdue: number;
  /** BG/NBD summary in days: repeat visit days, last repeat, observed time. */
  x: number;
  tx: number;
  T: number;
  pAlive: number;
  /** BG/NBD P(at least one visit in the next `horizonDays`). */
  bgnbdReturnProbability: number;
  missed: { noShows: number; lateCancels: number };
  nextBooked: LocalDate | null;
  spend: SpendTrend;
  /** Net revenue on days after the first visit day through `asOf` (the Gamma-Gamma's repeat spend). */
  repeatSpendCents: number;
}

export interface SpendTrend {
  /** Net revenue in the last 180 days, and in the 180 before. */
  recentCents: number;
  priorCents: number;
  /** ln((recent + $1)/(prior + $1)) bounded to ±3; null when it says nothing (see `reason`). */
  trend: number | null;
  reason?: string;
}

export type BgNbdOutcome =
  | { ok: true; fit: ModelFit<BgNbdParams>; fittedOn: 'location' | 'portfolio' }
  | { ok: false; reason: string };

export interface LocationSnapshot {
  locationId: string;
  asOf: LocalDate;
  horizonDays: number;
  bgnbd: BgNbdOutcome;
  /** Empty when the BG/NBD fit failed (its features cannot be computed). */
  patients: PatientFeatures[];
}

/** A patient's BG/NBD summary in days (x repeat visit days, tₓ, T) with their history. */
export interface VisitSummary {
  history: PatientHistory;
  /** Visit days as day numbers, in order. */
  days: number[];
  x: number;
  tx: number;
  T: number;
}

/** The location's patients on `asOf` and their BG/NBD summaries. */
export function visitSummaries(
  events: readonly LoadedEvent[],
  revenue: RevenueRows,
  locationId: string,
  asOf: LocalDate,
): VisitSummary[] {
  const end = toDayNumber(asOf);
  return patientHistories(events, revenue, locationId, asOf).map((history) => {
    const days = visitDays(history).map(toDayNumber);
    const first = days[0]!;
    return { history, days, x: days.length - 1, tx: days[days.length - 1]! - first, T: end - first };
  });
}

/**
 * The location's patients and their features on `asOf`, with the BG/NBD fitted on that day to
 * the location's own patients — or, when `portfolioFit` is given, that fit (the caller's
 * fallback when the location's own does not converge).
 */
export function locationSnapshot(
  events: readonly LoadedEvent[],
  revenue: RevenueRows,
  locationId: string,
  asOf: LocalDate,
  horizonDays: number,
  portfolioFit?: ModelFit<BgNbdParams>,
): LocationSnapshot {
  const summaries = visitSummaries(events, revenue, locationId, asOf);
  const base = { locationId, asOf, horizonDays };
  if (summaries.length === 0) {
    return {
      ...base,
      bgnbd: { ok: false, reason: `no patient had a visit on or before ${asOf}` },
      patients: [],
    };
  }
  const fit = portfolioFit ?? fitBgNbd(summaries);
  if (!fit.converged) {
    const reason = `BG/NBD fit on ${asOf}: ${fit.reason ?? 'not converged'}`;
    return { ...base, bgnbd: { ok: false, reason }, patients: [] };
  }
  const patients = summaries.map((s) => patientFeatures(s, fit.params, asOf, horizonDays));
  const fittedOn = portfolioFit === undefined ? 'location' : 'portfolio';
  return { ...base, bgnbd: { ok: true, fit, fittedOn }, patients };
}

/** The regression's input row for a patient, in the order of `CHURN_FEATURES`. */
export function featureVector(f: PatientFeatures): number[] {
  const p = Math.min(1 - PROBABILITY_FLOOR, Math.max(PROBABILITY_FLOOR, f.bgnbdReturnProbability));
  return [
    logit(p),
    Math.log1p(f.overdueRatio),
    f.missed.noShows + f.missed.lateCancels,
    f.nextBooked === null ? 1 : 0,
    // No trend to speak of counts as no change: the other features carry a new patient.
    f.spend.trend ?? 0,
    Math.log(f.visitDays),
  ];
}

/**
 * BG/NBD P(at least one visit in the next h | x, tₓ, T) = P(alive) · (1 − ((α+T)/(α+T+h))^(r+x)):
 * a patient still alive visits as a Poisson process whose rate has the posterior Gamma(r+x, α+T),
 * so the chance of no visit in h is ((α+T)/(α+T+h))^(r+x); a patient no longer alive never visits.
 */
export function bgnbdReturnProbability(
  params: BgNbdParams,
  c: { x: number; tx: number; T: number },
  horizon: number,
): number {
  const alive = probabilityAlive(params, c);
  const none = Math.exp(
    (params.r + c.x) * (Math.log(params.alpha + c.T) - Math.log(params.alpha + c.T + horizon)),
  );
  return alive * (1 - none);
}

function patientFeatures(
  c: VisitSummary,
  params: BgNbdParams,
  asOf: LocalDate,
  horizonDays: number,
): PatientFeatures {
  const { history, days } = c;
  const end = toDayNumber(asOf);
  const lastDay = days[days.length - 1]!;
  const lastVisit = lastVisitOf(history);
  const daysSinceLast = end - lastDay;
  const typical = typicalInterval(days, lastVisit.category);
  const overdueRatio = daysSinceLast / typical.days;
  const recentFrom = addDays(asOf, -RECENT_DAYS);
  const priorFrom = addDays(asOf, -2 * RECENT_DAYS);
  let noShows = 0;
  let lateCancels = 0;
  for (const m of history.missed) {
    if (m.day <= recentFrom) continue;
    if (m.status === 'no_show') noShows++;
    else lateCancels++;
  }
  let recentCents = 0;
  let priorCents = 0;
  let repeatSpendCents = 0;
  const firstVisitDay = history.visits[0]!.day;
  for (const r of history.revenueDays) {
    if (r.day > recentFrom) recentCents += r.netCents;
    else if (r.day > priorFrom) priorCents += r.netCents;
    if (r.day > firstVisitDay) repeatSpendCents += r.netCents;
  }
  return {
    personKey: history.personKey,
    patientId: history.patientId,
    lastVisit,
    firstVisitDay,
    visitDays: days.length,
    daysSinceLast,
    typicalIntervalDays: typical.days,
    intervalSource: typical.source,
    overdueRatio,
    daysOverdue: Math.max(0, daysSinceLast - typical.days),
    x: c.x,
    tx: c.tx,
    T: c.T,
    pAlive: probabilityAlive(params, c),
    bgnbdReturnProbability: bgnbdReturnProbability(params, c, horizonDays),
    missed: { noShows, lateCancels },
    nextBooked: history.nextBooked,
    spend: spendTrend(recentCents, priorCents, firstVisitDay > recentFrom),
    repeatSpendCents,
  };
}

/** The last visit of the last visit day, preferring one whose category is known. */
function lastVisitOf(history: PatientHistory): PatientVisit {
  const visits = history.visits;
  const last = visits[visits.length - 1]!;
  for (let i = visits.length - 1; i >= 0 && visits[i]!.day === last.day; i--) {
    if (visits[i]!.category !== null) return visits[i]!;
  }
  return last;
}

/**
 * The patient's own rhythm — the median gap between their visit days, rounded to whole days —
 * once there are at least two gaps (one gap is an anecdote); otherwise the clinical cycle of
 * the last visit's category.
 */
function typicalInterval(
  days: readonly number[],
  category: ServiceCategory | null,
): { days: number; source: PatientFeatures['intervalSource'] } {
  if (days.length >= 3) {
    const gaps = days
      .slice(1)
      .map((d, i) => d - days[i]!)
      .sort((a, b) => a - b);
    const mid = gaps.length >> 1;
    const median = gaps.length % 2 === 1 ? gaps[mid]! : (gaps[mid - 1]! + gaps[mid]!) / 2;
    return { days: Math.max(1, Math.round(median)), source: 'own_history' };
  }
  return { days: expectedCycleDays(category), source: 'category_cycle' };
}

function spendTrend(recentCents: number, priorCents: number, newPatient: boolean): SpendTrend {
  const base = { recentCents, priorCents };
  if (newPatient)
    return { ...base, trend: null, reason: 'first visit within the last 6 months: no prior period' };
  const recent = Math.max(0, recentCents);
  const prior = Math.max(0, priorCents);
  if (recent === 0 && prior === 0) return { ...base, trend: null, reason: 'no net revenue in either period' };
  const ratio = Math.log((recent + SPEND_SMOOTHING_CENTS) / (prior + SPEND_SMOOTHING_CENTS));
  return { ...base, trend: Math.max(-SPEND_TREND_LIMIT, Math.min(SPEND_TREND_LIMIT, ratio)) };
}
