import fs from 'node:fs';
import path from 'node:path';

import {
  type MappingProfile,
  mappingProfile,
  MappingProfileSchema,
  proposeMapping,
} from '../../../shared/connectors/columnMapping';
import { zenotiAppointments } from '../../../shared/connectors/csv/zenoti';
import { detectProfile } from '../../../shared/connectors/detect';
import { PROFILES } from '../../../shared/connectors/registry';
import { readVendorCsv } from '../../../shared/connectors/vendorCsv';
import type { CanonicalRecord, ConversionResult } from '../../../shared/connectors/vendorProfile';

const ZENOTI = path.join(__dirname, '..', '..', 'fixtures', 'vendors', 'zenoti');

function mapping(fields: Record<string, unknown>): MappingProfile {
  return MappingProfileSchema.parse({
    kind: 'caliper.column_mapping',
    version: 2,
    id: 'acme.sales',
    vendor: 'Acme',
    report: 'Sales',
    entity: 'sales',
    id_prefix: 'acme',
    columns: {},
    ...fields,
  });
}

function convert(m: MappingProfile, csv: string, fileName = 'acme_sales.csv', locationId?: string) {
  return mappingProfile(m).convert(readVendorCsv(csv), { fileName, locationId });
}

const rowsOf = (result: ConversionResult, entity: string) =>
  result.records.filter((r) => r.entity === entity).map((r) => r.values);

function schemaProblems(fields: Record<string, unknown>): string {
  const parsed = MappingProfileSchema.safeParse({
    kind: 'caliper.column_mapping',
    version: 2,
    id: 'acme.x',
    vendor: 'Acme',
    report: 'X',
    entity: 'sales',
    id_prefix: 'acme',
    columns: {},
    ...fields,
  });
  return parsed.success ? '' : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
}

describe('column mapping version 1', () => {
  it('keeps reading version 1 files with columns and values only', () => {
    const v1 = JSON.parse(
      fs.readFileSync(
        path.join(
          __dirname,
          '..',
          '..',
          'fixtures',
          'vendors',
          'mangomint',
          'appointments.mapping.expected.json',
        ),
        'utf8',
      ),
    ) as unknown;
    const parsed = MappingProfileSchema.parse(v1);
    const result = mappingProfile(parsed).convert(
      readVendorCsv(
        fs.readFileSync(
          path.join(__dirname, '..', '..', 'fixtures', 'vendors', 'mangomint', 'appointments.csv'),
          'utf8',
        ),
      ),
      { fileName: 'appointments.csv' },
    );
    expect(result.issues).toEqual([]);
    expect(rowsOf(result, 'appointments')).toHaveLength(4);
  });

  it('refuses the version 2 fields in a version 1 file, naming them', () => {
    expect(schemaProblems({ version: 1, constants: { kind: 'service' } })).toContain(
      'constants need "version": 2',
    );
  });
});

describe('constants', () => {
  const csv =
    'Receipt,Date,Amount,Location\nR-1,03/06/2019,$120.00,Downtown\nR-2,03/07/2019,$80.50,Downtown\n';

  it('fills a column every row shares (kind service, status completed)', () => {
    const m = mapping({
      columns: { line_id: 'Receipt', sold_on: 'Date', gross: 'Amount', location_id: 'Location' },
      constants: { kind: 'service' },
    });
    const result = convert(m, csv);
    expect(result.issues).toEqual([]);
    expect(rowsOf(result, 'sales').map((s) => [s.line_id, s.kind, s.gross])).toEqual([
      ['acme:R-1', 'service', '120.00'],
      ['acme:R-2', 'service', '80.50'],
    ]);
  });

  it('refuses a constant that is not a canonical value, an identifier, a location or a column filled twice', () => {
    expect(schemaProblems({ constants: { kind: 'services' } })).toContain(
      '"services" is not a canonical kind (service, package, retail, membership_fee, gift_card, other)',
    );
    expect(schemaProblems({ constants: { patient_id: '42' } })).toContain('identifier');
    expect(schemaProblems({ constants: { location_id: 'L001' } })).toContain('pass --location');
    expect(schemaProblems({ columns: { kind: 'Type' }, constants: { kind: 'retail' } })).toContain(
      '"kind" is already filled by columns.kind',
    );
    expect(schemaProblems({ constants: { tip_jar: '1' } })).toContain(
      '"tip_jar" is not a column of sales.csv',
    );
  });
});

