import fc from 'fast-check';

import { EventRows } from '../../../shared/engine/eventRows';
import type { LoadedEvent, PatientEvent } from '../../../shared/engine/patientEvents';
import { APPOINTMENT_STATUSES, SERVICE_CATEGORIES } from '../../../shared/model/canonicalBundle';

/*
 * The tenant's appointments as columns: one order (person key in code units, then start, then
 * location id, then appointment id, ties as they came), tables sorted so numbers compare as their
 * texts do, every field but the appointment id read back as it was given.
 */

const events = fc.array(
  fc.record({
    locationId: fc.constantFrom('L1', 'L2', 'l1'),
    appointmentId: fc.constantFrom('A1', 'A2', 'A10', 'B', 'a'),
    personKey: fc.constantFrom('p:a', 'p:B', 'p:b', 'p:é', 'id:7'),
    patientId: fc.constantFrom('PT1', 'PT2', 'PT 3'),
    providerId: fc.constantFrom(null, 'PR1', 'PR2'),
    category: fc.constantFrom(null, ...SERVICE_CATEGORIES),
    status: fc.constantFrom(...APPOINTMENT_STATUSES),
    startAt: fc.constantFrom(
      '2024-01-31T09:00:00',
      '2024-02-01T09:00:00',
      '2024-02-01T08:30:00',
      '2023-12-31T23:59:59',
    ),
    bookedOn: fc.constantFrom(null, '2024-01-15', '2024-02-01', '2023-11-30'),
    durationMin: fc.constantFrom(0, 15, 45, 90.5),
  }),
  { maxLength: 40 },
);

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The one order, by comparisons: a stable sort by person key, start, location id, appointment id. */
const inOrder = (given: readonly PatientEvent[]): LoadedEvent[] =>
  [...given]
    .sort(
      (a, b) =>
        byCodeUnits(a.personKey, b.personKey) ||
        byCodeUnits(a.startAt, b.startAt) ||
        byCodeUnits(a.locationId, b.locationId) ||
        byCodeUnits(a.appointmentId, b.appointmentId),
    )
    .map(withoutId);

/** An event as the rows keep it: without its appointment id. */
function withoutId({ appointmentId: _, ...kept }: PatientEvent): LoadedEvent {
  return kept;
}

