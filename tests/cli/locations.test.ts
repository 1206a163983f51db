import fs from 'node:fs';
import path from 'node:path';

import { main } from '../../cli/caliper';
import { tempDir } from '../support/testStore';

const VENDORS = path.join(__dirname, '..', 'fixtures', 'vendors');

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

async function run(...args: string[]): Promise<number> {
  stdout = '';
  stderr = '';
  return main([...args, '--store', store]);
}

interface LocationJson {
  location_id: string;
  name: string;
  opened_on: string | null;
  region: string | null;
  timezone: string | null;
  emr_system: string | null;
  aliases: string[];
}

async function locations(): Promise<LocationJson[]> {
  expect(await run('locations', 'list', '--json')).toBe(0);
  return JSON.parse(stdout) as LocationJson[];
}

describe('caliper locations', () => {
  it('lists the location a vendor export created, and sets what no export carries', async () => {
    // A Zenoti Employee Sales export into an empty store, with no locations file and no flags.
    const exports = path.join(dir, 'exports');
    fs.mkdirSync(exports);
    fs.copyFileSync(path.join(VENDORS, 'zenoti', 'employee_sales.csv'), path.join(exports, 'sales.csv'));
    expect(await run('ingest', exports)).toBe(0);
    expect(stdout).toContain('1 new location created from the exports: add opened_on');
    expect(stdout).toContain('  evolve-austin  Evolve Austin  (Zenoti)');

    expect(await locations()).toEqual([
      expect.objectContaining({
        location_id: 'evolve-austin',
        name: 'Evolve Austin',
        emr_system: 'Zenoti',
        opened_on: null,
        aliases: [],
      }),
    ]);
    expect(await run('locations')).toBe(0);
    expect(stdout).toContain('Opening date unknown for evolve-austin');

    expect(
      await run(
        'locations',
        'set',
        'evolve-austin',
        '--opened-on',
        '2021-03-01',
        '--region',
        'Texas',
        '--timezone',
        'America/Chicago',
      ),
    ).toBe(0);
    expect(stdout).toMatch(/^Location evolve-austin updated \(ingest #\d+\)\./);
    expect(await locations()).toEqual([
      expect.objectContaining({
        location_id: 'evolve-austin',
        name: 'Evolve Austin',
        emr_system: 'Zenoti',
        opened_on: '2021-03-01',
        region: 'Texas',
        timezone: 'America/Chicago',
      }),
    ]);

    // A value the canonical format refuses writes nothing and says why.
    expect(await run('locations', 'set', 'evolve-austin', '--closed-on', '2020-01-01')).toBe(1);
    expect(stdout).toContain('Nothing was written');
    expect(stdout).toContain('closed_on 2020-01-01 is before opened_on 2021-03-01');
    expect((await locations())[0]!.opened_on).toBe('2021-03-01');
  });

  it('saves aliases, which the next export of that name resolves to', async () => {
    const exports = path.join(dir, 'exports');
    fs.mkdirSync(exports);
    fs.writeFileSync(
      path.join(exports, 'locations.csv'),
      'location_id,name,opened_on\nL001,Downtown,2020-01-01\n',
    );
    expect(await run('ingest', path.join(exports, 'locations.csv'))).toBe(0);
    expect(await run('locations', 'alias', 'L001', 'Evolve Austin', 'EA Downtown')).toBe(0);
    expect(stdout).toBe('Location L001 (Downtown) also goes by: EA Downtown; Evolve Austin\n');

    fs.rmSync(path.join(exports, 'locations.csv'));
    fs.copyFileSync(path.join(VENDORS, 'zenoti', 'employee_sales.csv'), path.join(exports, 'sales.csv'));
    expect(await run('ingest', exports, '--json')).toBe(0);
    const report = JSON.parse(stdout) as { created_locations: unknown[] };
    expect(report.created_locations).toEqual([]);
    expect((await locations()).map((l) => l.location_id)).toEqual(['L001']);
  });

  it('merges a location an export created into the one the user described, history kept', async () => {
    // The user's own L001, with 500.00 of October sales; a Zenoti export names the same
    // practice "Evolve Austin", which creates evolve-austin with 1,917.00 (the fixture's sales:
    // 520 + 100 + 125 + 125 − 52 + 1,099; the void line is skipped).
    const own = path.join(dir, 'own');
    const zenoti = path.join(dir, 'zenoti');
    fs.mkdirSync(own);
    fs.mkdirSync(zenoti);
    fs.writeFileSync(
      path.join(own, 'locations.csv'),
      'location_id,name,opened_on,timezone\nL001,Austin Flagship,2021-03-01,America/Chicago\n',
    );
    fs.writeFileSync(
      path.join(own, 'sales.csv'),
      'line_id,location_id,sold_on,kind,gross\nC1,L001,2026-10-05,service,300.00\nC2,L001,2026-10-12,retail,200.00\n',
    );
    fs.copyFileSync(path.join(VENDORS, 'zenoti', 'employee_sales.csv'), path.join(zenoti, 'sales.csv'));
    expect(await run('ingest', own)).toBe(0);
    expect(await run('ingest', zenoti)).toBe(0);
    expect((await locations()).map((l) => l.location_id)).toEqual(['L001', 'evolve-austin']);

    const netRevenue = async () => {
      expect(await run('metrics', '--period', '2026-10', '--metric', 'net_revenue', '--json')).toBe(0);
      const records = JSON.parse(stdout) as {
        location_id: string | null;
        provider_id: string | null;
        value: number;
      }[];
      return Object.fromEntries(
        records.filter((r) => r.provider_id === null).map((r) => [r.location_id ?? 'portfolio', r.value]),
      );
    };
    expect(await netRevenue()).toEqual({ portfolio: 2417, L001: 500, 'evolve-austin': 1917 });

    expect(await run('locations', 'merge', 'evolve-austin', 'L001')).toBe(0);
    expect(stdout).toMatch(/^Merged evolve-austin into L001 \(Austin Flagship\) \(ingest #\d+\)\.\n/);
    expect(stdout).toContain('Now at L001: 2 providers, 6 sales.');
    expect(stdout).toContain('Filled from evolve-austin: emr_system Zenoti.');
    expect(stdout).toContain('L001 also goes by: Evolve Austin');

    // One location now, with both's sales; the portfolio total is what it was.
    expect(await netRevenue()).toEqual({ portfolio: 2417, L001: 2417 });
    expect(await locations()).toEqual([
      expect.objectContaining({
        location_id: 'L001',
        name: 'Austin Flagship',
        opened_on: '2021-03-01',
        emr_system: 'Zenoti',
        aliases: ['Evolve Austin'],
      }),
    ]);

    // The same export again resolves to L001: no location created, no row new or changed.
    expect(await run('ingest', zenoti, '--json')).toBe(0);
    const again = JSON.parse(stdout) as {
      created_locations: unknown[];
      totals: { rows_inserted: number; rows_updated: number };
    };
    expect(again.created_locations).toEqual([]);
    expect(again.totals).toMatchObject({ rows_inserted: 0, rows_updated: 0 });
    expect((await locations()).map((l) => l.location_id)).toEqual(['L001']);
    expect(await netRevenue()).toEqual({ portfolio: 2417, L001: 2417 });

    // Merged away: asking for it again says where it went.
    expect(await run('locations', 'merge', 'evolve-austin', 'L001')).toBe(2);
    expect(stderr).toContain(
      'no location "evolve-austin" in tenant "default": it is a name of L001 (Austin Flagship) now',
    );
  });

  it('refuses to merge an unknown location, naming it, or a location into itself', async () => {
    fs.writeFileSync(path.join(dir, 'locations.csv'), 'location_id,name\nL001,Downtown\n');
    expect(await run('ingest', path.join(dir, 'locations.csv'))).toBe(0);

    expect(await run('locations', 'merge', 'L404', 'L001')).toBe(2);
    expect(stderr).toContain('no location "L404" in tenant "default"');
    expect(await run('locations', 'merge', 'L001', 'L404')).toBe(2);
    expect(stderr).toContain('no location "L404" in tenant "default"');
    expect(await run('locations', 'merge', 'L001', 'L001')).toBe(2);
    expect(stderr).toContain('cannot merge location "L001" into itself');
    expect((await locations()).map((l) => l.location_id)).toEqual(['L001']);
  });

  it('names the locations it has when asked for one it does not', async () => {
    expect(await run('locations', 'alias', 'L404', 'Somewhere')).toBe(2);
    expect(stderr).toContain('no location "L404" in tenant "default"');
  });
});
