import fs from 'node:fs';
import path from 'node:path';

import { HttpRequest } from '@azure/functions';
import { parse } from 'csv-parse/sync';

import { main } from '../../../cli/caliper';
import { createKey } from '../../../cli/commands/keysCommand';
import { ingest } from '../../../functions/ingest';
import { createRuntime, runtime, setRuntimeForTests } from '../../../functions/runtime';
import { SqliteStore } from '../../../store/sqlite/sqlite-store';
import { bearer, call } from '../../functions/apiTestRuntime';
import { tempDir } from '../../support/testStore';
import { zipFolder } from '../../support/zipFolder';

/*
 * The vendor-format demo is the canonical demo in other clothes: written both ways from the
 * same seed, each ingested through the real CLI into its own store, every metric of the
 * catalog must come out the same at portfolio, location and provider scope. No metric is
 * excluded: where an export cannot say something (a terminated Mindbody contract's price, a
 * gift card in Mindbody), the demo keeps that fact in a canonical file instead.
 */

// Seed 8, 4 locations: L001 and L003 Zenoti (L003 opens in June), L002 Boulevard (closes at
// the end of August), L004 the location without booking times, so Mindbody, with fee lines
// (kind other) it keeps canonical; one provider floats between L001 and L004; payroll
// alternates Gusto / ADP.
const DEMO = ['--locations', '4', '--years', '1', '--seed', '8', '--end', '2025-12'];
const PERIODS = ['2025', '2025-Q3', 'LTM'];

interface MetricRow {
  metric: string;
  location_id: string | null;
  provider_id: string | null;
  value: number | null;
}

interface IngestJson {
  committed: boolean;
  files: { file: string; rows_rejected: number; issues: unknown[] }[];
  vendor_files: { file: string; profile: string }[];
  conversion_issues: unknown[];
  reconciliation: { locationId: string; month: string; differenceCents: number }[];
}

let dir: string;
let canonicalBundles: string[];
/** What `caliper demo --formats vendor` printed. */
let printed: string;
/** The `caliper ingest` commands it printed, as argument lists. */
let ingestCommands: string[][];
let stdout = '';
const canonicalStore = () => path.join(dir, 'canonical.db');
const vendorStore = () => path.join(dir, 'vendor.db');

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  stdout = '';
  const code = await main(args);
  return { code, out: stdout };
}

function csvRows(file: string): Record<string, string>[] {
  return parse<Record<string, string>>(fs.readFileSync(file, 'utf8'), { columns: true, bom: true });
}

async function metrics(store: string, period: string, tenant = 'default'): Promise<MetricRow[]> {
  const { code, out } = await cli([
    'metrics',
    '--period',
    period,
    '--json',
    '--store',
    store,
    '--tenant',
    tenant,
  ]);
  expect(code).toBe(0);
  return JSON.parse(out) as MetricRow[];
}

/**
 * Vendor provider id → canonical provider id, by location and display name: Zenoti keeps the
 * canonical ids (its --providers map), Mindbody says `mindbody:<StaffId>`.
 */
function providerIdMap(): Map<string, string> {
  const ids = new Map<string, Set<string>>();
  for (const bundle of canonicalBundles) {
    const location = path.basename(bundle);
    const canonical = new Map(
      csvRows(path.join(bundle, 'providers.csv')).map((p) => [p.display_name, p.provider_id]),
    );
    const vendorFile = [
      path.join(dir, 'vendor', location, 'directory', 'providers.csv'),
      path.join(dir, 'vendor', location, 'providers.csv'),
    ].find((f) => fs.existsSync(f))!;
    for (const p of csvRows(vendorFile)) {
      const id = canonical.get(p.display_name)!;
      ids.set(p.provider_id!, new Set([...(ids.get(p.provider_id!) ?? []), id]));
    }
  }
  // Every vendor id is one canonical provider (a floater has one id everywhere).
  return new Map([...ids].map(([vendorId, canonicalIds]) => [vendorId, [...canonicalIds].join('|')]));
}

