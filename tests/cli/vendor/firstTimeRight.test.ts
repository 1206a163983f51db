import fs from 'node:fs';
import path from 'node:path';

import { parse } from 'csv-parse/sync';

import { main } from '../../../cli/caliper';
import { SqliteStore } from '../../../store/sqlite/sqlite-store';
import { tempDir } from '../../support/testStore';

/*
 * A practice's own files, as a new user drops them in: an empty store, no flags, no
 * locations file. The figures asserted are computed here from the export itself.
 */

const VENDORS = path.join(__dirname, '..', '..', 'fixtures', 'vendors');

let dir: string;
let store: string;
let stdout: string;

beforeEach(() => {
  dir = tempDir();
  store = path.join(dir, 'caliper.db');
  stdout = '';
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
});

afterEach(() => {
  jest.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function run(...args: string[]): Promise<number> {
  stdout = '';
  return main([...args, '--store', store]);
}

function readCsv(file: string): Record<string, string>[] {
  return parse<Record<string, string>>(fs.readFileSync(file), { columns: true, bom: true });
}

interface MetricJson {
  metric: string;
  location_id: string | null;
  provider_id: string | null;
  value: number | null;
}

async function metric(id: string, period: string): Promise<MetricJson[]> {
  expect(await run('metrics', '--period', period, '--metric', id, '--json')).toBe(0);
  return (JSON.parse(stdout) as MetricJson[]).filter((m) => m.provider_id === null);
}

describe('a multi-center Zenoti Appointments export into an empty store, no flags', () => {
  const file = path.join(VENDORS, 'zenoti', 'appointments_two_centers.csv');

  it('creates one location per center, rejects nothing, and counts one visit per guest trip', async () => {
    const rows = readCsv(file);
    const centers = [...new Set(rows.map((r) => r['Center Name']!))].sort();
    // A guest trip: a guest at a center on a day with a completed service line that is
    // neither an add-on nor a 0-minute line (a check-in or a checked-in open line counts).
    const completed = (r: Record<string, string>) =>
      /^(closed|checkin)$/i.test(r.Status!) || (r.Status === 'Open' && r['Checkin Time'] !== '');
    const trips = new Map<string, number>();
    for (const r of rows) {
      if (!completed(r) || r['Add-on'] === 'Yes' || r['Scheduled Service Duration'] === '0') continue;
      const key = `${r['Center Name']}|${r['Guest Code']}|${r['Appointment Date']}`;
      trips.set(r['Center Name']!, (trips.get(r['Center Name']!) ?? 0) + (trips.has(key) ? 0 : 1));
      trips.set(key, 1);
    }

    expect(await run('ingest', file, '--json')).toBe(0);
    const report = JSON.parse(stdout) as {
      committed: boolean;
      totals: { rows_rejected: number };
      conversion_issues: { row: number | null; code: string; severity: string }[];
      created_locations: { location_id: string; name: string; emr_system: string }[];
    };
    expect(report.committed).toBe(true);
    expect(report.totals.rows_rejected).toBe(0);
    expect(report.conversion_issues.filter((i) => i.severity === 'error')).toEqual([]);
    // The only rows left out are the Deleted ones and lines that are no visit of their own.
    const skipped = report.conversion_issues.filter((i) => i.code === 'skipped_row').map((i) => i.row!);
    for (const row of skipped) {
      const r = rows[row - 2]!;
      expect(r.Status === 'Deleted' || r['Scheduled Service Duration'] === '0').toBe(true);
    }
    expect(report.created_locations.map((l) => [l.name, l.emr_system]).sort()).toEqual(
      centers.map((c) => [c, 'Zenoti']),
    );

    const visits = await metric('visits', '2026-10');
    const byName = new Map(report.created_locations.map((l) => [l.location_id, l.name]));
    expect(
      visits
        .filter((v) => v.location_id !== null)
        .map((v) => [byName.get(v.location_id!), v.value])
        .sort(),
    ).toEqual(centers.map((c) => [c, trips.get(c)]));
    expect(visits.find((v) => v.location_id === null)?.value).toBe(
      trips.get(centers[0]!)! + trips.get(centers[1]!)!,
    );
  });

  it('sends a second export of the same centers to the locations the first one created', async () => {
    expect(await run('ingest', file)).toBe(0);
    expect(await run('ingest', file, '--json')).toBe(0);
    const again = JSON.parse(stdout) as { created_locations: unknown[]; totals: { rows_inserted: number } };
    expect(again.created_locations).toEqual([]);
    expect(again.totals.rows_inserted).toBe(0);
  });
});

describe('a Square Items export into an empty store, no flags', () => {
  it('books net revenue equal to the sum of its Net Sales column, gift cards aside', async () => {
    const file = path.join(VENDORS, 'square', 'items.csv');
    const cents = (money: string) => Math.round(Number(money.replace(/[$,]/g, '')) * 100);
    // Selling a gift card is never revenue (metrics.md): its redemption pays for a service line.
    const netSalesCents = readCsv(file)
      .filter((r) => r['Itemization Type'] !== 'Gift Card')
      .reduce((sum, r) => sum + cents(r['Net Sales']!), 0);

    expect(await run('ingest', file)).toBe(0);
    const revenue = await metric('net_revenue', '2026-10');
    expect(Math.round(revenue.find((m) => m.location_id === null)!.value! * 100)).toBe(netSalesCents);
  });
});

describe('ads reports in another currency into an empty store, no flags', () => {
  const REAL = path.join(__dirname, '..', '..', 'fixtures', 'real');

  it.each([
    ['rupiah', path.join(REAL, 'meta_ads', 'ads_manager_idr.csv'), 'IDR'],
    ['yen', path.join(REAL, 'google_ads', 'campaign_report_jpy.csv'), 'JPY'],
  ])(
    'refuses a report in %s, naming its currency and file, and writes nothing',
    async (_name, file, code) => {
      expect(await run('ingest', file, '--location', 'L1', '--json')).toBe(1);

      const report = JSON.parse(stdout) as {
        committed: boolean;
        conversion_issues: { file: string; message: string }[];
      };
      expect(report.committed).toBe(false);
      expect(report.conversion_issues).toEqual([
        expect.objectContaining({
          file: path.basename(file),
          code: 'foreign_currency',
          message: expect.stringContaining(`amounts are in ${code}`),
        }),
      ]);
      if (fs.existsSync(store)) {
        const s = SqliteStore.open(store);
        try {
          expect(Object.values(await s.rowCounts('default')).every((n) => n === 0)).toBe(true);
        } finally {
          await s.close();
        }
      }
    },
  );
});
