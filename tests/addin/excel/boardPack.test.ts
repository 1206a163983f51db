import {
  type BoardPackCell,
  type BoardPackInput,
  boardPackSheets,
  boardPackSummary,
  periodHeading,
  pinnedPeriod,
  type ProviderLine,
  rankProviderLines,
} from '../../../addin/excel/boardPack';
import { kpiFormula } from '../../../addin/excel/formulas';
import { CaliperFormula } from '../../../shared/model/spreadsheetCells';

/** The rows with each formula as its text (a string in the rows themselves is always text). */
const asText = (rows: BoardPackCell[][]) =>
  rows.map((row) => row.map((cell) => (cell instanceof CaliperFormula ? cell.text : cell)));

/** A formula's text without its string literals: the shape, whatever order formulas.ts writes. */
const shape = (cell: BoardPackCell) =>
  cell instanceof CaliperFormula ? cell.text.replace(/"(?:[^"]|"")*"/g, '""') : cell;

function line(n: number, production: number | null, compensation: number | null = 10): ProviderLine {
  return {
    providerId: `PR${n}`,
    name: `Provider ${String(n).padStart(2, '0')}`,
    locationId: n % 2 === 0 ? 'L1' : 'L2',
    production,
    compensation,
    contribution: production === null || compensation === null ? null : production - compensation,
  };
}

const input: BoardPackInput = {
  period: { typed: 'LTM', cell: 'LTM@2025-11', start: '2024-12-01', end: '2025-11-30' },
  asOfMonth: '2025-11',
  locations: [
    { id: 'L1', name: 'North Dallas' },
    { id: 'L2', name: 'Uptown' },
    { id: 'L3', name: 'Closed Mall' },
    { id: 'L4', name: 'New Build' },
  ],
  sameStore: {
    comparable: ['L1', 'L2'],
    excluded: [
      { locationId: 'L3', reason: 'closed 2025-03-31, before the end of the period' },
      { locationId: 'L4', reason: 'opened 2025-02-01, after the start of the prior year' },
    ],
  },
  providerLines: [
    ...Array.from({ length: 20 }, (_, i) => line(i + 1, 1000 + i * 100)),
    // Neither production nor pay in the period: no P&L line at all.
    line(21, null, null),
  ],
  benchmarks: {
    metric: 'avg_ticket',
    label: 'Average ticket',
    unit: 'usd',
    rows: [
      {
        locationId: 'L1',
        value: 410,
        p25: 300,
        median: 380,
        p75: 450,
        percentile: 62,
        cohort: 'size band M, region South',
        cohortSize: 8,
        note: '',
      },
      {
        locationId: 'L2',
        value: null,
        p25: null,
        median: null,
        p75: null,
        percentile: null,
        cohort: '',
        cohortSize: null,
        note: 'Fewer than 5 peers: not ranked',
      },
    ],
  },
};

