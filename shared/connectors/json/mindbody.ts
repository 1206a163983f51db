import { z } from 'zod';

import type { AppointmentStatus, SaleKind } from '../../model/canonicalBundle';
import type { CanonicalRecord } from '../vendorProfile';
import { defineJsonProfile, type Located, type MappingEnv, missing } from './jsonProfile';
import {
  centsCell,
  dateCell,
  datetimeCell,
  dollarsToCents,
  hoursCell,
  minutesBetween,
  vendorId,
} from './jsonValues';

/*
 * Mindbody Public API v6 responses (`GET /appointment/staffappointments`, `/sale/sales`,
 * `/client/clientcontracts`, `/payroll/timecards`): PascalCase records inside a
 * `{PaginationResponse, <List>: [...]}` envelope, datetimes in the site's local time without
 * an offset, money as dollar numbers.
 */

const VENDOR = 'mindbody';

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
  return s.PurchasedItems.flatMap((item, index): CanonicalRecord[] => {
    const unitCents = dollarsToCents(item.UnitPrice) ?? 0;
    // A returned item is the refund of what was sold: the same line, negative (metrics.md).
    const sign = item.Returned === true ? -1 : 1;
    const signed = (cents: number): string => centsCell(sign * Math.abs(cents));
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
          gross: signed(Math.round(unitCents * item.Quantity)),
          discount: signed(dollarsToCents(item.DiscountAmount ?? 0) ?? 0),
          tax: signed(dollarsToCents(item.TaxAmount ?? 0) ?? 0),
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
  return [
    {
      entity: 'memberships',
      sourceRow: at.row,
      values: {
        membership_id: env.id(c.Id),
        patient_id: env.id(clientId),
        location_id: location,
        plan: c.ContractName ?? '',
        monthly_fee: centsCell(dollarsToCents(charge) ?? 0),
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

function mapTimecard(at: Located<Timecard>, env: MappingEnv): CanonicalRecord[] {
  const t = at.value;
  const day = dateCell(t.TimeIn);
  const timeIn = datetimeCell(t.TimeIn);
  if (day === null || timeIn === null) {
    missing(env, at, 'TimeIn', 'not a datetime');
    return [];
  }
  const earnings =
    t.Earnings ?? (t.HourlyRate !== null && t.HourlyRate !== undefined ? t.Hours * t.HourlyRate : null);
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
        wages: earnings === null ? '' : centsCell(dollarsToCents(earnings) ?? 0),
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
