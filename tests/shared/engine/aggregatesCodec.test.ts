import { createHash } from 'node:crypto';

import {
  decodeLocationAggregates,
  decodeLocationFacts,
  encodeLocationAggregates,
  spliceLocationAggregates,
} from '../../../shared/engine/aggregatesCodec';
import { EventRows } from '../../../shared/engine/eventRows';
import type { DailyMeasure } from '../../../shared/engine/measures';
import type { PatientEvent, PatientRevenue } from '../../../shared/engine/patientEvents';
import { RevenueRows } from '../../../shared/engine/revenueRows';

function event(
  over: Partial<PatientEvent> & Pick<PatientEvent, 'appointmentId' | 'personKey' | 'startAt'>,
): PatientEvent {
  return {
    locationId: 'L1',
    patientId: 'PT1',
    providerId: 'PR1',
    category: 'neurotoxin',
    status: 'completed',
    bookedOn: '2024-01-01',
    durationMin: 30,
    ...over,
  };
}

const EVENTS: PatientEvent[] = [
  event({ appointmentId: 'A3', personKey: 'p:b', startAt: '2024-02-01T09:00:00' }),
  // Every null a stored event can hold; a text with a comma, quotes, a tab and a non-BMP character.
  event({
    appointmentId: 'A, "2"\t😀',
    personKey: 'p:a',
    startAt: '2024-01-02T10:30:00',
    providerId: null,
    category: null,
    bookedOn: null,
    status: 'no_show',
    durationMin: 0,
  }),
  // The same start as A1's: after it (the appointment id breaks the tie).
  event({ appointmentId: 'A1b', personKey: 'p:a', startAt: '2024-01-02T10:30:00', durationMin: 2 ** 40 }),
  event({ appointmentId: 'A1', personKey: 'p:a', startAt: '2024-01-02T10:30:00' }),
];

/** Where a value's int32 columns end: its appointment ids' JSON list (of `events`) follows them to the end. */
function columnsEnd(bytes: Uint8Array, events: readonly PatientEvent[]): number {
  return bytes.length - new TextEncoder().encode(JSON.stringify(events.map((e) => e.appointmentId))).length;
}

const REVENUE: PatientRevenue[] = [
  { locationId: 'L1', personKey: 'p:b', day: '2024-02-01', netCents: 12_345 },
  // A refund, and the largest exact integer: both come back as the same number.
  { locationId: 'L1', personKey: 'p:a', day: '2024-01-03', netCents: -500 },
  { locationId: 'L1', personKey: 'p:a', day: '2024-01-02', netCents: 2 ** 53 - 1 },
];

const DAILY: DailyMeasure[] = [
  { locationId: 'L1', providerId: 'PR1', measure: 'net.service', day: '2024-01-02', value: -12_345 },
  // Doubles no short text keeps, an exact fraction's units, the largest exact integer: the same numbers back.
  { locationId: 'L1', providerId: '', measure: 'net.service', day: '2024-01-02', value: 1 / 3 },
  { locationId: 'L1', providerId: '', measure: 'comp.wages/91', day: '2024-01-01', value: 271_875 },
  { locationId: 'L1', providerId: '', measure: 'net.retail', day: '2024-01-01', value: 2 ** 53 - 1 },
  { locationId: 'L1', providerId: '', measure: 'net.other', day: '2024-01-03', value: 5e-324 },
];

