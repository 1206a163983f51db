import fs from 'node:fs';
import path from 'node:path';

import { parse } from 'csv-parse/sync';

import { mappingProfile, MappingProfileSchema } from '../../../shared/connectors/columnMapping';
import { readVendorCsv } from '../../../shared/connectors/vendorCsv';
import type { ConversionResult } from '../../../shared/connectors/vendorProfile';

/*
 * Real exports of systems without a profile (tests/fixtures/real/<system>/, see each
 * PROVENANCE.md), read with the mapping a user would write. The expected figures are computed
 * here from the CSV itself with a plain CSV parser and small loops, not by the converter.
 */

const REAL = path.join(__dirname, '..', '..', 'fixtures', 'real');

function convertFixture(system: string, name: string, locationId: string): ConversionResult {
  const mapping = MappingProfileSchema.parse(
    JSON.parse(fs.readFileSync(path.join(REAL, system, `${name}.mapping.json`), 'utf8')),
  );
  const text = fs.readFileSync(path.join(REAL, system, `${name}.csv`), 'utf8');
  return mappingProfile(mapping).convert(readVendorCsv(text), { fileName: `${name}.csv`, locationId });
}

/** The file's rows as the user sees them (header = row 1), read independently of the converter. */
function csvRows(system: string, name: string): { row: number; cells: string[] }[] {
  const rows: string[][] = parse(fs.readFileSync(path.join(REAL, system, `${name}.csv`), 'utf8'), {
    relax_column_count: true,
  });
  return rows.map((cells, i) => ({ row: i + 1, cells }));
}

/** `$1,234.50` → 123450, by hand. */
const cents = (text: string) => Math.round(Number(text.replace(/[$,]/g, '')) * 100);

describe('Mindbody payroll raw data through a saved mapping', () => {
  const result = convertFixture('mindbody', 'payroll_raw_data', 'L001');
  const [header, ...data] = csvRows('mindbody', 'payroll_raw_data');
  const col = (name: string) => header!.cells.indexOf(name);
  const sessions = data.filter((r) => r.cells.length > 1);
  const separators = data.filter((r) => r.cells.length === 1);
  const sales = result.records.filter((r) => r.entity === 'sales');

  it('turns every session row into one service sale line and rejects the block separators by row', () => {
    expect(sales).toHaveLength(sessions.length);
    expect(sales.map((s) => s.sourceRow)).toEqual(sessions.map((r) => r.row));
    expect(sales.every((s) => s.values.kind === 'service')).toBe(true);
    // A separator line holds neither a date nor an amount: both are named, as a profile names them.
    expect(result.issues).toEqual(
      separators.flatMap((r) =>
        ['Class Date', 'Rev. per Session'].map((column) => ({
          severity: 'error',
          row: r.row,
          column,
          code: 'missing_value',
          message: `${column} is empty`,
        })),
      ),
    );
  });

  it('sums Rev. per Session exactly, in total and per instructor', () => {
    let total = 0;
    const byInstructor = new Map<string, number>();
    for (const r of sessions) {
      const amount = cents(r.cells[col('Rev. per Session')]!);
      total += amount;
      const name = r.cells[col('Instructors')]!;
      byInstructor.set(name, (byInstructor.get(name) ?? 0) + amount);
    }
    // 13 + 0 + 12.50 + 15 + 0 + 15 + 20 + 25 + 8.75 + 7.50 + 14 = $130.75
    expect(total).toBe(13075);
    expect(sales.reduce((sum, s) => sum + cents(s.values.gross!), 0)).toBe(total);
    const grossOf = (providerId: string) =>
      sales
        .filter((s) => s.values.provider_id === providerId)
        .reduce((sum, s) => sum + cents(s.values.gross!), 0);
    // "Last, First" is turned around by the provider identity rule the profiles use.
    expect(grossOf('mindbody:ana-rivera')).toBe(byInstructor.get('Rivera, Ana'));
    expect(grossOf('mindbody:marc-stone')).toBe(byInstructor.get('Stone, Marc'));
    expect(grossOf('mindbody:lena-okafor')).toBe(byInstructor.get('Okafor, Lena'));
    expect(grossOf('mindbody:theo-brandt')).toBe(byInstructor.get('Brandt, Theo'));
  });

  it('reads the weekday dates and gives each line the file name and row number as its id', () => {
    const first = sessions[0]!;
    expect(first.cells[col('Class Date')]).toBe('Wednesday, March 06, 2019');
    expect(sales[0]?.values).toMatchObject({
      line_id: `mindbody:payroll_raw_data.csv#${first.row}`,
      sold_on: '2019-03-06',
      location_id: 'L001',
    });
    const days = new Set(sessions.map((r) => r.cells[col('Class Date')]));
    expect(new Set(sales.map((s) => s.values.sold_on)).size).toBe(days.size);
  });

  it('keeps the client column out: no patient, and no client name in any record or issue', () => {
    const clients = sessions.map((r) => r.cells[col('Client Name')]!);
    const everything = JSON.stringify(result);
    expect(clients.filter((c) => everything.includes(c))).toEqual([]);
    expect(result.records.filter((r) => r.entity === 'patients')).toEqual([]);
    expect(sales.every((s) => (s.values.patient_id ?? '') === '')).toBe(true);
  });
});

