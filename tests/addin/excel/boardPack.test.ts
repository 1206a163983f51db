import { type BoardPackCell, type BoardPackInput, boardPackSheets } from '../../../addin/excel/boardPack';
import { CaliperFormula } from '../../../shared/model/spreadsheetCells';

/** The rows with each formula as its text (a string in the rows themselves is always text). */
const asText = (rows: BoardPackCell[][]) =>
  rows.map((row) => row.map((cell) => (cell instanceof CaliperFormula ? cell.text : cell)));

const input: BoardPackInput = {
  period: 'LTM',
  locations: [
    { id: 'L1', name: 'North Dallas' },
    { id: 'L2', name: 'Uptown' },
  ],
  providers: [
    { id: 'PR1', name: 'Jane Smith', locationIds: ['L1', 'L2'] },
    { id: 'PR2', name: 'Amy Lee', locationIds: ['L2'] },
  ],
  benchmarks: {
    metric: 'avg_ticket',
    label: 'Average ticket',
    unit: 'usd',
    asOf: '2026-11-27',
    rows: [
      {
        locationId: 'L1',
        value: 410,
        p25: 300,
        median: 380,
        p75: 450,
        percentile: 62,
        note: 'Cohort of 8 locations',
      },
      {
        locationId: 'L2',
        value: null,
        p25: null,
        median: null,
        p75: null,
        percentile: null,
        note: 'no data',
      },
    ],
  },
};

describe('boardPackSheets', () => {
  const sheets = boardPackSheets(input);

  it('lays out the four sheets in order, each with its own table name', () => {
    expect(sheets.map((s) => [s.name, s.tableName])).toEqual([
      ['Same-store', 'CaliperSameStore'],
      ['Provider P&L', 'CaliperProviderPnl'],
      ['Membership', 'CaliperMembership'],
      ['Benchmarks', 'CaliperBenchmarks'],
    ]);
  });

  it('writes one formula row per location then the portfolio, all reading the period from B2', () => {
    const sameStore = sheets[0]!;
    expect(sameStore.rows.every((row) => row.slice(1).every((c) => c instanceof CaliperFormula))).toBe(true);
    expect(asText(sameStore.rows)).toEqual([
      [
        'North Dallas',
        '=CALIPER.KPI("net_revenue","L1",$B$2)',
        '=CALIPER.KPI("same_store_revenue_growth","L1",$B$2)',
        '=CALIPER.KPI("visits","L1",$B$2)',
        '=CALIPER.KPI("same_store_visits_growth","L1",$B$2)',
      ],
      [
        'Uptown',
        '=CALIPER.KPI("net_revenue","L2",$B$2)',
        '=CALIPER.KPI("same_store_revenue_growth","L2",$B$2)',
        '=CALIPER.KPI("visits","L2",$B$2)',
        '=CALIPER.KPI("same_store_visits_growth","L2",$B$2)',
      ],
      [
        'Portfolio',
        '=CALIPER.KPI("net_revenue","PORTFOLIO",$B$2)',
        '=CALIPER.KPI("same_store_revenue_growth","PORTFOLIO",$B$2)',
        '=CALIPER.KPI("visits","PORTFOLIO",$B$2)',
        '=CALIPER.KPI("same_store_visits_growth","PORTFOLIO",$B$2)',
      ],
    ]);
    expect(sameStore.columns.map((c) => c.unit)).toEqual(['text', 'usd', 'ratio', 'count', 'ratio']);
    // The chart leaves the portfolio row out: it would dwarf the locations.
    expect(sameStore.chart).toEqual({
      type: 'ColumnClustered',
      title: 'Net revenue by location',
      series: 1,
      rows: 2,
    });
  });

  it('gives each provider one P&L row per location they work at', () => {
    const pnl = sheets[1]!;
    expect(asText(pnl.rows).map((r) => [r[0], r[1], r[5]])).toEqual([
      ['Jane Smith', '=CALIPER.KPI("provider_contribution","L1/PR1",$B$2)', 'North Dallas'],
      ['Jane Smith', '=CALIPER.KPI("provider_contribution","L2/PR1",$B$2)', 'Uptown'],
      ['Amy Lee', '=CALIPER.KPI("provider_contribution","L2/PR2",$B$2)', 'Uptown'],
    ]);
    expect(pnl.columns.map((c) => c.unit)).toEqual(['text', 'usd', 'usd', 'usd', 'ratio', 'text']);
  });

  it('writes benchmarks as dated values in the metric’s unit, unranked locations kept with their reason', () => {
    const b = sheets[3]!;
    expect(b.title).toBe(
      'Benchmarks: Average ticket against peers (values as of 2026-11-27; rebuild to update)',
    );
    expect(b.rows).toEqual([
      ['North Dallas', 410, 300, 380, 450, 62, 'Cohort of 8 locations'],
      ['Uptown', null, null, null, null, null, 'no data'],
    ]);
    expect(b.columns.map((c) => c.unit)).toEqual(['text', 'usd', 'usd', 'usd', 'usd', 'percentile', 'text']);
  });

  it('puts membership health per location with MRR charted', () => {
    const m = sheets[2]!;
    expect(m.columns.map((c) => c.header)).toEqual([
      'Location',
      'MRR',
      'Active members',
      'Revenue per member',
      'Churn rate',
      'Conversion rate',
    ]);
    expect(asText(m.rows)[0]?.[1]).toBe('=CALIPER.KPI("mrr","L1",$B$2)');
    expect(m.chart.title).toBe('MRR by location');
  });
});
