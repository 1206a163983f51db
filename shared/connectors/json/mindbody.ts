import { z } from 'zod';

import type { AppointmentStatus, SaleKind } from '../../model/canonicalBundle';
import { type AmountRules, type Cents, centsToMoneyCell, multiplyCents } from '../money';
import type { CanonicalRecord } from '../vendorProfile';
import { readAmount, reportAmount } from './jsonMoney';
import { defineJsonProfile, type Located, type MappingEnv, missing } from './jsonProfile';
import { dateCell, datetimeCell, hoursCell, minutesBetween, vendorId } from './jsonValues';

/*
 * Mindbody Public API v6 responses (`GET /appointment/staffappointments`, `/sale/sales`,
 * `/client/clientcontracts`, `/payroll/timecards`): PascalCase records inside a
 * `{PaginationResponse, <List>: [...]}` envelope, datetimes in the site's local time without
 * an offset, money as dollar numbers.
 */

const VENDOR = 'mindbody';

/*
 * Mindbody money, as its API defines it: every amount (`UnitPrice`, `DiscountAmount`,
 * `TaxAmount`, `ChargeAmount`, `HourlyRate`, `Earnings`) is a JSON `number` of `format: double`
 * computed by Mindbody in binary floating point (a tax is price × rate), so a value may carry
 * float noise (`7.4241750000000001`) or a fraction of a cent that Mindbody itself shows and
 * charges rounded to the cent: that is the convention under which its amounts are rounded to
 * the cent, half away from zero (money.ts). None is ever negative: a returned item comes with
 * its positive amounts and `Returned: true` (returnedLine), so a negative amount is an error on
 * its record, never turned positive.
 */
const MINDBODY_AMOUNT: AmountRules & { wrongSign: string } = {
  subCent: 'round_half_away_from_zero',
  sign: 'non_negative',
  wrongSign:
    'Mindbody never sends a negative amount here (a return is an item with Returned: true and positive amounts)',
};

const STATUSES = [
  'Booked',
  'Completed',
  'Confirmed',
  'Arrived',
  'NoShow',
  'Cancelled',
  'LateCancelled',
  'Requested',
  'None',
] as const;

// `Arrived` means the client checked in, so the visit took place even when staff never
// closed it as `Completed`. `None` says nothing and is reported rather than guessed.
const STATUS_MAP: Record<(typeof STATUSES)[number], AppointmentStatus | null> = {
  Booked: 'scheduled',
  Confirmed: 'scheduled',
  Requested: 'scheduled',
  Arrived: 'completed',
  Completed: 'completed',
  NoShow: 'no_show',
  LateCancelled: 'late_cancelled',
  Cancelled: 'cancelled',
  None: null,
};

const appointmentSchema = z.object({
  Id: vendorId,
  Status: z.enum(STATUSES),
  StartDateTime: z.string(),
  EndDateTime: z.string().nullish(),
  Duration: z.number().int().nonnegative().nullish(),
  StaffId: vendorId.nullish(),
  ClientId: vendorId,
  LocationId: vendorId.nullish(),
  SessionTypeId: vendorId.nullish(),
});
type Appointment = z.infer<typeof appointmentSchema>;

function mapAppointment(at: Located<Appointment>, env: MappingEnv): CanonicalRecord[] {
  const a = at.value;
  const status = STATUS_MAP[a.Status];
  const startAt = datetimeCell(a.StartDateTime);
  const duration =
    a.Duration ?? (startAt !== null && a.EndDateTime ? minutesBetween(a.StartDateTime, a.EndDateTime) : null);
  const location = env.location(a.LocationId);
  const sessionType = a.SessionTypeId ?? null;
  if (status === null) {
    env.issue({
      // A warning, not an error: one such record must not keep the rest of the file out.
      severity: 'warning',
      row: at.row,
      column: 'Status',
      code: 'unmapped_status',
      message: `Status "None" does not say whether the appointment took place: skipped`,
      at,
    });
  }
  if (startAt === null) {
    missing(env, at, 'StartDateTime', 'not a datetime');
  }
  if (duration === null) {
    missing(env, at, 'Duration', 'no Duration and no usable EndDateTime');
  }
  if (sessionType === null) {
    missing(env, at, 'SessionTypeId', 'no session type, so the service is unknown');
  }
  if (location === null) {
    missing(env, at, 'LocationId', 'no LocationId and no --location given');
  }
  if (status === null || startAt === null || duration === null || sessionType === null || location === null) {
    return [];
  }
  return [
    {
      entity: 'appointments',
      sourceRow: at.row,
      values: {
        appointment_id: env.id(a.Id),
        location_id: location,
        patient_id: env.id(a.ClientId),
        provider_id: a.StaffId === null || a.StaffId === undefined ? '' : env.id(a.StaffId),
        service_code: env.id(sessionType),
        booked_at: '',
        start_at: startAt,
        duration_min: String(duration),
        status,
      },
    },
  ];
}