describe('one location’s aggregates as one stored value', () => {
  it('reads back every daily measure, event and revenue row with its nulls: measures by provider, measure and day, events by person then start (then appointment id), revenue by person then day', () => {
    const facts = decodeLocationAggregates(
      'L1',
      encodeLocationAggregates({ daily: DAILY, events: EVENTS, revenue: REVENUE }),
    );

    // At one start, by appointment id in code units: 'A, "2"…' (a comma) before 'A1' before 'A1b'.
    expect(facts.events).toEqual([EVENTS[1], EVENTS[3], EVENTS[2], EVENTS[0]]);
    expect(facts.revenue).toEqual([REVENUE[2], REVENUE[1], REVENUE[0]]);
    expect(facts.daily).toEqual([DAILY[2], DAILY[4], DAILY[3], DAILY[1], DAILY[0]]);
  });

  it('gives the location it is read under to every row', () => {
    const facts = decodeLocationAggregates(
      'L9',
      encodeLocationAggregates({ daily: DAILY, events: EVENTS, revenue: REVENUE }),
    );

    expect(new Set([...facts.daily, ...facts.events, ...facts.revenue].map((row) => row.locationId))).toEqual(
      new Set(['L9']),
    );
  });

  it('reads a value stored at any byte offset (a driver may hand over a slice of a larger buffer)', () => {
    const bytes = encodeLocationAggregates({ daily: DAILY, events: EVENTS, revenue: REVENUE });
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);

    expect(decodeLocationAggregates('L1', shifted.subarray(3))).toEqual(
      decodeLocationAggregates('L1', bytes),
    );
  });

  it('writes the same bytes for the same facts in any order', () => {
    expect(
      encodeLocationAggregates({
        daily: [...DAILY].reverse(),
        events: [...EVENTS].reverse(),
        revenue: [...REVENUE].reverse(),
      }),
    ).toEqual(encodeLocationAggregates({ daily: DAILY, events: EVENTS, revenue: REVENUE }));
  });

  it('hands each distinct text to the pool once', () => {
    const seen: string[] = [];
    decodeLocationAggregates(
      'L1',
      encodeLocationAggregates({ daily: DAILY, events: EVENTS, revenue: REVENUE }),
      (text) => {
        seen.push(text);
        return text;
      },
    );

    expect(seen.length).toBe(new Set(seen).size);
    expect(seen).toEqual(expect.arrayContaining(['p:a', 'p:b', 'completed', '2024-01-02']));
  });

  it('refuses a truncated value, or one of another format, naming the location', () => {
    const bytes = encodeLocationAggregates({ daily: DAILY, events: EVENTS, revenue: REVENUE });
    const end = columnsEnd(bytes, EVENTS);
    expect(() => decodeLocationFacts('L1', bytes.subarray(0, end - 4))).toThrow(
      /stored aggregates of location L1 are unreadable: .* bytes where more than .* were expected/,
    );
    // Cut in the appointment ids: the load never reads them, the object decoder refuses them.
    expect(() => decodeLocationAggregates('L1', bytes.subarray(0, bytes.length - 4))).toThrow(
      /stored aggregates of location L1 are unreadable: its appointment ids are not a list/,
    );
    expect(() => decodeLocationAggregates('L1', bytes.subarray(0, 2))).toThrow(/location L1 .*too short/);
    const other = Uint8Array.from(bytes);
    const headerLength = new DataView(other.buffer).getUint32(0, true);
    const header = new TextDecoder()
      .decode(other.subarray(4, 4 + headerLength))
      .replace('"format":2', '"format":7');
    other.set(new TextEncoder().encode(header), 4);
    expect(() => decodeLocationAggregates('L1', other)).toThrow(/format 7, this version reads 2/);
  });

  it('reads the events and the revenue as columns for the metric load: the same rows, under the location read, no object per row', () => {
    const bytes = encodeLocationAggregates({ daily: DAILY, events: EVENTS, revenue: REVENUE });
    const asObjects = decodeLocationAggregates('L9', bytes);
    const facts = decodeLocationFacts('L9', bytes);
    expect(facts.revenue).toBeInstanceOf(RevenueRows);
    expect(facts.revenue.toArray()).toEqual(asObjects.revenue);
    expect(facts.revenue.toArray()).toEqual(RevenueRows.from(asObjects.revenue).toArray());
    // A location's events as read are put in the one order with the others' (no appointment ids kept).
    expect(EventRows.merged([facts.events]).toArray()).toEqual(
      asObjects.events.map(({ appointmentId: _, ...loaded }) => loaded),
    );
    const d = facts.daily;
    const dailyRows = Array.from(d.values, (value, r) => ({
      locationId: 'L9',
      providerId: d.texts[d.providers[r]!],
      measure: d.texts[d.measures[r]!],
      day: d.texts[d.days[r]!],
      value,
    }));
    expect(dailyRows).toEqual(asObjects.daily);
    const empty = decodeLocationFacts('L9', encodeLocationAggregates({ daily: [], events: [], revenue: [] }));
    expect([empty.revenue.length, empty.events.person.length, empty.daily.values.length]).toEqual([0, 0, 0]);
  });

  it('refuses event columns that point at no text, or at a status or category the model lacks, naming the location', () => {
    const bytes = Uint8Array.from(encodeLocationAggregates({ daily: [], events: EVENTS, revenue: [] }));
    const view = new DataView(bytes.buffer);
    // With no revenue or daily rows the events' int32 columns are the value's last.
    const column = (field: number) => columnsEnd(bytes, EVENTS) - 4 * EVENTS.length * (7 - field);
    const personAt = column(0);
    const statusAt = column(4);
    const original = view.getInt32(personAt, true);
    view.setInt32(personAt, 99, true);
    expect(() => decodeLocationFacts('L1', bytes)).toThrow(/location L1 are unreadable: text 99 of/);
    view.setInt32(personAt, -1, true);
    expect(() => decodeLocationFacts('L1', bytes)).toThrow(
      /location L1 are unreadable: a required text is null/,
    );
    view.setInt32(personAt, original, true);
    // The person key's text where a status belongs.
    view.setInt32(statusAt, original, true);
    expect(() => decodeLocationFacts('L1', bytes)).toThrow(
      /location L1 are unreadable: an event's status is none of the model's/,
    );
  });

  it('refuses daily columns that point at no text, naming the location', () => {
    const bytes = Uint8Array.from(encodeLocationAggregates({ daily: DAILY, events: [], revenue: [] }));
    // The last int32 of the value is the last daily row's day index (no events, no revenue).
    new DataView(bytes.buffer).setInt32(columnsEnd(bytes, []) - 4, 99, true);
    expect(() => decodeLocationFacts('L1', bytes)).toThrow(/location L1 are unreadable: text 99 of/);
  });

  it('refuses revenue columns that point at no text, naming the location', () => {
    const bytes = Uint8Array.from(encodeLocationAggregates({ daily: [], events: [], revenue: REVENUE }));
    // The last int32 of the value is the last revenue row's day index (no events, no daily rows).
    const view = new DataView(bytes.buffer);
    const lastAt = columnsEnd(bytes, []) - 4;
    view.setInt32(lastAt, 99, true);
    expect(() => decodeLocationFacts('L1', bytes)).toThrow(/location L1 are unreadable: text 99 of/);
    view.setInt32(lastAt, -1, true);
    expect(() => decodeLocationFacts('L1', bytes)).toThrow(
      /location L1 are unreadable: a required text is null/,
    );
  });

  it('stores an empty location', () => {
    expect(
      decodeLocationAggregates('L1', encodeLocationAggregates({ daily: [], events: [], revenue: [] })),
    ).toEqual({
      daily: [],
      events: [],
      revenue: [],
    });
  });
});

