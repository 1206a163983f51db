import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { main } from '../../cli/caliper';
import { METRICS } from '../../shared/metrics/catalog';
import { SqliteStore } from '../../store/sqlite/sqlite-store';
import { fixture, tempDir } from '../support/testStore';

const ROOT = path.join(__dirname, '..', '..');

let dir: string;
let store: string;
let stdout: string;
let stderr: string;

beforeEach(() => {
  dir = tempDir();
  store = path.join(dir, 'caliper.db');
  stdout = '';
  stderr = '';
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
});

afterEach(() => {
  jest.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function counts(file: string, tenant = 'default') {
  const s = SqliteStore.open(file);
  try {
    return await s.rowCounts(tenant);
  } finally {
    await s.close();
  }
}

interface MetricRecordJson {
  metric: string;
  location_id: string | null;
  provider_id: string | null;
  value: number | null;
  reason?: string;
  details?: Record<string, unknown>;
}

interface JsonReport {
  committed: boolean;
  files: {
    file: string;
    rows_read: number;
    rows_accepted: number;
    rows_rejected: number;
    issues: unknown[];
  }[];
  totals: { rows_rejected: number; rows_inserted: number; rows_unchanged: number };
}

describe('caliper ingest', () => {
  it('exits 0 with a JSON report of every file, and a second run changes no row count', async () => {
    expect(await main(['ingest', fixture('north'), fixture('south'), '--store', store, '--json'])).toBe(0);
    const report = JSON.parse(stdout) as JsonReport;
    expect(report.committed).toBe(true);
    expect(report.files).toHaveLength(15);
    for (const file of report.files) {
      expect(Object.keys(file)).toEqual(
        expect.arrayContaining(['file', 'rows_read', 'rows_accepted', 'rows_rejected', 'issues']),
      );
      expect(file.rows_rejected).toBe(0);
    }
    const first = await counts(store);

    stdout = '';
    expect(await main(['ingest', fixture('north'), fixture('south'), '--store', store, '--json'])).toBe(0);
    expect((JSON.parse(stdout) as JsonReport).totals).toMatchObject({ rows_inserted: 0, rows_unchanged: 37 });
    expect(await counts(store)).toEqual(first);
  });

  it('exits 0 and lists the rejected rows, grouped by reason, when they are accepted', async () => {
    // Half the fixture's rows are bad, far above the 5 % threshold: it commits only when accepted.
    expect(await main(['ingest', fixture('rejects'), '--store', store, '--accept-rejected'])).toBe(0);
    expect(stdout).toContain('Data-quality report: 23 issues in 22 groups');
    expect(stdout).toMatch(
      /rejected 2 × invalid_money\n\s+row 3, gross: "\$75.00" is not an amount in dollars.*\n\s+row 4, gross: "75.005"/,
    );
    expect(stdout).toMatch(/Committed ingest #1 for tenant "default" .*19 rejected\./);
    expect(stdout).toMatch(
      /Accepted above the 5 % limit with --accept-rejected: .*appointments\.csv \(77\.8 %\)/,
    );
  });

  it('exits 1 and writes nothing when a file has more rejected rows than the threshold, grouping the reasons', async () => {
    const bad = path.join(dir, 'bad');
    fs.mkdirSync(bad);
    fs.writeFileSync(path.join(bad, 'locations.csv'), 'location_id,name,opened_on\nL7,Uptown,2020-01-01\n');
    const lines = [
      'line_id,location_id,sold_on,patient_id,provider_id,appointment_id,kind,service_code,gross,discount,tax,tip',
    ];
    for (let i = 1; i <= 100; i += 1)
      lines.push(`Y${i},L7,${i <= 60 ? '06/01/2024' : '2024-06-01'},,,,retail,,10.00,,,`);
    fs.writeFileSync(path.join(bad, 'sales.csv'), `${lines.join('\n')}\n`);

    expect(await main(['ingest', bad, '--store', store])).toBe(1);
    expect(await counts(store)).toMatchObject({ locations: 0, sales: 0 });
    // One group, not 60 lines: the count, two example rows, the rest counted, and the fix.
    expect(stdout).toContain(
      [
        '    rejected 60 × invalid_date',
        '      row 2, sold_on: "06/01/2024" is not a calendar date in YYYY-MM-DD form',
        '      row 3, sold_on: "06/01/2024" is not a calendar date in YYYY-MM-DD form',
        '      … and 58 more like these (--json lists every row)',
        '      fix: dates as YYYY-MM-DD (e.g. 2024-06-01); set the column to text or that date format before exporting',
      ].join('\n'),
    );
    expect(stdout.split('is not a calendar date')).toHaveLength(3);
    expect(stdout).toContain(
      `Nothing was written: more than 5 % of the rows were rejected in 1 file: ${path.join(bad, 'sales.csv')} 60 of 100 rows (60 %)`,
    );
    expect(stdout).toContain(
      'To commit the 41 accepted rows anyway, run the same command with --accept-rejected',
    );

    stdout = '';
    expect(await main(['ingest', bad, '--store', store, '--json'])).toBe(1);
    const report = JSON.parse(stdout) as JsonReport & { issue_groups: { code: string; count: number }[] };
    // --json keeps every issue and adds the groups.
    expect(report.committed).toBe(false);
    expect(report.files.find((f) => f.file.endsWith('sales.csv'))!.issues).toHaveLength(60);
    expect(report.issue_groups).toEqual([expect.objectContaining({ code: 'invalid_date', count: 60 })]);

    stdout = '';
    expect(await main(['ingest', bad, '--store', store, '--max-rejected', '60%'])).toBe(0);
    expect(await counts(store)).toMatchObject({ locations: 1, sales: 40 });
  });

  it('exits 1 and writes nothing when a file is broken', async () => {
    const broken = path.join(dir, 'broken');
    fs.mkdirSync(broken);
    fs.writeFileSync(
      path.join(broken, 'locations.csv'),
      'location_id,name,opened_on\n"L1,North,2020-01-01\n',
    );

    expect(await main(['ingest', broken, '--store', store])).toBe(1);
    expect(stdout).toMatch(/Nothing was written: .*locations\.csv: row 2: a quoted cell is never closed/);
    expect((await counts(store)).locations).toBe(0);
  });

  it('exits 1 when a path does not exist', async () => {
    expect(await main(['ingest', path.join(dir, 'nope'), '--store', store, '--json'])).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({
      committed: false,
      failure: expect.stringMatching(/no such file/),
    });
  });

  it('exits 2 on usage errors', async () => {
    expect(await main(['ingest', '--store', store])).toBe(2);
    expect(stderr).toMatch(/missing required argument/);
    expect(await main(['ingest', fixture('north'), '--bogus'])).toBe(2);
    expect(await main(['ingest', fixture('north'), '--store', store, '--tenant', '../x'])).toBe(2);
    expect(stderr).toMatch(/--tenant "..\/x": must be 1–63 letters/);
    expect(await main(['frobnicate'])).toBe(2);
    expect(await main(['ingest', fixture('north'), '--store', store, '--max-rejected', '10'])).toBe(2);
    expect(stderr).toMatch(
      /--max-rejected "10": use a percentage from 0% to 100% \(e\.g\. 10%\) or a share from 0 to 1/,
    );
  });

  it('ingests into the tenant it is given', async () => {
    expect(await main(['ingest', fixture('north'), '--store', store, '--tenant', 'acme'])).toBe(0);
    expect((await counts(store, 'acme')).locations).toBe(1);
    expect((await counts(store, 'default')).locations).toBe(0);
  });
});

describe('caliper metrics, trace and benchmark', () => {
  it('prints a readable table, a trace down to source rows, and a benchmark that is not shown for 2 locations', async () => {
    expect(await main(['ingest', fixture('north'), fixture('south'), '--store', store])).toBe(0);

    stdout = '';
    expect(await main(['metrics', '--period', '2024', '--metric', 'net_revenue', '--store', store])).toBe(0);
    // 2024 net revenue: L1 1,000.00, L2 579.00, portfolio 1,579.00 (see tests/shared/metrics/revenue.test.ts).
    expect(stdout).toMatch(/\nPortfolio\n {2}Net revenue\s+net_revenue\s+\$1,579\.00/);
    expect(stdout).toMatch(/\nL1 · North Dallas\n {2}Net revenue\s+net_revenue\s+\$1,000\.00/);

    stdout = '';
    expect(
      await main(['trace', 'net_revenue', '--period', '2024-Q1', '--location', 'L1', '--store', store]),
    ).toBe(0);
    expect(stdout).toContain('value:      $480.00');
    expect(stdout).toContain('net.service = $400.00');
    expect(stdout).toMatch(/north\/sales\.csv \(ingest #1\): 4 rows, e\.g\. rows 2, 3, 4, 7/);

    stdout = '';
    expect(
      await main([
        'benchmark',
        'avg_ticket',
        '--period',
        '2024',
        '--location',
        'L1',
        '--cohort',
        'region',
        '--store',
        store,
      ]),
    ).toBe(0);
    expect(stdout).toContain('not shown: the cohort has 2 locations with a value, fewer than the 5 needed');

    expect(await main(['metrics', '--period', '2024-13', '--store', store])).toBe(2);
    expect(stderr).toMatch(/Unrecognized period "2024-13"/);
    expect(
      await main([
        'benchmark',
        'avg_ticket',
        '--period',
        '2024',
        '--location',
        'L1',
        '--cohort',
        'zip',
        '--store',
        store,
      ]),
    ).toBe(2);
  });
});

describe('caliper keys', () => {
  it('creates a key shown once, lists it by prefix only, and revokes it', async () => {
    expect(
      await main(['keys', 'create', '--tenant', 'acme', '--label', 'finance workbook', '--store', store]),
    ).toBe(0);
    const key = /cal_acme_[A-Za-z0-9_-]{32}/.exec(stdout)?.[0];
    expect(key).toBeDefined();
    const prefix = key!.slice(0, 'cal_acme_'.length + 8);

    stdout = '';
    expect(await main(['keys', 'list', '--store', store])).toBe(0);
    expect(stdout).toContain(prefix);
    expect(stdout).toContain('finance workbook');
    expect(stdout).not.toContain(key!);

    expect(await main(['keys', 'revoke', prefix, '--store', store])).toBe(0);
    expect(await main(['keys', 'revoke', prefix, '--store', store])).toBe(1);
    expect(await main(['keys', 'create', '--store', store])).toBe(2);
  });
});

describe('caliper demo + ingest', () => {
  it('generates a 2-location portfolio that ingests with 0 rejected rows, twice with the same counts', async () => {
    const out = path.join(dir, 'demo');
    expect(
      await main([
        'demo',
        '--locations',
        '2',
        '--years',
        '1',
        '--seed',
        '7',
        '--end',
        '2025-12',
        '--out',
        out,
        '--json',
      ]),
    ).toBe(0);
    const bundles = fs.readdirSync(out).map((name) => path.join(out, name));
    expect(bundles).toHaveLength(2);

    stdout = '';
    expect(await main(['ingest', ...bundles, '--store', store, '--json'])).toBe(0);
    const report = JSON.parse(stdout) as JsonReport;
    expect(report.committed).toBe(true);
    expect(report.totals.rows_rejected).toBe(0);
    expect(report.files.flatMap((f) => f.issues)).toEqual([]);
    const first = await counts(store);
    expect(first.locations).toBe(2);
    expect(first.appointments).toBeGreaterThan(1000);

    stdout = '';
    expect(await main(['ingest', ...bundles, '--store', store, '--json'])).toBe(0);
    expect((JSON.parse(stdout) as JsonReport).totals.rows_inserted).toBe(0);
    expect(await counts(store)).toEqual(first);

    stdout = '';
    expect(await main(['summary', '--store', store])).toBe(0);
    expect(stdout).toMatch(/Portfolio "default": 2 locations/);

    stdout = '';
    expect(await main(['metrics', '--period', 'LTM', '--store', store, '--json'])).toBe(0);
    const records = JSON.parse(stdout) as MetricRecordJson[];
    const scopesOf = (metric: string) =>
      records
        .filter((r) => r.metric === metric)
        .map((r) => `${r.location_id ?? '*'}/${r.provider_id ?? '-'}`);
    const locations = ['*', ...bundles.map((b) => path.basename(b))];
    for (const metric of METRICS.filter((m) => m.singleValue !== false)) {
      const listed = scopesOf(metric.id);
      if (metric.scopes.includes('portfolio'))
        expect({ metric: metric.id, has: listed.includes('*/-') }).toEqual({ metric: metric.id, has: true });
      if (metric.scopes.includes('location')) {
        for (const l of locations.slice(1))
          expect({ metric: metric.id, l, has: listed.includes(`${l}/-`) }).toEqual({
            metric: metric.id,
            l,
            has: true,
          });
      }
      if (metric.scopes.includes('provider')) {
        // Each provider at each of their locations and across all of them.
        expect(listed.some((s) => s.startsWith('*/') && !s.endsWith('/-'))).toBe(true);
        expect(listed.some((s) => !s.startsWith('*/') && !s.endsWith('/-'))).toBe(true);
      }
    }
    for (const r of records) {
      expect(Object.keys(r)).toEqual(
        expect.arrayContaining([
          'metric',
          'period',
          'location_id',
          'provider_id',
          'value',
          'unit',
          'coverage',
        ]),
      );
      if (r.value === null) expect(typeof r.reason).toBe('string');
    }
    const sameStore = records.find((r) => r.metric === 'same_store_revenue_growth' && r.location_id === null);
    expect(sameStore?.details).toEqual(
      expect.objectContaining({ comparable: expect.any(Array), excluded: expect.any(Array) }),
    );
  });

  it('refuses bad demo options with exit code 2', async () => {
    expect(await main(['demo', '--locations', 'many'])).toBe(2);
    expect(await main(['demo', '--end', '2025-13'])).toBe(2);
  });
});

describe('the built caliper binary', () => {
  const bin = path.join(ROOT, 'dist', 'cli', 'caliper.js');

  it('runs as a real process with the documented exit codes', () => {
    expect(fs.existsSync(bin)).toBe(true); // `npm test` builds before running jest
    const ok = spawnSync(process.execPath, [bin, 'ingest', fixture('north'), '--store', store, '--json'], {
      encoding: 'utf8',
    });
    expect(ok.status).toBe(0);
    expect((JSON.parse(ok.stdout) as JsonReport).committed).toBe(true);
    const usage = spawnSync(process.execPath, [bin, 'ingest'], { encoding: 'utf8' });
    expect(usage.status).toBe(2);
    const help = execFileSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
    expect(help).toMatch(/ingest \[options\] <path\.\.\.>/);
  });
});
