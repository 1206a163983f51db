import type { LoadedEvent } from '../engine/patientEvents';
import {
  addDays,
  lastDayOfMonth,
  type LocalDate,
  monthOf,
  toDayNumber,
  type YearMonth,
} from '../model/localDate';
import { type BgNbdParams, fitBgNbd, type FrequencyRecency, probabilityAlive } from './bgnbd';
import { categoryOf, type CategoryValues, type ForecastCategory, zeroCategories } from './forecastData';
import type { ModelFit } from './modelFit';
import { type PatientHistory, visitDays } from './patientHistory';
import { expectedCycleDays } from './treatmentCycles';

/**
 * The returning-patient part of the revenue forecast: who is due back when, from each patient's
 * own treatment cycle in each category, weighted by how likely the visit is to happen.
 *
 * - **When.** The next visit of a category is due at the last visit there + the patient's own
 *   typical interval (the median of their gaps in that category once they have at least
 *   `MIN_OWN_GAPS` of them, else the category's expected cycle). An appointment already on the
 *   book places the next visit of the category whose due day is nearest to it. A patient already
 *   past due keeps their rhythm: the visit is placed a whole number of intervals after the last
 *   one (the first such day after the origin). Within the horizon the cycle repeats.
 * - **How likely.** A booked visit happens at the location's recent show rate. Any other visit is
 *   weighted by P(alive) from a BG/NBD fit at the origin, and each repeat after it by the chance of
 *   not dropping out after a visit, 1 − E[p | x] = 1 − a/(a+b+x) (the posterior of the BG/NBD
 *   dropout probability given x repeat visits). P(alive) says whether a patient is still a
 *   patient, not whether they come back this quarter, and a one-visit patient is "alive" by
 *   construction; so the unbooked visits are scaled, per month of the horizon and category, by a
 *   factor measured at the location itself: the same schedule made a quarter and half a year
 *   earlier, compared with the visits those patients then made (`forecastCalibration.ts`). Only
 *   data up to the origin is read.
 *
 * Consultations are not rebookable (metrics.md): a returning patient is not scheduled for another;
 * consultations come with the new patients.
 */

/** Gaps (a patient's visits in the category − 1) from which their own median sets the interval; 1 measured better than 2. */
export const MIN_OWN_GAPS = 1;
/** Shortest interval a patient's own median may give (same-week touch-ups would repeat without end). */
const MIN_INTERVAL_DAYS = 7;
/** The show rate of booked appointments is measured over this many days before the origin. */
const SHOW_RATE_DAYS = 182;
/** Without a BG/NBD fit, patients seen within this many days count as active, the rest not. */
export const RECENCY_FALLBACK_DAYS = 365;
/** Pseudo-visits at the location's mean that shrink a patient's own spend towards it. */
const SPEND_PRIOR_VISITS = 10;

/** P(alive) from a converged BG/NBD fit, or (when there is none) recency within a year. */
export type AliveModel = { kind: 'bgnbd'; params: BgNbdParams } | { kind: 'recency'; days: number };

/** Expected visits and cents per forecast month (index 0 = first month) and category. */
export interface ReturningGrid {
  bookedVisits: CategoryValues[];
  unbookedVisits: CategoryValues[];
  bookedCents: CategoryValues[];
  unbookedCents: CategoryValues[];
}

export function frequencyRecency(history: PatientHistory, asOf: LocalDate): FrequencyRecency {
  const days = visitDays(history).map(toDayNumber);
  const first = days[0] ?? toDayNumber(asOf);
  return { x: days.length - 1, tx: (days[days.length - 1] ?? first) - first, T: toDayNumber(asOf) - first };
}

/** The BG/NBD fit at the origin, or why there is none (a fit that did not converge is not used). */
export function fitAlive(
  histories: readonly PatientHistory[],
  asOf: LocalDate,
): { model: AliveModel; fit: ModelFit<BgNbdParams> | null; reason?: string } {
  const fallback: AliveModel = { kind: 'recency', days: RECENCY_FALLBACK_DAYS };
  const customers = histories.map((h) => frequencyRecency(h, asOf));
  const repeat = customers.filter((c) => c.x > 0).length;
  if (customers.length < 20 || repeat < 5) {
    return {
      model: fallback,
      fit: null,
      reason: `too few patients to fit BG/NBD (${customers.length}, ${repeat} with a repeat visit)`,
    };
  }
  const fit = fitBgNbd(customers);
  if (!fit.converged)
    return { model: fallback, fit, reason: `BG/NBD fit not used: ${fit.reason ?? 'did not converge'}` };
  return { model: { kind: 'bgnbd', params: fit.params }, fit };
}

