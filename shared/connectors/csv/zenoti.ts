import type { AppointmentStatus, SaleKind } from '../../model/canonicalBundle';
import { defineCsvProfile } from '../csvProfile';
import { centsToText, minutesBetween, moneyToCents, slug, vendorDate, vendorMinutes } from '../vendorValues';

/*
 * Zenoti CSV reports, as a real medspa's ingestion pipeline reads them
 * (evolvemedspa-sa/zenoti-ingestion-msql, Zenoti/*.py). Zenoti names the provider column
 * after the org's terminology and changes header spacing between exports, hence the aliases.
 * Locations are the center name (the only center column every report has), so appointments,
 * sales and memberships of one center meet; `--location` overrides it for a one-center file.
 * Services and providers are keyed by name because the appointments report carries no codes.
 */

const ZENOTI = { vendor: 'Zenoti', idPrefix: 'zenoti' } as const;
const PROVIDER_ALIASES = [
  'Providers',
  'Provider',
  'Stylist',
  'Stylists',
  'Therapist',
  'Therapists',
  'Employee',
];
const INVOICE_ALIASES = ['Invoice No', 'Invoice No.', 'Invoice #', 'Invoice Number'];

/** `Closed (No Show)` → `closed no show`. */
function statusKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z]+/g, ' ')
    .trim();
}

const APPOINTMENT_STATUS: Record<string, AppointmentStatus | 'cancelled_or_late' | 'deleted'> = {
  closed: 'completed',
  completed: 'completed',
  // Checked in is past the door: the visit happened even if the invoice was not closed yet.
  checkin: 'completed',
  'checked in': 'completed',
  'closed no show': 'no_show',
  'no show': 'no_show',
  'closed cancelled': 'cancelled_or_late',
  cancelled: 'cancelled_or_late',
  open: 'scheduled',
  confirmed: 'scheduled',
  booked: 'scheduled',
  deleted: 'deleted',
};

const LATE_CANCEL_MINUTES = 24 * 60;

export const zenotiAppointments = defineCsvProfile({
  ...ZENOTI,
  id: 'zenoti.appointments',
  report: 'Appointments',
  fileName: /appointment/i,
  signature: [
    'Appointment Date',
    'Booked Date',
    'Invoice No',
    'Guest Name',
    'Service Name',
    'Center Name',
    'Start Time',
    'End Time',
    'Scheduled Service Duration',
    'Room',
    'Status',
    'Guest Code',
    'Gender',
    'Email',
    'Service Category',
    'Rebooked',
    'Booking Source',
  ],
  fields: {
    appointmentDate: { aliases: ['Appointment Date', 'Date'] },
    bookedDate: { aliases: ['Booked Date', 'Booked On'] },
    invoiceNo: { aliases: INVOICE_ALIASES },
    serviceName: { aliases: ['Service Name', 'Service'], required: true },
    center: { aliases: ['Center Name', 'Center'] },
    startTime: { aliases: ['Start Time'], required: true },
    endTime: { aliases: ['End Time'] },
    duration: { aliases: ['Scheduled Service Duration', 'Duration'] },
    provider: { aliases: PROVIDER_ALIASES },
    status: { aliases: ['Status', 'Appointment Status'], required: true },
    guestCode: { aliases: ['Guest Code', 'Guest Id'], required: true },
    email: { aliases: ['Email', 'Email Id', 'Email Address'] },
    phone: { aliases: ['Mobile', 'Mobile Number', 'Mobile Phone', 'Phone', 'Phone Number'] },
    serviceCategory: { aliases: ['Service Category'] },
    cancelledAt: {
      aliases: ['Cancelled On', 'Cancellation Date', 'Cancelled Date', 'Cancel Time', 'Cancelled Time'],
    },
  },
  convert(rows, c) {
    const seen = new Map<string, number>();
    for (const r of rows) {
      const status = APPOINTMENT_STATUS[statusKey(r.get('status'))];
      if (status === undefined) {
        c.error(
          r.row,
          'status',
          'invalid_value',
          `status ${JSON.stringify(r.get('status'))} is not a Zenoti appointment status`,
        );
        continue;
      }
      if (status === 'deleted') {
        c.warn(r.row, 'status', 'skipped_row', 'a Deleted appointment is not a booking; the row was skipped');
        continue;
      }
      // Start Time is a full datetime in most exports, a time of day beside Appointment Date in others.
      const start =
        vendorDate(r.get('startTime')) !== null
          ? c.dateTime(r, 'startTime', true)
          : c.dateTime(r, 'appointmentDate', true, 'startTime');
      const location = c.location(r, 'center');
      if (start === null || start === '' || location === null) continue;
      const end = r.get('endTime') === '' ? '' : c.dateTime(r, 'endTime');
      let duration: number | null = null;
      if (r.get('duration') !== '') {
        duration = vendorMinutes(r.get('duration'));
        if (duration === null)
          c.error(
            r.row,
            'duration',
            'invalid_number',
            `${JSON.stringify(r.get('duration'))} is not a number of minutes`,
          );
      } else if (end !== null && end !== '') {
        duration = minutesBetween(start, end);
      } else {
        c.error(r.row, 'duration', 'missing_value', 'neither a scheduled duration nor an end time');
      }
      if (duration === null) continue;
      let canonicalStatus: AppointmentStatus = status === 'cancelled_or_late' ? 'cancelled' : status;
      if (status === 'cancelled_or_late' && r.get('cancelledAt') !== '') {
        const cancelledAt = c.dateTime(r, 'cancelledAt');
        if (cancelledAt === null) continue;
        if (minutesBetween(cancelledAt, start) < LATE_CANCEL_MINUTES) canonicalStatus = 'late_cancelled';
      }
      // Booked Date carries a time of day only in some exports; a bare date is not turned into midnight.
      const booked = /\d:\d\d/.test(r.get('bookedDate')) ? c.dateTime(r, 'bookedDate') : '';
      if (booked === null) continue;
      const serviceName = r.get('serviceName');
      const serviceCode = c.service(r, serviceName, r.get('serviceCategory'));
      const patient = c.patient(r, r.get('guestCode'), location, {
        email: r.get('email'),
        phone: r.get('phone'),
      });
      const provider = r.get('provider') === '' ? '' : c.provider(r, r.get('provider'), location);
      const visit = r.get('invoiceNo') !== '' ? r.get('invoiceNo') : `guest-${r.get('guestCode')}`;
      // The same service twice on one invoice at one time (two areas) is two appointments.
      const base = `${visit}/${slug(serviceName)}/${start.replace(/[-:]/g, '')}`;
      const n = (seen.get(base) ?? 0) + 1;
      seen.set(base, n);
      c.emit('appointments', r.row, {
        // Invoice numbers repeat across centers: the location keeps each center's ids apart.
        appointment_id: c.id(`${location}/${n === 1 ? base : `${base}/${n}`}`),
        location_id: location,
        patient_id: patient,
        provider_id: provider,
        service_code: serviceCode,
        booked_at: booked,
        start_at: start,
        duration_min: String(duration),
        status: canonicalStatus,
      });
    }
  },
});

