import path from 'node:path';

import { renderGoogleAds, renderMetaAds } from '../../../demo/vendorFormats/ads';
import { boulevardProviderId, renderBoulevard, utcInstant } from '../../../demo/vendorFormats/boulevard';
import type { VendorFile } from '../../../demo/vendorFormats/exportText';
import { renderMindbody } from '../../../demo/vendorFormats/mindbody';
import { payrollEmployeeId, renderAdp, renderGusto } from '../../../demo/vendorFormats/payroll';
import { renderSquareItems } from '../../../demo/vendorFormats/square';
import { renderZenoti } from '../../../demo/vendorFormats/zenoti';
import { convertVendorFile, type VendorConversionOptions } from '../../../shared/connectors/vendorConversion';
import type { CanonicalRecord } from '../../../shared/connectors/vendorProfile';
import { TEST_LOCATION } from './testLocation';

/*
 * Each renderer's files, read back by the real vendor profiles, give the canonical facts they
 * were rendered from (ids as the profile makes them).
 */

const CATEGORIES = new Map([
  ['botox cosmetic per unit', 'neurotoxin' as const],
  ['hydrafacial signature', 'facial' as const],
]);

function convert(file: VendorFile, options: VendorConversionOptions = {}): CanonicalRecord[] {
  const outcome = convertVendorFile(
    { name: path.basename(file.path), displayPath: file.path, content: Buffer.from(file.text, 'utf8') },
    { locationId: 'L009', serviceCategories: CATEGORIES, ...options },
  );
  if (outcome.kind !== 'converted') throw new Error(`${file.path}: ${JSON.stringify(outcome)}`);
  expect(outcome.issues).toEqual([]);
  return outcome.records;
}

function pick(records: readonly CanonicalRecord[], entity: string, columns: string[]): string[][] {
  return records.filter((r) => r.entity === entity).map((r) => columns.map((c) => r.values[c] ?? ''));
}

const file = (files: readonly VendorFile[], name: string) => files.find((f) => f.path.endsWith(name))!;

const APPOINTMENT = [
  'status',
  'start_at',
  'booked_at',
  'duration_min',
  'patient_id',
  'provider_id',
  'service_code',
];
const SALE = ['kind', 'sold_on', 'gross', 'discount', 'tax', 'patient_id', 'provider_id', 'service_code'];
const MEMBERSHIP = ['patient_id', 'plan', 'monthly_fee', 'started_on', 'cancelled_on'];
const PAYROLL = [
  'payroll_employee_id',
  'location_id',
  'period_start',
  'period_end',
  'pay_date',
  'hours',
  'wages',
  'commission',
  'bonus',
  'employer_taxes_benefits',
];