describe('Mangomint Time Clock through a saved mapping', () => {
  const result = convertFixture('mangomint', 'time_clock', 'L001');
  const [header, ...data] = csvRows('mangomint', 'time_clock');
  const col = (name: string) => header!.cells.indexOf(name);
  const shifts = result.records.filter((r) => r.entity === 'shifts');
  /** `5:04 PM` → minutes after midnight, by hand. */
  const minutes = (text: string) => {
    const [, h, m, half] = /^(\d+):(\d\d) (AM|PM)$/.exec(text)!;
    return ((Number(h) % 12) + (half === 'PM' ? 12 : 0)) * 60 + Number(m);
  };
  const asMinutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

  it('reads the shifts that end after they start and rejects the overnight and unfinished ones by row', () => {
    const complete = data.filter(
      (r) =>
        r.cells[col('Clock-Out')] !== '' &&
        minutes(r.cells[col('Clock-Out')]!) > minutes(r.cells[col('Clock-In')]!),
    );
    expect(shifts.map((s) => s.sourceRow)).toEqual(complete.map((r) => r.row));
    expect(result.issues.map((i) => [i.row, i.column, i.code])).toEqual([
      [6, 'Clock-Out', 'inconsistent_row'],
      [7, 'Clock-Out', 'missing_value'],
    ]);
  });

  it('keeps every worked minute of the accepted shifts', () => {
    let worked = 0;
    for (const r of data) {
      const out = r.cells[col('Clock-Out')]!;
      if (out === '' || minutes(out) <= minutes(r.cells[col('Clock-In')]!)) continue;
      worked += minutes(out) - minutes(r.cells[col('Clock-In')]!);
    }
    // 8:58→17:04 = 486, 10:00→18:30 = 510, 9:00→13:15 = 255, 16:00→23:45 = 465: 1716 minutes
    expect(worked).toBe(1716);
    expect(
      shifts.reduce((sum, s) => sum + asMinutes(s.values.end_time!) - asMinutes(s.values.start_time!), 0),
    ).toBe(worked);
  });

  it('reads the abbreviated weekday dates and one provider per staff member', () => {
    expect(shifts.map((s) => s.values.date)).toEqual([
      '2024-03-06',
      '2024-03-06',
      '2024-03-07',
      '2024-03-07',
    ]);
    expect(
      result.records
        .filter((r) => r.entity === 'providers')
        .map((p) => p.values.provider_id)
        .sort(),
    ).toEqual(['mangomint:eli-park', 'mangomint:nora-vance']);
  });
});
