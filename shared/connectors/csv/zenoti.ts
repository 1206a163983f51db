import type { AppointmentStatus, SaleKind } from '../../model/canonicalBundle';
import { quoteValue } from '../../privacy/redact';
import { type CsvConversion, type CsvField, type CsvRowReader, defineCsvProfile } from '../csvProfile';
import { type Cents, centsToMoneyCell, scaleCents } from '../money';
import { categorizeService } from '../serviceCategories';
import { minutesBetween, slug, vendorDate, vendorMinutes } from '../vendorValues';
import { groupServiceLines, type ServiceLine, type Visit } from '../visitLines';

/*
 * Zenoti CSV reports, as a real medspa's ingestion pipeline reads them
 * (evolvemedspa-sa/zenoti-ingestion-msql, Zenoti/*.py). Zenoti names the provider column
 * after the org's terminology and changes header spacing between exports, hence the aliases.
 * Locations are the center name (the only center column every report has), so appointments,
 * sales and memberships of one center meet; `--location` overrides it for a one-center file.
 * Services and providers are keyed by name, as the Employee Sales report keys them, so the two
 * reports meet; the provider's code (`Providerss Code`, the sales' `Employee Code`) is kept as
 * the provider's payroll_employee_id.
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

const APPOINTMENT_FIELDS = {
  appointmentDate: { aliases: ['Appointment Date', 'Date'] },
  bookedDate: { aliases: ['Booked Date', 'Booked On'] },
  invoiceNo: { aliases: INVOICE_ALIASES },
  serviceName: { aliases: ['Service Name', 'Service'], required: true },
  center: { aliases: ['Center Name', 'Center'] },
  startTime: { aliases: ['Start Time'], required: true },
  endTime: { aliases: ['End Time'] },
  duration: { aliases: ['Scheduled Service Duration', 'Duration'] },
  provider: { aliases: PROVIDER_ALIASES },
  // Zenoti's own spelling (`Providers` + `'s Code`); the code is the Employee Sales `Employee Code`.
  providerCode: { aliases: ['Providerss Code', "Provider's Code", 'Providers Code', 'Provider Code'] },
  status: { aliases: ['Status', 'Appointment Status'], required: true },
  guestCode: { aliases: ['Guest Code', 'Guest Id'], required: true },
  email: { aliases: ['Email', 'Email Id', 'Email Address'] },
  phone: { aliases: ['Mobile', 'Mobile Number', 'Mobile Phone', 'Phone', 'Phone Number'] },
  serviceCategory: { aliases: ['Service Category'] },
  serviceSubcategory: { aliases: ['Service Subcategory', 'Service Sub Category', 'Service Sub-category'] },
  addOn: { aliases: ['Add-on', 'Add On', 'Addon', 'Is Add-on'] },
  checkinTime: { aliases: ['Checkin Time', 'Check-in Time', 'Check In Time'] },
  actualStart: { aliases: ['Actual Start Time', 'Actual StartTime'] },
  rebooked: { aliases: ['Rebooked'] },
  firstVisit: { aliases: ['First Visit'] },
  bookingSource: { aliases: ['Booking Source'] },
  cancelledAt: {
    aliases: ['Cancelled On', 'Cancellation Date', 'Cancelled Date', 'Cancel Time', 'Cancelled Time'],
  },
} satisfies Record<string, CsvField>;
type AppointmentField = keyof typeof APPOINTMENT_FIELDS;

/** One row of the report: one service line of a guest's visit (visitLines.ts makes the visits). */
interface ZenotiLine extends ServiceLine {
  reader: CsvRowReader<AppointmentField>;
  guestCode: string;
  /** Canonical booked_at of the line, '' when the export does not say. */
  booked: string;
  rebooked: boolean | null;
  firstVisit: boolean | null;
}

/** `Yes`/`True`/`Y`/`1` → true, `No`/`False`/`N`/`0` → false, '' → null (not said); undefined = unreadable. */
function flag(text: string): boolean | null | undefined {
  const t = text.toLowerCase();
  if (t === '') return null;
  if (/^(yes|y|true|1)$/.test(t)) return true;
  if (/^(no|n|false|0)$/.test(t)) return false;
  return undefined;
}

/**
 * Zenoti's subcategory (`Neurotoxins`) says more than its category (`Injectables`, which holds
 * toxins and fillers alike), so it is the category hint whenever a rule recognizes it.
 */
function categoryHint(subcategory: string, category: string): string {
  return subcategory !== '' && categorizeService('', new Map(), subcategory).matched ? subcategory : category;
}

type Conversion = CsvConversion<AppointmentField>;

/** A yes/no column; an unreadable cell is reported and read as not said. */
function readFlag(r: CsvRowReader<AppointmentField>, field: AppointmentField, c: Conversion): boolean | null {
  const value = flag(r.get(field));
  if (value !== undefined) return value;
  c.warn(r.row, field, 'invalid_value', `${quoteValue(r.get(field), 20)} is not Yes or No; not kept`);
  return null;
}

