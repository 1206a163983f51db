/*
 * What the board pack writes, as data: four sheets, each a titled table of `=CALIPER.KPI`
 * formulas (so the pack refreshes like any other Caliper cell) with one chart. workbook.ts
 * turns these into Excel objects; keeping the layout here lets it be read and tested alone.
 * Names, ids and notes stay strings (written as text, see shared/model/spreadsheetCells.ts);
 * only the `CaliperFormula`s built here become formulas.
 *
 * The rules are the server workbook's (shared/report/): same-store rows are the comparable set
 * only, the exclusions listed with their reasons; providers are ranked by production; the
 * benchmarks name their cohort and are dated by the data's as-of month.
 */
import { lastDayOfMonth } from '../../shared/model/localDate';
import { type CaliperFormula, cellRef, formula } from '../../shared/model/spreadsheetCells';
import { parsePeriod } from '../../shared/periods/period';
import { monthText } from '../taskpane/figureText';
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
  /** ...over the first `rows` data rows (a total or "Other" row would dwarf the rest). */
  rows: number;
}

/** A second table below the first (the same-store exclusions), with a caption above it. */
export interface BoardPackTable {
  tableName: string;
  caption: string;
  columns: BoardPackColumn[];
  rows: BoardPackCell[][];
}

export interface BoardPackSheet {
  name: string;
  tableName: string;
  title: string;
  /** Written beside "Period" in B2; every formula of the sheet refers to that cell. */
  period: string;
  /** Written in C2: the period in words with its dates and the data's as-of month. */
  heading: string;
  columns: BoardPackColumn[];
  rows: BoardPackCell[][];
  chart: BoardPackChart;
  /** Tables below the first, each two rows under the one before. */
  moreTables?: BoardPackTable[];
}

export interface BoardPackLocation {
  id: string;
  name: string;
}

/** A provider at one location, with the figures the pack ranks and totals by. */
export interface ProviderLine {
  providerId: string;
  name: string;
  locationId: string;
  production: number | null;
  compensation: number | null;
  contribution: number | null;
}

export interface BenchmarkRow {
  locationId: string;
  value: number | null;
  p25: number | null;
  median: number | null;
  p75: number | null;
  percentile: number | null;
  /** The peer cohort the location was ranked in, in words; empty when not ranked. */
  cohort: string;
  cohortSize: number | null;
  note: string;
}

export interface BoardPackPeriod {
  /** As the user typed it (`LTM`). */
  typed: string;
  /** What B2 holds: the period pinned to the dates below (`LTM@2025-11`), see `pinnedPeriod`. */
  cell: string;
  start: string;
  end: string;
}

export interface BoardPackInput {
  period: BoardPackPeriod;
  /** The data's as-of month (YYYY-MM): the latest month complete for every open location. */
  asOfMonth: string | null;
  locations: BoardPackLocation[];
  /** The API's comparable set for the period and the locations left out, with the reason. */
  sameStore: { comparable: string[]; excluded: { locationId: string; reason: string }[] };
  providerLines: ProviderLine[];
  benchmarks: {
    metric: string;
    label: string;
    unit: ColumnUnit;
    rows: BenchmarkRow[];
  };
}

/** Every formula of a sheet reads its period from here, so changing B2 re-periods the sheet. */
export const PERIOD_CELL = '$B$2';
/** The table's header row; the title and the period sit above it. */
export const TABLE_HEADER_ROW = 4;
/** Providers shown by name; the rest are one "Other" row. */
export const TOP_PROVIDERS = 15;

const PORTFOLIO_LABEL = 'Portfolio';

/**
 * The period text B2 holds: the API's resolved label when it is itself a period (`LTM@2025-11`,
 * `FY2025`), else the dates as a range. A bare `LTM` in B2 would roll forward with the next
 * upload while the heading still named the old dates; pinned, the figures and the heading agree.
 */
export function pinnedPeriod(label: string, start: string, end: string): string {
  return parsePeriod(label).success ? label : `${start}..${end}`;
}

function isWholeMonths(start: string, end: string): boolean {
  return start.endsWith('-01') && end === lastDayOfMonth(end.slice(0, 7));
}

/** `LTM — Dec 2024 to Nov 2025 (as of Nov 2025)`. */
export function periodHeading(period: BoardPackPeriod, asOfMonth: string | null): string {
  const wholeMonths = isWholeMonths(period.start, period.end);
  const first = wholeMonths ? monthText(period.start) : period.start;
  const last = wholeMonths ? monthText(period.end) : period.end;
  const dates = first === last ? first : `${first} to ${last}`;
  const asOf = asOfMonth === null ? 'no month complete yet' : `as of ${monthText(asOfMonth)}`;
  return `${period.typed} — ${dates} (${asOf})`;
}