function saleKind(itemType: string): SaleKind {
  const t = statusKey(itemType);
  if (/^(service|services)$/.test(t)) return 'service';
  if (/product|retail/.test(t)) return 'retail';
  if (/membership/.test(t)) return 'membership_fee';
  if (/package|series/.test(t)) return 'package';
  if (/gift|prepaid|voucher/.test(t)) return 'gift_card';
  return 'other';
}

export const zenotiEmployeeSales = defineCsvProfile({
  ...ZENOTI,
  id: 'zenoti.employee_sales',
  report: 'Employee Sales',
  fileName: /employee.?sales/i,
  signature: [
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
    'Sales (Exc. Tax)',
    'Sales (Inc. Tax)',
    'Split Commission (%)',
    'Employee Sale Value',
    'Commissionable Discount',
    'Payment Type',
    'Employee Sales Status',
  ],
  fields: {
    centerCode: { aliases: ['Sale Center Code', 'Center Code'] },
    center: { aliases: ['Sale Center', 'Center Name'] },
    saleDate: { aliases: ['Sale Date'], required: true },
    employeeName: { aliases: ['Employee Name', 'Employee'] },
    employeeCode: { aliases: ['Employee Code'] },
    invoiceNo: { aliases: INVOICE_ALIASES, required: true },
    itemCode: { aliases: ['Item Code'] },
    itemType: { aliases: ['Item Type'], required: true },
    itemName: { aliases: ['Item Name'], required: true },
    saleType: { aliases: ['Sale Type'] },
    salesExcTax: { aliases: ['Sales (Exc. Tax)', 'Sales Exc Tax', 'Sales'], required: true },
    salesIncTax: { aliases: ['Sales (Inc. Tax)', 'Sales Inc Tax'] },
    split: { aliases: ['Split Commission (%)', 'Split Commission', 'Split Commission %'] },
    employeeSaleValue: { aliases: ['Employee Sale Value', 'Employee Sales Value'] },
    status: { aliases: ['Employee Sales Status', 'Status'] },
    guestCode: { aliases: ['Guest Code'] },
  },
  convert(rows, c) {
    const seen = new Map<string, number>();
    for (const r of rows) {
      if (/void|cancel|delete/.test(statusKey(r.get('status')))) {
        c.warn(
          r.row,
          'status',
          'skipped_row',
          `a ${r.get('status')} sale is not revenue; the row was skipped`,
        );
        continue;
      }
      const soldOn = c.date(r, 'saleDate', true);
      const location = c.location(r, r.get('center') !== '' ? 'center' : 'centerCode');
      const exc = c.money(r, 'salesExcTax', true);
      const inc = c.money(r, 'salesIncTax');
      const share = c.money(r, 'employeeSaleValue');
      if (soldOn === null || location === null || exc === null || inc === null || share === null) continue;
      // One row per employee and item: with a split commission the employee's share is the line,
      // so two providers splitting a $500 treatment add up to $500, not $1,000.
      const excCents = moneyToCents(exc) ?? 0;
      const grossCents = share === '' ? excCents : (moneyToCents(share) ?? 0);
      const taxCents =
        inc === '' || excCents === 0
          ? null
          : Math.round(((moneyToCents(inc) ?? 0) - excCents) * (grossCents / excCents));
      const sign = /refund|return/.test(statusKey(r.get('saleType'))) && grossCents > 0 ? -1 : 1;
      const kind = saleKind(r.get('itemType'));
      const itemName = r.get('itemName');
      const serviceCode = kind === 'service' || kind === 'package' ? c.service(r, itemName) : '';
      const employee = r.get('employeeName');
      const provider = employee === '' ? '' : c.provider(r, employee, location, r.get('employeeCode'));
      const patient = r.get('guestCode') === '' ? '' : c.patient(r, r.get('guestCode'), location);
      const base = `${r.get('invoiceNo')}/${r.get('itemCode') || slug(itemName)}/${r.get('employeeCode') || slug(employee)}`;
      const count = (seen.get(base) ?? 0) + 1;
      seen.set(base, count);
      c.emit('sales', r.row, {
        line_id: c.id(`${location}/${count === 1 ? base : `${base}/${count}`}`),
        location_id: location,
        sold_on: soldOn,
        patient_id: patient,
        provider_id: provider,
        appointment_id: '',
        kind,
        service_code: serviceCode,
        gross: centsToText(sign * grossCents),
        discount: '',
        tax: taxCents === null ? '' : centsToText(sign * taxCents),
        tip: '',
      });
    }
  },
});

