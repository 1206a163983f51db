import type { MetricContext } from '../metrics/metricContext';
import type { LocationRow } from '../model/canonicalBundle';
import { isYearMonth, lastDayOfMonth, type LocalDate, type YearMonth } from '../model/localDate';
import { quoteId } from '../privacy/redact';
import { ForecastCache } from './forecastCache';
import { completeMonths, FORECAST_CATEGORIES, type ForecastCategory, seasonalNaive } from './forecastData';
import {
  type CategoryForecast,
  DEFAULT_FORECAST_MONTHS,
  type ForecastErrorCode,
  type ForecastMonth,
  MAX_FORECAST_MONTHS,
  type RevenueForecast,
} from './revenueForecast';

/**
 * The revenue forecast of a scope, as `=CALIPER.FORECAST` and `GET /api/forecast` answer it: one
 * location's (`forecastRevenue`), or the portfolio's — the sum, month by month and part by part,
 * of its open locations' forecasts at one origin (docs/models.md, "Revenue forecast"). A
 * location that cannot be forecast is listed with its reason and left out of the sum, never
 * counted as 0; the answer says how many locations the sum holds. Beside every category the
 * seasonal-naive value of that category, so a category forecast has its own baseline.
 */

export interface ScopeCategoryForecast extends CategoryForecast {
  /** The category's net revenue in the same month a year earlier; null when the month's is null. */
  seasonalNaiveCents: number | null;
}

export interface ScopeForecastMonth {
  month: YearMonth;
  horizon: number;
  totalCents: number;
  components: ForecastMonth['components'];
  categories: Record<ForecastCategory, ScopeCategoryForecast>;
  /** Null with the reason when any location of the sum has none (a missing year is not 0). */
  seasonalNaive: { from: YearMonth; totalCents: number | null; reason: string | null };
}

export interface ScopeForecastLocation {
  locationId: string;
  name: string;
  inSum: boolean;
  /** The core's refusal when the location is not in the sum. */
  code: ForecastErrorCode | null;
  reason: string | null;
  forecast: RevenueForecast | null;
}

export interface ScopeForecast {
  scope: { kind: 'location'; locationId: string; name: string } | { kind: 'portfolio' };
  origin: YearMonth;
  /** The origin's last day: no fact dated later is read. */
  asOf: LocalDate;
  monthsAhead: number;
  /** The location of the scope, or every location open after the origin. */
  locations: ScopeForecastLocation[];
  locationsInSum: number;
  months: ScopeForecastMonth[];
}

export type ScopeForecastErrorCode = 'unknown_location' | 'not_forecast';

export type ScopeForecastAnswer =
  | { ok: true; forecast: ScopeForecast }
  | { ok: false; error: { code: ScopeForecastErrorCode; message: string } };

export interface ScopeForecastOptions {
  /** The forecast origin (YYYY-MM); default the location's last complete month, for the portfolio the latest of its open locations'. */
  origin?: YearMonth;
  months?: number;
  /** Shares forecasts between calls on the same context (the API's cache per data version). */
  cache?: ForecastCache;
}

const fail = (code: ScopeForecastErrorCode, message: string): ScopeForecastAnswer => ({
  ok: false,
  error: { code, message },
});

/** The forecast of one location (`locationId`) or of the portfolio (`null`). */
export function forecastScope(
  ctx: MetricContext,
  locationId: string | null,
  options: ScopeForecastOptions = {},
): ScopeForecastAnswer {
  const months = options.months ?? DEFAULT_FORECAST_MONTHS;
  // The callers check both first: a wrong one here is a bug, not a location that cannot be forecast.
  if (!(Number.isInteger(months) && months >= 1 && months <= MAX_FORECAST_MONTHS)) {
    throw new RangeError(
      `forecast: months ${months} must be a whole number from 1 to ${MAX_FORECAST_MONTHS}`,
    );
  }
  if (options.origin !== undefined && !isYearMonth(options.origin)) {
    throw new RangeError(`forecast: origin ${JSON.stringify(options.origin)} is not a month (YYYY-MM)`);
  }
  const cache = options.cache ?? new ForecastCache();

  if (locationId !== null) {
    const site = ctx.location(locationId);
    if (site === undefined) return fail('unknown_location', `Unknown location ${quoteId(locationId)}`);
    const entry = forecastOf(ctx, site, { ...options, months, cache });
    if (entry.forecast === null) {
      return fail(
        'not_forecast',
        `Location ${quoteId(locationId)} cannot be forecast: ${entry.reason ?? ''}`,
      );
    }
    const { origin, asOf } = entry.forecast;
    return ok(ctx, { kind: 'location', locationId, name: site.name }, origin, asOf, months, [entry]);
  }

  const origin = options.origin ?? portfolioOrigin(ctx);
  if (origin === null)
    return fail('not_forecast', 'The portfolio has no open location with a complete month of data');
  const asOf = lastDayOfMonth(origin);
  // A location closed by the origin has no forecast month to be in; one closing later is refused by the core.
  const sites = ctx.data.locations.filter((l) => l.closed_on === null || l.closed_on > asOf);
  if (sites.length === 0) return fail('not_forecast', `The portfolio has no location open after ${origin}`);
  const entries = sites.map((site) => forecastOf(ctx, site, { origin, months, cache }));
  if (!entries.some((e) => e.inSum)) {
    const why = entries.map((e) => `${e.locationId}: ${e.reason ?? ''}`).join('; ');
    return fail('not_forecast', `No location of the portfolio can be forecast after ${origin} (${why})`);
  }
  return ok(ctx, { kind: 'portfolio' }, origin, asOf, months, entries);
}

