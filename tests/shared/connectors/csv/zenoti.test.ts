import fs from 'node:fs';
import path from 'node:path';

import { parse } from 'csv-parse/sync';

import { LocationDirectory } from '../../../../shared/connectors/locationIdentity';
import { convertVendorFile } from '../../../../shared/connectors/vendorConversion';
import type { CanonicalRecord } from '../../../../shared/connectors/vendorProfile';

/*
 * Zenoti Appointments has one row per service line; a visit is one guest's trip to one center
 * on one day (shared/connectors/visitLines.ts).
 */

const FIXTURE = path.join(__dirname, '..', '..', '..', 'fixtures', 'vendors', 'zenoti', 'appointments.csv');

function convert(text: string | Buffer, name = 'zenoti_appointments.csv') {
  const outcome = convertVendorFile(
    { name, displayPath: name, content: Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8') },
    { profileId: 'zenoti.appointments' },
  );
  if (outcome.kind !== 'converted') throw new Error(JSON.stringify(outcome));
  return outcome;
}

const appointmentsOf = (records: readonly CanonicalRecord[]) =>
  records.filter((r) => r.entity === 'appointments').map((r) => r.values);

describe('the Zenoti Appointments fixture (real column set, one row per service line)', () => {
  const content = fs.readFileSync(FIXTURE);
  const rows = parse<Record<string, string>>(content, { columns: true, bom: true });
  const outcome = convert(content);
  const appointments = appointmentsOf(outcome.records);

  it('has as many visits as distinct guest trips with a main line, counted here from the CSV alone', () => {
    // Independent of the converter: a trip is (center, guest, day, invoice); Deleted rows, add-on
    // lines and 0-minute lines never make one; a trip is completed when a main line was
    // closed, checked in, or is open with a check-in time.
    const trips = new Set<string>();
    const completedTrips = new Set<string>();
    for (const row of rows) {
      if (row.Status === 'Deleted' || row['Add-on'] === 'Yes' || row['Scheduled Service Duration'] === '0')
        continue;
      const trip = [row['Center Name'], row['Guest Code'], row['Appointment Date'], row['Invoice No']].join(
        '|',
      );
      trips.add(trip);
      const arrived =
        row.Status === 'Closed' ||
        row.Status === 'Checkin' ||
        (row.Status === 'Open' && row['Checkin Time'] !== '');
      if (arrived) completedTrips.add(trip);
    }
    expect(rows.length).toBe(13);
    expect(appointments).toHaveLength(trips.size);
    expect(appointments.filter((a) => a.status === 'completed')).toHaveLength(completedTrips.size);
    expect([trips.size, completedTrips.size]).toEqual([5, 2]);
  });

  it('makes no cancelled appointment of a cancelled line inside a completed visit', () => {
    const alice = appointments.filter(
      (a) => a.patient_id === 'zenoti:001001' && (a.start_at ?? '').startsWith('2026-10-05'),
    );
    expect(alice).toEqual([
      expect.objectContaining({
        status: 'completed',
        service_code: 'zenoti:botox-per-unit',
        duration_min: '30',
      }),
    ]);
    expect(alice[0]!.service_lines).toBe('4');
  });

  it('reads a date-only Booked Date as that date at midnight (every metric reads only the date)', () => {
    expect(appointments.map((a) => a.booked_at)).toEqual([
      '2026-09-28T00:00:00',
      '2026-10-01T00:00:00',
      '2026-10-02T00:00:00',
      '2026-10-05T00:00:00',
      '2026-10-02T00:00:00',
    ]);
  });

  it('keeps the provider code as payroll_employee_id and Zenoti facts as extra columns, nothing personal', () => {
    const providers = outcome.records.filter((r) => r.entity === 'providers').map((r) => r.values);
    expect(providers.map((p) => [p.display_name, p.payroll_employee_id])).toEqual([
      ['Jane Doe', '00042'],
      ['John Smith', '00007'],
    ]);
    const first = appointments[0]!;
    expect(first).toMatchObject({
      vendor_rebooked: 'true',
      vendor_first_visit: 'true',
      booking_source: 'Online',
    });
    expect(JSON.stringify(appointments)).not.toMatch(/Example|@/);
  });
});

const HEADER =
  'Appointment Date,Booked Date,Invoice No,Service Name,Center Name,Start Time,End Time,Scheduled Service Duration,Providers,Providerss Code,Status,Guest Code,Add-on,Checkin Time,Service Category,Service Subcategory';

describe('Zenoti service lines', () => {
  it('take the Service Subcategory as the category hint before the Service Category', () => {
    const { records } = convert(
      `${HEADER}\n10/05/2026,,INV-1,Forehead Lines,Austin,10/05/2026 09:00 AM,,30,Jane Doe,00042,Closed,G1,No,,Injectables,Wrinkle Relaxer\n`,
    );
    const service = records.find((r) => r.entity === 'services')!;
    expect(service.values.category).toBe('neurotoxin');
  });

  it('count an Open line with a check-in time as arrived, so completed', () => {
    const { records } = convert(
      `${HEADER}\n10/05/2026,,INV-1,Botox,Austin,10/05/2026 09:00 AM,,30,Jane Doe,,Open,G1,No,10/05/2026 08:55 AM,,\n` +
        `10/06/2026,,INV-2,Botox,Austin,10/06/2026 09:00 AM,,30,Jane Doe,,Open,G1,No,,,\n`,
    );
    expect(appointmentsOf(records).map((a) => a.status)).toEqual(['completed', 'scheduled']);
  });

  it('keep two invoices of one guest on one day two visits, each written on its primary line', () => {
    const { records } = convert(
      `${HEADER}\n` +
        `10/05/2026,,INV-1,Numbing Add-on,Austin,10/05/2026 09:00 AM,,15,Jane Doe,,Closed,G1,Yes,,,\n` +
        `10/05/2026,,INV-1,Botox,Austin,10/05/2026 09:00 AM,,30,Jane Doe,,Closed,G1,No,,,\n` +
        `10/05/2026,,INV-2,HydraFacial,Austin,10/05/2026 03:00 PM,,60,Jane Doe,,Closed (No Show),G1,No,,,\n`,
    );
    expect(
      records.filter((r) => r.entity === 'appointments').map((r) => [r.sourceRow, r.values.appointment_id]),
    ).toEqual([
      [3, 'zenoti:Austin/INV-1'],
      [4, 'zenoti:Austin/INV-2'],
    ]);
  });

  it('report an add-on line with no main service that day by its row, and make no visit of it', () => {
    const outcome = convert(
      `${HEADER}\n10/05/2026,,INV-1,Numbing Add-on,Austin,10/05/2026 09:00 AM,,15,Jane Doe,,Closed,G1,Yes,,,\n`,
    );
    expect(appointmentsOf(outcome.records)).toEqual([]);
    expect(outcome.issues).toEqual([
      expect.objectContaining({ row: 2, column: 'Add-on', code: 'skipped_row', severity: 'warning' }),
    ]);
  });

  it('reject an Add-on cell that is not yes or no, naming row and column', () => {
    const outcome = convertVendorFile(
      {
        name: 'zenoti_appointments.csv',
        displayPath: 'zenoti_appointments.csv',
        content: Buffer.from(
          `${HEADER}\n10/05/2026,,INV-1,Botox,Austin,10/05/2026 09:00 AM,,30,Jane Doe,,Closed,G1,maybe,,,\n`,
        ),
      },
      { profileId: 'zenoti.appointments' },
    );
    expect(outcome.kind).toBe('failed');
    if (outcome.kind !== 'failed') return;
    expect(outcome.issues).toEqual([
      expect.objectContaining({ row: 2, column: 'Add-on', code: 'invalid_value', severity: 'error' }),
    ]);
  });
});

describe('a Zenoti Employee Sales export that gives only the center code', () => {
  const SALES = path.join(__dirname, '..', '..', '..', 'fixtures', 'vendors', 'zenoti', 'employee_sales.csv');
  // The same export with the Sale Center column emptied: only "0101" says where each sale was.
  const codeOnly = fs.readFileSync(SALES, 'utf8').replace(/"Evolve Austin"/g, '""');

  it('reads the code as a Zenoti id, resolved through the alias saved for it', () => {
    const locations = new LocationDirectory([
      { location_id: 'L001', name: 'Evolve Med Spa – Austin', aliases: ['zenoti:0101'] },
      { location_id: '0101', name: 'A location whose own id happens to be 0101' },
    ]);
    const outcome = convertVendorFile(
      { name: 'employee_sales.csv', displayPath: 'employee_sales.csv', content: Buffer.from(codeOnly) },
      { locations },
    );
    if (outcome.kind !== 'converted') throw new Error(JSON.stringify(outcome));
    const sales = outcome.records.filter((r) => r.entity === 'sales');
    expect(sales.length).toBeGreaterThan(0);
    expect(new Set(sales.map((r) => r.values.location_id))).toEqual(new Set(['L001']));
  });
});