export const mindbodyAppointments = defineJsonProfile({
  id: 'mindbody.appointments',
  vendor: VENDOR,
  report: 'appointments',
  listPaths: [['Appointments']],
  signature: ['StartDateTime', 'SessionTypeId', 'ClientId', 'Status'],
  schema: appointmentSchema,
  map: (records, env) => records.flatMap((at) => mapAppointment(at, env)),
});

const purchasedItemSchema = z.object({
  SaleDetailId: vendorId.nullish(),
  Id: vendorId,
  IsService: z.boolean(),
  Description: z.string().nullish(),
  ContractId: vendorId.nullish(),
  UnitPrice: z.number(),
  Quantity: z.number().nonnegative(),
  DiscountAmount: z.number().nullish(),
  TaxAmount: z.number().nullish(),
  Returned: z.boolean().nullish(),
});

const saleSchema = z.object({
  Id: vendorId,
  SaleDateTime: z.string(),
  ClientId: vendorId.nullish(),
  LocationId: vendorId.nullish(),
  SalesRepId: vendorId.nullish(),
  PurchasedItems: z.array(purchasedItemSchema),
});
type Sale = z.infer<typeof saleSchema>;

// A contract sold through a sale is a membership's fee; other items say only service or not.
function saleKind(item: z.infer<typeof purchasedItemSchema>): SaleKind {
  if (item.ContractId !== null && item.ContractId !== undefined) return 'membership_fee';
  return item.IsService ? 'service' : 'retail';
}

/**
 * A returned item's amount as a canonical sales line: Mindbody reports a return as the item with
 * `Returned: true` and the positive amounts it was sold for (PurchasedItem.Returned), while the
 * canonical sales file holds a refund as the same line, negative (metrics.md).
 */
function returnedLine(cents: Cents): Cents {
  return cents === 0 ? 0 : -cents;
}

type PurchasedItem = z.infer<typeof purchasedItemSchema>;

/**
 * An item's gross, discount and tax in cents; a discount or tax Mindbody left out is null (an
 * empty, unknown cell — never 0). Null after reporting an unusable amount.
 */
function itemAmounts(
  at: Located<Sale>,
  env: MappingEnv,
  item: PurchasedItem,
  index: number,
): { gross: Cents; discount: Cents | null; tax: Cents | null } | null {
  const column = (name: string) => `PurchasedItems[${index}].${name}`;
  // null = absent, undefined = reported as unusable.
  const optional = (name: string, value: number | null | undefined): Cents | null | undefined =>
    value === null || value === undefined
      ? null
      : (readAmount(env, at, column(name), value, MINDBODY_AMOUNT) ?? undefined);
  const unit = readAmount(env, at, column('UnitPrice'), item.UnitPrice, MINDBODY_AMOUNT);
  const discount = optional('DiscountAmount', item.DiscountAmount);
  const tax = optional('TaxAmount', item.TaxAmount);
  if (unit === null || discount === undefined || tax === undefined) return null;
  // Price × quantity is a derived amount: exact, rounded once to the cent (money.ts).
  const gross = multiplyCents(unit, item.Quantity);
  if (!gross.ok) return reportAmount(env, at, column('Quantity'), item.Quantity, gross);
  return { gross: gross.cents, discount, tax };
}

