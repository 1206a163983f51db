import { z } from 'zod';

import type { AppointmentStatus } from '../../model/canonicalBundle';
import { centsToMoneyCell, scaleCents } from '../money';
import type { CanonicalRecord } from '../vendorProfile';
import { primaryLine } from '../visitLines';
import { readMinorAmount, reportAmount } from './jsonMoney';
import { defineJsonProfile, type Located, type MappingEnv, missing } from './jsonProfile';
import { dateCell, datetimeCell, minutesBetween, vendorId } from './jsonValues';

/*
 * Boulevard GraphQL objects, either the raw query answer (`{data: {appointments: {edges:
 * [{node}]}}}`) or a plain array of nodes. Ids are URNs (`urn:blvd:Appointment:<uuid>`),
 * datetimes ISO 8601 with an offset, money in cents.
 */

const VENDOR = 'boulevard';

const appointmentServiceSchema = z.object({
  id: z.string().nullish(),
  serviceId: z.string().nullish(),
  // Present when the query asked for it (`service { id name category { name } }`).
  service: z
    .object({
      id: z.string().nullish(),
      name: z.string().nullish(),
      category: z.object({ name: z.string().nullish() }).nullish(),
    })
    .nullish(),
  staffId: z.string().nullish(),
  price: z.number().int().nullish(),
  startAt: z.string().nullish(),
  duration: z.number().int().nonnegative().nullish(),
});

const appointmentSchema = z.object({
  id: z.string().min(1),
  startAt: z.string(),
  endAt: z.string().nullish(),
  duration: z.number().int().nonnegative().nullish(),
  createdAt: z.string().nullish(),
  state: z.enum(['ACTIVE', 'ARRIVED', 'BOOKED', 'CANCELLED', 'CONFIRMED', 'FINAL']),
  cancelled: z.boolean().nullish(),
  cancellation: z.object({ cancelledAt: z.string().nullish(), reason: z.string().nullish() }).nullish(),
  clientId: z.string().nullish(),
  locationId: z.string().nullish(),
  appointmentServices: z.array(appointmentServiceSchema),
});
type Appointment = z.infer<typeof appointmentSchema>;

function status(a: Appointment): AppointmentStatus {
  if (a.cancelled === true || a.state === 'CANCELLED') {
    // Boulevard records a no-show as a cancellation whose reason is NO_SHOW.
    const reason = a.cancellation?.reason;
    if (reason === 'NO_SHOW') return 'no_show';
    if (reason === 'CLIENT_LATE_CANCEL') return 'late_cancelled';
    return 'cancelled';
  }
  // ARRIVED (checked in) and ACTIVE (in service) took place even if never checked out.
  if (a.state === 'FINAL' || a.state === 'ARRIVED' || a.state === 'ACTIVE') return 'completed';
  return 'scheduled';
}

/*
 * One canonical appointment per Boulevard appointment, not per appointmentService: Boulevard
 * already groups a visit's services, so a visit with a toxin and a filler is one visit
 * (visitLines.ts), and its minutes are not counted twice for utilization. The primary service
 * (visitLines.primaryLine: the earliest, on a tie the longest, then the first listed) gives the
 * service code and the provider; the other services of the visit are not in appointments.csv.
 */
function mapAppointment(at: Located<Appointment>, env: MappingEnv): CanonicalRecord[] {
  const a = at.value;
  const first =
    primaryLine(
      a.appointmentServices.map((s) => ({ s, start: s.startAt ?? a.startAt, minutes: s.duration ?? null })),
    )?.s ?? a.appointmentServices[0];
  const startAt = datetimeCell(a.startAt);
  const duration =
    a.duration ?? (startAt !== null && a.endAt ? minutesBetween(a.startAt, a.endAt) : null) ?? null;
  const location = env.location(a.locationId);
  const serviceId = first?.serviceId ?? first?.service?.id;
  if (startAt === null) {
    missing(env, at, 'startAt', 'not a datetime');
  }
  if (duration === null) {
    missing(env, at, 'duration', 'no duration and no usable endAt');
  }
  if (!a.clientId) {
    missing(env, at, 'clientId', 'the appointment has no client');
  }
  if (!serviceId) {
    missing(env, at, 'appointmentServices[0].serviceId', 'the appointment has no service');
  }
  if (location === null) {
    missing(env, at, 'locationId', 'no locationId and no --location given');
  }
  if (startAt === null || duration === null || !a.clientId || !serviceId || location === null) return [];
  const bookedAt = a.createdAt ? datetimeCell(a.createdAt) : null;
  // Every service of the visit gets its services row, so sales that name it are categorized too.
  const services = a.appointmentServices.flatMap((s) => {
    const id = s.serviceId ?? s.service?.id;
    const name = s.service?.name;
    return id && name ? env.serviceOnce(at, env.id(id), name, s.service?.category?.name ?? '') : [];
  });
  return [
    ...services,
    {
      entity: 'appointments',
      sourceRow: at.row,
      values: {
        appointment_id: env.id(a.id),
        location_id: location,
        patient_id: env.id(a.clientId),
        provider_id: first?.staffId ? env.id(first.staffId) : '',
        service_code: env.id(serviceId),
        booked_at: bookedAt ?? '',
        start_at: startAt,
        duration_min: String(duration),
        status: status(a),
      },
    },
  ];
}