describe('a refresh from a day, spliced into the stored value', () => {
  // Three months of a location: what is stored, then what a refresh from 2024-02-01 recomputes.
  const STORED = {
    events: [
      ...EVENTS,
      event({ appointmentId: 'A9', personKey: 'p:c', startAt: '2024-02-01T00:00:00', providerId: 'PR-gone' }),
      event({ appointmentId: 'A8', personKey: 'p:a', startAt: '2024-01-31T23:59:59' }),
    ],
    revenue: [...REVENUE, { locationId: 'L1', personKey: 'p:c', day: '2024-02-03', netCents: 7 }],
    daily: [
      ...DAILY,
      { locationId: 'L1', providerId: 'PR-gone', measure: 'visits', day: '2024-02-02', value: 1 },
    ],
  };
  const FROM = '2024-02-01';
  // Recomputed from the day: A3 moved, A9 gone (and with it the only use of 'PR-gone'), new rows
  // of people met before ('p:a') and never ('p:d').
  const FRESH = {
    events: [
      event({ appointmentId: 'A3', personKey: 'p:b', startAt: '2024-02-02T11:00:00' }),
      event({ appointmentId: 'A10', personKey: 'p:d', startAt: '2024-03-01T08:00:00', bookedOn: null }),
      event({ appointmentId: 'A11', personKey: 'p:a', startAt: '2024-02-05T09:00:00', category: 'filler' }),
    ],
    revenue: [
      { locationId: 'L1', personKey: 'p:d', day: '2024-03-01', netCents: 50_000 },
      { locationId: 'L1', personKey: 'p:a', day: '2024-02-05', netCents: 45_000 },
    ],
    daily: [
      { locationId: 'L1', providerId: 'PR1', measure: 'visits', day: '2024-03-01', value: 2 },
      { locationId: 'L1', providerId: '', measure: 'net.service', day: '2024-02-05', value: 45_000 },
    ],
  };
  const keptBefore = (from: string) => ({
    events: STORED.events.filter((e) => e.startAt < from),
    revenue: STORED.revenue.filter((r) => r.day < from),
    daily: STORED.daily.filter((d) => d.day < from),
  });

  it('writes the very bytes of encoding the kept rows and the fresh ones together (texts only dropped rows used are gone)', () => {
    const kept = keptBefore(FROM);
    const spliced = spliceLocationAggregates('L1', encodeLocationAggregates(STORED), FROM, FRESH);

    expect(Buffer.from(spliced.value)).toEqual(
      Buffer.from(
        encodeLocationAggregates({
          events: [...kept.events, ...FRESH.events],
          revenue: [...kept.revenue, ...FRESH.revenue],
          daily: [...kept.daily, ...FRESH.daily],
        }),
      ),
    );
    expect(new TextDecoder().decode(spliced.value)).not.toContain('PR-gone');
    // Kept: 4 events (A3 and A9 start on or after the day), 2 revenue rows (of 01-02 and 01-03),
    // 5 daily measures (all but PR-gone's of 02-02); fresh: 3 + 2 + 2.
    expect(spliced.rows).toBe(4 + 2 + 5 + 3 + 2 + 2);
    expect([spliced.firstDay, spliced.lastDay]).toEqual(['2024-01-01', '2024-03-01']);
  });

  it('keeps everything before a day after the last, and nothing before one before the first', () => {
    const stored = encodeLocationAggregates(STORED);
    const none = { events: [], revenue: [], daily: [] };

    expect(Buffer.from(spliceLocationAggregates('L1', stored, '2099-01-01', none).value)).toEqual(
      Buffer.from(stored),
    );
    const replaced = spliceLocationAggregates('L1', stored, '2000-01-01', FRESH);
    expect(Buffer.from(replaced.value)).toEqual(Buffer.from(encodeLocationAggregates(FRESH)));
    expect([replaced.firstDay, replaced.lastDay]).toEqual(['2024-02-05', '2024-03-01']);
    const emptied = spliceLocationAggregates('L1', stored, '2000-01-01', none);
    expect([emptied.rows, emptied.firstDay, emptied.lastDay]).toEqual([0, null, null]);
  });

  it('without a stored value or a day, is the fresh rows alone', () => {
    const fresh = encodeLocationAggregates(FRESH);

    expect(Buffer.from(spliceLocationAggregates('L1', undefined, FROM, FRESH).value)).toEqual(
      Buffer.from(fresh),
    );
    expect(
      Buffer.from(spliceLocationAggregates('L1', encodeLocationAggregates(STORED), undefined, FRESH).value),
    ).toEqual(Buffer.from(fresh));
  });

  it('refuses a stored value whose kept rows point at no text, naming the location', () => {
    const bytes = Uint8Array.from(encodeLocationAggregates({ daily: DAILY, events: [], revenue: [] }));
    // The first daily row's provider (the first int32 column when there are no events or revenue).
    const providersAt = columnsEnd(bytes, []) - 4 * 3 * DAILY.length;
    new DataView(bytes.buffer).setInt32(providersAt, 99, true);

    expect(() => spliceLocationAggregates('L1', bytes, FROM, FRESH)).toThrow(
      /location L1 are unreadable: text 99 of/,
    );
  });
});

