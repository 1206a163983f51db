import type { MetricContext } from '../metrics/metricContext';
import { addMonths, type YearMonth } from '../model/localDate';
import {
  completeMonths,
  FORECAST_CATEGORIES,
  type ForecastCategory,
  monthRevenue,
  seasonalNaive,
} from './forecastData';
import { DEFAULT_FORECAST_MONTHS, forecastRevenue, MIN_HISTORY_MONTHS } from './revenueForecast';

/**
 * Rolling-origin backtest of the revenue forecast against the seasonal-naive baseline: for each
 * location and each of its latest `origins` months that leave room for the horizon, forecast the
 * next months with only the data up to that origin, and compare each month with the engine's
 * `net_revenue` of it (and each category with its `service_net`). Errors are absolute percentage
 * errors; MAPE is their mean over (location, origin) pairs, as a fraction. The model and the
 * baseline are compared on the same pairs (where the baseline exists: 12 months before the month).
 */

export interface BacktestOptions {
  /** Months ahead, 1 … horizons (default 3). */
  horizons?: number;
  /** Origins per location, the latest that leave room for the horizon (default 12). */
  origins?: number;
  /** Only these locations (default every location). */
  locationIds?: readonly string[];
  /** A category is scored at an origin when it had at least this share of service revenue in the year before (default 0.05). */
  minCategoryShare?: number;
  onProgress?: (locationId: string, origin: YearMonth) => void;
}

export interface BacktestPoint {
  locationId: string;
  origin: YearMonth;
  month: YearMonth;
  horizon: number;
  actualCents: number;
  modelCents: number;
  naiveCents: number | null;
  /** A reference without any model: the mean net_revenue of the 12 months up to the origin (null with fewer). */
  trailingMeanCents: number | null;
  /** Scored categories (meaningful revenue at the origin). */
  categories: {
    category: ForecastCategory;
    actualCents: number;
    modelCents: number;
    naiveCents: number | null;
    trailingMeanCents: number | null;
  }[];
}

export interface MapeRow {
  horizon: number;
  /** Pairs where the model, the baseline and the trailing mean all have a value, and their MAPEs. */
  pairs: number;
  model: number | null;
  naive: number | null;
  trailingMean: number | null;
  /** The model over every pair it forecast (some have no baseline). */
  modelAllPairs: number;
  modelAll: number | null;
}

export interface BacktestResult {
  horizons: number;
  points: BacktestPoint[];
  locations: { locationId: string; origins: YearMonth[]; byHorizon: MapeRow[]; skipped?: string }[];
  pooled: MapeRow[];
  byCategory: { category: ForecastCategory; byHorizon: MapeRow[] }[];
}

/** Mean absolute percentage error, as a fraction; pairs with an actual of 0 have none and are left out. */
export function mape(pairs: readonly { actual: number; forecast: number }[]): number | null {
  const errors = pairs
    .filter((p) => p.actual !== 0)
    .map((p) => Math.abs(p.forecast - p.actual) / Math.abs(p.actual));
  return errors.length === 0 ? null : errors.reduce((s, e) => s + e, 0) / errors.length;
}

type Scored = {
  horizon: number;
  actual: number;
  model: number;
  naive: number | null;
  trailing: number | null;
};

export function mapeByHorizon(scored: readonly Scored[], horizons: number): MapeRow[] {
  return Array.from({ length: horizons }, (_, i) => {
    const at = scored.filter((s) => s.horizon === i + 1 && s.actual !== 0);
    const both = at.filter((s) => s.naive !== null && s.trailing !== null);
    return {
      horizon: i + 1,
      pairs: both.length,
      model: mape(both.map((s) => ({ actual: s.actual, forecast: s.model }))),
      naive: mape(both.map((s) => ({ actual: s.actual, forecast: s.naive as number }))),
      trailingMean: mape(both.map((s) => ({ actual: s.actual, forecast: s.trailing as number }))),
      modelAllPairs: at.length,
      modelAll: mape(at.map((s) => ({ actual: s.actual, forecast: s.model }))),
    };
  });
}

