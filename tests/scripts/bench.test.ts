/**
 * The DuckDB baseline of `npm run bench` (scripts/bench/duckdbKpis.ts) on the two hand-written
 * fixture bundles: its KPIs equal values worked out by hand from the CSVs and the metric
 * contract, and they agree with Caliper's engine on the same files. No timing is asserted.
 */
import { SECTION_TITLE, writeSection } from '../../scripts/bench/benchMarkdown';
import type { SizeResult } from '../../scripts/bench/benchSize';
import { compareKpis, valuesAgree } from '../../scripts/bench/compareKpis';
import { DuckDbBaseline, type KpiValue } from '../../scripts/bench/duckdbKpis';
import { periodRange } from '../../scripts/bench/duckdbPeriod';
import { tellingLine } from '../../scripts/bench/runChild';
import { listMetricValues } from '../../shared/metrics/metricListing';
import { openMetrics } from '../../shared/metrics/openMetrics';
import { fixture, openTestStore } from '../support/testStore';

const BUNDLES = [fixture('north'), fixture('south')];

/**
 * Calendar 2024 by hand. Sales: L1 nets 500 (S1) + 80 retail (S2) − 100 refund (S3) + 520 (S5)
 * + 0 (S6) = 1,000, the gift card (S4) never revenue; L2 480 service + 99 membership fee.
 * Visits: A1, A2, A5 at L1, the Boulevard visit at L2. No-show: 1 of 5 kept-or-missed at L1.
 * PT1 and B-77 are one person (the same email, cased and padded differently): first visit A1 at
 * L1, so L2 has no new patient; PT3's first visit is A5. Rebooking: of the rebookable visits
 * A1, A2 (L1) and L2's Botox, only A1 is followed by a booking within 7 days (A2, booked the
 * day of A1); A5 is a consultation.
 */
const BY_HAND: Record<string, Record<string, number>> = {
  L1: {
    net_revenue: 1000,
    service_revenue: 920,
    retail_revenue: 80,
    visits: 3,
    avg_ticket: 1000 / 3,
    no_show_rate: 0.2,
    new_patients: 2,
    active_patients: 2,
    rebooking_rate: 0.5,
  },
  L2: {
    net_revenue: 579,
    service_revenue: 480,
    retail_revenue: 0,
    visits: 1,
    avg_ticket: 579,
    no_show_rate: 0,
    new_patients: 0,
    active_patients: 1,
    rebooking_rate: 0,
  },
  portfolio: {
    net_revenue: 1579,
    service_revenue: 1400,
    retail_revenue: 80,
    visits: 4,
    avg_ticket: 1579 / 4,
    no_show_rate: 1 / 6,
    new_patients: 2,
    active_patients: 2,
    rebooking_rate: 1 / 3,
  },
};

async function duckdbKpis(period: string): Promise<{ rows: Record<string, number>; values: KpiValue[] }> {
  const db = await DuckDbBaseline.open();
  try {
    const rows = await db.readBundles(BUNDLES);
    return { rows, values: (await db.coreKpis(period)).values };
  } finally {
    db.close();
  }
}

describe('npm run bench: the DuckDB baseline', () => {
  it('reads every canonical file and computes the core KPIs as worked out by hand', async () => {
    const { rows, values } = await duckdbKpis('2024');
    expect(rows).toMatchObject({ locations: 2, patients: 5, appointments: 7, sales: 8, services: 4 });
    expect(values).toHaveLength(9 * 3);
    for (const v of values) {
      const expected = BY_HAND[v.location_id ?? 'portfolio']?.[v.metric];
      expect(expected).toBeDefined();
      expect({ ...v, agrees: valuesAgree(v.metric, v.value, expected ?? null) }).toEqual({
        ...v,
        agrees: true,
      });
    }
  });

  it('agrees with Caliper’s engine on the same bundles', async () => {
    const { values } = await duckdbKpis('2024');
    const t = openTestStore();
    try {
      await t.ingest(BUNDLES, 'bench');
      const listed = listMetricValues(await openMetrics(t.store, 'bench'), '2024');
      if (!listed.ok) throw new Error(listed.error.message);
      expect(compareKpis(listed.records, values)).toEqual({ compared: 27, agreeing: 27, disagreements: [] });
    } finally {
      await t.close();
    }
  });

  it('reports a disagreement, and a value Caliper did not give', () => {
    const comparison = compareKpis(
      [
        { metric: 'net_revenue', location_id: 'L1', provider_id: null, value: 1000.004 },
        { metric: 'visits', location_id: 'L1', provider_id: null, value: 3 },
      ],
      [
        { metric: 'net_revenue', location_id: 'L1', value: 1000 },
        { metric: 'visits', location_id: 'L1', value: 4 },
        { metric: 'rebooking_rate', location_id: null, value: null },
      ],
    );
    expect(comparison).toEqual({
      compared: 3,
      agreeing: 1,
      disagreements: [
        { metric: 'visits', location_id: 'L1', caliper: 3, duckdb: 4 },
        { metric: 'rebooking_rate', location_id: null, caliper: 'missing', duckdb: null },
      ],
    });
  });

  it('reads the periods of the contract on its own', () => {
    expect(periodRange('LTM', '2026-10')).toEqual({ start: '2025-11-01', end: '2026-10-31' });
    expect(periodRange('YTD', '2026-02')).toEqual({ start: '2026-01-01', end: '2026-02-28' });
    expect(periodRange('2024-Q1', '2026-10')).toEqual({ start: '2024-01-01', end: '2024-03-31' });
    expect(periodRange('2024-02', '2026-10')).toEqual({ start: '2024-02-01', end: '2024-02-29' });
    expect(periodRange('FY2025', '2026-10')).toEqual({ start: '2025-01-01', end: '2025-12-31' });
  });
});