/** booked_at of a line: Booked Date with its time, or at midnight when the export gives the date only. */
function readBooked(r: CsvRowReader<AppointmentField>, c: Conversion): string | null {
  if (/\d:\d\d/.test(r.get('bookedDate'))) return c.dateTime(r, 'bookedDate');
  const date = c.date(r, 'bookedDate');
  // Midnight is safe: every metric reads only booked_at's date (rebooking compares the booking
  // date with the visit's date, the lead funnel counts days; engine/patientEvents bookedOn), so
  // the missing time of day changes no number, while dropping the date would hide every rebooking.
  return date === null || date === '' ? date : `${date}T00:00:00`;
}

/** One report row as a service line; null after reporting why it is not one. */
function readLine(r: CsvRowReader<AppointmentField>, c: Conversion): ZenotiLine | null {
  const status = APPOINTMENT_STATUS[statusKey(r.get('status'))];
  if (status === undefined) {
    c.error(
      r.row,
      'status',
      'invalid_value',
      `status ${quoteValue(r.get('status'))} is not a Zenoti appointment status`,
    );
    return null;
  }
  if (status === 'deleted') {
    c.warn(r.row, 'status', 'skipped_row', 'a Deleted appointment is not a booking; the row was skipped');
    return null;
  }
  // Start Time is a full datetime in most exports, a time of day beside Appointment Date in others.
  const start =
    vendorDate(r.get('startTime')) !== null
      ? c.dateTime(r, 'startTime', true)
      : c.dateTime(r, 'appointmentDate', true, 'startTime');
  const location = c.location(r, 'center');
  if (start === null || start === '' || location === null) return null;
  const end = r.get('endTime') === '' ? '' : c.dateTime(r, 'endTime');
  let minutes: number | null = null;
  if (r.get('duration') !== '') {
    minutes = vendorMinutes(r.get('duration'));
    if (minutes === null)
      c.error(
        r.row,
        'duration',
        'invalid_number',
        `${quoteValue(r.get('duration'))} is not a number of minutes`,
      );
  } else if (end !== null && end !== '') {
    minutes = minutesBetween(start, end);
  } else {
    c.error(r.row, 'duration', 'missing_value', 'neither a scheduled duration nor an end time');
  }
  const addOn = flag(r.get('addOn'));
  if (addOn === undefined)
    c.error(r.row, 'addOn', 'invalid_value', `${quoteValue(r.get('addOn'), 20)} is not Yes or No`);
  const booked = readBooked(r, c);
  if (minutes === null || addOn === undefined || booked === null) return null;
  let canonical: AppointmentStatus = status === 'cancelled_or_late' ? 'cancelled' : status;
  if (status === 'cancelled_or_late' && r.get('cancelledAt') !== '') {
    const cancelledAt = c.dateTime(r, 'cancelledAt');
    if (cancelledAt === null) return null;
    if (minutesBetween(cancelledAt, start) < LATE_CANCEL_MINUTES) canonical = 'late_cancelled';
  }
  // An Open line with a check-in or an actual start time is a guest who arrived: the visit
  // happened even if the invoice was not closed when the report was run.
  if (canonical === 'scheduled' && (r.get('checkinTime') !== '' || r.get('actualStart') !== ''))
    canonical = 'completed';
  return {
    reader: r,
    row: r.row,
    location,
    patient: r.get('guestCode'),
    guestCode: r.get('guestCode'),
    visitNumber: r.get('invoiceNo'),
    start,
    minutes,
    addOn: addOn === true,
    status: canonical,
    booked,
    rebooked: readFlag(r, 'rebooked', c),
    firstVisit: readFlag(r, 'firstVisit', c),
  };
}

/**
 * The center as the export names it (its name, else its code), which namespaces the invoice
 * numbers Zenoti repeats across centers; a file without a center column is its location's.
 */
function centerKey(center: string, centerCode: string, location: string): string {
  return center || centerCode || location;
}

/** 'true' when any line says yes, 'false' when all that say anything say no, '' when none says. */
function anyFlag(values: readonly (boolean | null)[]): string {
  const said = values.filter((v) => v !== null);
  return said.length === 0 ? '' : String(said.some((v) => v));
}

