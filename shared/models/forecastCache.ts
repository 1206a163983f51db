import type { MetricContext } from '../metrics/metricContext';
import type { YearMonth } from '../model/localDate';
import { completeMonths } from './forecastData';
import { forecastRevenue, type RevenueForecastAnswer } from './revenueForecast';

/**
 * Most answers one data version keeps: a workbook asks a few origins and horizons per location;
 * the bound only stops a stream of distinct origins from growing memory without end.
 */
export const MAX_CACHED_FORECASTS = 2_000;

/**
 * `forecastRevenue`'s answers on one MetricContext — one tenant at one data version — by
 * location, origin and months: a forecast takes about a second per location (mostly the BG/NBD
 * fit), and a workbook recalculating, or a portfolio forecast after a location's, asks again.
 * Like `ChurnCache`, the caller keeps one per context (the API in a WeakMap keyed by the
 * context), so a new ingest's context starts empty and an answer never outlives its data.
 */
export class ForecastCache {
  private readonly answers = new Map<string, RevenueForecastAnswer>();

  forecast(
    ctx: MetricContext,
    locationId: string,
    options: { origin?: YearMonth; months: number },
  ): RevenueForecastAnswer {
    // Not kept: a caller's made-up id must not take room from real answers.
    if (ctx.location(locationId) === undefined) return forecastRevenue(ctx, locationId, options);
    // The default origin is the data's last complete month, so it shares the explicit one's entry.
    const origin = options.origin ?? completeMonths(ctx, locationId)?.last ?? '';
    const key = JSON.stringify([locationId, origin, options.months]);
    const cached = this.answers.get(key);
    if (cached !== undefined) return cached;
    const answer = forecastRevenue(ctx, locationId, options);
    if (this.answers.size >= MAX_CACHED_FORECASTS) {
      const oldest = this.answers.keys().next();
      if (oldest.done !== true) this.answers.delete(oldest.value);
    }
    this.answers.set(key, answer);
    return answer;
  }

  get size(): number {
    return this.answers.size;
  }
}
