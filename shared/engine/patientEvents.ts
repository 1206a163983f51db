import type { AppointmentRow, AppointmentStatus, SaleRow, ServiceCategory } from '../model/canonicalBundle';
import { REVENUE_KINDS } from './measures';

/**
 * Patient-level sequences for the patient, membership and acquisition metrics, which are not
 * additive (distinct patients, first visits, next appointments): one event per appointment
 * with the person it belongs to across systems (the pseudonymized person key) and its category.
 */
export interface PatientEvent {
  locationId: string;
  appointmentId: string;
  personKey: string;
  patientId: string;
  providerId: string | null;
  category: ServiceCategory | null;
  status: AppointmentStatus;
  /** Local datetime `YYYY-MM-DDTHH:MM:SS`. */
  startAt: string;
  /** Local date the appointment was booked, null when the EMR did not export it. */
  bookedOn: string | null;
  durationMin: number;
}

/**
 * An appointment as the metric data keeps it (shared/engine/eventRows.ts): without its id, which
 * only ordered one person's appointments at the same second, an order the rows keep themselves.
 */
export type LoadedEvent = Omit<PatientEvent, 'appointmentId'>;

/** Net revenue (cents) one person brought on one day at one location. */
export interface PatientRevenue {
  locationId: string;
  personKey: string;
  day: string;
  netCents: number;
}

/**
 * The order of one person's appointments: by start, then by appointment id so equal starts
 * always come in the same order. Both compare by code unit, never by locale, so the order (and
 * any figure that depends on it) is the same on every machine.
 */
export function byStart(a: PatientEvent, b: PatientEvent): number {
  if (a.startAt !== b.startAt) return a.startAt < b.startAt ? -1 : 1;
  return a.appointmentId < b.appointmentId ? -1 : a.appointmentId > b.appointmentId ? 1 : 0;
}

/**
 * The order of one location's events as stored (shared/engine/aggregatesCodec.ts), by person
 * key (code units), then `byStart`: an event's place in it is its `locationRow` in the metric
 * data, which orders one person's events at the same second there.
 */
export function byPersonThenStart(a: PatientEvent, b: PatientEvent): number {
  if (a.personKey !== b.personKey) return a.personKey < b.personKey ? -1 : 1;
  return byStart(a, b);
}

/** The order of a tenant's revenue rows in the metric data: by person key (code units), then day. */
export function byPersonThenDay(a: PatientRevenue, b: PatientRevenue): number {
  if (a.personKey !== b.personKey) return a.personKey < b.personKey ? -1 : 1;
  return a.day < b.day ? -1 : a.day > b.day ? 1 : 0;
}

/** A patient without an email or phone is only known by the EMR id (as at ingest). */
export function fallbackPersonKey(patientId: string): string {
  return `id:${patientId}`;
}

export function buildPatientEvents(
  appointments: readonly AppointmentRow[],
  personKeys: ReadonlyMap<string, string>,
  categories: ReadonlyMap<string, ServiceCategory>,
): PatientEvent[] {
  return appointments.map((a) => ({
    locationId: a.location_id,
    appointmentId: a.appointment_id,
    personKey: personKeys.get(a.patient_id) ?? fallbackPersonKey(a.patient_id),
    patientId: a.patient_id,
    providerId: a.provider_id,
    category: categories.get(a.service_code) ?? null,
    status: a.status,
    startAt: a.start_at,
    bookedOn: a.booked_at === null ? null : a.booked_at.slice(0, 10),
    durationMin: a.duration_min,
  }));
}

/**
 * Net revenue per person and day. A POS line often has no patient but points at the
 * appointment it paid for: the appointment's patient is then the line's patient.
 */
export function buildPatientRevenue(
  sales: readonly SaleRow[],
  personKeys: ReadonlyMap<string, string>,
  patientOfAppointment: ReadonlyMap<string, string> = new Map(),
): PatientRevenue[] {
  const byKey = new Map<string, PatientRevenue>();
  for (const s of sales) {
    if (!REVENUE_KINDS.includes(s.kind)) continue;
    const patientId =
      s.patient_id ?? (s.appointment_id === null ? undefined : patientOfAppointment.get(s.appointment_id));
    if (patientId === undefined) continue;
    const personKey = personKeys.get(patientId) ?? fallbackPersonKey(patientId);
    const key = `${s.location_id}\u0000${personKey}\u0000${s.sold_on}`;
    const row = byKey.get(key);
    const net = s.gross - (s.discount ?? 0);
    if (row) row.netCents += net;
    else byKey.set(key, { locationId: s.location_id, personKey, day: s.sold_on, netCents: net });
  }
  return [...byKey.values()];
}
