import fs from 'node:fs';
import path from 'node:path';

import { parse } from 'csv-parse/sync';

import { main } from '../../cli/caliper';
import { formatRecords } from '../../cli/commands/metricsCommand';
import { fixture, tempDir } from '../support/testStore';

/*
 * `caliper metrics` (and trace, benchmark) for people: labels, location names, one section per
 * scope, csv and json, "did you mean" — through the real CLI on a real SQLite file holding north
 * (L1 "North Dallas", providers PR1 and PR2) and south (L2 "South Austin, TX"), plus PR1 on
 * L2's roster too, so one provider works at two locations.
 */

let dir: string;
let store: string;
let out = '';
let err = '';

async function run(...args: string[]): Promise<number> {
  out = '';
  err = '';
  return main([...args, '--store', store]);
}

beforeAll(async () => {
  dir = tempDir('caliper-metrics-table-');
  store = path.join(dir, 'caliper.db');
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  });
  expect(await run('ingest', fixture('north'), fixture('south'))).toBe(0);
});

afterAll(() => {
  jest.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

interface ListedRecord {
  metric: string;
  period: string;
  location_id: string | null;
  provider_id: string | null;
  value: number | null;
  unit: string;
  coverage: number | null;
  reason?: string;
}

const csvRows = (text: string) => parse<Record<string, string>>(text, { columns: true, bom: true });

/** The lines of the table's section titled `title`, up to the next blank line. */
function section(table: string, title: string): string[] {
  const lines = table.split('\n');
  const at = lines.indexOf(title);
  if (at < 0) return [];
  const end = lines.indexOf('', at);
  return lines.slice(at + 1, end < 0 ? undefined : end);
}

describe('caliper metrics --format table', () => {
  it('shows labels and location names, a section per scope, each provider at each location once', async () => {
    expect(await run('metrics', '--period', '2024')).toBe(0);
    const titles = out.split('\n').filter((l) => l !== '' && !l.startsWith(' '));
    expect(titles).toEqual([
      'Metrics for 2024 (2024-01-01 … 2024-12-31)',
      'Portfolio',
      'L1 · North Dallas',
      'L2 · South Austin, TX',
      'Provider PR1 · Smith, Jane NP — at L1 · North Dallas',
      'Provider PR2 · Amy Lee — at L1 · North Dallas',
    ]);
    // 2024 net revenue: L1 1,000.00, L2 579.00, portfolio 1,579.00 (tests/shared/metrics/revenue.test.ts).
    expect(section(out, 'Portfolio')).toContainEqual(
      expect.stringMatching(/^ {2}Net revenue\s+net_revenue\s+\$1,579\.00\s+14%$/),
    );
    expect(section(out, 'L1 · North Dallas')).toContainEqual(
      expect.stringMatching(/^ {2}Net revenue\s+net_revenue\s+\$1,000\.00\s/),
    );
    expect(section(out, 'L2 · South Austin, TX')).toContainEqual(
      expect.stringMatching(/^ {2}Net revenue\s+net_revenue\s+\$579\.00\s/),
    );
    const pr1 = section(out, 'Provider PR1 · Smith, Jane NP — at L1 · North Dallas');
    expect(pr1).toContainEqual(
      expect.stringMatching(/^ {2}Provider production\s+provider_production\s+\$920\.00\s/),
    );
    // Each metric once per provider: the across-all-locations duplicate is not printed.
    const ids = pr1.map((l) => l.trim().split(/\s{2,}/)[1]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(out).not.toContain('all locations');
    // Absent values: "—" and the reason.
    expect(section(out, 'Portfolio')).toContainEqual(
      expect.stringMatching(
        /^ {2}Same-store revenue growth\s+same_store_revenue_growth\s+—\s+\d+%\s+no location is comparable/,
      ),
    );
  });

  it('shows a provider at two locations at each, and across all of them labelled so', async () => {
    const roster = path.join(dir, 'providers.csv');
    fs.writeFileSync(
      roster,
      'provider_id,location_id,display_name,role,payroll_employee_id,started_on,ended_on\n' +
        'PR1,L1,"Smith, Jane NP",NP,E100,2020-03-01,\n' +
        'PR2,L1,Amy Lee,aesthetician,E101,2021-01-15,\n' +
        'PR1,L2,"Smith, Jane NP",NP,E100,2024-01-01,\n',
    );
    const other = tempDir('caliper-metrics-table-two-');
    const saved = store;
    store = path.join(other, 'caliper.db');
    try {
      expect(await run('ingest', fixture('north'), fixture('south'))).toBe(0);
      expect(await run('ingest', roster)).toBe(0);
      expect(await run('metrics', '--period', '2024', '--metric', 'provider_production')).toBe(0);
      expect(out.split('\n').filter((l) => l.startsWith('Provider '))).toEqual([
        'Provider PR1 · Smith, Jane NP — at L1 · North Dallas',
        'Provider PR1 · Smith, Jane NP — at L2 · South Austin, TX',
        'Provider PR1 · Smith, Jane NP — all locations (L1, L2)',
        'Provider PR2 · Amy Lee — at L1 · North Dallas',
      ]);
    } finally {
      store = saved;
      fs.rmSync(other, { recursive: true, force: true });
    }
  });
});

describe('formatRecords', () => {
  it('says once that a section has no value for the same reason, not on every metric', () => {
    const closed = (metric: string) => ({
      metric,
      period: '2025-Q4',
      location_id: 'L9',
      provider_id: null,
      value: null,
      unit: 'usd' as const,
      coverage: null,
      reason: 'location L9 was not operating in the period',
    });
    const open = { ...closed('net_revenue'), location_id: 'L1', value: 12.5, coverage: 1, reason: undefined };
    const table = formatRecords([open, closed('net_revenue'), closed('visits')], {
      names: { location: (id) => (id === 'L1' ? 'North' : undefined), provider: () => undefined },
    });
    expect(section(table, 'L9')).toEqual([
      '  — no value for any of the 2 metrics: location L9 was not operating in the period',
    ]);
    expect(section(table, 'L1 · North')).toEqual([
      expect.stringMatching(/^ {2}Net revenue\s+net_revenue\s+\$12\.50\s+100%$/),
    ]);
  });
});

describe('caliper metrics --format csv', () => {
  it('has a header and one row per value of --json, with the same values', async () => {
    expect(await run('metrics', '--period', '2024', '--json')).toBe(0);
    const records = JSON.parse(out) as ListedRecord[];
    expect(await run('metrics', '--period', '2024', '--format', 'json')).toBe(0);
    expect(JSON.parse(out)).toEqual(records);

    expect(await run('metrics', '--period', '2024', '--format', 'csv')).toBe(0);
    expect(out.split('\n')[0]).toBe(
      'metric_id,label,scope,location_id,location_name,provider_id,period,start,end,value,unit,coverage,reason',
    );
    const rows = csvRows(out);
    expect(rows).toHaveLength(records.length);
    const asText = (v: number | string | null | undefined) =>
      v === null || v === undefined ? '' : String(v);
    rows.forEach((row, i) => {
      const r = records[i]!;
      expect([
        row.metric_id,
        row.location_id,
        row.provider_id,
        row.period,
        row.value,
        row.unit,
        row.coverage,
        row.reason,
      ]).toEqual(
        [r.metric, r.location_id, r.provider_id, r.period, r.value, r.unit, r.coverage, r.reason].map(asText),
      );
      expect([row.start, row.end]).toEqual(['2024-01-01', '2024-12-31']);
    });
    const l2 = rows.find(
      (r) => r.metric_id === 'net_revenue' && r.scope === 'location' && r.location_id === 'L2',
    );
    expect(l2).toMatchObject({ label: 'Net revenue', location_name: 'South Austin, TX', value: '579' });
    expect(rows.filter((r) => r.scope === 'provider_all_locations').every((r) => r.location_id === '')).toBe(
      true,
    );
    expect(rows.some((r) => r.scope === 'provider_all_locations')).toBe(true);
  });

  it('neutralizes a location name a spreadsheet would run as a formula, and quotes commas and quotes', async () => {
    const hostile = '=HYPERLINK("http://evil.example","x"), South';
    const other = tempDir('caliper-metrics-table-hostile-');
    const saved = store;
    store = path.join(other, 'caliper.db');
    try {
      expect(await run('ingest', fixture('north'), fixture('south'))).toBe(0);
      expect(await run('locations', 'set', 'L2', '--name', hostile)).toBe(0);
      expect(await run('metrics', '--period', '2024', '--metric', 'net_revenue', '--format', 'csv')).toBe(0);
      expect(out).toContain(`"'=HYPERLINK(""http://evil.example"",""x""), South"`);
      const l2 = csvRows(out).find((r) => r.scope === 'location' && r.location_id === 'L2');
      expect(l2?.location_name).toBe(`'${hostile}`);
      expect(
        csvRows(out).every((r) => Object.values(r).every((v) => !/^[=+\-@\t\r]/.test(v) || /^-\d/.test(v))),
      ).toBe(true);
    } finally {
      store = saved;
      fs.rmSync(other, { recursive: true, force: true });
    }
  });
});

describe('did you mean', () => {
  it('names the metric meant for a mistyped one, on metrics, trace and benchmark (exit 2)', async () => {
    expect(await run('metrics', '--period', '2024', '--metric', 'net_revenu')).toBe(2);
    expect(err).toMatch(/Unknown metric "net_revenu"; did you mean net_revenue\b/);
    expect(out).toBe('');
    expect(await run('trace', 'avg_tiket', '--period', '2024')).toBe(2);
    expect(err).toMatch(/Unknown metric "avg_tiket"; did you mean avg_ticket\b/);
    expect(await run('benchmark', 'rebookng_rate', '--period', '2024', '--location', 'L1')).toBe(2);
    expect(err).toMatch(/Unknown metric "rebookng_rate"; did you mean rebooking_rate\b/);
  });

  it('names the location meant, by a close id or by its name (exit 2)', async () => {
    expect(await run('metrics', '--period', '2024', '--location', 'L3')).toBe(2);
    expect(err).toMatch(/Unknown location "L3"; did you mean L1 \(North Dallas\), L2 \(South Austin, TX\)\?/);
    expect(await run('metrics', '--period', '2024', '--location', 'austin')).toBe(2);
    expect(err).toMatch(/Unknown location "austin"; did you mean L2 \(South Austin, TX\)/);
    expect(await run('trace', 'net_revenue', '--period', '2024', '--location', 'north dalas')).toBe(2);
    expect(err).toMatch(/Unknown location "north dalas"; did you mean L1 \(North Dallas\)/);
    expect(await run('benchmark', 'avg_ticket', '--period', '2024', '--location', 'l1')).toBe(2);
    expect(err).toMatch(/Unknown location "l1"; did you mean L1 \(North Dallas\)/);
  });

  it('names the provider meant (exit 2)', async () => {
    expect(await run('trace', 'provider_production', '--period', '2024', '--provider', 'PR7')).toBe(2);
    expect(err).toMatch(/Unknown provider "PR7"; did you mean PR1 \(Smith, Jane NP\), PR2 \(Amy Lee\)\?/);
    expect(await run('trace', 'provider_production', '--period', '2024', '--provider', 'amy')).toBe(2);
    expect(err).toMatch(/Unknown provider "amy"; did you mean PR2 \(Amy Lee\)/);
  });
});

describe('exit codes and formats of trace and benchmark', () => {
  it('exits 0 on each format and 2 on a format it does not know or --json with another', async () => {
    expect(await run('metrics', '--period', '2024', '--metric', 'net_revenue', '--format', 'xml')).toBe(2);
    expect(await run('metrics', '--period', '2024', '--format', 'csv', '--json')).toBe(2);
    expect(err).toContain('--json is --format json');
    expect(await run('metrics', '--period', '2024', '--format', 'json', '--json')).toBe(0);

    expect(
      await run('trace', 'net_revenue', '--period', '2024-Q1', '--location', 'L1', '--format', 'csv'),
    ).toBe(0);
    expect(csvRows(out)).toEqual([
      expect.objectContaining({
        metric_id: 'net_revenue',
        scope: 'location',
        location_name: 'North Dallas',
        value: '480',
      }),
    ]);
    expect(
      await run('trace', 'net_revenue', '--period', '2024-Q1', '--location', 'L1', '--format', 'json'),
    ).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ metric: 'net_revenue', value: 480 });
    expect(await run('trace', 'net_revenue', '--period', '2024-Q1', '--location', 'L1')).toBe(0);
    expect(out).toContain('scope:      L1 · North Dallas');

    expect(
      await run(
        'benchmark',
        'avg_ticket',
        '--period',
        '2024',
        '--location',
        'L1',
        '--cohort',
        'region',
        '--format',
        'csv',
      ),
    ).toBe(0);
    const [row] = csvRows(out);
    expect(row).toMatchObject({
      metric_id: 'avg_ticket',
      location_id: 'L1',
      location_name: 'North Dallas',
      shown: 'false',
      cohort: 'region=Southwest',
      cohort_size: '2',
    });
    expect(
      await run(
        'benchmark',
        'avg_ticket',
        '--period',
        '2024',
        '--location',
        'L1',
        '--cohort',
        'region',
        '--json',
      ),
    ).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ metric: 'avg_ticket', shown: false });
  });
});

describe('caliper metrics --as-reported-at in every format', () => {
  it('says which ingest above the table, on stderr beside the csv, and in the json', async () => {
    const base = ['metrics', '--period', '2024', '--metric', 'net_revenue', '--as-reported-at', '1'];
    expect(await run(...base)).toBe(0);
    expect(out).toMatch(/^As reported at ingest #1, committed \S+:\nMetrics for 2024 /);
    expect(section(out, 'L2 · South Austin, TX')).toContainEqual(expect.stringMatching(/\$579\.00/));

    expect(await run(...base, '--json')).toBe(0);
    const listing = JSON.parse(out) as { as_reported: { ingest_id: number }; records: ListedRecord[] };
    expect(listing.as_reported.ingest_id).toBe(1);

    expect(await run(...base, '--format', 'csv')).toBe(0);
    expect(err).toMatch(/^# As reported at ingest #1, committed /);
    expect(csvRows(out).map((r) => [r.location_id, r.value])).toEqual(
      listing.records.map((r) => [r.location_id ?? '', String(r.value)]),
    );
    expect(await run(...base, '--format', 'json')).toBe(0);
    expect(JSON.parse(out)).toEqual(listing);
  });
});
