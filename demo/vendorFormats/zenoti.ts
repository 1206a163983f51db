import { slug } from '../../shared/connectors/vendorValues';
import { exportedRole } from '../people';
import { cell } from './canonicalRows';
import {
  addMinutes,
  cents,
  csvText,
  groupedDollars,
  usDate,
  usDateTime,
  type VendorFile,
} from './exportText';
import { type EmrExport, indexBy, type LocationData } from './locationData';
import { clientNumber } from './vendorIds';

/*
 * A location's Zenoti CSV reports (Appointments, Employee Sales, Memberships) in the shape
 * tests/fixtures/vendors/zenoti holds: BOM, every cell quoted, CRLF, US dates and 12-hour
 * times, the header spellings Zenoti really uses (`Sales(Exc. Tax)`). Zenoti keys services
 * and providers by name, so their ids come from the names and the providers' canonical ids
 * travel in a `--providers` map.
 */

/**
 * The Appointments report's columns as a real medspa's pipeline reads them
 * (evolvemedspa-sa/zenoti-ingestion-msql, Zenoti/appointments.py), then two the demo needs and
 * that report lacks: `Mobile Number` (the guest's phone, which patient matching uses) and
 * `Cancelled On` (it tells a late cancellation from an early one; the canonical demo keeps only
 * the status).
 */
const APPOINTMENT_HEADER = [
  'Appointment Date',
  'Booked Date',
  'Invoice No',
  'Guest Name',
  'Service Name',
  'Center Name',
  'Start Time',
  'End Time',
  'Scheduled Service Duration',
  'Scheduled Service and Recovery Duration',
  'Recovery Time',
  'Providers',
  'Room',
  'Status',
  'Guest Code',
  'Gender',
  'Email',
  'Add-on',
  'Checkin Time',
  'Default Service Duration',
  'Providerss Code',
  'Request Type',
  'Service Category',
  'Service Subcategory',
  'Day Package',
  'Room Category',
  'Equipment',
  'Rebooked',
  'Rebooking Source',
  'Booking Source',
  'UTM Source',
  'UTM Medium',
  'Appointment Category',
  'Business Unit',
  'Appointment Notes',
  'Booked By',
  'Modified by',
  'Modified On',
  'Before Appointment',
  'After Appointment',
  'Reason',
  'Actual Start Time',
  'Actual End Time',
  'First Visit',
  'Surprise Visit',
  'Actual Duration',
  'Mobile Number',
  'Cancelled On',
];

const SALES_HEADER = [
  'Sale Center Code',
  'Sale Center',
  'Sale Date',
  'Employee Name',
  'Employee Code',
  'Job',
  'Invoice No',
  'Item Code',
  'Item Type',
  'Item Name',
  'Sale Type',
  'Sales(Exc. Tax)',
  'Sales (Inc.Tax)',
  'Split Commission (%)',
  'Employee Sale Value',
  'Commissionable Discount',
  'Payment Type',
  'Employee Sales Status',
  'Guest Code',
];

const MEMBERSHIP_HEADER = [
  'Sale Center',
  'Center Code',
  'Invoice No',
  'Membership Name',
  'Membership Type',
  'Benefit Type',
  'Guest Name',
  'Sale Date',
  'Start Date',
  'Sales',
  'Membership Status',
  'Recurrence Status',
  'Next Recurrence Date',
  'Membership Code',
  'Guest Code',
  'Freeze Date',
  'Unfreeze Date',
  'Refund Amount',
  'Membership Termination Date',
  'Recurrence Cancellation Date',
];

/** Zenoti's own category names; the ingest's `--services` file gives the canonical category. */
const CATEGORY_LABELS: Record<string, string> = {
  neurotoxin: 'Injectables',
  filler: 'Injectables',
  laser: 'Laser',
  energy_device: 'Skin Tightening',
  body_contouring: 'Body',
  skin_treatment: 'Skin Care',
  facial: 'Facials',
  consultation: 'Consultations',
  other_service: 'Wellness',
};

/** Zenoti's subcategories, the names its menus use under `Injectables` and the like. */
const SUBCATEGORY_LABELS: Record<string, string> = {
  neurotoxin: 'Neurotoxins',
  filler: 'Fillers',
  laser: 'Laser Hair Removal',
  facial: 'HydraFacial',
};

