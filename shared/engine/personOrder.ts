import { byStart, type PatientEvent, type PatientRevenue } from './patientEvents';
import type { LocationAggregates } from './refresh';

/** One location's patient-level facts: its appointments as events and its revenue per person and day. */
export type LocationPatientFacts = Pick<LocationAggregates, 'events' | 'revenue'>;

/**
 * The one order of a tenant's patient-level facts in the metric data: by person key (code unit
 * order), then events by start and appointment id (`byStart`), revenue by day. Built from the
 * locations' facts (the store keeps them per location) without one comparison sort over
 * millions of rows: the person keys are ranked once, each list is placed by a counting sort on
 * its rows' ranks — stable, so a person's rows stay in their location's order — and then only
 * the persons whose rows are not yet in order (a person seen at two locations) are sorted.
 */
export function inPersonOrder(locations: readonly LocationPatientFacts[]): LocationPatientFacts {
  const keys = new Set<string>();
  for (const { events, revenue } of locations) {
    for (const event of events) keys.add(event.personKey);
    for (const line of revenue) keys.add(line.personKey);
  }
  const rank = new Map<string, number>();
  [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).forEach((key, index) => rank.set(key, index));
  return {
    events: placed(
      locations.map((l) => l.events),
      rank,
      byStart,
    ),
    revenue: placed(
      locations.map((l) => l.revenue),
      rank,
      (a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0),
    ),
  };
}

function placed<T extends PatientEvent | PatientRevenue>(
  lists: readonly (readonly T[])[],
  rank: ReadonlyMap<string, number>,
  withinPerson: (a: T, b: T) => number,
): T[] {
  const persons = rank.size;
  // starts[r] … starts[r + 1]: where the rows of the person ranked r go.
  const starts = new Int32Array(persons + 1);
  for (const list of lists) for (const item of list) starts[rank.get(item.personKey)! + 1]! += 1;
  for (let r = 0; r < persons; r += 1) starts[r + 1]! += starts[r]!;
  const next = starts.slice(0, persons);
  const ordered = new Array<T>(starts[persons]!);
  for (const list of lists) for (const item of list) ordered[next[rank.get(item.personKey)!]!++] = item;
  for (let r = 0; r < persons; r += 1) {
    const from = starts[r]!;
    const to = starts[r + 1]!;
    let inOrder = true;
    for (let i = from + 1; i < to && inOrder; i += 1)
      inOrder = withinPerson(ordered[i - 1]!, ordered[i]!) <= 0;
    if (inOrder) continue;
    const group = ordered.slice(from, to).sort(withinPerson);
    for (let i = 0; i < group.length; i += 1) ordered[from + i] = group[i]!;
  }
  return ordered;
}
