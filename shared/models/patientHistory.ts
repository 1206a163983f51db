import { byCodeUnits } from '../engine/columns';
import type { LoadedEvent } from '../engine/patientEvents';
import type { RevenueRows } from '../engine/revenueRows';
import type { AppointmentStatus, ServiceCategory } from '../model/canonicalBundle';
import type { LocalDate } from '../model/localDate';

/**
 * What one location knew about each of its patients on a given day (`asOf`, inclusive): the
 * input of the churn score, the call list and the revenue forecast. Built from the metric data
 * the store already loads (appointments and net revenue per person and day), never from a
 * patient's contact details.
 *
 * Nothing dated after `asOf` is read, except to know that an appointment starting after it was
 * already on the book: an appointment booked on or before `asOf` that starts after it is the
 * patient's `nextBooked`, whatever became of it later. Exports do not carry the day an
 * appointment was cancelled, so a backtest cannot tell an appointment cancelled before the
 * cut-off from one cancelled after; counting both as booked keeps later knowledge out of the
 * past. A live score is different: when `asOf` is on or after the day the export was taken
 * (the latest day it shows a booking or an attended, missed or late-cancelled appointment), a
 * `cancelled` appointment was cancelled by then and is not on the book. An appointment without
 * a booking date (the EMR did not export it) is counted as booked only when it is still
 * `scheduled`.
 *
 * A patient is a person at a location: the person key (pseudonymized, matches one person across
 * systems) grouped by location, shown by the location's own patient id (the id the front desk
 * looks up in its EMR).
 */

export interface PatientVisit {
  day: LocalDate;
  category: ServiceCategory | null;
  providerId: string | null;
}

export interface MissedAppointment {
  day: LocalDate;
  status: Extract<AppointmentStatus, 'no_show' | 'late_cancelled'>;
}

export interface PatientHistory {
  locationId: string;
  personKey: string;
  /** The location's own id of the patient (of the latest appointment on or before `asOf`). */
  patientId: string;
  /** Completed appointments on or before `asOf`, by start (several on one day are kept). */
  visits: readonly PatientVisit[];
  /** Net revenue (cents) per day on or before `asOf`, by day; days without revenue are absent. */
  revenueDays: readonly { day: LocalDate; netCents: number }[];
  /** No-shows and late cancellations on or before `asOf`, by day. */
  missed: readonly MissedAppointment[];
  /** The first appointment after `asOf` that was on the book on `asOf`, or null. */
  nextBooked: LocalDate | null;
}

/**
 * Every patient of `locationId` with at least one completed visit on or before `asOf`, sorted
 * by the location's patient id. `events` and `revenue` may hold every location of the tenant.
 */
export function patientHistories(
  events: readonly LoadedEvent[],
  revenue: RevenueRows,
  locationId: string,
  asOf: LocalDate,
): PatientHistory[] {
  const cutoff = `${asOf}T23:59:59`;
  const byPerson = new Map<string, LoadedEvent[]>();
  for (const e of events) {
    if (e.locationId !== locationId) continue;
    const list = byPerson.get(e.personKey);
    if (list) list.push(e);
    else byPerson.set(e.personKey, [e]);
  }
  const revenueByPerson = new Map<string, { day: LocalDate; netCents: number }[]>();
  const location = revenue.locationNumber(locationId);
  const afterAsOf = revenue.dayNumberAfter(asOf);
  for (let i = 0; i < revenue.length; i += 1) {
    if (revenue.location[i] !== location || revenue.day[i]! >= afterAsOf) continue;
    const personKey = revenue.personKeys[revenue.person[i]!]!;
    const row = { day: revenue.days[revenue.day[i]!]!, netCents: revenue.netCents[i]! };
    const list = revenueByPerson.get(personKey);
    if (list) list.push(row);
    else revenueByPerson.set(personKey, [row]);
  }

  const live = asOf >= exportDay(byPerson);
  const histories: PatientHistory[] = [];
  for (const [personKey, list] of byPerson) {
    // By start; one person's events at the same second keep the metric data's one order.
    list.sort((a, b) => byCodeUnits(a.startAt, b.startAt));
    const visits: PatientVisit[] = [];
    const missed: MissedAppointment[] = [];
    let patientId: string | null = null;
    let nextBooked: LocalDate | null = null;
    for (const e of list) {
      const day = e.startAt.slice(0, 10);
      if (e.startAt <= cutoff) {
        patientId = e.patientId;
        if (e.status === 'completed') visits.push({ day, category: e.category, providerId: e.providerId });
        else if (e.status === 'no_show' || e.status === 'late_cancelled')
          missed.push({ day, status: e.status });
      } else if (nextBooked === null && onTheBook(e, asOf, live)) {
        nextBooked = day;
      }
    }
    if (visits.length === 0 || patientId === null) continue;
    const revenueDays = (revenueByPerson.get(personKey) ?? []).sort((a, b) => (a.day < b.day ? -1 : 1));
    histories.push({ locationId, personKey, patientId, visits, revenueDays, missed, nextBooked });
  }
  // By the location's own patient id, not by person key: a person key is a pseudonym, whose order
  // the tenant's secret decides, and the models sum over these histories in this order (floating
  // point: another order is other last digits). Two histories never share a patient id.
  return histories.sort(
    (a, b) => compareText(a.patientId, b.patientId) || compareText(a.personKey, b.personKey),
  );
}

/**
 * Completed visit days of each person at `locationId` in `(after, through]` — what a backtest
 * checks its predictions against.
 */
export function visitDaysBetween(
  events: readonly LoadedEvent[],
  locationId: string,
  after: LocalDate,
  through: LocalDate,
): Map<string, number> {
  const days = new Map<string, Set<string>>();
  for (const e of events) {
    if (e.locationId !== locationId || e.status !== 'completed') continue;
    const day = e.startAt.slice(0, 10);
    if (day <= after || day > through) continue;
    const set = days.get(e.personKey);
    if (set) set.add(day);
    else days.set(e.personKey, new Set([day]));
  }
  return new Map([...days].map(([person, set]) => [person, set.size]));
}

/** Distinct days with a completed visit, in order — the purchase days the BG/NBD model counts. */
export function visitDays(history: PatientHistory): LocalDate[] {
  const days: LocalDate[] = [];
  for (const v of history.visits) if (days[days.length - 1] !== v.day) days.push(v.day);
  return days;
}

function onTheBook(e: LoadedEvent, asOf: LocalDate, live: boolean): boolean {
  if (e.bookedOn === null) return e.status === 'scheduled';
  if (live && e.status === 'cancelled') return false;
  return e.bookedOn <= asOf;
}

/** The latest day the location's appointments show something happen: the export is no older. */
function exportDay(byPerson: ReadonlyMap<string, readonly LoadedEvent[]>): LocalDate {
  let latest = '';
  for (const list of byPerson.values()) {
    for (const e of list) {
      if (e.bookedOn !== null && e.bookedOn > latest) latest = e.bookedOn;
      if (e.status === 'completed' || e.status === 'no_show' || e.status === 'late_cancelled') {
        const day = e.startAt.slice(0, 10);
        if (day > latest) latest = day;
      }
    }
  }
  return latest;
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