const STATUS_TEXT: Record<string, string> = {
  completed: 'Closed',
  no_show: 'Closed (No Show)',
  cancelled: 'Closed (Cancelled)',
  late_cancelled: 'Closed (Cancelled)',
  scheduled: 'Open',
};

/**
 * When the cancellation was recorded: the profile tells a late cancellation (< 24 h before the
 * start) from an early one by this time, and the canonical demo keeps only the status.
 */
function cancelledOn(status: string, startAt: string): string {
  if (status === 'late_cancelled') return usDateTime(addMinutes(startAt, -3 * 60));
  if (status === 'cancelled') return usDateTime(addMinutes(startAt, -2 * 24 * 60));
  return '';
}

const ITEM_TYPES: Record<string, string> = {
  service: 'Service',
  package: 'Package',
  retail: 'Product',
  membership_fee: 'Membership',
  gift_card: 'Gift Card',
  other: 'Other',
};

/** `L001-S0000123` → `0000123`: the sequence number of a canonical id. */
function sequence(id: string): string {
  return /(\d+)$/.exec(id)?.[1] ?? id;
}

export function zenotiServiceCode(serviceName: string): string {
  return `zenoti:${slug(serviceName)}`;
}

/** `floaters`: provider ids that floating providers have portfolio-wide (floaterProviderIds). */
export function renderZenoti(location: LocationData, floaters: ReadonlyMap<string, string>): EmrExport {
  const { rows } = location;
  const services = indexBy(rows['services.csv'], 'service_code');
  const providers = indexBy(rows['providers.csv'], 'provider_id');
  const patients = indexBy(rows['patients.csv'], 'patient_id');
  const centerCode = `0${location.locationId.replace(/\D/g, '')}`;
  // Invoice numbers carry the center code: the profile keys sales, memberships and visits by
  // invoice number alone, so numbers that repeat between centers would be one row.
  const invoice = (id: string) => `${centerCode}-${sequence(id)}`;
  const serviceName = (code: string) => cell(services.get(code) ?? {}, 'service_name') || code;
  const providerName = (id: string) => (id === '' ? '' : cell(providers.get(id) ?? {}, 'display_name') || id);

  /*
   * One row per service line, as Zenoti writes it: each canonical appointment is its main line,
   * every third one also has an add-on line inside the main line's last minutes, every fourth
   * completed one a $0, 0-minute consultation line at its start. Every appointment has its own
   * invoice number (Zenoti opens the invoice at booking), so a patient's two appointments of one
   * day stay two visits, and the profile's visit rule (visitLines.ts) gives back exactly the
   * canonical appointments, minutes and statuses included. Booked Date is the date alone, the
   * common real shape: booked_at comes back at midnight, and every metric reads only its date.
   */
  const appointments = rows['appointments.csv'].flatMap((a) => {
    const patient = patients.get(a.patient_id ?? '') ?? {};
    const startAt = cell(a, 'start_at');
    const status = cell(a, 'status');
    const duration = Number(cell(a, 'duration_min'));
    const service = services.get(cell(a, 'service_code')) ?? {};
    const provider = providers.get(cell(a, 'provider_id'));
    const booked = cell(a, 'booked_at');
    const number = Number(sequence(cell(a, 'appointment_id')));
    const completed = status === 'completed';
    const line = (name: string, from: string, minutes: number, addOn: boolean): string[] => [
      usDate(startAt.slice(0, 10)),
      booked === '' ? '' : usDate(booked.slice(0, 10)),
      invoice(cell(a, 'appointment_id')),
      '',
      name,
      location.name,
      usDateTime(from),
      usDateTime(addMinutes(from, minutes)),
      String(minutes),
      String(minutes),
      '0',
      providerName(cell(a, 'provider_id')),
      '',
      STATUS_TEXT[status] ?? status,
      clientNumber(cell(a, 'patient_id')),
      '',
      cell(patient, 'email'),
      addOn ? 'Yes' : 'No',
      completed ? usDateTime(addMinutes(startAt, -5)) : '',
      String(minutes),
      provider ? cell(provider, 'payroll_employee_id').replace(/\D/g, '') : '',
      '',
      CATEGORY_LABELS[cell(service, 'category')] ?? '',
      SUBCATEGORY_LABELS[cell(service, 'category')] ?? '',
      // Day Package … Reason: nothing the canonical demo knows.
      ...Array<string>(17).fill(''),
      completed ? usDateTime(from) : '',
      completed ? usDateTime(addMinutes(from, minutes)) : '',
      '',
      '',
      completed ? String(minutes) : '',
      cell(patient, 'phone'),
      cancelledOn(status, startAt),
    ];
    const addOnMinutes = Math.min(15, duration);
    return [
      line(serviceName(cell(a, 'service_code')), startAt, duration, false),
      ...(number % 3 === 1
        ? [line('Numbing Cream Add-on', addMinutes(startAt, duration - addOnMinutes), addOnMinutes, true)]
        : []),
      ...(completed && number % 4 === 1 ? [line('Complimentary Consultation', startAt, 0, false)] : []),
    ];
  });

  const sales = rows['sales.csv'].map((s) => {
    const net = cents(cell(s, 'gross')) - cents(cell(s, 'discount'));
    const tax = cents(cell(s, 'tax'));
    const kind = cell(s, 'kind');
    const code = cell(s, 'service_code');
    const provider = providers.get(cell(s, 'provider_id'));
    // A refund is its own row with positive amounts and Sale Type `Refund`.
    const refund = net < 0 || (net === 0 && tax < 0);
    const sign = refund ? -1 : 1;
    const itemName =
      code !== ''
        ? serviceName(code)
        : ({ retail: 'Retail product', membership_fee: 'Membership dues', gift_card: 'Gift Card' }[kind] ??
          'Other');
    return [
      centerCode,
      location.name,
      usDate(cell(s, 'sold_on')),
      providerName(cell(s, 'provider_id')),
      provider ? cell(provider, 'payroll_employee_id').replace(/\D/g, '') : '',
      provider ? exportedRole(cell(provider, 'role')) : '',
      invoice(cell(s, 'line_id')),
      code !== '' ? code : kind.toUpperCase(),
      ITEM_TYPES[kind] ?? 'Other',
      itemName,
      refund ? 'Refund' : 'Sale',
      groupedDollars(sign * net),
      groupedDollars(sign * (net + tax)),
      '100',
      groupedDollars(sign * net),
      groupedDollars(Math.abs(cents(cell(s, 'discount')))),
      'Card',
      'Closed',
      cell(s, 'patient_id') === '' ? '' : clientNumber(cell(s, 'patient_id')),
    ];
  });

  const memberships = rows['memberships.csv'].map((m) => {
    const started = usDate(cell(m, 'started_on'));
    const cancelled = cell(m, 'cancelled_on');
    return [
      location.name,
      centerCode,
      invoice(cell(m, 'membership_id')),
      cell(m, 'plan'),
      'Recurring',
      'Discount',
      '',
      started,
      started,
      groupedDollars(cents(cell(m, 'monthly_fee'))),
      cancelled === '' ? 'Active' : 'Terminated',
      cancelled === '' ? 'Active' : 'Cancelled',
      '',
      slug(cell(m, 'plan')).toUpperCase(),
      clientNumber(cell(m, 'patient_id')),
      '',
      '',
      '0.00',
      cancelled === '' ? '' : usDate(cancelled),
      '',
    ];
  });

  const style = { quoteAll: true, bom: true, crlf: true };
  const file = (name: string, text: string): VendorFile => ({ path: `${location.folder}/${name}`, text });
  return {
    system: 'Zenoti',
    files: [
      file('zenoti_appointments.csv', csvText(APPOINTMENT_HEADER, appointments, style)),
      file('zenoti_employee_sales.csv', csvText(SALES_HEADER, sales, style)),
      file('zenoti_memberships.csv', csvText(MEMBERSHIP_HEADER, memberships, style)),
    ],
    exportsSales: true,
    ids: {
      patient: (id) => `zenoti:${clientNumber(id)}`,
      // Providers keep their canonical ids (a floater her portfolio-wide one): the --providers
      // map joins names to them.
      provider: (id) => floaters.get(id) ?? id,
      service: (code) => zenotiServiceCode(serviceName(code)),
    },
    providerIdsByName: rows['providers.csv'].map((p): [string, string] => [
      cell(p, 'display_name'),
      floaters.get(cell(p, 'provider_id')) ?? cell(p, 'provider_id'),
    ]),
    derives: ['patients.csv', 'providers.csv', 'services.csv'],
    canonicalRest: {},
  };
}