function kpi(metric: string, location?: string, provider?: string): CaliperFormula {
  return kpiCaliperFormula({
    metric,
    period: { ref: PERIOD_CELL },
    ...(location === undefined ? {} : { location }),
    ...(provider === undefined ? {} : { provider }),
  });
}

/** `=SUM(B5:B9)` over a column of the first table's data rows. */
function columnSum(column: string, rows: number): CaliperFormula {
  const first = TABLE_HEADER_ROW + 1;
  return formula`=SUM(${cellRef(`${column}${first}:${column}${first + rows - 1}`)})`;
}

function sheetBase(input: BoardPackInput) {
  return { period: input.period.cell, heading: periodHeading(input.period, input.asOfMonth) };
}

function sameStore(input: BoardPackInput): BoardPackSheet {
  const names = new Map(input.locations.map((l) => [l.id, l.name]));
  const { comparable, excluded } = input.sameStore;
  const rows: BoardPackCell[][] = comparable.map((id) => [
    names.get(id) ?? id,
    kpi('net_revenue', id),
    kpi('same_store_revenue_growth', id),
    kpi('visits', id),
    kpi('same_store_visits_growth', id),
  ]);
  // The total is the comparable set's: sums of its rows, and the engine's same-store growth.
  if (comparable.length > 0) {
    rows.push([
      `Comparable set (${comparable.length})`,
      columnSum('B', comparable.length),
      kpi('same_store_revenue_growth'),
      columnSum('D', comparable.length),
      kpi('same_store_visits_growth'),
    ]);
  }
  return {
    name: 'Same-store',
    tableName: 'CaliperSameStore',
    title: `Same-store performance: the ${comparable.length} comparable of ${input.locations.length} locations`,
    ...sheetBase(input),
    columns: [
      { header: 'Location', unit: 'text' },
      { header: 'Net revenue', unit: 'usd' },
      { header: 'Same-store revenue growth', unit: 'ratio' },
      { header: 'Visits', unit: 'count' },
      { header: 'Same-store visits growth', unit: 'ratio' },
    ],
    rows,
    chart: {
      type: 'ColumnClustered',
      title: 'Net revenue by comparable location',
      series: 1,
      rows: comparable.length,
    },
    moreTables: [
      {
        tableName: 'CaliperSameStoreExcluded',
        caption: 'Left out of the comparable set, and why',
        columns: [
          { header: 'Location', unit: 'text' },
          { header: 'Why it is not comparable', unit: 'text' },
        ],
        rows:
          excluded.length > 0
            ? excluded.map((e) => [names.get(e.locationId) ?? e.locationId, e.reason])
            : [['(none)', 'every location is comparable']],
      },
    ],
  };
}

/** Σ in cents, back to dollars, as a SUM of the column would show; null when none has a value. */
function sumDollars(values: readonly (number | null)[]): number | null {
  const present = values.filter((v): v is number => v !== null);
  if (present.length === 0) return null;
  return present.reduce((total, v) => total + Math.round(v * 100), 0) / 100;
}

/**
 * Provider lines largest production first: the top `TOP_PROVIDERS` by name, the rest summed.
 * A line with neither production nor pay in the period (left, not yet started) has no P&L
 * line, as in the server workbook.
 */
export function rankProviderLines(lines: readonly ProviderLine[]): {
  top: ProviderLine[];
  rest: ProviderLine[];
} {
  const ranked = lines
    .filter((l) => (l.production ?? 0) !== 0 || l.compensation !== null)
    .sort(
      (a, b) =>
        (b.production ?? -Infinity) - (a.production ?? -Infinity) ||
        a.name.localeCompare(b.name) ||
        a.locationId.localeCompare(b.locationId),
    );
  return { top: ranked.slice(0, TOP_PROVIDERS), rest: ranked.slice(TOP_PROVIDERS) };
}

function otherRow(rest: readonly ProviderLine[]): BoardPackCell[] {
  const production = sumDollars(rest.map((l) => l.production));
  const compensation = sumDollars(rest.map((l) => l.compensation));
  const providers = new Set(rest.map((l) => l.providerId)).size;
  return [
    `Other (${providers} provider${providers === 1 ? '' : 's'})`,
    production,
    compensation,
    sumDollars(rest.map((l) => l.contribution)),
    // metrics.md: no ratio when production is zero or negative.
    production === null || compensation === null || production <= 0 ? null : compensation / production,
    `${rest.length} provider-location lines, values at build`,
  ];
}