describe('events as columns', () => {
  it('read back every field but the appointment id as given, in person, start and location order', () => {
    const given: PatientEvent[] = [
      {
        locationId: 'L2',
        appointmentId: 'A2',
        personKey: 'p:b',
        patientId: 'PT 2',
        providerId: null,
        category: null,
        status: 'no_show',
        startAt: '2024-01-02T09:00:00',
        bookedOn: null,
        durationMin: 30,
      },
      {
        locationId: 'L1',
        appointmentId: 'A1',
        personKey: 'p:b',
        patientId: 'PT 1',
        providerId: 'PR1',
        category: 'filler',
        status: 'completed',
        startAt: '2024-01-02T09:00:00',
        bookedOn: '2023-12-20',
        durationMin: 45,
      },
      {
        locationId: 'L1',
        appointmentId: 'A9',
        personKey: 'p:a',
        patientId: 'PT 9',
        providerId: 'PR2',
        category: 'consultation',
        status: 'scheduled',
        startAt: '2024-03-01T10:00:00',
        bookedOn: '2024-02-28',
        durationMin: 15,
      },
    ];
    const rows = EventRows.from(given);
    // p:b's two events at the same second: L1's first.
    expect(rows.toArray()).toEqual([given[2]!, given[1]!, given[0]!].map(withoutId));
    expect(rows.personKeys).toEqual(['p:a', 'p:b']);
    expect(rows.starts).toEqual(['2024-01-02T09:00:00', '2024-03-01T10:00:00']);
    expect(rows.days).toEqual(['2023-12-20', '2024-01-02', '2024-02-28', '2024-03-01']);
    expect([rows.dayOf(0), rows.bookedOnOf(0), rows.bookedOnOf(2)]).toEqual([
      '2024-03-01',
      '2024-02-28',
      null,
    ]);
    expect([rows.isCompleted(1), rows.isCompleted(2), rows.categoryOf(2)]).toEqual([true, false, null]);
  });

  it('order any events as a stable comparison sort does', () => {
    fc.assert(
      fc.property(events, (given) => {
        expect(EventRows.from(given).toArray()).toEqual(inOrder(given));
      }),
      { numRuns: 300 },
    );
  });

  it('merge locations’ sets as one set of all their events, in the one order', () => {
    const locationIds = ['L2', 'l1', 'L1', 'L10'];
    fc.assert(
      fc.property(fc.array(events, { maxLength: 4 }), (given) => {
        // A set per location, as the load merges them (a location's events are in one set).
        const parts = given.map((part, p) => part.map((e) => ({ ...e, locationId: locationIds[p]! })));
        const merged = EventRows.merged(parts.map((part) => EventRows.from(part)));
        expect(merged.toArray()).toEqual(inOrder(parts.flat()));
      }),
      { numRuns: 300 },
    );
  });

  it('rename persons and come back in the one order; unchanged when no key changes', () => {
    fc.assert(
      fc.property(events, (given) => {
        const rows = EventRows.from(given);
        expect(rows.withPersonKeys((key) => key)).toBe(rows);
        const renamed = (key: string) => (key === 'p:b' ? 'id:7' : key);
        // Events equal in person, start and location keep the order they had.
        const expected = rows
          .toArray()
          .map((e) => ({ ...e, personKey: renamed(e.personKey) }))
          .sort(
            (a, b) =>
              byCodeUnits(a.personKey, b.personKey) ||
              byCodeUnits(a.startAt, b.startAt) ||
              byCodeUnits(a.locationId, b.locationId),
          );
        expect(rows.withPersonKeys(renamed).toArray()).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('find persons’ runs, locations, starts by day and one location’s events', () => {
    fc.assert(
      fc.property(events, (given) => {
        const rows = EventRows.from(given);
        const all = rows.toArray();
        rows.personKeys.forEach((key, p) => {
          expect(rows.personNumber(key)).toBe(p);
          const run = all.slice(rows.runStart(p), rows.runStart(p + 1));
          expect(run.length).toBeGreaterThan(0);
          expect(run.every((e) => e.personKey === key)).toBe(true);
        });
        expect(rows.runStart(rows.personKeys.length)).toBe(all.length);
        expect(rows.personNumber('nobody')).toBe(-1);
        for (const day of ['2024-02-01', '2024-01-31', '2025-01-01']) {
          const from = rows.startNumberFrom(day);
          expect(rows.starts.slice(from).every((s) => s >= day)).toBe(true);
          expect(rows.starts.slice(0, from).every((s) => s < day)).toBe(true);
          const after = rows.dayNumberAfter(day);
          expect(rows.days.slice(0, after).every((d) => d <= day)).toBe(true);
          expect(rows.days.slice(after).every((d) => d > day)).toBe(true);
        }
        rows.days.forEach((day, d) => {
          const later = rows.firstStartAfterDay(d);
          expect(rows.starts.slice(later).every((s) => s.slice(0, 10) > day)).toBe(true);
          expect(rows.starts.slice(0, later).every((s) => s.slice(0, 10) <= day)).toBe(true);
        });
        for (const locationId of ['L1', 'L2', 'l1', 'L9'])
          expect(rows.eventsAt(locationId)).toEqual(all.filter((e) => e.locationId === locationId));
      }),
      { numRuns: 200 },
    );
  });

  it('hold nothing when given nothing', () => {
    expect(EventRows.EMPTY.length).toBe(0);
    expect(EventRows.merged([]).toArray()).toEqual([]);
    expect(EventRows.merged([EventRows.EMPTY, EventRows.EMPTY]).length).toBe(0);
  });
});
