import path from 'node:path';

import type { MetricContext } from '../../../shared/metrics/metricContext';
import { boardReport } from '../../../shared/report/boardReport';
import type { ReportCell, ReportSheet, ReportTable, ReportWorkbook } from '../../../shared/report/reportSpec';
import { metricsOf } from '../../support/metricsFixture';
import { openTestStore, type TestStore } from '../../support/testStore';

// tests/fixtures/metrics/sameStore/portfolio, by hand (see tests/shared/metrics/sameStore.test.ts):
// one service line on the 10th of each month.
//   C1 1,000.00/month in 2024 → 12,000.00; 1,100.00 in 2025 → 13,200.00
//   C2 500.00/month in 2024 but March (a gift card only) → 5,500.00; 600.00 in 2025 → 7,200.00
//   C3 opened 2024-06-01: 400.00 × 7 → 2,800.00; 500.00 × 12 → 6,000.00
//   C4 closed 2025-10-01: 300.00 × 12 → 3,600.00; × 9 → 2,700.00
//   C5 700.00/month, no line in 2024-07, 2025-10, 2025-11: × 11 → 7,700.00; × 10 → 7,000.00
//   C6 250.00 × 12 → 3,000.00; 350.00 × 12 → 4,200.00
// Portfolio net revenue 2025 = 40,300.00, 2024 = 34,600.00.
// Comparable: C1, C2, C6 → 24,600.00 / 20,500.00 − 1 = 0.2.

let t: TestStore;
let ctx: MetricContext;
let workbook: ReportWorkbook;

const SOURCES = { files: [], issues: [] };

beforeAll(async () => {
  t = openTestStore();
  await t.ingest([path.join(__dirname, '..', '..', 'fixtures', 'metrics', 'sameStore', 'portfolio')]);
  ctx = await metricsOf(t);
  const made = boardReport({
    ctx,
    period: '2025',
    basis: 'current data',
    sources: SOURCES,
    generatedAt: '2026-01-15T09:00:00Z',
  });
  if (!made.ok) throw new Error(made.message);
  workbook = made.workbook;
});
afterAll(async () => {
  await t.close();
});

function sheet(name: string): ReportSheet {
  const found = workbook.sheets.find((s) => s.name === name);
  if (!found) throw new Error(`no sheet ${name}`);
  return found;
}

function table(sheetName: string, tableName: string): ReportTable {
  const found = sheet(sheetName).tables.find((x) => x.name === tableName);
  if (!found) throw new Error(`no table ${tableName}`);
  return found;
}

/** A row's cells by column key, formulas as their engine value. */
function rowByKey(t: ReportTable, row: readonly ReportCell[]): Record<string, unknown> {
  return Object.fromEntries(
    t.columns.map((c, i) => {
      const cell = row[i] ?? null;
      return [
        c.key,
        cell !== null && typeof cell === 'object' ? { [cell.formula.kind]: cell.formula.value } : cell,
      ];
    }),
  );
}

// tests/fixtures/metrics/providers/worked (tenant "worked"), by hand (tests/shared/metrics/providers.test.ts):
// 2024 at W1. PW1 sells 40,000.00 a month → 480,000.00; paid 20,800.00 a month → 249,600.00
//   (ratio 0.52, above the band), contribution 230,400.00.
// PW2 sells 10,000.00 in March, paid 4,500.00 (0.45, within), contribution 5,500.00.
describe('the provider P&L', () => {
  let providers: ReportTable;
  beforeAll(async () => {
    await t.ingest(
      [path.join(__dirname, '..', '..', 'fixtures', 'metrics', 'providers', 'worked')],
      'worked',
    );
    const made = boardReport({
      ctx: await metricsOf(t, 'worked'),
      period: '2024',
      basis: '',
      sources: SOURCES,
      generatedAt: '',
    });
    if (!made.ok) throw new Error(made.message);
    const found = made.workbook.sheets.find((s) => s.name === 'Providers')?.tables[0];
    if (!found) throw new Error('no provider table');
    providers = found;
  });

  it('gives production, compensation, the ratio against the band and contribution, largest contribution first', () => {
    expect(providers.rows.map((r) => rowByKey(providers, r))).toEqual([
      expect.objectContaining({
        production: 480000,
        compensation: 249600,
        ratio: { ratio: 0.52 },
        band: 'above the 35%–50% band',
        contribution: 230400,
      }),
      expect.objectContaining({
        production: 10000,
        compensation: 4500,
        ratio: { ratio: 0.45 },
        band: 'within the band',
        contribution: 5500,
      }),
    ]);
    expect(rowByKey(providers, providers.totalRow ?? [])).toMatchObject({
      provider: 'All providers (2)',
      production: { sum: 490000 },
      compensation: { sum: 254100 },
      ratio: { ratio: 254100 / 490000 },
      contribution: { sum: 235900 },
    });
  });
});