function providerPnl(input: BoardPackInput): BoardPackSheet {
  const names = new Map(input.locations.map((l) => [l.id, l.name]));
  const { top, rest } = rankProviderLines(input.providerLines);
  const rows: BoardPackCell[][] = top.map((l) => [
    l.name,
    kpi('provider_production', l.locationId, l.providerId),
    kpi('provider_compensation', l.locationId, l.providerId),
    kpi('provider_contribution', l.locationId, l.providerId),
    kpi('comp_to_production_ratio', l.locationId, l.providerId),
    names.get(l.locationId) ?? l.locationId,
  ]);
  if (rest.length > 0) rows.push(otherRow(rest));
  return {
    name: 'Provider P&L',
    tableName: 'CaliperProviderPnl',
    title: `Provider P&L: the top ${TOP_PROVIDERS} by production, the rest as Other`,
    ...sheetBase(input),
    columns: [
      { header: 'Provider', unit: 'text' },
      { header: 'Production', unit: 'usd' },
      { header: 'Compensation', unit: 'usd' },
      { header: 'Contribution', unit: 'usd' },
      { header: 'Comp / production', unit: 'ratio' },
      { header: 'Location', unit: 'text' },
    ],
    rows,
    chart: {
      type: 'BarClustered',
      title: `Production by provider, top ${top.length}`,
      series: 1,
      rows: top.length,
    },
  };
}

function membership(input: BoardPackInput): BoardPackSheet {
  const metrics = ['mrr', 'active_members', 'arpm', 'membership_churn_rate', 'membership_conversion_rate'];
  return {
    name: 'Membership',
    tableName: 'CaliperMembership',
    title: 'Membership health',
    ...sheetBase(input),
    columns: [
      { header: 'Location', unit: 'text' },
      { header: 'MRR', unit: 'usd' },
      { header: 'Active members', unit: 'count' },
      { header: 'Revenue per member', unit: 'usd' },
      { header: 'Churn rate', unit: 'ratio' },
      { header: 'Conversion rate', unit: 'ratio' },
    ],
    rows: [
      ...input.locations.map((l) => [l.name, ...metrics.map((m) => kpi(m, l.id))]),
      [PORTFOLIO_LABEL, ...metrics.map((m) => kpi(m))],
    ],
    chart: { type: 'ColumnClustered', title: 'MRR by location', series: 1, rows: input.locations.length },
  };
}

function benchmarks(input: BoardPackInput): BoardPackSheet {
  const { benchmarks: b } = input;
  const names = new Map(input.locations.map((l) => [l.id, l.name]));
  const asOf = input.asOfMonth === null ? 'no complete month' : monthText(input.asOfMonth);
  return {
    name: 'Benchmarks',
    tableName: 'CaliperBenchmarks',
    title: `Benchmarks: ${b.label} against peers, data as of ${asOf} (values; rebuild to update)`,
    ...sheetBase(input),
    columns: [
      { header: 'Location', unit: 'text' },
      { header: b.label, unit: b.unit },
      { header: 'Peer 25th percentile', unit: b.unit },
      { header: 'Peer median', unit: b.unit },
      { header: 'Peer 75th percentile', unit: b.unit },
      { header: 'Percentile (100 = best)', unit: 'percentile' },
      { header: 'Peer cohort', unit: 'text' },
      { header: 'Cohort size', unit: 'count' },
      { header: 'Note', unit: 'text' },
    ],
    rows: b.rows.map((r) => [
      names.get(r.locationId) ?? r.locationId,
      r.value,
      r.p25,
      r.median,
      r.p75,
      r.percentile,
      r.cohort,
      r.cohortSize,
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

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** What the pane says the pack holds: how many locations are comparable, how many providers named. */
export function boardPackSummary(input: BoardPackInput): string {
  const { comparable, excluded } = input.sameStore;
  const { top, rest } = rankProviderLines(input.providerLines);
  const left =
    excluded.length === 0 ? 'none left out' : `${excluded.length} left out, the reasons on the sheet`;
  const providers =
    rest.length === 0
      ? `every provider line (${top.length})`
      : `the top ${top.length} of ${top.length + rest.length} provider lines by production, the rest as Other`;
  return (
    `Same-store: ${comparable.length} of ${plural(input.locations.length, 'location')} comparable (${left}). ` +
    `Provider P&L: ${providers}.`
  );
}

/** The names of the sheets the pack writes (and replaces), in order. */
export const BOARD_PACK_SHEET_NAMES: readonly string[] = [
  'Same-store',
  'Provider P&L',
  'Membership',
  'Benchmarks',
];
