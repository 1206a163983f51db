import type { MetricContext } from '../metrics/metricContext';
import { addMonths, isYearMonth, lastDayOfMonth, type LocalDate, type YearMonth } from '../model/localDate';
import { quoteId } from '../privacy/redact';
import { calibrate, type Calibration, CALIBRATION_MONTHS } from './forecastCalibration';
import {
  type CategoryValues,
  completeMonths,
  FORECAST_CATEGORIES,
  type ForecastCategory,
  monthRevenue,
  revenuePerVisit,
  seasonalNaive,
  zeroCategories,
} from './forecastData';
import { BURN_IN_MONTHS, type NewPatientInflow, newPatientInflow, newPatientProfile } from './newPatients';
import { patientHistories, visitDays } from './patientHistory';
import { fitAlive, scheduleReturning, showRate } from './returningPatients';

/**
 * Revenue forecast of one location: net revenue of the months after an origin month, per service
 * category and in total, as the sum of three parts (docs/models.md, "Revenue forecast"):
 *
 * - **returning** — the patients known at the origin, due back by their treatment cycles,
 *   weighted by P(alive) and a calibration measured at the location (`returningPatients.ts`);
 * - **new patients** — the recent monthly inflow of first visits times what a new patient does in
 *   their first months (`newPatients.ts`);
 * - **other** — revenue no visit explains (retail, membership fees, other lines): the mean of the
 *   last `OTHER_MONTHS` months, as a level, since membership dues recur monthly and retail follows
 *   the patient base rather than a month's treatments.
 *
 * Visits are valued at the location's service revenue per visit of their category (a patient's
 * own spend relative to it for returning patients), so every part is in the units of the engine's
 * `service_net.<category>` and `net_revenue`, which the forecast is judged against. Money is in
 * integer cents: each category's parts are rounded, and totals are sums of the rounded parts.
 */

export const DEFAULT_FORECAST_MONTHS = 3;
export const MAX_FORECAST_MONTHS = 12;
/** Complete months needed before (and including) the origin: the burn-in of new-patient counts and one more. */
export const MIN_HISTORY_MONTHS = BURN_IN_MONTHS + 1;
const OTHER_MONTHS = 6;

export interface CategoryForecast {
  cents: number;
  returningCents: number;
  newPatientsCents: number;
}

export interface ForecastMonth {
  month: YearMonth;
  /** Months after the origin (1 = the first forecast month). */
  horizon: number;
  totalCents: number;
  components: { returningCents: number; newPatientsCents: number; otherCents: number };
  /** Every service category (and `uncategorized`); other revenue is in `components.otherCents`. */
  categories: Record<ForecastCategory, CategoryForecast>;
  /** Expected visits (rounded to a tenth): booked returning, other returning, new patients'. */
  expectedVisits: { booked: number; unbooked: number; newPatients: number };
  expectedNewPatients: number;
  /** The same month a year earlier, or null with the reason. */
  seasonalNaive: { from: YearMonth; totalCents: number | null; reason?: string };
}

export interface ForecastInputs {
  /** The complete months of the location's data (the history starts at `first`). */
  history: { first: YearMonth; last: YearMonth };
  patients: number;
  repeatPatients: number;
  /** Patients with an appointment on the book after the origin. */
  bookedPatients: number;
  bgnbd: { r: number; alpha: number; a: number; b: number; logLikelihood: number; customers: number } | null;
  /** Why there is no BG/NBD fit, and what stands in for P(alive). */
  bgnbdReason?: string;
  pAlive: 'bgnbd' | 'seen_in_last_365_days';
  showRate: number;
  showRateReason?: string;
  calibration: Calibration;
  perVisitCents: Record<ForecastCategory, number | null>;
  newPatients: NewPatientInflow;
  newPatientProfileCohorts: number[];
  otherRevenue: { method: 'trailing_mean'; months: { month: YearMonth; cents: number }[] };
}