export const zenotiMemberships = defineCsvProfile({
  ...ZENOTI,
  id: 'zenoti.memberships',
  report: 'Memberships',
  fileName: /membership/i,
  signature: [
    'Sale Center',
    'Center Code',
    'Invoice No',
    'Membership Name',
    'Membership Type',
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
  ],
  fields: {
    center: { aliases: ['Sale Center', 'Center Name'] },
    centerCode: { aliases: ['Center Code', 'Sale Center Code'] },
    invoiceNo: { aliases: INVOICE_ALIASES },
    membershipName: { aliases: ['Membership Name'], required: true },
    membershipCode: { aliases: ['Membership Code'] },
    guestCode: { aliases: ['Guest Code'], required: true },
    saleDate: { aliases: ['Sale Date'] },
    startDate: { aliases: ['Start Date'], required: true },
    sales: { aliases: ['Sales', 'Sales (Exc. Tax)'], required: true },
    terminationDate: { aliases: ['Membership Termination Date'] },
    recurrenceCancellationDate: { aliases: ['Recurrence Cancellation Date'] },
  },
  convert(rows, c) {
    for (const r of rows) {
      const location = c.location(r, r.get('center') !== '' ? 'center' : 'centerCode');
      const started = r.get('startDate') !== '' ? c.date(r, 'startDate', true) : c.date(r, 'saleDate', true);
      const fee = c.money(r, 'sales', true);
      const terminated = c.date(r, 'terminationDate');
      const recurrenceCancelled = c.date(r, 'recurrenceCancellationDate');
      if (
        location === null ||
        started === null ||
        fee === null ||
        terminated === null ||
        recurrenceCancelled === null
      )
        continue;
      if (fee.startsWith('-')) {
        c.warn(
          r.row,
          'sales',
          'skipped_row',
          'a negative membership sale is a refund, not a membership; the row was skipped',
        );
        continue;
      }
      const patient = c.patient(r, r.get('guestCode'), location);
      const plan = r.get('membershipName');
      const sale = r.get('invoiceNo') !== '' ? r.get('invoiceNo') : `guest-${r.get('guestCode')}/${started}`;
      c.emit('memberships', r.row, {
        membership_id: c.id(`${location}/${sale}/${r.get('membershipCode') || slug(plan)}`),
        patient_id: patient,
        location_id: location,
        plan,
        monthly_fee: fee,
        started_on: started ?? '',
        // The membership ends when it is terminated, or when its recurring billing is cancelled.
        cancelled_on: terminated !== '' ? terminated : recurrenceCancelled,
      });
    }
  },
});

export const ZENOTI_PROFILES = [zenotiAppointments, zenotiEmployeeSales, zenotiMemberships];
