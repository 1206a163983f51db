/*
 * A small hand-made board pack for the workbook writer's tests: three sheets, a total row,
 * growth / ratio / difference formulas (with blank and zero denominators), a colour-scale
 * grid, a column, a bar and a line chart, named cells (one on a sheet whose name holds an
 * apostrophe and an ampersand), date and date-time columns, and location names written to
 * be read as formulas.
 *
 * Each formula's `value` is what the engine would say, computed here in plain arithmetic,
 * rounded to the cent for dollars as the engine rounds.
 */

import type { ReportCell, ReportFormula, ReportWorkbook } from '../../shared/report/reportSpec';

/** Texts a spreadsheet would read as formulas if they were typed or imported. */
export const HOSTILE_TEXTS = [
  '=HYPERLINK("http://x","y")',
  '+1+1',
  '-2+3',
  '@SUM(A1)',
  '\tTabbed Spa',
  '\r=1+1 Return Spa',
] as const;

const cents = (n: number) => Math.round(n * 100) / 100;
const f = (formula: ReportFormula): ReportCell => ({ formula });
const growth = (current: number | null, prior: number | null): ReportCell =>
  f({
    kind: 'growth',
    current: 'current',
    prior: 'prior',
    value: current === null || prior === null || prior === 0 ? null : current / prior - 1,
  });
const change = (current: number | null, prior: number | null): ReportCell =>
  f({
    kind: 'difference',
    minuend: 'current',
    subtrahend: 'prior',
    value: current === null || prior === null ? null : cents(current - prior),
  });
const perVisit = (current: number | null, visits: number | null): ReportCell =>
  f({
    kind: 'ratio',
    numerator: 'current',
    denominator: 'visits',
    value: current === null || visits === null || visits === 0 ? null : current / visits,
  });

interface Location {
  name: string;
  opened: string;
  current: number | null;
  prior: number | null;
  visits: number | null;
  utilization: number | null;
  note: string | null;
}

export const LOCATIONS: Location[] = [
  {
    name: 'Austin – Domain',
    opened: '2019-04-15',
    current: 1_284_310.55,
    prior: 1_190_402.1,
    visits: 6120,
    utilization: 0.812,
    note: null,
  },
  {
    name: HOSTILE_TEXTS[0],
    opened: '2020-09-01',
    current: 948_220.07,
    prior: 1_002_115.93,
    visits: 4410,
    utilization: 0.744,
    note: 'Renovation in Q2',
  },
  {
    name: HOSTILE_TEXTS[1],
    opened: '2021-01-11',
    current: 610_004.99,
    prior: 0,
    visits: 2980,
    utilization: 0.655,
    note: 'Prior year closed',
  },
  {
    name: HOSTILE_TEXTS[2],
    opened: '2025-12-01',
    current: 203_117.42,
    prior: null,
    visits: 0,
    utilization: null,
    note: 'Opened 2025-12 (no prior)',
  },
  {
    name: HOSTILE_TEXTS[3],
    opened: '2018-06-30',
    current: 1_502_896.3,
    prior: 1_388_010.45,
    visits: 7254,
    utilization: 0.901,
    note: '@risk: lease renewal',
  },
  {
    name: HOSTILE_TEXTS[4],
    opened: '2022-03-07',
    current: 455_600,
    prior: 470_250.5,
    visits: 2010,
    utilization: 0.59,
    note: '-12% walk-ins',
  },
  {
    name: HOSTILE_TEXTS[5],
    opened: 'not a date',
    current: null,
    prior: 120_000,
    visits: null,
    utilization: null,
    note: '=1+1',
  },
];

const sum = (values: (number | null)[]): number | null => {
  const numbers = values.filter((v): v is number => v !== null);
  return numbers.length === 0 ? null : cents(numbers.reduce((a, b) => a + b, 0));
};

export const TOTAL_CURRENT = sum(LOCATIONS.map((l) => l.current))!;
export const TOTAL_PRIOR = sum(LOCATIONS.map((l) => l.prior))!;
const TOTAL_VISITS = sum(LOCATIONS.map((l) => l.visits))!;

const PROVIDERS = [
  { name: 'Dr. Rivera', months: [0.92, 0.88, 0.95, 0.81], hours: 612.5, minutes: 48, percentile: 91 },
  { name: 'N.P. Okafor', months: [0.74, 0.79, 0.71, 0.83], hours: 540.25, minutes: 52, percentile: 67 },
  { name: '=cmd|" /C calc"!A0', months: [0.55, null, 0.61, 0.58], hours: 301, minutes: 61, percentile: 22 },
  { name: "O'Neil, RN", months: [0.66, 0.7, 0.69, 0.72], hours: 488.75, minutes: 45, percentile: 50 },
];

const MONTHS = [
  { month: '2026-07-01', revenue: 402_118.21, members: 1811, at: '2026-08-01T09:30:00' },
  { month: '2026-08-01', revenue: 415_902.64, members: 1838, at: '2026-09-01T09:30:00' },
  { month: '2026-09-01', revenue: 398_310.05, members: 1846, at: '2026-10-01T10:05:00' },
  { month: '2026-10-01', revenue: 431_775.9, members: 1873, at: '2026-11-02T08:15:00' },
];

export const MEMBERS_SHEET = "Members' Health & Churn";

