import { slug } from '../../connectors/vendorValues';
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
  'Providers',
  'Room',
  'Status',
  'Guest Code',
  'Gender',
  'Email',
  'Mobile Number',
  'Service Category',
  'Service Subcategory',
  'Rebooked',
  'Booking Source',
  'First Visit',
  'Actual Duration',
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

  const appointments = rows['appointments.csv'].map((a) => {
    const patient = patients.get(a.patient_id ?? '') ?? {};
    const startAt = cell(a, 'start_at');
    const status = cell(a, 'status');
    const duration = Number(cell(a, 'duration_min'));
    const service = services.get(cell(a, 'service_code')) ?? {};
    const booked = cell(a, 'booked_at');
    return [
      usDate(startAt.slice(0, 10)),
      // Without a time of day the profile does not take Booked Date as the booking time, as for
      // an EMR that did not record it.
      booked === '' ? '' : usDateTime(booked),
      status === 'completed' ? invoice(cell(a, 'appointment_id')) : '',
      '',
      serviceName(cell(a, 'service_code')),
      location.name,
      usDateTime(startAt),
      usDateTime(addMinutes(startAt, duration)),
      String(duration),
      providerName(cell(a, 'provider_id')),
      '',
      STATUS_TEXT[status] ?? status,
      clientNumber(cell(a, 'patient_id')),
      '',
      cell(patient, 'email'),
      cell(patient, 'phone'),
      CATEGORY_LABELS[cell(service, 'category')] ?? '',
      '',
      '',
      '',
      '',
      status === 'completed' ? String(duration) : '',
      cancelledOn(status, startAt),
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
      provider ? cell(provider, 'role') : '',
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