describe('row_id', () => {
  const csv = 'Date,Service,Amount\n03/06/2019,Botox,$120.00\n03/06/2019,HydraFacial,$80.50\n';
  const m = mapping({
    columns: { sold_on: 'Date', service_code: 'Service', gross: 'Amount' },
    constants: { kind: 'service' },
    row_id: 'line_id',
  });

  it('gives a report without an id column the file name and row number as line_id, the same on every re-ingest', () => {
    const first = rowsOf(convert(m, csv, 'march.csv', 'L001'), 'sales').map((s) => s.line_id);
    const again = rowsOf(convert(m, csv, 'march.csv', 'L001'), 'sales').map((s) => s.line_id);
    expect(first).toEqual(['acme:march.csv#2', 'acme:march.csv#3']);
    expect(again).toEqual(first);
    expect(rowsOf(convert(m, csv, 'april.csv', 'L001'), 'sales').map((s) => s.line_id)).toEqual([
      'acme:april.csv#2',
      'acme:april.csv#3',
    ]);
  });

  it('fills only a record id, never a person, provider or service', () => {
    expect(schemaProblems({ row_id: 'patient_id' })).toContain('row_id fills a record id');
  });
});

describe('split', () => {
  it('splits one column into several canonical columns (Provider / Service)', () => {
    const m = mapping({
      columns: { sold_on: 'Date', gross: 'Amount' },
      split: [{ header: 'Provider / Service', separator: '/', into: ['provider_id', 'service_code'] }],
      constants: { kind: 'service' },
      row_id: 'line_id',
    });
    const result = convert(
      m,
      'Date,Provider / Service,Amount\n03/06/2019,"Doe, Jane RN / Botox",$120.00\n"03/06/2019","Jane Doe / Juvederm / extra",$80.00\n',
      'x.csv',
      'L001',
    );
    expect(rowsOf(result, 'sales').map((s) => [s.provider_id, s.service_code])).toEqual([
      ['acme:jane-doe', 'acme:botox'],
    ]);
    expect(result.issues).toEqual([
      {
        severity: 'error',
        row: 3,
        column: 'Provider / Service',
        code: 'invalid_value',
        message: 'has 3 parts separated by "/"; the mapping splits it into 2',
      },
    ]);
  });

  it('splits a date-and-time cell into a date and a time (shifts)', () => {
    const m = mapping({
      entity: 'shifts',
      id: 'acme.shifts',
      columns: { provider_id: 'Staff', end_time: 'Clock Out' },
      split: [{ header: 'Date Time', into: ['date', 'start_time'] }],
    });
    const result = convert(
      m,
      'Staff,Date Time,Clock Out\nJane Doe,6 Mar 2019 9:00 AM,5:00 PM\n',
      'x.csv',
      'L001',
    );
    expect(result.issues).toEqual([]);
    expect(rowsOf(result, 'shifts')).toEqual([
      {
        location_id: 'L001',
        provider_id: 'acme:jane-doe',
        date: '2019-03-06',
        start_time: '09:00:00',
        end_time: '17:00:00',
      },
    ]);
  });

  it('refuses a split without separator that is not into a date and a time column', () => {
    expect(schemaProblems({ split: [{ header: 'When', into: ['sold_on', 'gross'] }] })).toContain(
      '[a date column, a time column]',
    );
  });
});

describe('join', () => {
  it('joins Date + Time into start_at', () => {
    const m = mapping({
      entity: 'appointments',
      id: 'acme.appointments',
      columns: {
        appointment_id: 'Appt #',
        patient_id: 'Client ID',
        service_code: 'Service',
        duration_min: 'Minutes',
        status: 'Status',
      },
      join: [{ headers: ['Date', 'Time'], into: 'start_at' }],
    });
    const result = convert(
      m,
      'Appt #,Client ID,Service,Date,Time,Minutes,Status\n9,C-1,Botox,"Wednesday, March 06, 2019",6:30 PM,30,Completed\n',
      'x.csv',
      'L001',
    );
    expect(result.issues).toEqual([]);
    expect(rowsOf(result, 'appointments')[0]).toMatchObject({
      appointment_id: 'acme:9',
      patient_id: 'acme:C-1',
      start_at: '2019-03-06T18:30:00',
      status: 'completed',
    });
  });

  it('never joins name columns (First + Last), nor into a patient id', () => {
    expect(schemaProblems({ join: [{ headers: ['First', 'Last'], into: 'provider_id' }] })).toContain(
      'names are personal data and are never joined',
    );
    expect(schemaProblems({ join: [{ headers: ['Client', 'Visit'], into: 'patient_id' }] })).toContain(
      'patient_id is never made by joining columns',
    );
    expect(schemaProblems({ columns: { patient_id: 'Client Name' } })).toContain(
      'patient_id must come from an id column',
    );
  });
});

