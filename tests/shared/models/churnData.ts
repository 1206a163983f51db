import { EventRows } from '../../../shared/engine/eventRows';
import type { PatientEvent, PatientRevenue } from '../../../shared/engine/patientEvents';
import { RevenueRows } from '../../../shared/engine/revenueRows';
import { addDays, toDayNumber } from '../../../shared/model/localDate';
import type { ChurnData } from '../../../shared/models/churnTraining';
import { location } from '../../support/metricData';

/**
 * Synthetic appointment books for the churn tests: deterministic (a seeded mulberry32), small
 * and fast, with the structure the score looks for — patients with their own rhythm and lapse
 * rate, bookings made at checkout, the odd no-show, and some lapsing patients who prebook and
 * then cancel. Nothing here is read by the score but the events and revenue it produces.
 */

export interface SyntheticBook {
  events: PatientEvent[];
  revenue: PatientRevenue[];
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A Gamma(k, 1) variate for a whole k: the sum of k standard exponentials. */
function gammaVariate(rng: () => number, k: number): number {
  let sum = 0;
  for (let i = 0; i < k; i++) sum -= Math.log(1 - rng());
  return sum;
}

const CATEGORIES = ['neurotoxin', 'facial', 'laser', 'filler'] as const;

export function syntheticBook(
  locationId: string,
  patients: number,
  seed: number,
  options: { from?: string; to?: string; revenue?: boolean; maxVisits?: number } = {},
): SyntheticBook {
  const from = options.from ?? '2023-01-01';
  const to = options.to ?? '2025-12-31';
  const span = toDayNumber(to) - toDayNumber(from);
  const rng = mulberry32(seed);
  const events: PatientEvent[] = [];
  const revenue: PatientRevenue[] = [];
  let appointment = 0;
  const add = (
    personKey: string,
    day: string,
    bookedOn: string,
    status: PatientEvent['status'],
    i: number,
  ) => {
    // An appointment after the last day of data is exported only while still scheduled.
    if (day > to && (bookedOn > to || status === 'cancelled')) return;
    events.push({
      locationId,
      appointmentId: `${locationId}-A${String(++appointment).padStart(6, '0')}`,
      personKey,
      patientId: `${locationId}-P${String(i).padStart(4, '0')}`,
      providerId: `${locationId}-PR${1 + (i % 3)}`,
      category: CATEGORIES[i % CATEGORIES.length]!,
      status: day > to ? 'scheduled' : status,
      startAt: `${day}T10:00:00`,
      bookedOn,
      durationMin: 45,
    });
  };
  for (let i = 0; i < patients; i++) {
    const personKey = `${locationId}-person-${String(i).padStart(4, '0')}`;
    const interval = [30, 60, 90, 120][Math.floor(rng() * 4)]!;
    const hazard = [0.08, 0.2, 0.45][Math.floor(rng() * 3)]!;
    // Spend as the Gamma-Gamma model has it: per visit Gamma(p = 10, ν), ν ~ Gamma(q = 4, γ = 9000),
    // so a patient's mean spend p/ν averages pγ/(q − 1) = $300.
    const nu = gammaVariate(rng, 4) / 9000;
    let day = addDays(from, Math.floor(rng() * (span - 30)));
    let bookedOn = addDays(day, -7);
    for (let visit = 0; day <= to && visit < (options.maxVisits ?? 1000); visit++) {
      add(personKey, day, bookedOn, 'completed', i);
      if (options.revenue !== false) {
        revenue.push({ locationId, personKey, day, netCents: Math.round(gammaVariate(rng, 10) / nu) });
      }
      const next = addDays(day, Math.round(interval * (0.7 + 0.6 * rng())));
      if (rng() < hazard) {
        // Some who will not come back still book at checkout, then cancel.
        if (rng() < 0.3) add(personKey, next, day, 'cancelled', i);
        break;
      }
      const atCheckout = rng() < 0.5;
      bookedOn = atCheckout ? day : addDays(next, -7);
      if (rng() < 0.08) {
        add(personKey, next, bookedOn, 'no_show', i);
        bookedOn = next;
        day = addDays(next, 10);
      } else {
        day = next;
      }
    }
  }
  return { events, revenue };
}

/** Several books as one tenant's metric data, each location's data ending on its `to`. */
export function churnData(
  books: readonly (SyntheticBook & { locationId: string; first: string; last: string })[],
): ChurnData {
  return {
    events: EventRows.from(books.flatMap((b) => b.events)),
    revenue: RevenueRows.from(books.flatMap((b) => b.revenue)),
    locations: books.map((b) => location(b.locationId)),
    dataRange: new Map(books.map((b) => [b.locationId, { first: b.first, last: b.last }])),
  };
}