describe('Zenoti reports', () => {
  const zenoti = renderZenoti(TEST_LOCATION, new Map([['PF001', 'mindbody:900001']]));
  const providerIds = new Map(zenoti.providerIdsByName);
  const read = (name: string) => convert(file(zenoti.files, name), { providerIds });

  it('are BOM-prefixed, fully quoted CRLF CSV files', () => {
    expect(zenoti.files.map((f) => f.path)).toEqual([
      'L009/zenoti_appointments.csv',
      'L009/zenoti_employee_sales.csv',
      'L009/zenoti_memberships.csv',
    ]);
    for (const f of zenoti.files) {
      expect(f.text.startsWith('\uFEFF"')).toBe(true);
      expect(f.text.split('\r\n')[1]).toMatch(/^"Glow|^"0/);
    }
    // The real report's columns; Booked Date is the date alone, as real exports most often write it.
    expect(file(zenoti.files, 'appointments.csv').text.split('\r\n')[1]).toContain(
      '"01/02/2025","12/20/2024","0009-0000001","","Botox Cosmetic (per unit)","Glow Aesthetics – Austin","01/02/2025 09:30 AM","01/02/2025 10:00 AM","30","30","0","Doe, Jane RN","","Closed","9000001","","ann@example.org","No","01/02/2025 09:25 AM","30","1001","","Injectables","Neurotoxins"',
    );
  });

  it('write one row per service line: an add-on line and a $0, 0-minute line beside some appointments', () => {
    const lines = file(zenoti.files, 'appointments.csv').text.split('\r\n').slice(1, -1);
    // 5 appointments; the 1st (completed) has an add-on and a consultation line, the 4th an add-on.
    // Invoice No, Service Name, Scheduled Service Duration, Add-on.
    const cells = (line: string) => [2, 4, 8, 17].map((i) => line.split('","')[i]);
    expect(lines.map(cells)).toEqual([
      ['0009-0000001', 'Botox Cosmetic (per unit)', '30', 'No'],
      ['0009-0000001', 'Numbing Cream Add-on', '15', 'Yes'],
      ['0009-0000001', 'Complimentary Consultation', '0', 'No'],
      ['0009-0000002', 'HydraFacial Signature', '45', 'No'],
      ['0009-0000003', 'HydraFacial Signature', '45', 'No'],
      ['0009-0000004', 'HydraFacial Signature', '45', 'No'],
      ['0009-0000004', 'Numbing Cream Add-on', '15', 'Yes'],
      ['0009-0000005', 'Botox Cosmetic (per unit)', '30', 'No'],
    ]);
  });

  // A date-only Booked Date comes back at midnight: every metric reads only booked_at's date.
  it('give back every appointment, one per visit, late cancellations told by the cancellation time', () => {
    expect(pick(read('appointments.csv'), 'appointments', APPOINTMENT)).toEqual([
      [
        'completed',
        '2025-01-02T09:30:00',
        '2024-12-20T00:00:00',
        '30',
        'zenoti:9000001',
        'L009-PR01',
        'zenoti:botox-cosmetic-per-unit',
      ],
      [
        'late_cancelled',
        '2025-01-03T14:00:00',
        '2025-01-01T00:00:00',
        '45',
        'zenoti:9000002',
        'mindbody:900001',
        'zenoti:hydrafacial-signature',
      ],
      [
        'cancelled',
        '2025-01-04T13:15:00',
        '2024-12-01T00:00:00',
        '45',
        'zenoti:9000002',
        'mindbody:900001',
        'zenoti:hydrafacial-signature',
      ],
      ['no_show', '2025-01-05T12:00:00', '', '45', 'zenoti:9000001', '', 'zenoti:hydrafacial-signature'],
      [
        'scheduled',
        '2025-04-02T09:30:00',
        '2025-01-02T00:00:00',
        '30',
        'zenoti:9000001',
        'L009-PR01',
        'zenoti:botox-cosmetic-per-unit',
      ],
    ]);
  });

  it('give back every sale line at its net amount (Zenoti reports sales net of discount), refunds negative', () => {
    expect(pick(read('employee_sales.csv'), 'sales', SALE)).toEqual([
      [
        'service',
        '2025-01-02',
        '1200.00',
        '',
        '0.00',
        'zenoti:9000001',
        'L009-PR01',
        'zenoti:botox-cosmetic-per-unit',
      ],
      ['retail', '2025-01-02', '86.00', '', '8.32', 'zenoti:9000001', 'L009-PR01', ''],
      ['retail', '2025-01-09', '-86.00', '', '-8.32', 'zenoti:9000001', 'L009-PR01', ''],
      ['membership_fee', '2025-01-10', '149.00', '', '0.00', 'zenoti:9000002', '', ''],
      ['gift_card', '2025-01-11', '100.00', '', '0.00', '', '', ''],
      [
        'package',
        '2025-02-01',
        '500.00',
        '',
        '0.00',
        'zenoti:9000002',
        'mindbody:900001',
        'zenoti:hydrafacial-signature',
      ],
      ['other', '2025-02-02', '100.00', '', '0.00', 'zenoti:9000001', '', ''],
    ]);
  });

  it('give back every membership', () => {
    expect(pick(read('memberships.csv'), 'memberships', MEMBERSHIP)).toEqual([
      ['zenoti:9000002', 'Glow Club', '149.00', '2025-01-10', ''],
      ['zenoti:9000001', 'VIP Aesthetics', '299.00', '2024-11-03', '2025-01-20'],
    ]);
  });

  it('say which canonical ids the profile gives, for the canonical files beside them', () => {
    expect(zenoti.ids.patient('L009-P000001')).toBe('zenoti:9000001');
    expect(zenoti.ids.provider('PF001')).toBe('mindbody:900001');
    expect(zenoti.ids.service('FAC-HYD')).toBe('zenoti:hydrafacial-signature');
    expect(zenoti.derives).toEqual(['patients.csv', 'providers.csv', 'services.csv']);
  });
});

