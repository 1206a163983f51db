import { metricById } from '../metrics/catalog';
import { addMonths, firstDayOfMonth, lastDayOfMonth } from '../model/localDate';
import { monthsOf } from '../periods/period';
import {
  difference,
  growth,
  metricValue,
  periodWithDates,
  portfolioScope,
  type ReportContext,
} from './reportContext';
import type { ReportCell, ReportNamedCell, ReportSheet, ReportTable, ReportUnit } from './reportSpec';

/** The portfolio KPIs of the Summary, grouped by unit so every column has one format. */
export const SUMMARY_METRICS: readonly { caption: string; unit: ReportUnit; metrics: readonly string[] }[] = [
  {
    caption: 'Revenue and profitability',
    unit: 'usd',
    metrics: [
      'net_revenue',
      'service_revenue',
      'retail_revenue',
      'membership_revenue',
      'avg_ticket',
      'revenue_per_available_hour',
      'provider_contribution',
      'mrr',
    ],
  },
  {
    caption: 'Volume',
    unit: 'count',
    metrics: ['visits', 'new_patients', 'active_patients', 'active_members', 'leads'],
  },
  {
    caption: 'Rates (change in percentage points)',
    unit: 'ratio',
    metrics: [
      'rebooking_rate',
      'patient_retention_12m',
      'no_show_rate',
      'capacity_utilization',
      'comp_to_production_ratio',
      'membership_churn_rate',
      'vip_revenue_share',
    ],
  },
];

/** Workbook names of the key figures: `NetRevenue`, `NetRevenue_PY`, `NetRevenue_Growth`. */
const NAMED: Record<string, string> = {
  net_revenue: 'NetRevenue',
  visits: 'Visits',
  provider_contribution: 'ProviderContribution',
};

function kpiTable(r: ReportContext, index: number, named: ReportNamedCell[]): ReportTable {
  const group = SUMMARY_METRICS[index];
  if (!group) throw new Error(`no summary group ${index}`);
  const isRate = group.unit === 'ratio';
  const name = `Summary_${['Revenue', 'Volume', 'Rates'][index] ?? index}`;
  const rows: ReportCell[][] = group.metrics.map((metric, row) => {
    const current = metricValue(r, metric, portfolioScope);
    const prior = metricValue(r, metric, portfolioScope, r.priorText);
    const label = metricById(metric)?.label ?? metric;
    const alias = NAMED[metric];
    if (alias !== undefined) {
      named.push({ name: alias, table: name, row, column: 'current' });
      named.push({ name: `${alias}_PY`, table: name, row, column: 'prior' });
      if (!isRate) named.push({ name: `${alias}_Growth`, table: name, row, column: 'growth' });
    }
    const note =
      current.note !== ''
        ? current.note
        : prior.value === null && prior.note !== ''
          ? `prior year: ${prior.note}`
          : '';
    const change: ReportCell = {
      formula: {
        kind: 'difference',
        minuend: 'current',
        subtrahend: 'prior',
        value: difference(current.value, prior.value),
      },
    };
    return isRate
      ? [label, current.value, prior.value, change, note]
      : [
          label,
          current.value,
          prior.value,
          change,
          {
            formula: {
              kind: 'growth',
              current: 'current',
              prior: 'prior',
              value: growth(current.value, prior.value),
            },
          },
          note,
        ];
  });
  return {
    name,
    caption: group.caption,
    columns: [
      { key: 'metric', header: 'Metric', unit: 'text', width: 34 },
      { key: 'current', header: r.period.label, unit: group.unit },
      { key: 'prior', header: 'Prior year', unit: group.unit },
      { key: 'change', header: isRate ? 'Change (pp)' : 'Change', unit: isRate ? 'ratio' : group.unit },
      ...(isRate ? [] : [{ key: 'growth', header: 'Growth', unit: 'ratio' as const }]),
      { key: 'note', header: 'Note', unit: 'text', width: 48 },
    ],
    rows,
  };
}

/** Net revenue month by month against the same month a year earlier: the chart's table. */
function monthlyTable(r: ReportContext): ReportTable {
  const months = monthsOf(r.period);
  const rows: ReportCell[][] = months.map((month) => {
    const from = r.period.start > firstDayOfMonth(month) ? r.period.start : firstDayOfMonth(month);
    const to = r.period.end < lastDayOfMonth(month) ? r.period.end : lastDayOfMonth(month);
    const current = metricValue(r, 'net_revenue', portfolioScope, `${from}..${to}`).value;
    const priorMonth = addMonths(month, -12);
    const prior = metricValue(
      r,
      'net_revenue',
      portfolioScope,
      `${firstDayOfMonth(priorMonth)}..${lastDayOfMonth(priorMonth)}`,
    ).value;
    return [
      firstDayOfMonth(month),
      current,
      prior,
      { formula: { kind: 'growth', current: 'current', prior: 'prior', value: growth(current, prior) } },
    ];
  });
  return {
    name: 'Summary_Monthly',
    caption: 'Net revenue by month',
    columns: [
      { key: 'month', header: 'Month', unit: 'date' },
      { key: 'current', header: 'Net revenue', unit: 'usd' },
      { key: 'prior', header: 'Same month, prior year', unit: 'usd' },
      { key: 'growth', header: 'Growth', unit: 'ratio' },
    ],
    rows,
  };
}

export function summarySheet(r: ReportContext, basis: string, named: ReportNamedCell[]): ReportSheet {
  const open = r.locations.filter((l) => l.closed_on === null || l.closed_on > r.period.end).length;
  return {
    name: 'Summary',
    title: 'Portfolio summary',
    subtitle: [
      `Period: ${periodWithDates(r.period)}; prior year ${r.prior.start} – ${r.prior.end}`,
      `Data as of: ${r.asOfMonth ?? 'no complete month yet'} (the latest month every open location has complete data)`,
      `Scope: the portfolio of ${r.ctx.data.locations.length} location${r.ctx.data.locations.length === 1 ? '' : 's'} (${open} open at the end of the period)`,
      `Basis: ${basis}`,
      ...(r.asOfMonth !== null && r.period.end > lastDayOfMonth(r.asOfMonth)
        ? [
            `Caution: ${r.period.label} runs past the as-of month; its figures after ${r.asOfMonth} are partial`,
          ]
        : []),
    ],
    tables: [kpiTable(r, 0, named), kpiTable(r, 1, named), kpiTable(r, 2, named), monthlyTable(r)],
    notes: [
      'Growth = current / prior year − 1, and Change = current − prior year, are live formulas; a blank cell has no value (see Note), never a zero.',
      'Every figure is computed by the Caliper metric engine; definitions are on the Definitions sheet.',
    ],
    charts: [
      {
        kind: 'column',
        title: 'Net revenue by month vs prior year',
        table: 'Summary_Monthly',
        categoryColumn: 'month',
        valueColumns: ['current', 'prior'],
      },
    ],
    orientation: 'landscape',
  };
}
