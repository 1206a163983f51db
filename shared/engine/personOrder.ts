import { byStart, type PatientEvent } from './patientEvents';
import { RevenueRows } from './revenueRows';

/** One location's patient-level facts: its appointments as events and its revenue per person and day. */
export interface LocationPatientFacts {
  events: readonly PatientEvent[];
  revenue: RevenueRows;
}

/**
 * The one order of a tenant's patient-level facts in the metric data: by person key (code unit
 * order), then events by start and appointment id (`byStart`), revenue by day. Built from the
 * locations' facts (the store keeps them per location, each already in that order: the codec
 * sorts them) without one comparison sort over millions of rows: the person keys are ranked
 * once, each list of events is placed by a counting sort on its rows' ranks — stable, so a person's
 * events stay in their location's order — and then only the persons with events in two lists
 * are checked, and sorted when their events are not yet in order. Revenue: `RevenueRows.merged`.
 */
export function inPersonOrder(locations: readonly LocationPatientFacts[]): {
  events: PatientEvent[];
  revenue: RevenueRows;
} {
  const keys = new Set<string>();
  for (const { events, revenue } of locations) {
    // A location's rows come a person at a time: each key is added once per run, not per row.
    let last: string | undefined;
    for (const { personKey } of events) if (personKey !== last) keys.add((last = personKey));
    for (const personKey of revenue.personKeys) keys.add(personKey);
  }
  const sortedKeys = [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const rank = new Map<string, number>();
  sortedKeys.forEach((key, index) => rank.set(key, index));
  return {
    events: placed(
      locations.map((l) => l.events),
      rank,
      byStart,
    ),
    revenue: RevenueRows.merged(
      locations.map((l) => l.revenue),
      sortedKeys,
    ),
  };
}

function placed<T extends PatientEvent>(
  lists: readonly (readonly T[])[],
  rank: ReadonlyMap<string, number>,
  withinPerson: (a: T, b: T) => number,
): T[] {
  const persons = rank.size;
  // Each row's person rank, looked up once per run of one person (a list comes a person at a time).
  const ranks = lists.map((list) => {
    const of = new Int32Array(list.length);
    let last: string | undefined;
    let lastRank = 0;
    list.forEach((item, i) => {
      if (item.personKey !== last) {
        last = item.personKey;
        lastRank = rank.get(last)!;
      }
      of[i] = lastRank;
    });
    return of;
  });
  // starts[r] … starts[r + 1]: where the rows of the person ranked r go.
  const starts = new Int32Array(persons + 1);
  for (const of of ranks) for (const r of of) starts[r + 1]! += 1;
  for (let r = 0; r < persons; r += 1) starts[r + 1]! += starts[r]!;
  const next = starts.slice(0, persons);
  // The list a person's rows came from, or -2 once they come from two: only those can be out of order.
  const from = new Int32Array(persons).fill(-1);
  const ordered = new Array<T>(starts[persons]!);
  lists.forEach((list, l) => {
    const of = ranks[l]!;
    for (let i = 0; i < list.length; i += 1) {
      const r = of[i]!;
      ordered[next[r]!++] = list[i]!;
      if (from[r] === -1) from[r] = l;
      else if (from[r] !== l) from[r] = -2;
    }
  });
  for (let r = 0; r < persons; r += 1) {
    if (from[r] !== -2) continue;
    const first = starts[r]!;
    const end = starts[r + 1]!;
    let inOrder = true;
    for (let i = first + 1; i < end && inOrder; i += 1)
      inOrder = withinPerson(ordered[i - 1]!, ordered[i]!) <= 0;
    if (inOrder) continue;
    const group = ordered.slice(first, end).sort(withinPerson);
    for (let i = 0; i < group.length; i += 1) ordered[first + i] = group[i]!;
  }
  return ordered;
}