beforeAll(async () => {
  dir = tempDir('caliper-vendor-demo-');
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  expect((await cli(['demo', ...DEMO, '--out', path.join(dir, 'canonical')])).code).toBe(0);
  canonicalBundles = ['L001', 'L002', 'L003', 'L004'].map((l) => path.join(dir, 'canonical', l));
  expect((await cli(['ingest', ...canonicalBundles, '--store', canonicalStore()])).code).toBe(0);
  const demo = await cli(['demo', ...DEMO, '--formats', 'vendor', '--out', path.join(dir, 'vendor')]);
  expect(demo.code).toBe(0);
  printed = demo.out;
  // The temporary folder has no spaces, so the printed commands split on them.
  ingestCommands = printed
    .split('\n')
    .filter((line) => line.startsWith('  caliper ingest '))
    .map((line) => line.trim().split(' ').slice(1));
});

afterAll(() => {
  jest.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('caliper demo --formats vendor, ingested, equals the canonical demo of the same seed', () => {
  const reports: IngestJson[] = [];

  it('loads as it is with the one printed command, no flag: every file recognized, no row rejected', async () => {
    const systems = printed
      .split('\n')
      .filter((line) => /^ {2}(EMR|POS|payroll) /.test(line))
      .map((line) => line.split(':')[0]!.trim().replace(/ +/g, ' '));
    expect(systems).toEqual([
      'EMR Zenoti',
      'POS Square items report (reconciled with the EMR, not counted)',
      'payroll Gusto payrolls (JSON), ADP for floating providers',
      'EMR Boulevard',
      'POS none',
      'payroll ADP payroll export (CSV)',
      'EMR Zenoti',
      'POS Square items report (reconciled with the EMR, not counted)',
      'payroll Gusto payrolls (JSON)',
      'EMR Mindbody',
      'POS Square items report (reconciled with the EMR, not counted)',
      'payroll ADP payroll export (CSV)',
    ]);
    // No --location, --providers or --services: each location folder's locations.csv and its
    // categories / provider-id files say what those flags said.
    expect(ingestCommands).toEqual([['ingest', path.join(dir, 'vendor')]]);
    const { code, out } = await cli([...ingestCommands[0]!, '--store', vendorStore(), '--json']);
    const report = JSON.parse(out) as IngestJson;
    expect({ code, committed: report.committed }).toEqual({ code: 0, committed: true });
    reports.push(report);
    const profiles = report.vendor_files.map((f) => f.profile);
    expect([...new Set(profiles)].sort()).toEqual([
      'adp.payroll_export',
      'boulevard.appointments',
      'boulevard.memberships',
      'caliper.provider_ids',
      'caliper.service_categories',
      'google_ads.campaigns',
      'gusto.payrolls',
      'meta_ads.ads_manager',
      'mindbody.appointments',
      'mindbody.client_contracts',
      'mindbody.sales',
      'square.items',
      'zenoti.appointments',
      'zenoti.employee_sales',
      'zenoti.memberships',
    ]);
    // Boulevard and Mindbody name their location by their own ids, which nobody had described:
    // each is read as the one location its folder describes, and the user is told so.
    expect(
      (report.conversion_issues as { code: string; message: string }[]).map((i) => [
        i.code,
        i.message.split(',')[0],
      ]),
    ).toEqual([
      [
        'location_assumed',
        expect.stringMatching(/^Boulevard location id "boulevard:urn:blvd:Location:.*" was read as L002$/),
      ],
      ['location_assumed', 'Mindbody location id "mindbody:1" was read as L004'],
    ]);
    // The only other remark: the demo's README.txt is not data.
    expect(report.files.flatMap((f) => f.issues)).toEqual([
      expect.objectContaining({ file: path.join(dir, 'vendor', 'README.txt'), code: 'unknown_file' }),
    ]);
    expect(report.files.filter((f) => f.rows_rejected > 0)).toEqual([]);
  });

  it('reconciles the Square POS lines with the EMR exactly, every location-month', () => {
    const rows = reports.flatMap((r) => r.reconciliation);
    // L001 and L004 12 months, L003 June–December (L002's Boulevard has no sales export).
    expect(rows).toHaveLength(12 + 7 + 12);
    expect(rows.filter((r) => r.differenceCents !== 0)).toEqual([]);
  });

  it('holds the same number of rows of every fact', async () => {
    const counts = async (file: string) => {
      const store = SqliteStore.open(file);
      try {
        return await store.rowCounts('default');
      } finally {
        await store.close();
      }
    };
    const canonical = await counts(canonicalStore());
    const converted = await counts(vendorStore());
    // The Square items report derives services rows of its own (`square:…`), unused since its
    // sales lines are only reconciled; every other entity has exactly the canonical rows.
    expect({ ...converted, services: 0 }).toEqual({ ...canonical, services: 0 });
    expect(converted.services).toBeGreaterThan(canonical.services ?? 0);
  });

  it('refuses a --formats it does not know with exit code 2', async () => {
    expect((await cli(['demo', '--formats', 'xml', '--out', path.join(dir, 'xml')])).code).toBe(2);
    expect(fs.existsSync(path.join(dir, 'xml'))).toBe(false);
  });

  it.each(PERIODS)('gives every metric the same value for %s, at every scope', async (period) => {
    await expectSameMetrics(vendorStore(), 'default', period);
  });
});

/** Every metric of the period, provider ids mapped to the canonical ones, equals the canonical demo's. */
async function expectSameMetrics(store: string, tenant: string, period: string): Promise<void> {
  const providers = providerIdMap();
  const key = (r: MetricRow, provider: string | null) =>
    `${r.metric} @${r.location_id ?? 'portfolio'} #${provider ?? '-'}`;
  const expected = new Map(
    (await metrics(canonicalStore(), period)).map((r) => [key(r, r.provider_id), r.value]),
  );
  const actual = new Map(
    (await metrics(store, period, tenant)).map((r) => [
      key(r, r.provider_id === null ? null : (providers.get(r.provider_id) ?? `unmapped ${r.provider_id}`)),
      r.value,
    ]),
  );
  expect(expected.size).toBeGreaterThan(900);
  // Exact equality, money included: both are computed from the same cents.
  expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(expected));
}

describe('the vendor demo zipped as it is and uploaded to POST /api/ingest (what the task pane sends)', () => {
  const apiStore = () => path.join(dir, 'api.db');

  it('commits in one upload, with no query parameter, and every metric equals the canonical demo', async () => {
    const store = SqliteStore.open(apiStore());
    setRuntimeForTests(createRuntime({ storeFile: apiStore(), auth: { mode: 'api-key' } }, store));
    try {
      const { key } = await createKey(store, 't1', 'tests');
      const zip = await zipFolder(path.join(dir, 'vendor'));
      const request = new HttpRequest({
        method: 'POST',
        url: 'http://localhost/api/ingest',
        headers: {
          'content-type': 'application/zip',
          'x-caliper-filename': 'vendor-demo.zip',
          ...bearer(key),
        },
        body: { bytes: zip },
      });
      const { status, body } = await call(ingest, request);
      expect({ status, committed: body.committed, failure: body.failure }).toEqual({
        status: 200,
        committed: true,
        failure: null,
      });
      expect((body.files as { rows_rejected: number }[]).filter((f) => f.rows_rejected > 0)).toEqual([]);
      // The same 13 export profiles and 2 option files as the CLI's ingest of the folder.
      expect(new Set((body.vendor_files as { profile: string }[]).map((f) => f.profile)).size).toBe(15);
    } finally {
      await runtime().close();
      setRuntimeForTests(undefined);
    }
    await expectSameMetrics(apiStore(), 't1', 'LTM');
  });
});