describe('Mindbody API answers', () => {
  const mindbody = renderMindbody(TEST_LOCATION);
  const read = (name: string) => convert(file(mindbody.files, name));

  it('give back the appointments, without booking times (the API has none)', () => {
    expect(pick(read('appointments.json'), 'appointments', APPOINTMENT)).toEqual([
      ['completed', '2025-01-02T09:30:00', '', '30', 'mindbody:9000001', 'mindbody:90001', 'mindbody:100'],
      [
        'late_cancelled',
        '2025-01-03T14:00:00',
        '',
        '45',
        'mindbody:9000002',
        'mindbody:900001',
        'mindbody:101',
      ],
      ['cancelled', '2025-01-04T13:15:00', '', '45', 'mindbody:9000002', 'mindbody:900001', 'mindbody:101'],
      ['no_show', '2025-01-05T12:00:00', '', '45', 'mindbody:9000001', '', 'mindbody:101'],
      ['scheduled', '2025-04-02T09:30:00', '', '30', 'mindbody:9000001', 'mindbody:90001', 'mindbody:100'],
    ]);
  });

  it('give back the sale lines; a package is a service sale, gift card and fee lines stay canonical', () => {
    expect(pick(read('sales.json'), 'sales', SALE)).toEqual([
      [
        'service',
        '2025-01-02',
        '1234.50',
        '34.50',
        '0.00',
        'mindbody:9000001',
        'mindbody:90001',
        'mindbody:100',
      ],
      ['retail', '2025-01-02', '86.00', '0.00', '8.32', 'mindbody:9000001', 'mindbody:90001', ''],
      ['retail', '2025-01-09', '-86.00', '0.00', '-8.32', 'mindbody:9000001', 'mindbody:90001', ''],
      ['membership_fee', '2025-01-10', '149.00', '0.00', '0.00', 'mindbody:9000002', '', ''],
      [
        'service',
        '2025-02-01',
        '525.00',
        '25.00',
        '0.00',
        'mindbody:9000002',
        'mindbody:900001',
        'mindbody:101',
      ],
    ]);
    expect(mindbody.canonicalRest['sales.csv']).toEqual([
      expect.objectContaining({ kind: 'gift_card', gross: '100.00', patient_id: '' }),
      expect.objectContaining({
        kind: 'other',
        patient_id: 'mindbody:9000001',
        appointment_id: 'mindbody:90000004',
      }),
    ]);
  });

  it('give back the ongoing contracts; a terminated one (no autopay price) stays canonical', () => {
    expect(pick(read('client_contracts.json'), 'memberships', MEMBERSHIP)).toEqual([
      ['mindbody:9000002', 'Glow Club', '149.00', '2025-01-10', ''],
    ]);
    expect(mindbody.canonicalRest['memberships.csv']).toEqual([
      expect.objectContaining({
        membership_id: 'mindbody:90000002',
        patient_id: 'mindbody:9000001',
        cancelled_on: '2025-01-20',
      }),
    ]);
  });
});

describe('Boulevard GraphQL answers', () => {
  const boulevard = renderBoulevard(TEST_LOCATION);
  const read = (name: string) => convert(file(boulevard.files, name));
  const staff = boulevardProviderId('L009-PR01');
  const floater = boulevardProviderId('PF001');

  it('write UTC instants, daylight saving time included', () => {
    expect(utcInstant('2025-01-02T09:30:00', 'America/Chicago')).toBe('2025-01-02T15:30:00.000Z');
    expect(utcInstant('2025-07-02T09:30:00', 'America/Chicago')).toBe('2025-07-02T14:30:00.000Z');
    expect(utcInstant('2025-03-09T08:00:00', 'America/Los_Angeles')).toBe('2025-03-09T15:00:00.000Z');
  });

  it('give back the appointments (as instants the ingest puts in local time), cancellations by reason', () => {
    const appointments = pick(read('appointments.json'), 'appointments', APPOINTMENT);
    expect(
      appointments.map(([status, start, booked, duration, , provider]) => [
        status,
        start,
        booked,
        duration,
        provider,
      ]),
    ).toEqual([
      ['completed', '2025-01-02T15:30:00Z', '2024-12-20T16:05:00Z', '30', staff],
      ['late_cancelled', '2025-01-03T20:00:00Z', '2025-01-01T22:40:00Z', '45', floater],
      ['cancelled', '2025-01-04T19:15:00Z', '2024-12-01T14:00:00Z', '45', floater],
      ['no_show', '2025-01-05T18:00:00Z', '', '45', ''],
      ['scheduled', '2025-04-02T14:30:00Z', '2025-01-02T15:50:00Z', '30', staff],
    ]);
    expect(appointments[0]![4]).toBe(boulevard.ids.patient('L009-P000001'));
    expect(appointments[0]![6]).toBe(boulevard.ids.service('TOX-BOT'));
  });

  it('give back the memberships; the sales stay canonical with Boulevard ids', () => {
    expect(pick(read('memberships.json'), 'memberships', MEMBERSHIP)).toEqual([
      [boulevard.ids.patient('L009-P000002'), 'Glow Club', '149.00', '2025-01-10', ''],
      [boulevard.ids.patient('L009-P000001'), 'VIP Aesthetics', '299.00', '2024-11-03', '2025-01-20'],
    ]);
    expect(boulevard.exportsSales).toBe(false);
    expect(boulevard.canonicalRest['sales.csv']?.[0]).toEqual(
      expect.objectContaining({
        patient_id: boulevard.ids.patient('L009-P000001'),
        provider_id: staff,
        service_code: boulevard.ids.service('TOX-BOT'),
        gross: '1234.50',
        discount: '34.50',
      }),
    );
  });
});

