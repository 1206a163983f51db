/*
 * A location's status as the overview shows it, from the portfolio's location fields and
 * freshness. A location closed on or before today is Closed, whatever its last sale: its data
 * stops because it stopped trading, not because an upload is missing. An open location whose
 * last sale trails the portfolio's newest by more than a month is Stale.
 */
import type { Portfolio } from '../api/caliperClient';

export type FreshnessStatus = 'open' | 'stale' | 'closed' | 'not_opened' | 'no_sales';

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
  openedOn: string | null;
  closedOn: string | null;
  status: FreshnessStatus;
  /** Days behind the portfolio's newest sale; null without sales. */
  daysBehind: number | null;
}

/** `today` is YYYY-MM-DD (UTC by default); a parameter so tests can fix it. */
export function locationFreshness(
  portfolio: Portfolio,
  today: string = new Date().toISOString().slice(0, 10),
): LocationFreshness[] {
  const byLocation = new Map(portfolio.data_freshness.map((f) => [f.location_id, f]));
  const lastSales = portfolio.locations
    .map((l) => byLocation.get(l.location_id)?.last_sale_on ?? l.last_sale_on)
    .filter((d): d is string => d !== null);
  const newest = lastSales.length === 0 ? null : Math.max(...lastSales.map(dayNumber));
  const todayNumber = dayNumber(today);
  return portfolio.locations.map((l) => {
    const fresh = byLocation.get(l.location_id);
    const lastSaleOn = fresh?.last_sale_on ?? l.last_sale_on;
    const daysBehind = lastSaleOn === null || newest === null ? null : newest - dayNumber(lastSaleOn);
    let status: FreshnessStatus;
    if (l.closed_on !== null && dayNumber(l.closed_on) <= todayNumber) status = 'closed';
    else if (l.opened_on !== null && dayNumber(l.opened_on) > todayNumber) status = 'not_opened';
    else if (daysBehind === null) status = 'no_sales';
    else status = daysBehind > STALE_AFTER_DAYS ? 'stale' : 'open';
    return {
      locationId: l.location_id,
      name: l.name,
      lastSaleOn,
      lastIngestAt: fresh?.last_ingest_at ?? null,
      openedOn: l.opened_on,
      closedOn: l.closed_on,
      status,
      daysBehind,
    };
  });
}