describe('the stored layout of format 2', () => {
  it('is as documented, read by hand: header length, header (texts and counts, no appointment ids), doubles, int32 indexes, then the appointment ids in event order to the end', () => {
    const bytes = encodeLocationAggregates({ daily: DAILY, events: EVENTS, revenue: REVENUE });
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const headerLength = view.getUint32(0, true);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + headerLength))) as Record<
      string,
      unknown
    >;
    expect(Object.keys(header).sort()).toEqual(['daily', 'events', 'format', 'revenue', 'texts']);
    expect(header).toMatchObject({ format: 2, events: 4, revenue: 3, daily: DAILY.length });
    const numbersAt = Math.ceil((4 + headerLength) / 8) * 8;
    const doubles = EVENTS.length + REVENUE.length + DAILY.length;
    const idsAt = numbersAt + 8 * doubles + 4 * (7 * EVENTS.length + 2 * REVENUE.length + 3 * DAILY.length);
    // Events by person key, start, appointment id: p:a's three at 10:30 (A, "2"… sorts before A1), then p:b's.
    expect(JSON.parse(new TextDecoder().decode(bytes.subarray(idsAt)))).toEqual([
      'A, "2"\t😀',
      'A1',
      'A1b',
      'A3',
    ]);
    // The first double is the first event's duration (the no-show's 0), the events' then the revenue's.
    expect(view.getFloat64(numbersAt, true)).toBe(0);
    expect(view.getFloat64(numbersAt + 8 * 2, true)).toBe(2 ** 40);
  });

  it('is pinned: these facts encode to these very bytes (a change of layout must bump FORMAT, so stores written before refuse to be misread)', () => {
    const bytes = encodeLocationAggregates({ daily: DAILY, events: EVENTS, revenue: REVENUE });
    const digest = createHash('sha256').update(bytes).digest('hex');

    expect({ length: bytes.length, digest }).toEqual({
      length: 598,
      digest: 'b4e343cb34a148f28902add522314f44522ff1b6d8ce4a78bbe5d7393bb75b90',
    });
  });
});