function mapSale(at: Located<Sale>, env: MappingEnv): CanonicalRecord[] {
  const s = at.value;
  const soldOn = dateCell(s.SaleDateTime);
  const location = env.location(s.LocationId);
  if (soldOn === null) {
    missing(env, at, 'SaleDateTime', 'not a datetime');
    return [];
  }
  if (location === null) {
    missing(env, at, 'LocationId', 'no LocationId and no --location given');
    return [];
  }
  // Every amount of the sale is read first: one unusable amount rejects the whole sale record,
  // so a sale never goes in with a line missing.
  const amounts = s.PurchasedItems.map((item, index) => itemAmounts(at, env, item, index));
  if (amounts.some((a) => a === null)) return [];
  return s.PurchasedItems.flatMap((item, index): CanonicalRecord[] => {
    const { gross, discount, tax } = amounts[index]!;
    // A returned item is the refund of what was sold: the same line, negative (returnedLine).
    const cell = (cents: Cents | null): string =>
      cents === null ? '' : centsToMoneyCell(item.Returned === true ? returnedLine(cents) : cents);
    const kind = saleKind(item);
    const serviceCode = kind === 'service' ? env.id(item.Id) : '';
    return [
      ...(serviceCode !== '' && item.Description ? env.serviceOnce(at, serviceCode, item.Description) : []),
      {
        entity: 'sales',
        sourceRow: at.row,
        values: {
          line_id: `${env.id(s.Id)}/${String(item.SaleDetailId ?? index + 1)}`,
          location_id: location,
          sold_on: soldOn,
          patient_id: s.ClientId === null || s.ClientId === undefined ? '' : env.id(s.ClientId),
          provider_id: s.SalesRepId === null || s.SalesRepId === undefined ? '' : env.id(s.SalesRepId),
          appointment_id: '',
          kind,
          service_code: serviceCode,
          gross: cell(gross),
          discount: cell(discount),
          tax: cell(tax),
          tip: '',
        },
      },
    ];
  });
}

export const mindbodySales = defineJsonProfile({
  id: 'mindbody.sales',
  vendor: VENDOR,
  report: 'sales',
  listPaths: [['Sales']],
  signature: ['SaleDateTime', 'PurchasedItems'],
  schema: saleSchema,
  map: (records, env) => records.flatMap((at) => mapSale(at, env)),
});

const contractSchema = z.object({
  Id: vendorId,
  ClientId: vendorId.nullish(),
  ContractName: z.string().nullish(),
  StartDate: z.string(),
  EndDate: z.string().nullish(),
  TerminationDate: z.string().nullish(),
  AutopayStatus: z.string().nullish(),
  OriginationLocationId: vendorId.nullish(),
  UpcomingAutopayEvents: z
    .array(z.object({ ChargeAmount: z.number(), ScheduleDate: z.string().nullish() }))
    .nullish(),
});
type Contract = z.infer<typeof contractSchema>;

/** GetClientContracts is asked per client, so the client id may sit once at the top of the file. */
function documentClientId(root: unknown): string | number | null {
  if (typeof root !== 'object' || root === null || !('ClientId' in root)) return null;
  const id = root.ClientId;
  return typeof id === 'string' || typeof id === 'number' ? id : null;
}

function mapContract(at: Located<Contract>, env: MappingEnv): CanonicalRecord[] {
  const c = at.value;
  const clientId = c.ClientId ?? documentClientId(env.root);
  const location = env.location(c.OriginationLocationId);
  const startedOn = dateCell(c.StartDate);
  // The next autopay charge is the contract's recurring price; Mindbody autopays medspa
  // memberships monthly, and the API does not state the frequency here.
  const charge = c.UpcomingAutopayEvents?.[0]?.ChargeAmount;
  const cancelledOn = c.TerminationDate ? dateCell(c.TerminationDate) : null;
  if (clientId === null) {
    missing(env, at, 'ClientId', 'the contract does not name its client');
  }
  if (location === null) {
    missing(env, at, 'OriginationLocationId', 'no OriginationLocationId and no --location given');
  }
  if (startedOn === null) {
    missing(env, at, 'StartDate', 'not a date');
  }
  if (charge === undefined) {
    // Ended contracts have no upcoming charge; a warning keeps the file's other contracts in.
    env.issue({
      severity: 'warning',
      row: at.row,
      column: 'UpcomingAutopayEvents',
      code: 'unknown_monthly_fee',
      message: 'no upcoming autopay charge, so the monthly fee is unknown: skipped',
      at,
    });
  }
  if (clientId === null || location === null || startedOn === null || charge === undefined) return [];
  const fee = readAmount(env, at, 'UpcomingAutopayEvents[0].ChargeAmount', charge, MINDBODY_AMOUNT);
  if (fee === null) return [];
  return [
    {
      entity: 'memberships',
      sourceRow: at.row,
      values: {
        membership_id: env.id(c.Id),
        patient_id: env.id(clientId),
        location_id: location,
        plan: c.ContractName ?? '',
        monthly_fee: centsToMoneyCell(fee),
        started_on: startedOn,
        cancelled_on: cancelledOn ?? '',
      },
    },
  ];
}