describe('schedule', () => {
  const m = mapping({
    entity: 'shifts',
    id: 'acme.schedule',
    columns: { provider_id: 'Employee', date: 'Date', location_id: 'Location' },
    schedule: { header: 'Schedule' },
  });

  it('reads a shift interval from one Schedule column, rejecting overnight and unreadable intervals row by row', () => {
    const result = convert(
      m,
      [
        'Employee,Date,Location,Schedule',
        'Jane Doe,03/06/2019,Downtown,9:00 AM - 5:00 PM',
        'John Roe,03/06/2019,Downtown,09:00-17:30',
        'John Roe,03/07/2019,Downtown,10:00 PM - 6:00 AM',
        'Jane Doe,03/07/2019,Downtown,all day',
        'Jane Doe,03/08/2019,Downtown,9:00 AM - 9:00 AM',
      ].join('\n'),
    );
    expect(rowsOf(result, 'shifts').map((s) => [s.provider_id, s.date, s.start_time, s.end_time])).toEqual([
      ['acme:jane-doe', '2019-03-06', '09:00:00', '17:00:00'],
      ['acme:john-roe', '2019-03-06', '09:00:00', '17:30:00'],
    ]);
    expect(result.issues).toEqual([
      {
        severity: 'error',
        row: 4,
        column: 'Schedule',
        code: 'inconsistent_row',
        message:
          'the shift ends at 06:00, not after its start at 22:00: overnight shifts are not read (split them at midnight)',
      },
      {
        severity: 'error',
        row: 5,
        column: 'Schedule',
        code: 'invalid_time',
        message: '"all day" is not a shift interval such as "9:00 AM - 5:00 PM" or "09:00-17:30"',
      },
      {
        severity: 'error',
        row: 6,
        column: 'Schedule',
        code: 'inconsistent_row',
        message:
          'the shift ends at 09:00, not after its start at 09:00: overnight shifts are not read (split them at midnight)',
      },
    ]);
  });

  it('belongs to shifts mappings only', () => {
    expect(schemaProblems({ schedule: { header: 'Schedule' } })).toContain(
      'fills the start_time and end_time of shifts',
    );
  });
});