export interface RevenueForecast {
  locationId: string;
  /** The last month of data the forecast reads; the forecast starts the month after. */
  origin: YearMonth;
  asOf: LocalDate;
  months: ForecastMonth[];
  inputs: ForecastInputs;
}

export type ForecastErrorCode =
  'unknown_location' | 'invalid_request' | 'insufficient_history' | 'location_closed';

export type RevenueForecastAnswer =
  | { ok: true; forecast: RevenueForecast }
  | { ok: false; error: { code: ForecastErrorCode; message: string } };

export interface RevenueForecastOptions {
  /** Default: the location's last complete month of data. */
  origin?: YearMonth;
  /** Months ahead, 1 … 12 (default 3). */
  months?: number;
}

const fail = (code: ForecastErrorCode, message: string): RevenueForecastAnswer => ({
  ok: false,
  error: { code, message },
});
const tenth = (v: number) => Math.round(v * 10) / 10;
const sum = (row: CategoryValues) => FORECAST_CATEGORIES.reduce((s, c) => s + row[c], 0);

export function forecastRevenue(
  ctx: MetricContext,
  locationId: string,
  options: RevenueForecastOptions = {},
): RevenueForecastAnswer {
  const location = ctx.location(locationId);
  if (!location) return fail('unknown_location', `Unknown location ${quoteId(locationId)}`);
  const k = options.months ?? DEFAULT_FORECAST_MONTHS;
  if (!Number.isInteger(k) || k < 1 || k > MAX_FORECAST_MONTHS) {
    return fail(
      'invalid_request',
      `months must be a whole number from 1 to ${MAX_FORECAST_MONTHS}, not ${k}`,
    );
  }
  if (options.origin !== undefined && !isYearMonth(options.origin)) {
    return fail('invalid_request', `origin ${quoteId(options.origin)} is not a month (YYYY-MM)`);
  }
  const history = completeMonths(ctx, locationId);
  if (history === null) return fail('insufficient_history', `${locationId} has no complete month of data`);
  const origin = options.origin ?? history.last;
  if (origin > history.last || origin < history.first) {
    return fail(
      'invalid_request',
      `origin ${origin} is not a complete month of ${locationId}'s data (${history.first} … ${history.last})`,
    );
  }
  if (origin < addMonths(history.first, MIN_HISTORY_MONTHS - 1)) {
    return fail(
      'insufficient_history',
      `${locationId} has ${history.first} … ${origin} before the origin: the forecast needs ${MIN_HISTORY_MONTHS} complete months (the first ${BURN_IN_MONTHS} count every returning patient as new)`,
    );
  }
  const months = Array.from({ length: k }, (_, i) => addMonths(origin, i + 1));
  const lastDay = lastDayOfMonth(months[k - 1] as YearMonth);
  if (location.closed_on !== null && location.closed_on <= lastDay) {
    return fail(
      'location_closed',
      `${locationId} closed on ${location.closed_on}: no forecast reaches past it`,
    );
  }

  const asOf = lastDayOfMonth(origin);
  // The location's events as objects, once for the forecast's several passes over them.
  const events = ctx.data.events.eventsAt(locationId);
  const revenue = ctx.data.revenue;
  const histories = patientHistories(events, revenue, locationId, asOf);
  if (histories.length === 0) {
    return fail('insufficient_history', `${locationId} has no patient with a completed visit by ${asOf}`);
  }
  const inflow = newPatientInflow(histories, history.first, origin, k);
  if (inflow === null) {
    return fail('insufficient_history', `${locationId} has no month of new patients after the burn-in`);
  }
  const alive = fitAlive(histories, asOf);
  const measuredShowRate = showRate(events, locationId, asOf);
  const show = measuredShowRate ?? 1;
  const perVisitCents = revenuePerVisit(ctx, locationId, origin, history.first);
  const grid = scheduleReturning({
    histories,
    asOf,
    months,
    alive: alive.model,
    showRate: show,
    perVisitCents,
  });
  const calibration = calibrate({
    events,
    revenue,
    locationId,
    origin,
    firstMonth: history.first,
    alive: alive.model,
    showRate: show,
    perVisitCents,
  });
  const profile = newPatientProfile(histories, history.first, origin, k);

  const otherMonths = Array.from({ length: OTHER_MONTHS }, (_, i) => addMonths(origin, i - OTHER_MONTHS + 1))
    .filter((m) => m >= history.first)
    .map((month) => ({ month, cents: monthRevenue(ctx, locationId, month).otherCents }));
  const otherCents = Math.round(otherMonths.reduce((s, m) => s + m.cents, 0) / otherMonths.length);

  const forecastMonths = months.map((month, h): ForecastMonth => {
    const factors = calibration.categoryFactors[Math.min(h, CALIBRATION_MONTHS - 1)] ?? zeroCategories();
    const newVisits = zeroCategories();
    // New patients of every forecast month so far, each cohort at its own month since first visit.
    for (let j = 0; j <= h; j += 1) {
      const visits = profile.visits[h - j];
      if (visits) for (const c of FORECAST_CATEGORIES) newVisits[c] += (inflow.expected[j] ?? 0) * visits[c];
    }
    const categories = {} as Record<ForecastCategory, CategoryForecast>;
    let returningCents = 0;
    let newPatientsCents = 0;
    for (const c of FORECAST_CATEGORIES) {
      const returning = Math.round(
        (grid.bookedCents[h]?.[c] ?? 0) + factors[c] * (grid.unbookedCents[h]?.[c] ?? 0),
      );
      const fresh = Math.round(newVisits[c] * (perVisitCents[c] ?? 0));
      categories[c] = { cents: returning + fresh, returningCents: returning, newPatientsCents: fresh };
      returningCents += returning;
      newPatientsCents += fresh;
    }
    const naive = seasonalNaive(ctx, locationId, month);
    return {
      month,
      horizon: h + 1,
      totalCents: returningCents + newPatientsCents + otherCents,
      components: { returningCents, newPatientsCents, otherCents },
      categories,
      expectedVisits: {
        booked: tenth(sum(grid.bookedVisits[h] ?? zeroCategories())),
        unbooked: tenth(
          FORECAST_CATEGORIES.reduce((s, c) => s + factors[c] * (grid.unbookedVisits[h]?.[c] ?? 0), 0),
        ),
        newPatients: tenth(sum(newVisits)),
      },
      expectedNewPatients: tenth(inflow.expected[h] ?? 0),
      seasonalNaive: {
        from: naive.from,
        totalCents: naive.netCents,
        ...(naive.reason ? { reason: naive.reason } : {}),
      },
    };
  });

  const fit = alive.fit;
  return {
    ok: true,
    forecast: {
      locationId,
      origin,
      asOf,
      months: forecastMonths,
      inputs: {
        history,
        patients: histories.length,
        repeatPatients: histories.filter((h) => visitDays(h).length > 1).length,
        bookedPatients: histories.filter((h) => h.nextBooked !== null).length,
        bgnbd:
          alive.model.kind === 'bgnbd' && fit
            ? { ...fit.params, logLikelihood: fit.logLikelihood, customers: fit.customers }
            : null,
        ...(alive.reason
          ? { bgnbdReason: `${alive.reason}; P(alive) is 1 for patients seen in the last 365 days, 0 before` }
          : {}),
        pAlive: alive.model.kind === 'bgnbd' ? 'bgnbd' : 'seen_in_last_365_days',
        showRate: show,
        ...(measuredShowRate === null
          ? {
              showRateReason:
                'no appointment in the half year before the origin: booked visits count as kept',
            }
          : {}),
        calibration,
        perVisitCents,
        newPatients: inflow,
        newPatientProfileCohorts: profile.cohorts,
        otherRevenue: { method: 'trailing_mean', months: otherMonths },
      },
    },
  };
}
