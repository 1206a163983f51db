import { comparableSet } from '../metrics/sameStore/comparableSet';
import {
  growth,
  locationLabel,
  locationScope,
  metricValue,
  periodWithDates,
  portfolioScope,
  type ReportContext,
  sumDollars,
} from './reportContext';
import type { ReportCell, ReportNamedCell, ReportSheet } from './reportSpec';

function sumCounts(values: readonly (number | null)[]): number | null {
  const present = values.filter((v): v is number => v !== null);
  return present.length === 0 ? null : present.reduce((a, b) => a + b, 0);
}

/**
 * The comparable set with each location's revenue and visits in P and PY. The total row's
 * growth is a formula over the sums, so the workbook itself shows that the same-store growth
 * is Σ current / Σ prior − 1 over the comparable locations (metrics.md, Same-store).
 */
export function sameStoreSheet(r: ReportContext, named: ReportNamedCell[]): ReportSheet {
  const set = comparableSet(
    r.ctx,
    r.locations.map((l) => l.location_id),
    r.period,
  );
  const byId = new Map(r.locations.map((l) => [l.location_id, l]));
  const figures = set.comparable.map((id) => {
    const scope = locationScope(id);
    return {
      id,
      revenue: metricValue(r, 'net_revenue', scope).value,
      revenuePy: metricValue(r, 'net_revenue', scope, r.priorText).value,
      visits: metricValue(r, 'visits', scope).value,
      visitsPy: metricValue(r, 'visits', scope, r.priorText).value,
    };
  });
  figures.sort(
    (a, b) => (growth(b.revenue, b.revenuePy) ?? -Infinity) - (growth(a.revenue, a.revenuePy) ?? -Infinity),
  );
  const rows: ReportCell[][] = figures.map((f) => {
    const location = byId.get(f.id);
    return [
      location ? locationLabel(location) : f.id,
      f.revenue,
      f.revenuePy,
      {
        formula: {
          kind: 'growth',
          current: 'revenue',
          prior: 'revenuePy',
          value: growth(f.revenue, f.revenuePy),
        },
      },
      f.visits,
      f.visitsPy,
      {
        formula: {
          kind: 'growth',
          current: 'visits',
          prior: 'visitsPy',
          value: growth(f.visits, f.visitsPy),
        },
      },
    ];
  });
  const revenue = sumDollars(figures.map((f) => f.revenue));
  const revenuePy = sumDollars(figures.map((f) => f.revenuePy));
  const visits = sumCounts(figures.map((f) => f.visits));
  const visitsPy = sumCounts(figures.map((f) => f.visitsPy));
  // For the whole portfolio the total row's formulas must show the engine's same-store growth.
  const wholePortfolio = r.locations.length === r.ctx.data.locations.length;
  const revenueGrowth = wholePortfolio
    ? metricValue(r, 'same_store_revenue_growth', portfolioScope).value
    : growth(revenue, revenuePy);
  const visitsGrowth = wholePortfolio
    ? metricValue(r, 'same_store_visits_growth', portfolioScope).value
    : growth(visits, visitsPy);
  const totalRow: ReportCell[] = [
    `Comparable set (${set.comparable.length})`,
    { formula: { kind: 'sum', value: revenue } },
    { formula: { kind: 'sum', value: revenuePy } },
    { formula: { kind: 'growth', current: 'revenue', prior: 'revenuePy', value: revenueGrowth } },
    { formula: { kind: 'sum', value: visits } },
    { formula: { kind: 'sum', value: visitsPy } },
    { formula: { kind: 'growth', current: 'visits', prior: 'visitsPy', value: visitsGrowth } },
  ];
  if (figures.length > 0) {
    named.push({
      name: 'SameStoreRevenueGrowth',
      table: 'SameStore_Comparable',
      row: 'total',
      column: 'revenueGrowth',
    });
  }
  const excludedRows: ReportCell[][] = set.excluded.map((e) => {
    const location = byId.get(e.location_id);
    return [location ? locationLabel(location) : e.location_id, e.reason];
  });
  return {
    name: 'Same-store',
    title: 'Same-store growth',
    subtitle: [
      `Period: ${periodWithDates(r.period)} against ${r.prior.start} – ${r.prior.end}`,
      `Comparable: open for the whole of both periods with a sale line in every month of both (${set.comparable.length} of ${r.locations.length} locations)`,
    ],
    tables: [
      {
        name: 'SameStore_Comparable',
        caption: 'Comparable locations, highest revenue growth first',
        columns: [
          { key: 'location', header: 'Location', unit: 'text', width: 36 },
          { key: 'revenue', header: `Net revenue ${r.period.label}`, unit: 'usd' },
          { key: 'revenuePy', header: 'Net revenue, prior year', unit: 'usd' },
          { key: 'revenueGrowth', header: 'Revenue growth', unit: 'ratio' },
          { key: 'visits', header: `Visits ${r.period.label}`, unit: 'count' },
          { key: 'visitsPy', header: 'Visits, prior year', unit: 'count' },
          { key: 'visitsGrowth', header: 'Visits growth', unit: 'ratio' },
        ],
        rows,
        totalRow,
      },
      {
        name: 'SameStore_Excluded',
        caption: 'Locations left out of the comparable set, and why',
        columns: [
          { key: 'location', header: 'Location', unit: 'text', width: 36 },
          { key: 'reason', header: 'Why it is not comparable', unit: 'text', width: 80 },
        ],
        rows:
          excludedRows.length > 0 ? excludedRows : [['(none)', 'every location of the pack is comparable']],
      },
    ],
    charts:
      figures.length > 0
        ? [
            {
              kind: 'bar',
              title: 'Same-store revenue growth by location',
              table: 'SameStore_Comparable',
              categoryColumn: 'location',
              valueColumns: ['revenueGrowth'],
            },
          ]
        : [],
    orientation: 'landscape',
  };
}