describe('a mapping is a profile like the built-in ones', () => {
  it('gives a provider the same id through a mapping and through the Zenoti profile (one identity rule)', () => {
    const viaProfile = zenotiAppointments.convert(
      readVendorCsv(fs.readFileSync(path.join(ZENOTI, 'appointments.csv'), 'utf8')),
      { fileName: 'appointments.csv', locationId: 'L001' },
    );
    const m = mapping({
      id: 'clinic.sales',
      id_prefix: 'zenoti',
      columns: { line_id: 'Receipt', sold_on: 'Date', gross: 'Amount', provider_id: 'Provider' },
      constants: { kind: 'service' },
    });
    const viaMapping = convert(
      m,
      'Receipt,Date,Amount,Provider\nR-1,10/05/2026,$100.00,"Doe, Jane RN"\n',
      'x.csv',
      'L001',
    );
    const providers = (result: ConversionResult) => rowsOf(result, 'providers').map((p) => p.provider_id);
    expect(providers(viaProfile)).toContain('zenoti:jane-doe');
    expect(providers(viaMapping)).toEqual(['zenoti:jane-doe']);
    expect(rowsOf(viaMapping, 'sales')[0]?.provider_id).toBe('zenoti:jane-doe');
    const janeOf = (result: ConversionResult) =>
      result.records.find(
        (r: CanonicalRecord) => r.entity === 'providers' && r.values.provider_id === 'zenoti:jane-doe',
      )?.values;
    expect(janeOf(viaMapping)).toEqual({
      provider_id: 'zenoti:jane-doe',
      location_id: 'L001',
      display_name: 'Jane Doe',
    });
    expect(janeOf(viaMapping)?.display_name).toBe(janeOf(viaProfile)?.display_name);
  });

  it('derives the services and patients rows of its ids, as profiles do', () => {
    const m = mapping({
      columns: {
        line_id: 'Receipt',
        sold_on: 'Date',
        gross: 'Amount',
        patient_id: 'Client ID',
        service_code: 'Item',
      },
      constants: { kind: 'service' },
    });
    const result = convert(
      m,
      'Receipt,Date,Amount,Client ID,Item\nR-1,10/05/2026,$100.00,C-9,Botox\n',
      'x.csv',
      'L001',
    );
    expect(rowsOf(result, 'services')).toEqual([
      { service_code: 'acme:botox', service_name: 'Botox', category: 'neurotoxin' },
    ]);
    expect(rowsOf(result, 'patients')).toEqual([
      { patient_id: 'acme:C-9', home_location_id: 'L001', email: '', phone: '' },
    ]);
  });

  it('is detected from its headers when passed with --mapping, before the built-in profiles', () => {
    const m = mapping({
      columns: { line_id: 'Receipt', sold_on: 'Date', gross: 'Amount' },
      constants: { kind: 'service' },
      join: [{ headers: ['Staff First', 'Staff Code'], into: 'provider_id', separator: '-' }],
    });
    const detection = detectProfile(
      {
        format: 'csv',
        fileName: 'x.csv',
        headers: ['Receipt', 'Date', 'Amount', 'Staff First', 'Staff Code'],
        firstLines: [],
      },
      { profiles: [mappingProfile(m), ...PROFILES] },
    );
    expect(detection).toMatchObject({ kind: 'recognized', score: 1 });
    expect(detection.kind === 'recognized' && detection.profile.id).toBe('acme.sales');
  });

  it('reports a row with the codes profiles use, naming the row and the vendor column', () => {
    const m = mapping({
      columns: { line_id: 'Receipt', sold_on: 'Date', gross: 'Amount', kind: 'Type' },
      values: { kind: { Treatment: 'service' } },
    });
    const result = convert(
      m,
      'Receipt,Date,Amount,Type\nR-1,10/05/2026,$100.00,Treatment\nR-2,31/02/2026,$5.00,Treatment\nR-3,10/05/2026,ten,Treatment\nR-4,10/05/2026,$5.00,Voucher\nR-5,,$5.00,Treatment\n',
      'x.csv',
      'L001',
    );
    expect(rowsOf(result, 'sales').map((s) => s.line_id)).toEqual(['acme:R-1']);
    expect(result.issues.map((i) => [i.row, i.column, i.code])).toEqual([
      [3, 'Date', 'invalid_date'],
      [4, 'Amount', 'invalid_money'],
      [5, 'Type', 'invalid_value'],
      [6, 'Date', 'missing_value'],
    ]);
  });

  it('names a location-less file once, as profiles do, unless --location is given', () => {
    const m = mapping({
      columns: { line_id: 'Receipt', sold_on: 'Date', gross: 'Amount' },
      constants: { kind: 'service' },
    });
    const csv = 'Receipt,Date,Amount\nR-1,10/05/2026,$1.00\nR-2,10/05/2026,$2.00\n';
    expect(convert(m, csv).issues.map((i) => [i.row, i.code])).toEqual([[null, 'missing_location']]);
    expect(convert(m, csv, 'x.csv', 'L001').issues).toEqual([]);
  });
});

describe('proposing a mapping', () => {
  it('proposes a row id (version 2) for a report without an id column', () => {
    const proposal = proposeMapping(
      'vagaro_sales.csv',
      ['Date', 'Service', 'Amount', 'Type'],
      [['03/06/2019', 'Botox', '$120.00', 'Service']],
    );
    expect(proposal.profile.entity).toBe('sales');
    expect(proposal.profile.version).toBe(2);
    expect(proposal.profile.row_id).toBe('line_id');
    expect(proposal.profile.columns).not.toHaveProperty('line_id');
    expect(MappingProfileSchema.safeParse(proposal.profile).success).toBe(true);
  });
});
