import { firstRowFrom } from '../../engine/columns';
import type { EventRows } from '../../engine/eventRows';
import { type LocalDate, toDayNumber } from '../../model/localDate';
import type { LeadRows } from '../leadRows';
import type { MetricContext } from '../metricContext';
import type { HashId } from '../metricData';
import type { PatientIndex } from '../patientIndex';
import { channelOf } from './channels';

/** metrics.md, Acquisition: a lead converts when the matched patient's first visit is within 90 days. */
export const CONVERSION_DAYS = 90;
/** metrics.md, Acquisition: lead_to_booking counts an appointment booked within 30 days of the lead. */
export const BOOKING_DAYS = 30;

/** What became of one lead, worked out once per data version. */
export interface LeadOutcome {
  /** Local date the lead was created. */
  day: LocalDate;
  channel: string | null;
  /** How many persons' patient records share the lead's email hash or phone hash. */
  matchedPersons: number;
  /** How many matched persons had their first visit anywhere 0..90 days after the lead's date. */
  convertedPersons: number;
  /** An appointment booked 0..30 days after the lead's date, seen by its booked_at or, lacking one, its start. */
  booking: 'booked_at' | 'start' | null;
}

/**
 * What became of every lead, as columns by lead (its index in the metric data's leads): 1 M leads
 * at 200 locations were 0.1 GB as an outcome object each, held for as long as the context.
 */
interface LeadFunnel {
  leads: LeadRows;
  /** Per lead, its creation day's number (`toDayNumber`). */
  day: Int32Array;
  /** Per lead, its channel's index in `channels`. */
  channel: Int32Array;
  channels: readonly (string | null)[];
  matchedPersons: Int32Array;
  convertedPersons: Int32Array;
  /** Per lead, its index in `BOOKINGS`. */
  booking: Uint8Array;
  /** Per location, its leads by creation day (leads of one day in load order). */
  byLocation: ReadonlyMap<string, Int32Array>;
  /** For each converted person, the converting lead created last (last-touch attribution). */
  lastTouch: ReadonlyMap<string, number>;
}

const BOOKINGS: readonly LeadOutcome['booking'][] = [null, 'booked_at', 'start'];

const funnels = new WeakMap<MetricContext, LeadFunnel>();

function leadFunnel(ctx: MetricContext): LeadFunnel {
  let funnel = funnels.get(ctx);
  if (!funnel) {
    funnel = buildFunnel(ctx);
    funnels.set(ctx, funnel);
  }
  return funnel;
}

function buildFunnel(ctx: MetricContext): LeadFunnel {
  const byEmail = new Map<HashId, Persons>();
  const byPhone = new Map<HashId, Persons>();
  for (const p of ctx.data.patients) {
    if (p.email_id !== null) add(byEmail, p.email_id, p.person_key);
    if (p.phone_id !== null) add(byPhone, p.phone_id, p.person_key);
  }
  const patients = ctx.patients();
  const events = ctx.data.events;
  const leads = ctx.data.leads;
  const n = leads.length;
  const funnel = {
    leads,
    day: leads.createdDayNumbers(),
    channel: new Int32Array(n),
    channels: [] as (string | null)[],
    matchedPersons: new Int32Array(n),
    convertedPersons: new Int32Array(n),
    booking: new Uint8Array(n),
  };
  const channelIndexes = new Map<string, number>();
  const rowsByLocation = new Map<string, number[]>();
  const lastTouch = new Map<string, number>();
  for (let row = 0; row < n; row += 1) {
    const day = leads.createdOnOf(row);
    const emailId = leads.emailIdOf(row);
    const phoneId = leads.phoneIdOf(row);
    const matched = bothPersons(
      emailId === null ? undefined : byEmail.get(emailId),
      phoneId === null ? undefined : byPhone.get(phoneId),
    );
    const converted = matched.filter((person) => {
      const first = patients.firstVisit(person);
      return first >= 0 && within(day, events.dayOf(first), CONVERSION_DAYS);
    });
    const channelText = leads.channelOf(row);
    let channel = channelIndexes.get(channelText);
    if (channel === undefined) {
      channel = funnel.channels.push(channelOf(channelText)) - 1;
      channelIndexes.set(channelText, channel);
    }
    funnel.channel[row] = channel;
    funnel.matchedPersons[row] = matched.length;
    funnel.convertedPersons[row] = converted.length;
    funnel.booking[row] = BOOKINGS.indexOf(bookingOf(events, patients, matched, day));
    const locationId = leads.locationIdOf(row);
    const rows = rowsByLocation.get(locationId);
    if (rows) rows.push(row);
    else rowsByLocation.set(locationId, [row]);
    for (const person of converted) {
      const current = lastTouch.get(person);
      // Last touch: the later creation wins; on a tie the lower lead_id (`lastTouchRanks`), whatever the load order.
      if (current === undefined || leads.touchOf(row) > leads.touchOf(current)) lastTouch.set(person, row);
    }
  }
  const byLocation = new Map<string, Int32Array>();
  for (const [locationId, rows] of rowsByLocation) {
    // Array.prototype.sort is stable: leads of one day keep their load order.
    rows.sort((a, b) => funnel.day[a]! - funnel.day[b]!);
    byLocation.set(locationId, Int32Array.from(rows));
  }
  return { ...funnel, byLocation, lastTouch };
}