describe('Square items report', () => {
  const square = renderSquareItems(TEST_LOCATION, TEST_LOCATION.rows['sales.csv']);

  it('writes Square money and the register time zone', () => {
    expect(square.text.split('\n')[1]).toBe(
      '2025-01-02,12:00:00,Central Time (US & Canada),Injectables,Botox Cosmetic (per unit),1,Regular,,,"$1,234.50",-$34.50,"$1,200.00",$0.00,TL009S0000001,PL009S0000001,Front Desk iPad,,,Payment,Glow Aesthetics – Austin,,,,,,1,Service',
    );
  });

  it('gives back the same net per line, gift cards as gift cards', () => {
    expect(pick(convert(square), 'sales', ['kind', 'sold_on', 'gross', 'discount'])).toEqual([
      ['service', '2025-01-02', '1234.50', '34.50'],
      ['retail', '2025-01-02', '86.00', '0.00'],
      ['retail', '2025-01-09', '-86.00', '0.00'],
      ['membership_fee', '2025-01-10', '149.00', '0.00'],
      ['gift_card', '2025-01-11', '100.00', '0.00'],
      ['package', '2025-02-01', '525.00', '25.00'],
      ['other', '2025-02-02', '100.00', '0.00'],
    ]);
  });
});

describe('payroll exports', () => {
  const payroll = TEST_LOCATION.rows['payroll.csv'];
  const employees = new Map(TEST_LOCATION.rows['providers.csv'].map((p) => [p.payroll_employee_id!, p]));

  it('Gusto: every line, location-less, by the employee uuid', () => {
    const gusto = renderGusto('L009', 'payroll/L009_gusto_payrolls.json', payroll);
    const records = convertVendorFile({
      name: 'L009_gusto_payrolls.json',
      displayPath: gusto.path,
      content: Buffer.from(gusto.text),
    });
    expect(records.kind === 'converted' && records.issues).toEqual([]);
    expect(records.kind === 'converted' && pick(records.records, 'payroll', PAYROLL)).toEqual([
      [
        payrollEmployeeId('gusto', 'E1001'),
        '',
        '2024-12-30',
        '2025-01-12',
        '2025-01-17',
        '64',
        '4512.00',
        '1162.23',
        '250.00',
        '1755.18',
      ],
      [
        payrollEmployeeId('gusto', 'E1451'),
        '',
        '2024-12-30',
        '2025-01-12',
        '2025-01-17',
        '40',
        '2880.00',
        '0.00',
        '0.00',
        '964.19',
      ],
    ]);
  });

  it('ADP: every line with its location, by file number', () => {
    const adp = renderAdp('C009', 'payroll/L009_adp_payroll.csv', payroll, employees);
    const records = convertVendorFile({
      name: 'L009_adp_payroll.csv',
      displayPath: adp.path,
      content: Buffer.from(adp.text),
    });
    expect(records.kind === 'converted' && records.issues).toEqual([]);
    expect(records.kind === 'converted' && pick(records.records, 'payroll', PAYROLL)).toEqual([
      [
        '001001',
        'L009',
        '2024-12-30',
        '2025-01-12',
        '2025-01-17',
        '64',
        '4512.00',
        '1162.23',
        '250.00',
        '1755.18',
      ],
      ['001451', '', '2024-12-30', '2025-01-12', '2025-01-17', '40', '2880.00', '0.00', '0.00', '964.19'],
    ]);
  });
});

describe('ads reports', () => {
  const spend = TEST_LOCATION.rows['marketing_spend.csv'];

  it('Google Ads: campaigns of a day sum back to its spend, Total rows dropped', () => {
    const [report] = renderGoogleAds(
      'L009',
      'Austin',
      spend.filter((s) => s.channel === 'google_ads'),
    );
    expect(report!.text.split('\n').slice(0, 2)).toEqual([
      'Campaign report',
      '"January 1, 2025 - January 2, 2025"',
    ]);
    expect(pick(convert(report!), 'marketing_spend', ['channel', 'date', 'spend'])).toEqual([
      ['google_ads', '2025-01-01', '1260.08'],
      ['google_ads', '2025-01-02', '0.01'],
    ]);
  });

  it('Meta Ads Manager: a month spans Reporting starts to ends, the summary row is skipped', () => {
    const [report] = renderMetaAds(
      'L009',
      'Austin',
      spend.filter((s) => s.channel === 'meta'),
    );
    expect(pick(convert(report!), 'marketing_spend', ['channel', 'date', 'spend'])).toEqual([
      ['meta_ads', '2025-01', '3574.76'],
    ]);
  });
});