export const FIXTURE: ReportWorkbook = {
  title: 'Board pack – Example Aesthetics Portfolio – LTM@2026-10',
  createdAt: '2026-11-03T14:05:00Z',
  sheets: [
    {
      name: 'Summary',
      title: 'Net revenue by location',
      subtitle: [
        'LTM@2026-10 (2025-11-01 … 2026-10-31) vs the prior LTM (2024-11-01 … 2025-10-31)',
        'Scope: 7 locations (5 same-store); as of 2026-11-03',
        'Net revenue excludes tax, tips and gift-card sales.',
      ],
      orientation: 'landscape',
      tables: [
        {
          name: 'LocationRevenue',
          caption: 'Net revenue, growth and revenue per visit',
          columns: [
            { key: 'location', header: 'Location', unit: 'text' },
            { key: 'opened', header: 'Opened', unit: 'date' },
            { key: 'current', header: 'Net revenue LTM', unit: 'usd' },
            { key: 'prior', header: 'Net revenue prior LTM', unit: 'usd' },
            { key: 'growth', header: 'Growth', unit: 'ratio' },
            { key: 'change', header: 'Change', unit: 'usd' },
            { key: 'visits', header: 'Visits', unit: 'count' },
            { key: 'perVisit', header: 'Revenue per visit', unit: 'usd' },
            { key: 'utilization', header: 'Utilization', unit: 'ratio' },
            { key: 'note', header: 'Note', unit: 'text', width: 26 },
          ],
          rows: LOCATIONS.map((l) => [
            l.name,
            l.opened,
            l.current,
            l.prior,
            growth(l.current, l.prior),
            change(l.current, l.prior),
            l.visits,
            perVisit(l.current, l.visits),
            l.utilization,
            l.note,
          ]),
          totalRow: [
            'Total',
            null,
            f({ kind: 'sum', value: TOTAL_CURRENT }),
            f({ kind: 'sum', value: TOTAL_PRIOR }),
            growth(TOTAL_CURRENT, TOTAL_PRIOR),
            change(TOTAL_CURRENT, TOTAL_PRIOR),
            f({ kind: 'sum', value: TOTAL_VISITS }),
            perVisit(TOTAL_CURRENT, TOTAL_VISITS),
            null,
            null,
          ],
          colorScaleColumns: ['utilization'],
        },
      ],
      notes: [
        'Sources: EMR exports (Zenoti, Boulevard), POS, payroll; ingested 2026-11-02.',
        '+ Growth is blank where the prior LTM is blank or zero.',
      ],
      charts: [
        {
          kind: 'column',
          title: 'Net revenue: LTM vs prior LTM',
          table: 'LocationRevenue',
          categoryColumn: 'location',
          valueColumns: ['current', 'prior'],
        },
      ],
    },
    {
      name: 'Providers',
      title: 'Provider utilization, last four months',
      subtitle: ['2026-07 … 2026-10; booked hours over available hours', 'Scope: all open locations'],
      orientation: 'portrait',
      tables: [
        {
          name: 'ProviderUtilization',
          caption: 'Utilization by month (heatmap)',
          columns: [
            { key: 'provider', header: 'Provider', unit: 'text' },
            { key: 'm07', header: 'Jul 2026', unit: 'ratio' },
            { key: 'm08', header: 'Aug 2026', unit: 'ratio' },
            { key: 'm09', header: 'Sep 2026', unit: 'ratio' },
            { key: 'm10', header: 'Oct 2026', unit: 'ratio' },
            { key: 'hours', header: 'Booked hours', unit: 'hours' },
            { key: 'minutes', header: 'Avg minutes per visit', unit: 'minutes' },
            { key: 'percentile', header: 'Peer percentile', unit: 'percentile' },
          ],
          rows: PROVIDERS.map((p) => [p.name, ...p.months, p.hours, p.minutes, p.percentile]),
          colorScaleColumns: ['m07', 'm08', 'm09', 'm10'],
        },
      ],
      charts: [
        {
          kind: 'bar',
          title: 'Booked hours by provider',
          table: 'ProviderUtilization',
          categoryColumn: 'provider',
          valueColumns: ['hours'],
        },
      ],
    },
    {
      name: MEMBERS_SHEET,
      title: 'Memberships and revenue by month',
      subtitle: ['2026-07 … 2026-10', '@ portfolio level'],
      orientation: 'landscape',
      tables: [
        {
          name: 'MonthlyTrend',
          caption: 'Monthly net revenue and active members',
          columns: [
            { key: 'month', header: 'Month', unit: 'date' },
            { key: 'revenue', header: 'Net revenue', unit: 'usd' },
            { key: 'members', header: 'Active members', unit: 'count' },
            { key: 'perMember', header: 'Revenue per member', unit: 'usd' },
            { key: 'closedAt', header: 'Books closed', unit: 'datetime' },
          ],
          rows: MONTHS.map((m) => [
            m.month,
            m.revenue,
            m.members,
            f({ kind: 'ratio', numerator: 'revenue', denominator: 'members', value: m.revenue / m.members }),
            m.at,
          ]),
        },
        {
          name: 'EmptyTable',
          caption: 'Cancellations (none this period)',
          columns: [
            { key: 'who', header: 'Member', unit: 'text' },
            { key: 'amount', header: 'Refund', unit: 'usd' },
          ],
          rows: [],
          totalRow: ['Total', f({ kind: 'sum', value: null })],
        },
      ],
      charts: [
        {
          kind: 'line',
          title: 'Net revenue by month',
          table: 'MonthlyTrend',
          categoryColumn: 'month',
          valueColumns: ['revenue'],
        },
      ],
    },
  ],
  namedCells: [
    { name: 'NetRevenue_Current', table: 'LocationRevenue', row: 'total', column: 'current' },
    { name: 'NetRevenue_Prior', table: 'LocationRevenue', row: 'total', column: 'prior' },
    { name: 'Growth_Total', table: 'LocationRevenue', row: 'total', column: 'growth' },
    { name: 'TopProvider_Hours', table: 'ProviderUtilization', row: 0, column: 'hours' },
    { name: 'Members_Latest', table: 'MonthlyTrend', row: 3, column: 'members' },
  ],
};