/** Lead `row`'s outcome as an object. */
function outcomeOf(funnel: LeadFunnel, row: number): LeadOutcome {
  return {
    day: funnel.leads.createdOnOf(row),
    channel: funnel.channels[funnel.channel[row]!]!,
    matchedPersons: funnel.matchedPersons[row]!,
    convertedPersons: funnel.convertedPersons[row]!,
    booking: BOOKINGS[funnel.booking[row]!]!,
  };
}

/** Whether `date` is on `from` or at most `days` days after it. */
function within(from: LocalDate, date: LocalDate, days: number): boolean {
  const gap = toDayNumber(date) - toDayNumber(from);
  return gap >= 0 && gap <= days;
}

function bookingOf(
  events: EventRows,
  patients: PatientIndex,
  persons: readonly string[],
  day: LocalDate,
): LeadOutcome['booking'] {
  let byStart = false;
  for (const person of persons) {
    const { start, end } = patients.appointmentsOf(person);
    for (let appointment = start; appointment < end; appointment += 1) {
      const bookedOn = events.bookedOnOf(appointment);
      if (!within(day, bookedOn ?? events.dayOf(appointment), BOOKING_DAYS)) continue;
      if (bookedOn !== null) return 'booked_at';
      byStart = true;
    }
  }
  return byStart ? 'start' : null;
}

/**
 * The persons sharing a hash: nearly always one (person identity links the records that share
 * one), kept as its key instead of a Set per hash of every patient (480 k Sets at 50
 * locations); a Set once a second person shares it.
 */
type Persons = string | Set<string>;

function add(map: Map<HashId, Persons>, key: HashId, person: string): void {
  const found = map.get(key);
  if (found === undefined) map.set(key, person);
  else if (typeof found !== 'string') found.add(person);
  else if (found !== person) map.set(key, new Set([found, person]));
}

/** The distinct persons of both look-ups, in the order first seen (the email's, then the phone's). */
function bothPersons(byEmail: Persons | undefined, byPhone: Persons | undefined): string[] {
  const listed = (persons: Persons | undefined) =>
    persons === undefined ? [] : typeof persons === 'string' ? [persons] : [...persons];
  if (byPhone === undefined || byPhone === byEmail) return listed(byEmail);
  if (byEmail === undefined) return listed(byPhone);
  return [...new Set([...listed(byEmail), ...listed(byPhone)])];
}

/** The leads of the given locations created in [from, to]. */
export function leadsIn(
  ctx: MetricContext,
  locationIds: readonly string[],
  from: LocalDate,
  to: LocalDate,
): LeadOutcome[] {
  const funnel = leadFunnel(ctx);
  const outcomes: LeadOutcome[] = [];
  for (const locationId of locationIds) {
    const rows = funnel.byLocation.get(locationId);
    if (rows === undefined) continue;
    const first = firstRowFrom(rows, funnel.day, toDayNumber(from));
    const end = firstRowFrom(rows, funnel.day, toDayNumber(to) + 1);
    for (let k = first; k < end; k += 1) outcomes.push(outcomeOf(funnel, rows[k]!));
  }
  return outcomes;
}

/** Whether the scope's locations have any lead at all (absent facts are "not available", not 0). */
export function hasLeads(ctx: MetricContext, locationIds: readonly string[]): boolean {
  const funnel = leadFunnel(ctx);
  return locationIds.some((locationId) => (funnel.byLocation.get(locationId)?.length ?? 0) > 0);
}

/** The lead that brought the person in (last touch among the leads that converted them), if any. */
export function convertingLead(ctx: MetricContext, personKey: string): LeadOutcome | undefined {
  const funnel = leadFunnel(ctx);
  const row = funnel.lastTouch.get(personKey);
  return row === undefined ? undefined : outcomeOf(funnel, row);
}
