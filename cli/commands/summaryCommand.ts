import { addMonths, lastDayOfMonth, monthOf } from '../../shared/model/localDate';
import { formatCents } from '../../shared/model/money';
import { parsePeriodOrThrow, resolvePeriod } from '../../shared/periods/period';
import type { CaliperStore, LocationSummary } from '../../shared/store/store.port';

export interface PortfolioSummary {
  tenant: string;
  period: { label: string; start: string; end: string } | null;
  data_from: string | null;
  data_to: string | null;
  locations: (Omit<LocationSummary, 'net_revenue_cents'> & {
    net_revenue: number;
    status: 'open' | 'closed';
  })[];
  net_revenue: number;
  visits: number;
}

/**
 * The as-of month: the last month whose every day is covered by the data (a month that ends
 * after the last sale is still in progress). The metric engine refines this per location.
 */
function asOfMonth(lastSale: string): string {
  const month = monthOf(lastSale);
  return lastDayOfMonth(month) === lastSale ? month : addMonths(month, -1);
}

export async function portfolioSummary(store: CaliperStore, tenant: string): Promise<PortfolioSummary> {
  const range = await store.salesDateRange(tenant);
  const resolved = range ? resolvePeriod(parsePeriodOrThrow(`LTM@${asOfMonth(range.last)}`)) : null;
  const period = resolved?.success ? resolved.period : null;
  const rows = await store.locationSummaries(
    tenant,
    period?.start ?? '0000-01-01',
    period?.end ?? '0000-01-01',
  );
  const locations = rows.map(({ net_revenue_cents, ...rest }) => ({
    ...rest,
    net_revenue: net_revenue_cents / 100,
    status:
      rest.closed_on !== null && period !== null && rest.closed_on <= period.end
        ? ('closed' as const)
        : ('open' as const),
  }));
  return {
    tenant,
    period: period ? { label: period.label, start: period.start, end: period.end } : null,
    data_from: range?.first ?? null,
    data_to: range?.last ?? null,
    locations,
    net_revenue: rows.reduce((sum, r) => sum + r.net_revenue_cents, 0) / 100,
    visits: rows.reduce((sum, r) => sum + r.visits, 0),
  };
}

export function formatSummary(summary: PortfolioSummary): string {
  if (summary.locations.length === 0)
    return `Tenant "${summary.tenant}" has no data yet. Run: caliper ingest <bundle>`;
  const open = summary.locations.filter((l) => l.status === 'open').length;
  const lines = [
    `Portfolio "${summary.tenant}": ${summary.locations.length} locations (${open} open, ${summary.locations.length - open} closed), sales ${summary.data_from ?? '—'} … ${summary.data_to ?? '—'}`,
    summary.period
      ? `Figures for ${summary.period.label} (${summary.period.start} … ${summary.period.end}); net revenue excludes tax, tips and gift-card sales.`
      : '',
    '',
  ];
  const nameWidth = Math.max(8, ...summary.locations.map((l) => l.name.length));
  lines.push(
    `${'id'.padEnd(6)}  ${'location'.padEnd(nameWidth)}  ${'EMR'.padEnd(10)}  ${'opened'.padEnd(10)}  ${'status'.padEnd(6)}  ${'providers'.padStart(9)}  ${'visits'.padStart(8)}  ${'net revenue'.padStart(14)}`,
  );
  for (const l of summary.locations) {
    lines.push(
      `${l.location_id.padEnd(6)}  ${l.name.padEnd(nameWidth)}  ${(l.emr_system ?? '—').padEnd(10)}  ${(l.opened_on ?? 'unknown').padEnd(10)}  ${l.status.padEnd(6)}  ${String(l.providers).padStart(9)}  ${l.visits.toLocaleString('en-US').padStart(8)}  ${('$' + formatCents(Math.round(l.net_revenue * 100))).padStart(14)}`,
    );
  }
  lines.push(
    `${''.padEnd(6)}  ${'Portfolio'.padEnd(nameWidth)}  ${''.padEnd(10)}  ${''.padEnd(10)}  ${''.padEnd(6)}  ${''.padStart(9)}  ${summary.visits.toLocaleString('en-US').padStart(8)}  ${('$' + formatCents(Math.round(summary.net_revenue * 100))).padStart(14)}`,
  );
  return lines.join('\n');
}