/** The canonical rows of one visit: its appointment and the service, provider and patient it names. */
function emitVisit(visit: Visit<ZenotiLine>, c: Conversion, seen: Map<string, number>): void {
  const p = visit.primary;
  const r = p.reader;
  const serviceName = r.get('serviceName');
  const serviceCode = c.service(
    r,
    serviceName,
    categoryHint(r.get('serviceSubcategory'), r.get('serviceCategory')),
  );
  const patient = c.patient(r, p.guestCode, p.location, { email: r.get('email'), phone: r.get('phone') });
  const provider =
    r.get('provider') === '' ? '' : c.provider(r, r.get('provider'), p.location, r.get('providerCode'));
  const booked =
    visit.lines
      .map((l) => l.booked)
      .filter((b) => b !== '')
      .sort()[0] ?? '';
  const ref =
    visit.visitNumber !== '' ? visit.visitNumber : `guest-${p.guestCode}/${visit.start.slice(0, 10)}`;
  // Invoice numbers repeat across centers: the center keeps each center's ids apart (as
  // exported, so an id never changes with what the center resolves to, as after a merge); one
  // invoice of two guests (a group booking) is two visits.
  const base = `${centerKey(r.get('center'), '', p.location)}/${ref}`;
  const n = (seen.get(base) ?? 0) + 1;
  seen.set(base, n);
  // Zenoti's own facts with no canonical column ride along as extra attributes (never personal).
  const extras: Record<string, string> = {
    service_lines: String(visit.lines.length),
    vendor_rebooked: anyFlag(visit.lines.map((l) => l.rebooked)),
    vendor_first_visit: anyFlag(visit.lines.map((l) => l.firstVisit)),
    booking_source: visit.lines.map((l) => l.reader.get('bookingSource')).find((s) => s !== '') ?? '',
  };
  c.emit('appointments', r.row, {
    appointment_id: c.id(n === 1 ? base : `${base}/${n}`),
    location_id: p.location,
    patient_id: patient,
    provider_id: provider,
    service_code: serviceCode,
    booked_at: booked,
    start_at: visit.start,
    duration_min: String(visit.minutes),
    status: visit.status,
    ...Object.fromEntries(Object.entries(extras).filter(([, v]) => v !== '')),
  });
}

/*
 * The report has one row per service line: a visit with a Botox line, an add-on and a $0
 * consult line is three rows. Its lines become one canonical appointment by the visit rule of
 * visitLines.ts (Invoice No is the visit number). The visit's service, provider and patient
 * come from its primary line, and its canonical rows are written on that line's row.
 */
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
  fields: APPOINTMENT_FIELDS,
  convert(rows, c) {
    const lines = rows.flatMap((r) => readLine(r, c) ?? []);
    const { visits, strays } = groupServiceLines(lines);
    for (const line of strays.flat()) {
      c.warn(
        line.row,
        line.addOn ? 'addOn' : 'duration',
        'skipped_row',
        `${line.addOn ? 'an add-on' : 'a 0-minute'} line with no main service of the guest on that day is not a visit; the row was skipped`,
      );
    }
    const seen = new Map<string, number>();
    for (const visit of visits) emitVisit(visit, c, seen);
    // A visit's rows are written on its primary line's row, which may come after a later
    // visit's; the canonical CSV files need their rows in file order.
    c.records.sort((a, b) => a.sourceRow - b.sourceRow);
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
      // A center code is a Zenoti id (`zenoti:CODE`, resolved through aliases), never a name.
      const location = r.get('center') !== '' ? c.location(r, 'center') : c.location(r, 'centerCode', 'id');
      const excCents = c.cents(r, 'salesExcTax', true);
      const inc = c.cents(r, 'salesIncTax');
      const share = c.cents(r, 'employeeSaleValue');
      if (soldOn === null || location === null || excCents === null || inc === null || share === null)
        continue;
      // One row per employee and item: with a split commission the employee's share is the line,
      // so two providers splitting a $500 treatment add up to $500, not $1,000.
      const grossCents = share === '' ? excCents : share;
      // The employee's share of the tax: (inc − exc) × share / exc, exact, rounded once (money.ts).
      let taxCents: Cents | null = null;
      if (inc !== '' && excCents !== 0) {
        const tax = scaleCents(inc - excCents, grossCents, excCents);
        if (!tax.ok) {
          c.error(
            r.row,
            'salesIncTax',
            'invalid_money',
            `the tax share is not an amount of money: ${tax.reason}`,
          );
          continue;
        }
        taxCents = tax.cents;
      }
      const sign = refundSign(r.get('saleType'), grossCents);
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
        line_id: c.id(
          `${centerKey(r.get('center'), r.get('centerCode'), location)}/${count === 1 ? base : `${base}/${count}`}`,
        ),
        location_id: location,
        sold_on: soldOn,
        patient_id: patient,
        provider_id: provider,
        appointment_id: '',
        kind,
        service_code: serviceCode,
        gross: centsToMoneyCell(sign * grossCents),
        discount: '',
        tax: taxCents === null ? '' : centsToMoneyCell(sign * taxCents),
        tip: '',
      });
    }
  },
});

/**
 * The sign that makes a Zenoti Employee Sales row a canonical sales line. Its `Sale Type` is what
 * says a row is a refund or a return, and the row's `Sales (Exc. Tax)` may be written as the
 * amount refunded (positive) or already negative; the canonical line of a refund is negative
 * (metrics.md). So a positive refund amount is negated (with its tax) and a negative one kept
 * as is — never made positive. Every other sale type keeps the sign Zenoti wrote.
 */
function refundSign(saleType: string, grossCents: Cents): 1 | -1 {
  return /refund|return/.test(statusKey(saleType)) && grossCents > 0 ? -1 : 1;
}

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
      const location = r.get('center') !== '' ? c.location(r, 'center') : c.location(r, 'centerCode', 'id');
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
        membership_id: c.id(
          `${centerKey(r.get('center'), r.get('centerCode'), location)}/${sale}/${r.get('membershipCode') || slug(plan)}`,
        ),
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
