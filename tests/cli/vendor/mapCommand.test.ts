import fs from 'node:fs';
import path from 'node:path';

import { main } from '../../../cli/caliper';
import { SqliteStore } from '../../../store/sqlite/sqlite-store';
import { tempDir } from '../../support/testStore';

const VENDORS = path.join(__dirname, '..', '..', 'fixtures', 'vendors');

let dir: string;
let stdout: string;

beforeEach(() => {
  dir = tempDir();
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

describe('caliper map', () => {
  it('proposes a mapping of an export without a profile from its headers and values, and ingest reads the file with it', async () => {
    // Mangomint publishes no export schema: these headers are an example of what such an export holds.
    const folder = path.join(dir, 'exports');
    fs.mkdirSync(folder);
    const file = path.join(folder, 'mangomint_appointments.csv');
    fs.copyFileSync(path.join(VENDORS, 'mangomint', 'appointments.csv'), file);
    fs.copyFileSync(path.join(VENDORS, 'e2e', 'locations.csv'), path.join(folder, 'locations.csv'));
    const mapping = path.join(dir, 'mangomint.mapping.json');

    expect(await main(['map', file, '--out', mapping])).toBe(0);

    expect(JSON.parse(fs.readFileSync(mapping, 'utf8'))).toEqual(
      JSON.parse(
        fs.readFileSync(path.join(VENDORS, 'mangomint', 'appointments.mapping.expected.json'), 'utf8'),
      ),
    );
    expect(stdout).toContain('looks like appointments.csv');
    expect(stdout).toContain('not used: Client Name, Price');
    expect(stdout).toContain(`caliper ingest --mapping ${mapping} ${file}`);

    stdout = '';
    const store = path.join(dir, 'caliper.db');
    expect(await main(['ingest', folder, '--mapping', mapping, '--store', store])).toBe(0);
    expect(stdout).toContain(`${file}: mangomint · appointments (score 1.00)`);
    const s = SqliteStore.open(store);
    try {
      const rows = s.db
        .prepare(
          'SELECT appointment_id, patient_id, provider_id, start_at, booked_at, duration_min, status FROM appointments ORDER BY appointment_id',
        )
        .all();
      expect(rows).toEqual([
        {
          appointment_id: 'mangomint:A-1001',
          patient_id: 'mangomint:C-77',
          provider_id: 'mangomint:jane-doe',
          start_at: '2026-10-05T09:30:00',
          booked_at: '2026-09-28T16:12:00',
          duration_min: 30,
          status: 'completed',
        },
        {
          appointment_id: 'mangomint:A-1002',
          patient_id: 'mangomint:C-78',
          provider_id: 'mangomint:jane-doe',
          start_at: '2026-10-05T11:00:00',
          booked_at: '2026-10-01T10:00:00',
          duration_min: 60,
          status: 'no_show',
        },
        {
          appointment_id: 'mangomint:A-1003',
          patient_id: 'mangomint:C-77',
          provider_id: 'mangomint:john-smith',
          start_at: '2026-10-06T14:00:00',
          booked_at: '2026-10-02T08:30:00',
          duration_min: 15,
          status: 'cancelled',
        },
        {
          appointment_id: 'mangomint:A-1004',
          patient_id: 'mangomint:C-79',
          provider_id: 'mangomint:john-smith',
          start_at: '2026-10-20T13:15:00',
          booked_at: '2026-10-06T09:00:00',
          duration_min: 30,
          status: 'scheduled',
        },
      ]);
    } finally {
      await s.close();
    }
  });

  it('never overwrites a mapping the user may have edited', async () => {
    const file = path.join(dir, 'export.csv');
    fs.copyFileSync(path.join(VENDORS, 'mangomint', 'appointments.csv'), file);
    fs.writeFileSync(path.join(dir, 'export.mapping.json'), '{"edited": true}');

    expect(await main(['map', file])).toBe(1);

    expect(stdout).toContain('already exists');
    expect(fs.readFileSync(path.join(dir, 'export.mapping.json'), 'utf8')).toBe('{"edited": true}');
  });

  it('writes <name without extension>.mapping.json beside the export by default, and ingest of that folder skips it', async () => {
    const folder = path.join(dir, 'exports');
    fs.mkdirSync(folder);
    const file = path.join(folder, 'mangomint_appointments.csv');
    fs.copyFileSync(path.join(VENDORS, 'mangomint', 'appointments.csv'), file);
    fs.copyFileSync(path.join(VENDORS, 'e2e', 'locations.csv'), path.join(folder, 'locations.csv'));

    expect(await main(['map', file])).toBe(0);

    const mapping = path.join(folder, 'mangomint_appointments.mapping.json');
    expect(fs.existsSync(mapping)).toBe(true);
    expect(stdout).toContain(`Wrote ${mapping}`);
    stdout = '';
    expect(
      await main(['ingest', folder, '--mapping', mapping, '--store', path.join(dir, 'caliper.db')]),
    ).toBe(0);
    expect(stdout).toContain(`${file}: mangomint · appointments (score 1.00)`);
  });

  it('replaces an existing mapping only with --force', async () => {
    const file = path.join(dir, 'export.csv');
    fs.copyFileSync(path.join(VENDORS, 'mangomint', 'appointments.csv'), file);
    const mapping = path.join(dir, 'export.mapping.json');
    fs.writeFileSync(mapping, '{"edited": true}');

    expect(await main(['map', file, '--force'])).toBe(0);

    expect(JSON.parse(fs.readFileSync(mapping, 'utf8'))).toMatchObject({ kind: 'caliper.column_mapping' });
  });

  it('refuses a mapping file that is not a valid column mapping, saying what is wrong (usage error)', async () => {
    const mapping = path.join(dir, 'bad.mapping.json');
    fs.writeFileSync(
      mapping,
      JSON.stringify({ kind: 'caliper.column_mapping', version: 1, id: 'x', entity: 'visits' }),
    );

    expect(
      await main(['ingest', path.join(VENDORS, 'mangomint', 'appointments.csv'), '--mapping', mapping]),
    ).toBe(2);
  });
});
