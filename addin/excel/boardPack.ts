/*
 * What the board pack writes, as data: four sheets, each a titled table of `=CALIPER.KPI`
 * formulas (so the pack refreshes like any other Caliper cell) with one chart. workbook.ts
 * turns these into Excel objects; keeping the layout here lets it be read and tested alone.
 * Names, ids and notes stay strings (written as text, see shared/model/spreadsheetCells.ts);
 * only the `CaliperFormula`s built here become formulas.
 */
import type { CaliperFormula } from '../../shared/model/spreadsheetCells';
import { kpiCaliperFormula } from './formulas';

export type ColumnUnit = 'text' | 'usd' | 'ratio' | 'count' | 'hours' | 'minutes' | 'percentile';

/** Finance formats: whole dollars, one-decimal percentages, grouped counts. */
export const NUMBER_FORMATS: Record<ColumnUnit, string> = {
  text: 'General',
  usd: '$#,##0',
  ratio: '0.0%',
  count: '#,##0',
  hours: '#,##0.0',
  minutes: '#,##0',
  percentile: '0',
};

export interface BoardPackColumn {
  header: string;
  unit: ColumnUnit;
}

/** A string is always text, however it starts; only a `CaliperFormula` is a formula. */
export type BoardPackCell = string | number | null | CaliperFormula;

export interface BoardPackChart {
  type: 'ColumnClustered' | 'BarClustered';
  title: string;
  /** The chart plots the first column (labels) and the next `series` columns... */
  series: number;
  /** ...over the first `rows` data rows (a portfolio total row would dwarf the locations). */
  rows: number;
}

export interface BoardPackSheet {
  name: string;
  tableName: string;
  title: string;
  /** Written beside "Period" in B2; every formula of the sheet refers to that cell. */
  period: string;
  columns: BoardPackColumn[];
  rows: BoardPackCell[][];
  chart: BoardPackChart;
}

export interface BoardPackLocation {
  id: string;
  name: string;
}

export interface BoardPackProvider {
  id: string;
  name: string;
  locationIds: string[];
}

export interface BenchmarkRow {
  locationId: string;
  value: number | null;
  p25: number | null;
  median: number | null;
  p75: number | null;
  percentile: number | null;
  note: string;
}

export interface BoardPackInput {
  period: string;
  locations: BoardPackLocation[];
  providers: BoardPackProvider[];
  benchmarks: {
    metric: string;
    label: string;
    unit: ColumnUnit;
    /** When the values were fetched: benchmarks are values, not formulas (no CALIPER function ranks). */
    asOf: string;
    rows: BenchmarkRow[];
  };
}

/** Every formula of a sheet reads its period from here, so changing B2 re-periods the sheet. */
export const PERIOD_CELL = '$B$2';
/** The table's header row; the title and the period sit above it. */
export const TABLE_HEADER_ROW = 4;

const PORTFOLIO_LABEL = 'Portfolio';

function kpi(metric: string, location?: string, provider?: string): CaliperFormula {
  return kpiCaliperFormula({
    metric,
    period: { ref: PERIOD_CELL },
    ...(location === undefined ? {} : { location }),
    ...(provider === undefined ? {} : { provider }),
  });
}

/** Rows of KPI formulas per location, then the portfolio row (empty location). */
function locationRows(input: BoardPackInput, metrics: readonly string[]): BoardPackCell[][] {
  return [
    ...input.locations.map((l) => [l.name, ...metrics.map((m) => kpi(m, l.id))]),
    [PORTFOLIO_LABEL, ...metrics.map((m) => kpi(m))],
  ];
}