/** A size's result with made-up numbers: only the page's layout is checked with it. */
function sizeResult(locations: number, ingestSeconds: number): SizeResult {
  const row = {
    phase: '`caliper ingest` ↔ `read_csv` into tables',
    rows: 1000,
    caliperSeconds: ingestSeconds,
    caliperRss: 200 * 1024 * 1024,
    duckdbPhase: 'read_csv',
    duckdbSeconds: 1,
    duckdbRss: 100 * 1024 * 1024,
    failure: null,
  };
  return {
    locations,
    years: 3,
    period: 'LTM',
    range: { start: '2025-11-01', end: '2026-10-31' },
    generateSeconds: 1,
    csvRows: 1000,
    csvBytes: 1e6,
    phases: [row],
    endToEnd: { ...row, phase: 'end to end' },
    comparison: {
      compared: 2,
      agreeing: 1,
      disagreements: [{ metric: 'visits', location_id: 'L1', caliper: 3, duckdb: 4 }],
    },
    batchErrors: { cold: 0, warm: 0, stored: 0 },
    load: { min: 1, max: 2 },
  };
}

describe('npm run bench: its section of docs/benchmarks.md', () => {
  const page = '# Benchmarks\n\nIntro.\n\n## Ingest\n\nKept as it is.\n';

  it('goes first, keeps the other sections, and replaces only the sizes a run measured', () => {
    const first = writeSection(page, [sizeResult(10, 20)], 'npm run bench', '2026-12-03');
    expect(first.indexOf(SECTION_TITLE)).toBeGreaterThan(first.indexOf('Intro.'));
    expect(first.indexOf(SECTION_TITLE)).toBeLessThan(first.indexOf('## Ingest'));
    expect(first).toContain(
      '| `caliper ingest` ↔ `read_csv` into tables | 1,000 | 20.0 | 50 | 200 MB | 1.00 | 100 MB | 20.0× |',
    );
    expect(first).toContain('**1 of 2 agree**');
    expect(first).toContain('| visits | L1 | 3 | 4 |');

    const both = writeSection(first, [sizeResult(50, 80)], 'npm run bench -- --locations 50', '2026-12-03');
    const again = writeSection(both, [sizeResult(10, 30)], 'npm run bench', '2026-12-04');
    expect(again.split(SECTION_TITLE)).toHaveLength(2);
    expect(again.match(/### 10 locations/g)).toHaveLength(1);
    expect(again).toContain('| 30.0 |');
    expect(again).not.toContain('| 20.0 |');
    expect(again.indexOf('### 10 locations')).toBeLessThan(again.indexOf('### 50 locations'));
    expect(again).toContain('## Ingest\n\nKept as it is.\n');
    // Each size names the run that measured it, not the last run of another size.
    const fifty = again.slice(again.indexOf('### 50 locations'));
    expect(fifty).toContain('`npm run bench -- --locations 50` on ');
    expect(again.slice(again.indexOf('### 10 locations'), again.indexOf('### 50 locations'))).toContain(
      '`npm run bench` on ',
    );
  });

  it('says which phase failed, after how long and why, and leaves its ratio and the end to end out', () => {
    const result = sizeResult(200, 500);
    const failure =
      'exit 134: FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory';
    result.phases.push({
      phase: '`caliper metrics --period LTM --format json` ↔ core KPI SQL',
      rows: null,
      caliperSeconds: 122.4,
      caliperRss: 4800 * 1024 * 1024,
      duckdbPhase: 'KPI SQL',
      duckdbSeconds: 2,
      duckdbRss: 100 * 1024 * 1024,
      failure,
    });
    result.endToEnd = { ...result.endToEnd, caliperSeconds: null, failure };
    result.comparison = null;

    const written = writeSection(page, [result], 'npm run bench -- --locations 200', '2026-12-04');

    expect(written).toContain(
      '| `caliper metrics --period LTM --format json` ↔ core KPI SQL | — | **failed** after 122.4 | — | 4,800 MB | 2.00 | 100 MB | — |',
    );
    expect(written).toContain('| end to end | 1,000 | **failed** | — | 200 MB | 1.00 | 100 MB | — |');
    expect(written).toContain(`- \`caliper metrics --period LTM --format json\` ↔ core KPI SQL: ${failure}`);
    expect(written).toContain('Nothing compared: `caliper metrics` failed.');
  });
});

describe('a failed child of the bench', () => {
  it('is told by V8’s fatal line, not by GNU time’s report after it', () => {
    const stderr = [
      '<--- Last few GCs --->',
      'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory',
      ' 1: 0xb8ed8e node::Abort() [node]',
      'Command terminated by signal 6',
      '\tCommand being timed: "node caliper.js metrics"',
      '\tExit status: 0',
    ].join('\n');
    expect(tellingLine(stderr)).toBe(
      'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory',
    );
    expect(tellingLine('Error: no such store\n    at main (x.js:1:1)\n')).toBe('Error: no such store');
  });
});
