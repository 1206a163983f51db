import fs from 'node:fs';
import path from 'node:path';

import { parse } from 'csv-parse/sync';

import { main } from '../../../cli/caliper';
import { SqliteStore } from '../../../store/sqlite/sqlite-store';
import { tempDir } from '../../support/testStore';

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

async function metrics(store: string, period: string): Promise<MetricRow[]> {
  const { code, out } = await cli(['metrics', '--period', period, '--json', '--store', store]);
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

  it('loads with the printed ingest commands: every file recognized, no row rejected, no warning', async () => {
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
    const v = (p: string) => path.join(dir, 'vendor', p);
    const zenoti = (l: string) => [
      'ingest',
      v(l),
      '--location',
      l,
      '--providers',
      v(`${l}/options/provider_ids.csv`),
      '--services',
      v(`${l}/options/service_categories.csv`),
    ];
    const byIds = (l: string) => [
      'ingest',
      v(l),
      '--location',
      l,
      '--services',
      v(`${l}/options/service_categories.csv`),
    ];
    expect(ingestCommands).toEqual([
      zenoti('L001'),
      byIds('L002'),
      zenoti('L003'),
      byIds('L004'),
      ['ingest', ...['L001', 'L002', 'L003', 'L004'].map((l) => v(`${l}/directory`))],
      ['ingest', v('payroll')],
    ]);
    for (const args of ingestCommands) {
      const { code, out } = await cli([...args, '--store', vendorStore(), '--json']);
      const report = JSON.parse(out) as IngestJson;
      expect({ args, code, committed: report.committed }).toEqual({ args, code: 0, committed: true });
      reports.push(report);
    }
    const profiles = reports.flatMap((r) => r.vendor_files.map((f) => f.profile));
    expect([...new Set(profiles)].sort()).toEqual([
      'adp.payroll_export',
      'boulevard.appointments',
      'boulevard.memberships',
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
    expect(reports.flatMap((r) => r.conversion_issues)).toEqual([]);
    expect(reports.flatMap((r) => r.files.flatMap((f) => f.issues))).toEqual([]);
    expect(reports.flatMap((r) => r.files.filter((f) => f.rows_rejected > 0))).toEqual([]);
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
    const providers = providerIdMap();
    const key = (r: MetricRow, provider: string | null) =>
      `${r.metric} @${r.location_id ?? 'portfolio'} #${provider ?? '-'}`;
    const expected = new Map(
      (await metrics(canonicalStore(), period)).map((r) => [key(r, r.provider_id), r.value]),
    );
    const actual = new Map(
      (await metrics(vendorStore(), period)).map((r) => [
        key(r, r.provider_id === null ? null : (providers.get(r.provider_id) ?? `unmapped ${r.provider_id}`)),
        r.value,
      ]),
    );
    expect(expected.size).toBeGreaterThan(900);
    // Exact equality, money included: both are computed from the same cents.
    expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(expected));
  });
});