export const mindbodyClientContracts = defineJsonProfile({
  id: 'mindbody.client_contracts',
  vendor: VENDOR,
  report: 'client contracts',
  listPaths: [['Contracts'], ['ClientContracts']],
  signature: ['ContractName', 'StartDate', 'AutopayStatus'],
  schema: contractSchema,
  map: (records, env) => records.flatMap((at) => mapContract(at, env)),
});

const timecardSchema = z.object({
  StaffId: vendorId,
  Task: z.string().nullish(),
  TimeIn: z.string(),
  TimeOut: z.string().nullish(),
  Hours: z.number().nonnegative(),
  HourlyRate: z.number().nullish(),
  Earnings: z.number().nullish(),
  LocationId: vendorId.nullish(),
});
type Timecard = z.infer<typeof timecardSchema>;

/**
 * A time card's pay: its `Earnings`, else `HourlyRate` × `Hours` (exact, rounded once to the
 * cent); null when the card has neither (unknown, not 0); undefined after reporting a bad amount.
 */
function timecardEarnings(at: Located<Timecard>, env: MappingEnv): Cents | null | undefined {
  const t = at.value;
  if (t.Earnings !== null && t.Earnings !== undefined) {
    return readAmount(env, at, 'Earnings', t.Earnings, MINDBODY_AMOUNT) ?? undefined;
  }
  if (t.HourlyRate === null || t.HourlyRate === undefined) return null;
  const rate = readAmount(env, at, 'HourlyRate', t.HourlyRate, MINDBODY_AMOUNT);
  if (rate === null) return undefined;
  const pay = multiplyCents(rate, t.Hours);
  return pay.ok ? pay.cents : (reportAmount(env, at, 'Hours', t.Hours, pay) ?? undefined);
}

function mapTimecard(at: Located<Timecard>, env: MappingEnv): CanonicalRecord[] {
  const t = at.value;
  const day = dateCell(t.TimeIn);
  const timeIn = datetimeCell(t.TimeIn);
  if (day === null || timeIn === null) {
    missing(env, at, 'TimeIn', 'not a datetime');
    return [];
  }
  const earnings = timecardEarnings(at, env);
  if (earnings === undefined) return [];
  return [
    {
      entity: 'payroll',
      sourceRow: at.row,
      values: {
        // A time card has no id of its own; the staff member and clock-in time identify it.
        payroll_line_id: env.id(`timecard:${String(t.StaffId)}:${timeIn}`),
        payroll_employee_id: env.id(t.StaffId),
        location_id: env.location(t.LocationId) ?? '',
        period_start: day,
        period_end: day,
        pay_date: '',
        hours: hoursCell(t.Hours),
        wages: earnings === null ? '' : centsToMoneyCell(earnings),
        commission: '',
        bonus: '',
        employer_taxes_benefits: '',
      },
    },
  ];
}

export const mindbodyTimecards = defineJsonProfile({
  id: 'mindbody.timecards',
  vendor: VENDOR,
  report: 'payroll time cards',
  listPaths: [['TimeCards'], ['Timecards']],
  signature: ['StaffId', 'TimeIn', 'Hours'],
  schema: timecardSchema,
  map: (records, env) => records.flatMap((at) => mapTimecard(at, env)),
});