/** Completed share of the appointments that started in the half year up to `asOf`; null when none. */
export function showRate(events: readonly LoadedEvent[], locationId: string, asOf: LocalDate): number | null {
  const from = `${addDays(asOf, -SHOW_RATE_DAYS + 1)}T00:00:00`;
  const to = `${asOf}T23:59:59`;
  let completed = 0;
  let booked = 0;
  for (const e of events) {
    if (e.locationId !== locationId || e.startAt < from || e.startAt > to || e.status === 'scheduled')
      continue;
    booked += 1;
    if (e.status === 'completed') completed += 1;
  }
  return booked === 0 ? null : completed / booked;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Per category: distinct visit days, and the revenue of the days whose visits were all of it. */
function categoryDays(history: PatientHistory): Map<ForecastCategory, { days: number[]; revenue: number[] }> {
  const byDay = new Map<LocalDate, Set<ForecastCategory>>();
  for (const v of history.visits) {
    const set = byDay.get(v.day) ?? new Set<ForecastCategory>();
    set.add(categoryOf(v.category));
    byDay.set(v.day, set);
  }
  const revenueOf = new Map(history.revenueDays.map((r) => [r.day, r.netCents]));
  const out = new Map<ForecastCategory, { days: number[]; revenue: number[] }>();
  for (const [day, set] of byDay) {
    for (const c of set) {
      const entry = out.get(c) ?? { days: [], revenue: [] };
      entry.days.push(toDayNumber(day));
      // A day of several categories cannot be split between them: it shows no one's spend.
      if (set.size === 1) entry.revenue.push(revenueOf.get(day) ?? 0);
      out.set(c, entry);
    }
  }
  return out;
}

interface Due {
  category: ForecastCategory;
  day: number;
  interval: number;
  booked: boolean;
  /** What a visit of this patient in this category is worth, in cents. */
  cents: number;
}

/**
 * The expected booked and unbooked visits (and their cents) per forecast month and category of
 * the patients known on `asOf`, before calibration.
 */
export function scheduleReturning(input: {
  histories: readonly PatientHistory[];
  asOf: LocalDate;
  months: readonly YearMonth[];
  alive: AliveModel;
  showRate: number;
  perVisitCents: Record<ForecastCategory, number | null>;
}): ReturningGrid {
  const { histories, asOf, months, alive } = input;
  const grid: ReturningGrid = {
    bookedVisits: months.map(zeroCategories),
    unbookedVisits: months.map(zeroCategories),
    bookedCents: months.map(zeroCategories),
    unbookedCents: months.map(zeroCategories),
  };
  const origin = toDayNumber(asOf);
  const end = toDayNumber(lastDayOfMonth(months[months.length - 1] ?? monthOf(asOf)));
  const monthIndex = (day: number) => months.indexOf(monthOf(addDays(asOf, day - origin)));

  const perPatient = histories.map(categoryDays);
  // A patient's spend relative to the location's, per category, on single-category visit days.
  const meanDay = new Map<ForecastCategory, number>();
  const totals = new Map<ForecastCategory, { sum: number; n: number }>();
  for (const p of perPatient) {
    for (const [c, { revenue }] of p) {
      const t = totals.get(c) ?? { sum: 0, n: 0 };
      t.sum += revenue.reduce((s, r) => s + r, 0);
      t.n += revenue.length;
      totals.set(c, t);
    }
  }
  for (const [c, t] of totals) if (t.n > 0 && t.sum > 0) meanDay.set(c, t.sum / t.n);

  histories.forEach((history, i) => {
    const summary = frequencyRecency(history, asOf);
    let weight: number;
    let keep: number;
    if (alive.kind === 'bgnbd') {
      const { a, b } = alive.params;
      weight = probabilityAlive(alive.params, summary);
      keep = 1 - a / (a + b + summary.x);
    } else {
      weight = summary.T - summary.tx <= alive.days ? 1 : 0;
      keep = 1;
    }
    const dues: Due[] = [];
    for (const [category, { days, revenue }] of perPatient[i] ?? []) {
      const base = input.perVisitCents[category];
      if (category === 'consultation' || base === null || days.length === 0) continue;
      const gaps = days.slice(1).map((d, j) => d - (days[j] as number));
      const interval = Math.max(
        MIN_INTERVAL_DAYS,
        gaps.length >= MIN_OWN_GAPS
          ? Math.round(median(gaps))
          : expectedCycleDays(category === 'uncategorized' ? null : category),
      );
      const mean = meanDay.get(category);
      const own = revenue.reduce((s, r) => s + r, 0);
      const index =
        mean === undefined
          ? 1
          : (own + SPEND_PRIOR_VISITS * mean) / ((revenue.length + SPEND_PRIOR_VISITS) * mean);
      let day = (days[days.length - 1] as number) + interval;
      // Past due: the patient keeps their rhythm and comes a whole number of cycles later.
      if (day <= origin) day += Math.ceil((origin + 1 - day) / interval) * interval;
      dues.push({ category, day, interval, booked: false, cents: base * index });
    }
    if (history.nextBooked !== null && dues.length > 0) {
      const booked = toDayNumber(history.nextBooked);
      const nearest = dues.reduce((best, d) =>
        Math.abs(d.day - booked) < Math.abs(best.day - booked) ? d : best,
      );
      nearest.day = booked;
      nearest.booked = true;
    }
    for (const due of dues) {
      let w = due.booked ? input.showRate : weight;
      let booked = due.booked;
      for (let day = due.day; day <= end; day += due.interval) {
        const m = monthIndex(day);
        if (m >= 0) {
          const visits = booked ? grid.bookedVisits[m] : grid.unbookedVisits[m];
          const cents = booked ? grid.bookedCents[m] : grid.unbookedCents[m];
          if (visits && cents) {
            visits[due.category] += w;
            cents[due.category] += w * due.cents;
          }
        }
        // The visits after the next one are on no book yet, and the patient may drop out after each.
        booked = false;
        w *= keep;
      }
    }
  });
  return grid;
}