describe('the period in the header', () => {
  it('states the period with its dates and the data’s as-of month', () => {
    expect(periodHeading(input.period, '2025-11')).toBe('LTM — Dec 2024 to Nov 2025 (as of Nov 2025)');
    expect(
      periodHeading({ typed: '2025-09', cell: '2025-09', start: '2025-09-01', end: '2025-09-30' }, '2025-11'),
    ).toBe('2025-09 — Sep 2025 (as of Nov 2025)');
    expect(
      periodHeading(
        {
          typed: '2025-01-15..2025-02-03',
          cell: '2025-01-15..2025-02-03',
          start: '2025-01-15',
          end: '2025-02-03',
        },
        null,
      ),
    ).toBe('2025-01-15..2025-02-03 — 2025-01-15 to 2025-02-03 (no month complete yet)');
  });

  it('pins B2 to the resolved period, or to its dates when the label is not a period', () => {
    expect(pinnedPeriod('LTM@2025-11', '2024-12-01', '2025-11-30')).toBe('LTM@2025-11');
    expect(pinnedPeriod('FY2026 (to 2026-10)', '2026-01-01', '2026-10-31')).toBe('2026-01-01..2026-10-31');
  });

  it('writes the pinned period in B2 and the heading beside it on every sheet', () => {
    for (const sheet of boardPackSheets(input)) {
      expect([sheet.period, sheet.heading]).toEqual([
        'LTM@2025-11',
        'LTM — Dec 2024 to Nov 2025 (as of Nov 2025)',
      ]);
    }
  });
});

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

  it('puts only the comparable set in the same-store rows, its total, and the exclusions with reasons', () => {
    const sameStore = sheets[0]!;
    expect(sameStore.title).toBe('Same-store performance: the 2 comparable of 4 locations');
    expect(sameStore.rows.map((r) => r[0])).toEqual(['North Dallas', 'Uptown', 'Comparable set (2)']);
    expect(asText(sameStore.rows).map((r) => r.slice(1).map((c) => String(c).includes('"L1"')))[0]).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(
      sameStore.rows.slice(0, 2).every((row) => row.slice(1).every((c) => c instanceof CaliperFormula)),
    ).toBe(true);
    expect(asText(sameStore.rows)[2]).toEqual([
      'Comparable set (2)',
      '=SUM(B5:B6)',
      kpiFormula({ metric: 'same_store_revenue_growth', period: { ref: '$B$2' } }),
      '=SUM(D5:D6)',
      kpiFormula({ metric: 'same_store_visits_growth', period: { ref: '$B$2' } }),
    ]);
    expect(sameStore.columns.map((c) => c.unit)).toEqual(['text', 'usd', 'ratio', 'count', 'ratio']);
    // The chart leaves the total row out.
    expect(sameStore.chart).toMatchObject({ type: 'ColumnClustered', series: 1, rows: 2 });
    expect(sameStore.moreTables).toEqual([
      {
        tableName: 'CaliperSameStoreExcluded',
        caption: 'Left out of the comparable set, and why',
        columns: [
          { header: 'Location', unit: 'text' },
          { header: 'Why it is not comparable', unit: 'text' },
        ],
        rows: [
          ['Closed Mall', 'closed 2025-03-31, before the end of the period'],
          ['New Build', 'opened 2025-02-01, after the start of the prior year'],
        ],
      },
    ]);
  });

  it('says so when every location is comparable', () => {
    const all = boardPackSheets({
      ...input,
      sameStore: { comparable: ['L1', 'L2', 'L3', 'L4'], excluded: [] },
    });
    expect(all[0]!.moreTables?.[0]?.rows).toEqual([['(none)', 'every location is comparable']]);
  });

  it('ranks providers by production: the top 15 as live formulas, the rest as one Other row', () => {
    const pnl = sheets[1]!;
    expect(pnl.rows).toHaveLength(16);
    expect(pnl.rows.slice(0, 15).map((r) => r[0])).toEqual(
      Array.from({ length: 15 }, (_, i) => `Provider ${String(20 - i).padStart(2, '0')}`),
    );
    expect(
      asText(pnl.rows)[0]
        ?.slice(1, 5)
        .every((c) => typeof c === 'string' && c.includes('"L1/PR20"')),
    ).toBe(true);
    expect(String(asText(pnl.rows)[0]?.[1])).toContain('provider_production');
    expect(pnl.rows[0]?.[5]).toBe('North Dallas');
    // Providers 1–5: 1000 + 1100 + 1200 + 1300 + 1400 of production, 10 of pay each.
    expect(pnl.rows[15]).toEqual([
      'Other (5 providers)',
      6000,
      50,
      5950,
      50 / 6000,
      '5 provider-location lines, values at build',
    ]);
    expect(pnl.columns.map((c) => c.header)).toEqual([
      'Provider',
      'Production',
      'Compensation',
      'Contribution',
      'Comp / production',
      'Location',
    ]);
    // The chart shows the 15 by name; "Other" would dwarf them.
    expect(pnl.chart).toEqual({
      type: 'BarClustered',
      title: 'Production by provider, top 15',
      series: 1,
      rows: 15,
    });
  });

  it('keeps every line without an Other row when there are 15 or fewer', () => {
    const { top, rest } = rankProviderLines(input.providerLines.slice(0, 3));
    expect([top.map((l) => l.providerId), rest]).toEqual([['PR3', 'PR2', 'PR1'], []]);
    expect(
      boardPackSheets({ ...input, providerLines: input.providerLines.slice(0, 3) })[1]!.rows,
    ).toHaveLength(3);
  });

  it('dates benchmarks by the data’s as-of month and names each cohort and its size', () => {
    const b = sheets[3]!;
    expect(b.title).toBe(
      'Benchmarks: Average ticket against peers, data as of Nov 2025 (values; rebuild to update)',
    );
    expect(b.rows).toEqual([
      ['North Dallas', 410, 300, 380, 450, 62, 'size band M, region South', 8, ''],
      ['Uptown', null, null, null, null, null, '', null, 'Fewer than 5 peers: not ranked'],
    ]);
    expect(b.columns.map((c) => c.header).slice(5)).toEqual([
      'Percentile (100 = best)',
      'Peer cohort',
      'Cohort size',
      'Note',
    ]);
  });

  it('puts membership health per location with MRR charted, every figure reading B2', () => {
    const m = sheets[2]!;
    expect(m.rows.map((r) => r[0])).toEqual([
      'North Dallas',
      'Uptown',
      'Closed Mall',
      'New Build',
      'Portfolio',
    ]);
    expect(m.rows.flatMap((r) => r.slice(1)).every((c) => shape(c) === '=CALIPER.KPI("","",$B$2)')).toBe(
      true,
    );
    expect(m.chart.title).toBe('MRR by location');
  });

  it('sums up what the pack holds for the pane', () => {
    expect(boardPackSummary(input)).toBe(
      'Same-store: 2 of 4 locations comparable (2 left out, the reasons on the sheet). ' +
        'Provider P&L: the top 15 of 20 provider lines by production, the rest as Other.',
    );
  });
});
