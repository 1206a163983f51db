import { byCodeUnits } from './columns';
import { type EventPart, EventRows } from './eventRows';
import { RevenueRows } from './revenueRows';

/** One location's patient-level facts: its appointments as events and its revenue per person and day. */
export interface LocationPatientFacts {
  /** In any order: merged into the one order with the other locations'. */
  events: EventPart;
  revenue: RevenueRows;
}

/**
 * The one order of a tenant's patient-level facts in the metric data: by person key (code unit
 * order), then events by start, location and the location's own order, revenue by day — merged from the locations'
 * facts (`EventRows.merged`, `RevenueRows.merged`: counting sorts, no comparison sort over
 * millions of rows), the person keys of both sorted once.
 */
export function inPersonOrder(locations: readonly LocationPatientFacts[]): {
  events: EventRows;
  revenue: RevenueRows;
} {
  const keys = new Set<string>();
  for (const { events, revenue } of locations) {
    for (const personKey of events.personKeys) keys.add(personKey);
    for (const personKey of revenue.personKeys) keys.add(personKey);
  }
  const sortedKeys = [...keys].sort(byCodeUnits);
  return {
    events: EventRows.merged(
      locations.map((l) => l.events),
      sortedKeys,
    ),
    revenue: RevenueRows.merged(
      locations.map((l) => l.revenue),
      sortedKeys,
    ),
  };
}