describe('the board pack as data', () => {
  it('has every sheet the board reads, in order', () => {
    expect(workbook.sheets.map((s) => s.name)).toEqual([
      'Summary',
      'Same-store',
      'Providers',
      'Membership',
      'Patients',
      'Benchmarks',
      'Money at stake',
      'Data quality',
      'Definitions',
    ]);
  });

  it('states the period with its dates, the as-of month and the basis', () => {
    // Every location's last sale line is on 2025-12-10, so December is not complete: as of 2025-11.
    expect(sheet('Summary').subtitle).toEqual([
      'Period: 2025 (2025-01-01 – 2025-12-31); prior year 2024-01-01 – 2024-12-31',
      'Data as of: 2025-11 (the latest month every open location has complete data)',
      'Scope: the portfolio of 6 locations (5 open at the end of the period)',
      'Basis: current data',
      'Caution: 2025 runs past the as-of month; its figures after 2025-11 are partial',
    ]);
  });

  it('puts portfolio net revenue against the prior year with live change and growth formulas', () => {
    const revenue = table('Summary', 'Summary_Revenue');
    const net = rowByKey(revenue, revenue.rows[0] ?? []);
    expect(net).toMatchObject({
      metric: 'Net revenue',
      current: 40300,
      prior: 34600,
      change: { difference: 5700 },
      growth: { growth: 40300 / 34600 - 1 },
    });
    expect(workbook.namedCells).toEqual(
      expect.arrayContaining([
        { name: 'NetRevenue', table: 'Summary_Revenue', row: 0, column: 'current' },
        { name: 'NetRevenue_Growth', table: 'Summary_Revenue', row: 0, column: 'growth' },
        {
          name: 'SameStoreRevenueGrowth',
          table: 'SameStore_Comparable',
          row: 'total',
          column: 'revenueGrowth',
        },
      ]),
    );
  });

  it('lists the comparable set by growth with a total row whose growth formula is the same-store growth', () => {
    const comparable = table('Same-store', 'SameStore_Comparable');
    expect(comparable.rows.map((r) => rowByKey(comparable, r))).toEqual([
      expect.objectContaining({
        location: 'Just In Time (C6)',
        revenue: 4200,
        revenuePy: 3000,
        revenueGrowth: { growth: 4200 / 3000 - 1 },
      }),
      expect.objectContaining({
        location: 'Acquired Last Year (C2)',
        revenue: 7200,
        revenuePy: 5500,
        revenueGrowth: { growth: 7200 / 5500 - 1 },
      }),
      expect.objectContaining({
        location: 'Comparable One (C1)',
        revenue: 13200,
        revenuePy: 12000,
        revenueGrowth: { growth: 13200 / 12000 - 1 },
      }),
    ]);
    expect(rowByKey(comparable, comparable.totalRow ?? [])).toMatchObject({
      location: 'Comparable set (3)',
      revenue: { sum: 24600 },
      revenuePy: { sum: 20500 },
      revenueGrowth: { growth: 0.2 },
    });
    const excluded = table('Same-store', 'SameStore_Excluded');
    expect(excluded.rows).toEqual([
      ['Too Young (C3)', 'opened 2024-06-01, after the first day of PY (2024-01-01)'],
      ['Closed (C4)', 'closed 2025-10-01, not after the last day of P (2025-12-31)'],
      ['Gaps (C5)', 'no sale line in 2024-07, 2025-10..2025-11'],
    ]);
  });

  it('writes net revenue month by month against the same month a year earlier', () => {
    const monthly = table('Summary', 'Summary_Monthly');
    expect(monthly.rows).toHaveLength(12);
    // January: C1 1,100 + C2 600 + C3 500 + C4 300 + C5 700 + C6 350 = 3,550; a year earlier
    // 1,000 + 500 + 0 (C3 not open) + 300 + 700 + 250 = 2,750.
    expect(rowByKey(monthly, monthly.rows[0] ?? [])).toEqual({
      month: '2025-01-01',
      current: 3550,
      prior: 2750,
      growth: { growth: 3550 / 2750 - 1 },
    });
    // October: C4 closed, C5 no line: 1,100 + 600 + 500 + 350 = 2,550; 2024-10: 1,000 + 500 + 400 + 300 + 700 + 250 = 3,150.
    expect(rowByKey(monthly, monthly.rows[9] ?? [])).toMatchObject({ current: 2550, prior: 3150 });
  });

  it('says why a value is missing instead of writing a zero', () => {
    const rates = table('Summary', 'Summary_Rates');
    for (const row of rates.rows) {
      const r = rowByKey(rates, row);
      if (r.current === null) expect(r.note).not.toBe('');
    }
  });

  it('refuses a period outside the grammar and an unknown location, naming them', () => {
    const badPeriod = boardReport({ ctx, period: '2025-Q5', basis: '', sources: SOURCES, generatedAt: '' });
    expect(badPeriod).toMatchObject({ ok: false, code: 'invalid_period' });
    const badLocation = boardReport({
      ctx,
      period: '2025',
      locationIds: ['NOPE'],
      basis: '',
      sources: SOURCES,
      generatedAt: '',
    });
    expect(badLocation).toMatchObject({
      ok: false,
      code: 'unknown_location',
      message: 'Unknown location "NOPE"',
    });
  });
});