function sameStore(input: BoardPackInput): BoardPackSheet {
  return {
    name: 'Same-store',
    tableName: 'CaliperSameStore',
    title: 'Same-store performance',
    period: input.period,
    columns: [
      { header: 'Location', unit: 'text' },
      { header: 'Net revenue', unit: 'usd' },
      { header: 'Same-store revenue growth', unit: 'ratio' },
      { header: 'Visits', unit: 'count' },
      { header: 'Same-store visits growth', unit: 'ratio' },
    ],
    rows: locationRows(input, [
      'net_revenue',
      'same_store_revenue_growth',
      'visits',
      'same_store_visits_growth',
    ]),
    chart: {
      type: 'ColumnClustered',
      title: 'Net revenue by location',
      series: 1,
      rows: input.locations.length,
    },
  };
}

function providerPnl(input: BoardPackInput): BoardPackSheet {
  const names = new Map(input.locations.map((l) => [l.id, l.name]));
  const metrics = [
    'provider_contribution',
    'provider_production',
    'provider_compensation',
    'comp_to_production_ratio',
  ];
  const rows = input.providers.flatMap((p) =>
    p.locationIds.map((locationId) => [
      p.name,
      ...metrics.map((m) => kpi(m, locationId, p.id)),
      names.get(locationId) ?? locationId,
    ]),
  );
  return {
    name: 'Provider P&L',
    tableName: 'CaliperProviderPnl',
    title: 'Provider P&L: production after compensation',
    period: input.period,
    columns: [
      { header: 'Provider', unit: 'text' },
      { header: 'Contribution', unit: 'usd' },
      { header: 'Production', unit: 'usd' },
      { header: 'Compensation', unit: 'usd' },
      { header: 'Comp / production', unit: 'ratio' },
      { header: 'Location', unit: 'text' },
    ],
    rows,
    chart: { type: 'BarClustered', title: 'Contribution by provider', series: 1, rows: rows.length },
  };
}

function membership(input: BoardPackInput): BoardPackSheet {
  return {
    name: 'Membership',
    tableName: 'CaliperMembership',
    title: 'Membership health',
    period: input.period,
    columns: [
      { header: 'Location', unit: 'text' },
      { header: 'MRR', unit: 'usd' },
      { header: 'Active members', unit: 'count' },
      { header: 'Revenue per member', unit: 'usd' },
      { header: 'Churn rate', unit: 'ratio' },
      { header: 'Conversion rate', unit: 'ratio' },
    ],
    rows: locationRows(input, [
      'mrr',
      'active_members',
      'arpm',
      'membership_churn_rate',
      'membership_conversion_rate',
    ]),
    chart: { type: 'ColumnClustered', title: 'MRR by location', series: 1, rows: input.locations.length },
  };
}

function benchmarks(input: BoardPackInput): BoardPackSheet {
  const { benchmarks: b } = input;
  const names = new Map(input.locations.map((l) => [l.id, l.name]));
  return {
    name: 'Benchmarks',
    tableName: 'CaliperBenchmarks',
    title: `Benchmarks: ${b.label} against peers (values as of ${b.asOf}; rebuild to update)`,
    period: input.period,
    columns: [
      { header: 'Location', unit: 'text' },
      { header: b.label, unit: b.unit },
      { header: 'Peer 25th percentile', unit: b.unit },
      { header: 'Peer median', unit: b.unit },
      { header: 'Peer 75th percentile', unit: b.unit },
      { header: 'Percentile (100 = best)', unit: 'percentile' },
      { header: 'Note', unit: 'text' },
    ],
    rows: b.rows.map((r) => [
      names.get(r.locationId) ?? r.locationId,
      r.value,
      r.p25,
      r.median,
      r.p75,
      r.percentile,
      r.note,
    ]),
    chart: {
      type: 'ColumnClustered',
      title: `${b.label} against the peer range`,
      series: 4,
      rows: b.rows.length,
    },
  };
}

/** The four board-pack sheets, in the order they are added to the workbook. */
export function boardPackSheets(input: BoardPackInput): BoardPackSheet[] {
  return [sameStore(input), providerPnl(input), membership(input), benchmarks(input)];
}
