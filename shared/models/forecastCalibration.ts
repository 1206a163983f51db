import type { LoadedEvent } from '../engine/patientEvents';
import type { RevenueRows } from '../engine/revenueRows';
import { addMonths, firstDayOfMonth, lastDayOfMonth, type YearMonth } from '../model/localDate';
import {
  categoryOf,
  type CategoryValues,
  FORECAST_CATEGORIES,
  type ForecastCategory,
  zeroCategories,
} from './forecastData';
import { patientHistories } from './patientHistory';
import { type AliveModel, scheduleReturning } from './returningPatients';

/**
 * How much of the returning-patient schedule's unbooked visits actually happen, measured at the
 * location itself. The schedule is made as it would have been a quarter (and half a year) before
 * the origin, and compared with the visits the patients known then made in the three months that
 * followed, all of which are history at the origin: nothing after the origin is read.
 *
 * factor(month, category) = (actual − booked) / unbooked, where booked and unbooked are the
 * schedule's expected visits; the booked ones are taken as given (at the show rate), so the
 * factor is what the P(alive)-weighted cycle visits are worth. It corrects at once the level
 * (P(alive) is not "comes back this quarter"), the timing of overdue patients (month 1 of the
 * horizon differs from month 3) and each category's own habits (a laser series ends, a filler
 * patient comes yearly).
 */

/** How far back each calibration schedule is made, in months (also the horizon it is measured over). */
export const CALIBRATION_MONTHS = 3;

export interface Calibration {
  /** The origins of the calibration schedules, each `CALIBRATION_MONTHS` apart, latest first. */
  origins: YearMonth[];
  /**
   * Per month after a calibration origin (index 0 = the first), summed over the schedules: the
   * visits (consultations aside) the patients known at the origin then made, and the booked and
   * unbooked visits the schedule expected of them.
   */
  actualVisits: number[];
  bookedVisits: number[];
  unbookedVisits: number[];
  /** (actual − booked) / unbooked over all categories, per month, ≥ 0 (the months pooled when a month expected none). */
  factors: number[];
  /**
   * The same per category, shrunk towards the month's factor by `CALIBRATION_PRIOR_VISITS`
   * pseudo-visits: what scales the unbooked visits of that category. The last month's serves the
   * forecast months after it.
   */
  categoryFactors: CategoryValues[];
}

/** Pseudo-visits at the all-category factor that a category's own factor is shrunk with. */
export const CALIBRATION_PRIOR_VISITS = 20;
/** Schedules the calibration pools: two quarters measured better than one, more (older) worse. */
export const CALIBRATION_WINDOWS = 2;

/**
 * Measures the unbooked-visit factors at the location: schedules made `CALIBRATION_MONTHS` and
 * twice that before the origin (each only when it starts in the history), against the visits the
 * patients then known made up to the origin.
 */
export function calibrate(input: {
  events: readonly LoadedEvent[];
  revenue: RevenueRows;
  locationId: string;
  origin: YearMonth;
  firstMonth: YearMonth;
  alive: AliveModel;
  showRate: number;
  perVisitCents: Record<ForecastCategory, number | null>;
}): Calibration {
  const actual = Array.from({ length: CALIBRATION_MONTHS }, zeroCategories);
  const booked = Array.from({ length: CALIBRATION_MONTHS }, zeroCategories);
  const unbooked = Array.from({ length: CALIBRATION_MONTHS }, zeroCategories);
  const origins: YearMonth[] = [];
  for (let w = 1; w <= CALIBRATION_WINDOWS; w += 1) {
    const origin = addMonths(input.origin, -w * CALIBRATION_MONTHS);
    if (origin < input.firstMonth) break;
    origins.push(origin);
    const asOf = lastDayOfMonth(origin);
    const months = Array.from({ length: CALIBRATION_MONTHS }, (_, i) => addMonths(origin, i + 1));
    const histories = patientHistories(input.events, input.revenue, input.locationId, asOf);
    const grid = scheduleReturning({ ...input, histories, asOf, months });
    const known = new Set(histories.map((h) => h.personKey));
    const from = `${firstDayOfMonth(months[0] as YearMonth)}T00:00:00`;
    const to = `${lastDayOfMonth(months[CALIBRATION_MONTHS - 1] as YearMonth)}T23:59:59`;
    for (const e of input.events) {
      if (e.locationId !== input.locationId || e.status !== 'completed' || e.category === 'consultation')
        continue;
      if (e.startAt < from || e.startAt > to || !known.has(e.personKey)) continue;
      const row = actual[months.indexOf(e.startAt.slice(0, 7))];
      if (row) row[categoryOf(e.category)] += 1;
    }
    for (let m = 0; m < CALIBRATION_MONTHS; m += 1) {
      for (const c of FORECAST_CATEGORIES) {
        (booked[m] as CategoryValues)[c] += grid.bookedVisits[m]?.[c] ?? 0;
        (unbooked[m] as CategoryValues)[c] += grid.unbookedVisits[m]?.[c] ?? 0;
      }
    }
  }
  const total = (row: CategoryValues) => FORECAST_CATEGORIES.reduce((s, c) => s + row[c], 0);
  const ratio = (a: number, b: number, u: number, prior: number, k: number) =>
    u + k <= 0 ? 0 : Math.max(0, (a - b + k * prior) / (u + k));
  const actualVisits = actual.map(total);
  const bookedVisits = booked.map(total);
  const unbookedVisits = unbooked.map(total);
  // A month in which the schedules expected no unbooked visit says nothing: the months pooled stand in
  // for it, and with no unbooked visit at all P(alive) is taken as it is.
  const sumOf = (values: number[]) => values.reduce((s, v) => s + v, 0);
  const pooled =
    sumOf(unbookedVisits) > 0
      ? ratio(sumOf(actualVisits), sumOf(bookedVisits), sumOf(unbookedVisits), 0, 0)
      : 1;
  const factors = actualVisits.map((a, m) =>
    (unbookedVisits[m] ?? 0) > 0 ? ratio(a, bookedVisits[m] ?? 0, unbookedVisits[m] ?? 0, 0, 0) : pooled,
  );
  const categoryFactors = actual.map((row, m) => {
    const out = zeroCategories();
    for (const c of FORECAST_CATEGORIES) {
      out[c] = ratio(
        row[c],
        booked[m]?.[c] ?? 0,
        unbooked[m]?.[c] ?? 0,
        factors[m] ?? 0,
        CALIBRATION_PRIOR_VISITS,
      );
    }
    return out;
  });
  return { origins, actualVisits, bookedVisits, unbookedVisits, factors, categoryFactors };
}