/** The latest last complete month of the locations not closed: the month the portfolio's data reach. */
function portfolioOrigin(ctx: MetricContext): YearMonth | null {
  let latest: YearMonth | null = null;
  for (const l of ctx.data.locations) {
    const last = l.closed_on === null ? completeMonths(ctx, l.location_id)?.last : undefined;
    if (last !== undefined && (latest === null || last > latest)) latest = last;
  }
  return latest;
}

function forecastOf(
  ctx: MetricContext,
  site: LocationRow,
  options: { origin?: YearMonth; months: number; cache: ForecastCache },
): ScopeForecastLocation {
  const answer = options.cache.forecast(ctx, site.location_id, {
    months: options.months,
    ...(options.origin === undefined ? {} : { origin: options.origin }),
  });
  const base = { locationId: site.location_id, name: site.name };
  return answer.ok
    ? { ...base, inSum: true, code: null, reason: null, forecast: answer.forecast }
    : { ...base, inSum: false, code: answer.error.code, reason: answer.error.message, forecast: null };
}

function ok(
  ctx: MetricContext,
  scope: ScopeForecast['scope'],
  origin: YearMonth,
  asOf: LocalDate,
  monthsAhead: number,
  locations: ScopeForecastLocation[],
): ScopeForecastAnswer {
  const forecasts = locations.flatMap((l) => (l.forecast === null ? [] : [l.forecast]));
  const months = (forecasts[0]?.months ?? []).map((_, h) => sumMonth(ctx, forecasts, h));
  return {
    ok: true,
    forecast: { scope, origin, asOf, monthsAhead, locations, locationsInSum: forecasts.length, months },
  };
}

/** Month `h` of every forecast, added up in integer cents. */
function sumMonth(ctx: MetricContext, forecasts: RevenueForecast[], h: number): ScopeForecastMonth {
  const first = forecasts[0]!.months[h]!;
  const categories = Object.fromEntries(
    FORECAST_CATEGORIES.map((c) => [
      c,
      { cents: 0, returningCents: 0, newPatientsCents: 0, seasonalNaiveCents: 0 },
    ]),
  ) as Record<
    ForecastCategory,
    { cents: number; returningCents: number; newPatientsCents: number; seasonalNaiveCents: number | null }
  >;
  const components = { returningCents: 0, newPatientsCents: 0, otherCents: 0 };
  let totalCents = 0;
  let naiveCents: number | null = 0;
  const missing: string[] = [];
  for (const f of forecasts) {
    const m = f.months[h]!;
    totalCents += m.totalCents;
    components.returningCents += m.components.returningCents;
    components.newPatientsCents += m.components.newPatientsCents;
    components.otherCents += m.components.otherCents;
    const naive = seasonalNaive(ctx, f.locationId, m.month);
    for (const c of FORECAST_CATEGORIES) {
      const sum = categories[c];
      sum.cents += m.categories[c].cents;
      sum.returningCents += m.categories[c].returningCents;
      sum.newPatientsCents += m.categories[c].newPatientsCents;
      const own = naive.categoryCents?.[c] ?? null;
      sum.seasonalNaiveCents =
        sum.seasonalNaiveCents === null || own === null ? null : sum.seasonalNaiveCents + own;
    }
    if (m.seasonalNaive.totalCents === null) {
      naiveCents = null;
      missing.push(m.seasonalNaive.reason ?? `no seasonal-naive value for ${f.locationId}`);
    } else if (naiveCents !== null) naiveCents += m.seasonalNaive.totalCents;
  }
  return {
    month: first.month,
    horizon: first.horizon,
    totalCents,
    components,
    categories,
    seasonalNaive: {
      from: first.seasonalNaive.from,
      totalCents: naiveCents,
      reason: missing.length > 0 ? missing.join('; ') : null,
    },
  };
}