export function runForecastBacktest(ctx: MetricContext, options: BacktestOptions = {}): BacktestResult {
  const horizons = options.horizons ?? DEFAULT_FORECAST_MONTHS;
  const originCount = options.origins ?? 12;
  const minShare = options.minCategoryShare ?? 0.05;
  const points: BacktestPoint[] = [];
  const locations: BacktestResult['locations'] = [];
  for (const locationId of options.locationIds ?? ctx.allLocationIds()) {
    const history = completeMonths(ctx, locationId);
    const earliest = history && addMonths(history.first, MIN_HISTORY_MONTHS - 1);
    const latest = history && addMonths(history.last, -horizons);
    if (!history || !earliest || !latest || latest < earliest) {
      const covered = history ? `${history.first} … ${history.last}` : 'none';
      locations.push({
        locationId,
        origins: [],
        byHorizon: [],
        skipped: `too little history for an origin with ${MIN_HISTORY_MONTHS} months before it and ${horizons} after (complete months: ${covered})`,
      });
      continue;
    }
    const origins: YearMonth[] = [];
    for (let o = latest; o >= earliest && origins.length < originCount; o = addMonths(o, -1))
      origins.unshift(o);
    const mine: BacktestPoint[] = [];
    for (const origin of origins) {
      options.onProgress?.(locationId, origin);
      const answer = forecastRevenue(ctx, locationId, { origin, months: horizons });
      if (!answer.ok) throw new Error(`backtest ${locationId} @ ${origin}: ${answer.error.message}`);
      const scoredCategories = meaningfulCategories(ctx, locationId, origin, minShare);
      const trailing = trailingMean(ctx, locationId, origin, history.first);
      for (const m of answer.forecast.months) {
        const actual = monthRevenue(ctx, locationId, m.month);
        const naive = seasonalNaive(ctx, locationId, m.month);
        mine.push({
          locationId,
          origin,
          month: m.month,
          horizon: m.horizon,
          actualCents: actual.netCents,
          modelCents: m.totalCents,
          naiveCents: naive.netCents,
          trailingMeanCents: trailing?.netCents ?? null,
          categories: scoredCategories.map((category) => ({
            category,
            actualCents: actual.categoryCents[category],
            modelCents: m.categories[category].cents,
            naiveCents: naive.categoryCents?.[category] ?? null,
            trailingMeanCents: trailing?.categoryCents[category] ?? null,
          })),
        });
      }
    }
    points.push(...mine);
    locations.push({ locationId, origins, byHorizon: mapeByHorizon(mine.map(totalScore), horizons) });
  }
  return {
    horizons,
    points,
    locations,
    pooled: mapeByHorizon(points.map(totalScore), horizons),
    byCategory: FORECAST_CATEGORIES.map((category) => ({
      category,
      byHorizon: mapeByHorizon(
        points.flatMap((p) =>
          p.categories
            .filter((c) => c.category === category)
            .map((c) => ({
              horizon: p.horizon,
              actual: c.actualCents,
              model: c.modelCents,
              naive: c.naiveCents,
              trailing: c.trailingMeanCents,
            })),
        ),
        horizons,
      ),
    })).filter((c) => c.byHorizon.some((r) => r.modelAllPairs > 0)),
  };
}

function totalScore(p: BacktestPoint): Scored {
  return {
    horizon: p.horizon,
    actual: p.actualCents,
    model: p.modelCents,
    naive: p.naiveCents,
    trailing: p.trailingMeanCents,
  };
}

/** Mean net revenue (and per category) of the 12 months up to the origin; null when they are not all complete. */
function trailingMean(
  ctx: MetricContext,
  locationId: string,
  origin: YearMonth,
  firstMonth: YearMonth,
): { netCents: number; categoryCents: Record<ForecastCategory, number> } | null {
  if (addMonths(origin, -11) < firstMonth) return null;
  const months = Array.from({ length: 12 }, (_, i) => monthRevenue(ctx, locationId, addMonths(origin, -i)));
  const categoryCents = {} as Record<ForecastCategory, number>;
  for (const c of FORECAST_CATEGORIES) {
    categoryCents[c] = Math.round(months.reduce((s, m) => s + m.categoryCents[c], 0) / 12);
  }
  return { netCents: Math.round(months.reduce((s, m) => s + m.netCents, 0) / 12), categoryCents };
}

/** Categories with at least `minShare` of the location's service revenue in the 12 months up to the origin. */
function meaningfulCategories(
  ctx: MetricContext,
  locationId: string,
  origin: YearMonth,
  minShare: number,
): ForecastCategory[] {
  const totals = new Map<ForecastCategory, number>();
  let service = 0;
  const history = completeMonths(ctx, locationId);
  for (let i = 0; i < 12; i += 1) {
    const month = addMonths(origin, -i);
    if (history && month < history.first) break;
    const revenue = monthRevenue(ctx, locationId, month);
    for (const c of FORECAST_CATEGORIES) {
      totals.set(c, (totals.get(c) ?? 0) + revenue.categoryCents[c]);
      service += revenue.categoryCents[c];
    }
  }
  return FORECAST_CATEGORIES.filter((c) => service > 0 && (totals.get(c) ?? 0) / service >= minShare);
}
