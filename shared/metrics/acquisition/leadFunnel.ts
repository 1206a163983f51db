import type { EventRows } from '../../engine/eventRows';
import { type LocalDate, toDayNumber } from '../../model/localDate';
import { byDay, entriesBetween } from '../membership/daySorted';
import type { MetricContext } from '../metricContext';
import type { HashId, LeadInfo } from '../metricData';
import type { PatientIndex } from '../patientIndex';
import { channelOf } from './channels';

/** metrics.md, Acquisition: a lead converts when the matched patient's first visit is within 90 days. */
export const CONVERSION_DAYS = 90;
/** metrics.md, Acquisition: lead_to_booking counts an appointment booked within 30 days of the lead. */
export const BOOKING_DAYS = 30;

/** What became of one lead, worked out once per data version. */
export interface LeadOutcome {
  lead: LeadInfo;
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

interface LeadFunnel {
  byLocation: ReadonlyMap<string, readonly LeadOutcome[]>;
  /** For each converted person, the converting lead created last (last-touch attribution). */
  lastTouch: ReadonlyMap<string, LeadOutcome>;
}

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
  const byLocation = new Map<string, LeadOutcome[]>();
  const lastTouch = new Map<string, LeadOutcome>();
  for (const lead of ctx.data.leads) {
    const day = lead.created_on;
    const matched = bothPersons(
      lead.email_id === null ? undefined : byEmail.get(lead.email_id),
      lead.phone_id === null ? undefined : byPhone.get(lead.phone_id),
    );
    const converted = matched.filter((person) => {
      const first = patients.firstVisit(person);
      return first >= 0 && within(day, events.dayOf(first), CONVERSION_DAYS);
    });
    const outcome: LeadOutcome = {
      lead,
      day,
      channel: channelOf(lead.channel),
      matchedPersons: matched.length,
      convertedPersons: converted.length,
      booking: bookingOf(events, patients, matched, day),
    };
    const list = byLocation.get(lead.location_id);
    if (list) list.push(outcome);
    else byLocation.set(lead.location_id, [outcome]);
    for (const person of converted) {
      const current = lastTouch.get(person);
      if (current === undefined || isLaterTouch(outcome.lead, current.lead)) lastTouch.set(person, outcome);
    }
  }
  for (const list of byLocation.values()) list.sort(byDay);
  return { byLocation, lastTouch };
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

/** Last touch: the later creation wins; on a tie the lower lead_id (`lastTouchRanks`), whatever the load order. */
function isLaterTouch(candidate: LeadInfo, current: LeadInfo): boolean {
  return candidate.touch > current.touch;
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
  return locationIds.flatMap((locationId) =>
    entriesBetween(funnel.byLocation.get(locationId) ?? [], from, to),
  );
}

/** Whether the scope's locations have any lead at all (absent facts are "not available", not 0). */
export function hasLeads(ctx: MetricContext, locationIds: readonly string[]): boolean {
  const funnel = leadFunnel(ctx);
  return locationIds.some((locationId) => (funnel.byLocation.get(locationId)?.length ?? 0) > 0);
}

/** The lead that brought the person in (last touch among the leads that converted them), if any. */
export function convertingLead(ctx: MetricContext, personKey: string): LeadOutcome | undefined {
  return leadFunnel(ctx).lastTouch.get(personKey);
}
