/*
 * A location's data-quality status as the overview shows it, from the portfolio's freshness:
 * a location whose last sale trails the portfolio's newest by more than a month is stale.
 */
import type { Portfolio } from '../api/caliperClient';

export type FreshnessStatus = 'current' | 'stale' | 'no_sales';

/** More than this many days behind the newest sale of the portfolio is stale. */
export const STALE_AFTER_DAYS = 35;

const DAY_MS = 86_400_000;

function dayNumber(date: string): number {
  return Date.parse(`${date.slice(0, 10)}T00:00:00Z`) / DAY_MS;
}

export interface LocationFreshness {
  locationId: string;
  name: string;
  lastSaleOn: string | null;
  lastIngestAt: string | null;
  status: FreshnessStatus;
  /** Days behind the portfolio's newest sale; null without sales. */
  daysBehind: number | null;
}

export function locationFreshness(portfolio: Portfolio): LocationFreshness[] {
  const byLocation = new Map(portfolio.data_freshness.map((f) => [f.location_id, f]));
  const lastSales = portfolio.locations
    .map((l) => byLocation.get(l.location_id)?.last_sale_on ?? l.last_sale_on)
    .filter((d): d is string => d !== null);
  const newest = lastSales.length === 0 ? null : Math.max(...lastSales.map(dayNumber));
  return portfolio.locations.map((l) => {
    const fresh = byLocation.get(l.location_id);
    const lastSaleOn = fresh?.last_sale_on ?? l.last_sale_on;
    const daysBehind = lastSaleOn === null || newest === null ? null : newest - dayNumber(lastSaleOn);
    const status: FreshnessStatus =
      daysBehind === null ? 'no_sales' : daysBehind > STALE_AFTER_DAYS ? 'stale' : 'current';
    return {
      locationId: l.location_id,
      name: l.name,
      lastSaleOn,
      lastIngestAt: fresh?.last_ingest_at ?? null,
      status,
      daysBehind,
    };
  });
}