export const boulevardAppointments = defineJsonProfile({
  id: 'boulevard.appointments',
  vendor: VENDOR,
  report: 'appointments',
  listPaths: [
    ['data', 'appointments', 'edges'],
    ['data', 'appointments'],
    ['appointments', 'edges'],
    ['appointments'],
  ],
  signature: ['startAt', 'appointmentServices', 'state'],
  schema: appointmentSchema,
  map: (records, env) => records.flatMap((at) => mapAppointment(at, env)),
});

const INTERVALS = ['DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR'] as const;

/**
 * Months per interval, as an exact fraction [numerator, denominator] (a year is 12 months, a week
 * 52/12 of one): a recurring price in cents × this / count is its monthly equivalent.
 */
const PER_MONTH: Record<(typeof INTERVALS)[number], readonly [bigint, bigint]> = {
  DAY: [365n, 12n],
  WEEK: [52n, 12n],
  MONTH: [1n, 1n],
  QUARTER: [1n, 3n],
  YEAR: [1n, 12n],
};

const membershipSchema = z.object({
  id: z.string().min(1),
  clientId: z.string().min(1),
  name: z.string().nullish(),
  // Boulevard's interval is an ISO 8601 duration in recent API versions (`P1M`) and an enum
  // in older ones (`MONTH`); both are accepted.
  interval: z.string(),
  startOn: z.string(),
  endOn: z.string().nullish(),
  status: z.enum(['ACTIVE', 'CANCELLED', 'PAST_DUE', 'PAUSED']),
  unitPrice: z.number().int().nonnegative(),
  locationId: vendorId.nullish(),
});
type Membership = z.infer<typeof membershipSchema>;

function parseInterval(text: string): { unit: (typeof INTERVALS)[number]; count: number } | null {
  if ((INTERVALS as readonly string[]).includes(text)) {
    return { unit: text as (typeof INTERVALS)[number], count: 1 };
  }
  const m = /^P(\d+)([DWMY])$/.exec(text);
  if (!m) return null;
  const unit = ({ D: 'DAY', W: 'WEEK', M: 'MONTH', Y: 'YEAR' } as const)[m[2] as 'D' | 'W' | 'M' | 'Y'];
  const count = Number(m[1]);
  return count > 0 ? { unit, count } : null;
}

function mapMembership(at: Located<Membership>, env: MappingEnv): CanonicalRecord[] {
  const m = at.value;
  const interval = parseInterval(m.interval);
  const startedOn = dateCell(m.startOn);
  const location = env.location(m.locationId);
  if (interval === null) {
    env.issue({
      severity: 'error',
      row: at.row,
      column: 'interval',
      code: 'invalid_value',
      message: `interval "${m.interval}" is not a billing interval (MONTH, YEAR, P1M…)`,
      at,
    });
  }
  if (startedOn === null) {
    missing(env, at, 'startOn', 'not a date');
  }
  if (location === null) {
    missing(env, at, 'locationId', 'memberships carry no location: give --location');
  }
  if (interval === null || startedOn === null || location === null) return [];
  // `unitPrice` is in cents (a non-negative integer); its monthly equivalent is exact, rounded
  // once to the cent (money.ts).
  const price = readMinorAmount(env, at, 'unitPrice', m.unitPrice, '', { sign: 'non_negative' });
  if (price === null) return [];
  const [perMonth, months] = PER_MONTH[interval.unit];
  const monthly = scaleCents(price, perMonth, months * BigInt(interval.count));
  if (!monthly.ok) {
    reportAmount(env, at, 'unitPrice', m.unitPrice, monthly);
    return [];
  }
  // endOn is when a cancelled membership stops; an active one's endOn is a term end that may renew.
  const cancelledOn = m.status === 'CANCELLED' && m.endOn ? dateCell(m.endOn) : null;
  return [
    {
      entity: 'memberships',
      sourceRow: at.row,
      values: {
        membership_id: env.id(m.id),
        patient_id: env.id(m.clientId),
        location_id: location,
        plan: m.name ?? '',
        monthly_fee: centsToMoneyCell(monthly.cents),
        started_on: startedOn,
        cancelled_on: cancelledOn ?? '',
      },
    },
  ];
}

export const boulevardMemberships = defineJsonProfile({
  id: 'boulevard.memberships',
  vendor: VENDOR,
  report: 'memberships',
  listPaths: [
    ['data', 'memberships', 'edges'],
    ['data', 'memberships'],
    ['memberships', 'edges'],
    ['memberships'],
  ],
  signature: ['clientId', 'interval', 'startOn', 'unitPrice'],
  schema: membershipSchema,
  map: (records, env) => records.flatMap((at) => mapMembership(at, env)),
});
