import {
  APPOINTMENT_STATUSES,
  type AppointmentStatus,
  SERVICE_CATEGORIES,
  type ServiceCategory,
} from '../model/canonicalBundle';
import { DenseIds } from './denseIds';
import { type EventPart, EventRows } from './eventRows';
import type { DailyMeasure } from './measures';
import { byPersonThenDay, byPersonThenStart, type PatientEvent, type PatientRevenue } from './patientEvents';
import type { LocationAggregates } from './refresh';
import { RevenueRows } from './revenueRows';

/**
 * Bumped when the layout changes (a test pins format 1's bytes): a value of another format is
 * refused, never misread, and the store, which keeps each value's format beside it, rebuilds it
 * at the next refresh (store/sql/dirtyMarks.ts).
 */
export const AGGREGATES_FORMAT = 1;

/** Events' repeated text fields, in the order of their index columns. */
const EVENT_TEXTS = [
  'personKey',
  'patientId',
  'providerId',
  'category',
  'status',
  'startAt',
  'bookedOn',
] as const;

/** The events' text fields that may be null. */
const NULLABLE_EVENT_TEXTS: ReadonlySet<string> = new Set(['providerId', 'category', 'bookedOn']);

/** Revenue rows' text fields, in the order of their index columns. */
const REVENUE_TEXTS = ['personKey', 'day'] as const;

/** Daily measures' text fields, in the order of their index columns. */
const DAILY_TEXTS = ['providerId', 'measure', 'day'] as const;

/** An index column's mark for a null text. */
const NULL_TEXT = -1;

interface Header {
  format: number;
  /** Every distinct repeated text of the location's aggregates, once; the columns index into it. */
  texts: string[];
  /** The events' appointment ids in row order: each is its own (unique within a tenant). */
  appointmentIds: string[];
  events: number;
  revenue: number;
  daily: number;
}

/**
 * One location's aggregates as one binary value, as the refresh stores them (a row per
 * location, not per measure and day or per appointment): a header (JSON: the distinct texts,
 * the appointment ids, the row counts) and then columns — durations, net cents and daily values
 * as doubles (the very numbers computed: exact for every integer a store holds), each repeated
 * text field as 32-bit indexes into the header's texts. Reading a location is then one value and
 * a few typed-array views, not a row and a text per field per measure, day and appointment; each
 * distinct text (a person key, a day, a measure) is decoded once per location.
 *
 * Events are kept by person, start and appointment, revenue by person and day (the order the
 * metric load merges locations in: `inPersonOrder`), daily measures by provider, measure and day.
 *
 * Layout: u32 header length (little-endian), the header's UTF-8, zeros to a multiple of 8, then
 * the float64 columns (event durations, revenue net cents, daily values) and the int32 columns
 * (the event text fields in `EVENT_TEXTS` order, the revenue's, the daily measures').
 */
export function encodeLocationAggregates(aggregates: LocationAggregates): Uint8Array {
  const events = [...aggregates.events].sort(byPersonThenStart);
  const revenue = [...aggregates.revenue].sort(byPersonThenDay);
  const daily = [...aggregates.daily].sort(byProviderMeasureDay);
  const texts = new DenseIds<string>();
  const textIndex = (text: string | null): number => (text === null ? NULL_TEXT : texts.of(text));
  const [n, m, k] = [events.length, revenue.length, daily.length];
  const numbers = new Float64Array(n + m + k);
  const indexes = new Int32Array(EVENT_TEXTS.length * n + REVENUE_TEXTS.length * m + DAILY_TEXTS.length * k);
  // Each table's rows fill the next stretch of both column areas, in the order below.
  let numbersAt = 0;
  let indexesAt = 0;
  const put = <T>(rows: readonly T[], fields: readonly (keyof T)[], numberOf: (row: T) => number) => {
    rows.forEach((row, r) => {
      numbers[numbersAt + r] = numberOf(row);
      fields.forEach((field, column) => {
        indexes[indexesAt + column * rows.length + r] = textIndex(row[field] as string | null);
      });
    });
    numbersAt += rows.length;
    indexesAt += fields.length * rows.length;
  };
  put(events, EVENT_TEXTS, (e) => e.durationMin);
  put(revenue, REVENUE_TEXTS, (r) => r.netCents);
  put(daily, DAILY_TEXTS, (d) => d.value);
  const appointmentIds = events.map((e) => e.appointmentId);
  const header: Header = {
    format: AGGREGATES_FORMAT,
    texts: texts.values(),
    appointmentIds,
    events: n,
    revenue: m,
    daily: k,
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const numbersStart = alignedTo8(4 + headerBytes.length);
  const indexesStart = numbersStart + numbers.byteLength;
  const bytes = new Uint8Array(indexesStart + indexes.byteLength);
  new DataView(bytes.buffer).setUint32(0, headerBytes.length, true);
  bytes.set(headerBytes, 4);
  bytes.set(new Uint8Array(numbers.buffer), numbersStart);
  bytes.set(new Uint8Array(indexes.buffer), indexesStart);
  return bytes;
}

/**
 * The aggregates of `encodeLocationAggregates`, every row under `locationId`. `pooled` answers
 * the one instance of a text the caller keeps (a load holds millions of rows whose fields
 * repeat); it sees each distinct repeated text of the location once, never an appointment id
 * (unique: pooling them would only grow the pool).
 */
export function decodeLocationAggregates(
  locationId: string,
  bytes: Uint8Array,
  pooled: (text: string) => string = (text) => text,
): LocationAggregates {
  const value = readValue(locationId, bytes, pooled);
  const { n, m, numbers, required } = value;
  const revenueAt = EVENT_TEXTS.length * n;
  const revenue: PatientRevenue[] = new Array<PatientRevenue>(m);
  for (let row = 0; row < m; row += 1) {
    revenue[row] = {
      locationId,
      personKey: required(revenueAt + row),
      day: required(revenueAt + m + row),
      netCents: small(numbers[n + row]!),
    };
  }
  return { daily: dailyOf(value), events: eventsOf(value), revenue };
}

/** A location's daily measures as the stored value holds them: row r's fields as indexes into `texts`, its value. */
export interface DailyColumns {
  texts: readonly string[];
  providers: Int32Array;
  measures: Int32Array;
  days: Int32Array;
  values: Float64Array;
}

/**
 * As `decodeLocationAggregates`, every row as columns (what the metric load keeps or adds up:
 * no object per row is made), read straight from the value's columns, every index checked.
 */
export function decodeLocationFacts(
  locationId: string,
  bytes: Uint8Array,
  pooled: (text: string) => string = (text) => text,
): { daily: DailyColumns; events: EventPart; revenue: RevenueRows } {
  const value = readValue(locationId, bytes, pooled);
  const { n, m, k, numbers, indexes, texts, fail } = value;
  const column = (at: number, length: number, nullable: boolean) => {
    const indexesOf = indexes.subarray(at, at + length);
    for (const index of indexesOf) {
      if (index === NULL_TEXT && nullable) continue;
      if (index === NULL_TEXT) throw fail('a required text is null');
      if (!(index >= 0 && index < texts.length)) throw fail(`text ${index} of ${texts.length}`);
    }
    return indexesOf;
  };
  const eventColumn = (field: (typeof EVENT_TEXTS)[number], among?: readonly string[]) => {
    const indexesOf = column(EVENT_TEXTS.indexOf(field) * n, n, NULLABLE_EVENT_TEXTS.has(field));
    if (among !== undefined) {
      for (const index of indexesOf)
        if (index !== NULL_TEXT && !among.includes(texts[index]!))
          throw fail(`an event's ${field} is none of the model's`);
    }
    return indexesOf;
  };
  const events = EventRows.locationPart(
    locationId,
    texts,
    {
      person: eventColumn('personKey'),
      patient: eventColumn('patientId'),
      provider: eventColumn('providerId'),
      category: eventColumn('category', SERVICE_CATEGORIES),
      status: eventColumn('status', APPOINTMENT_STATUSES),
      start: eventColumn('startAt'),
      bookedOn: eventColumn('bookedOn'),
    },
    // A copy: a view would keep the whole location's numbers (its daily values too) alive.
    numbers.slice(0, n),
  );
  const revenueAt = EVENT_TEXTS.length * n;
  const revenue = RevenueRows.ofLocation(
    locationId,
    texts,
    column(revenueAt, m, false),
    column(revenueAt + m, m, false),
    numbers.subarray(n, n + m),
  );
  const dailyAt = revenueAt + REVENUE_TEXTS.length * m;
  const daily: DailyColumns = {
    texts,
    providers: column(dailyAt, k, false),
    measures: column(dailyAt + k, k, false),
    days: column(dailyAt + 2 * k, k, false),
    values: numbers.subarray(n + m, n + m + k),
  };
  return { daily, events, revenue };
}

interface StoredValue {
  locationId: string;
  n: number;
  m: number;
  k: number;
  numbers: Float64Array;
  indexes: Int32Array;
  texts: string[];
  appointmentIds: string[];
  text: (at: number) => string | null;
  required: (at: number) => string;
  fail: (reason: string) => Error;
}

function readValue(locationId: string, bytes: Uint8Array, pooled: (text: string) => string): StoredValue {
  const fail = (reason: string) =>
    new Error(`The stored aggregates of location ${locationId} are unreadable: ${reason}`);
  if (bytes.byteLength < 4) throw fail('too short');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(0, true);
  if (4 + headerLength > bytes.byteLength) throw fail('the header runs past the end');
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + headerLength))) as Header;
  if (header.format !== AGGREGATES_FORMAT)
    throw fail(`format ${String(header.format)}, this version reads ${AGGREGATES_FORMAT}`);
  const { events: n, revenue: m, daily: k, appointmentIds } = header;
  if (appointmentIds.length !== n) throw fail(`${appointmentIds.length} appointment ids for ${n} events`);
  const numbersAt = alignedTo8(4 + headerLength);
  const indexesAt = numbersAt + 8 * (n + m + k);
  const end = indexesAt + 4 * (EVENT_TEXTS.length * n + REVENUE_TEXTS.length * m + DAILY_TEXTS.length * k);
  if (end !== bytes.byteLength) throw fail(`${bytes.byteLength} bytes where ${end} were expected`);
  // Copied out (a Buffer's slice would be a view into the driver's pool), so the typed arrays
  // start at offset 0 of their own memory and are aligned whatever the buffer handed over.
  const numbers = new Float64Array(new Uint8Array(bytes.subarray(numbersAt, indexesAt)).buffer);
  const indexes = new Int32Array(new Uint8Array(bytes.subarray(indexesAt, end)).buffer);
  const texts = header.texts.map(pooled);
  const text = (at: number): string | null => {
    const index = indexes[at]!;
    if (index === NULL_TEXT) return null;
    const value = texts[index];
    if (value === undefined) throw fail(`text ${index} of ${texts.length}`);
    return value;
  };
  const required = (at: number): string => {
    const value = text(at);
    if (value === null) throw fail('a required text is null');
    return value;
  };
  return { locationId, n, m, k, numbers, indexes, texts, appointmentIds, text, required, fail };
}

function eventsOf({ locationId, n, numbers, appointmentIds, text, required }: StoredValue): PatientEvent[] {
  const events: PatientEvent[] = new Array<PatientEvent>(n);
  for (let row = 0; row < n; row += 1) {
    events[row] = {
      locationId,
      appointmentId: appointmentIds[row]!,
      personKey: required(row),
      patientId: required(n + row),
      providerId: text(2 * n + row),
      category: text(3 * n + row) as ServiceCategory | null,
      status: required(4 * n + row) as AppointmentStatus,
      startAt: required(5 * n + row),
      bookedOn: text(6 * n + row),
      durationMin: small(numbers[row]!),
    };
  }
  return events;
}

function dailyOf({ locationId, n, m, k, numbers, required }: StoredValue): DailyMeasure[] {
  const dailyAt = EVENT_TEXTS.length * n + REVENUE_TEXTS.length * m;
  const daily: DailyMeasure[] = new Array<DailyMeasure>(k);
  for (let row = 0; row < k; row += 1) {
    daily[row] = {
      locationId,
      providerId: required(dailyAt + row),
      measure: required(dailyAt + k + row),
      day: required(dailyAt + 2 * k + row),
      value: numbers[n + m + row]!,
    };
  }
  return daily;
}

/**
 * A number read from a Float64Array is a double, and an object field once given a double holds
 * every value boxed (16 bytes more a row): a 32-bit integer is handed over as one, which V8
 * keeps unboxed, as the driver's numbers were.
 */
function small(value: number): number {
  return (value | 0) === value ? value | 0 : value;
}

function alignedTo8(offset: number): number {
  return Math.ceil(offset / 8) * 8;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byProviderMeasureDay(a: DailyMeasure, b: DailyMeasure): number {
  return (
    compareText(a.providerId, b.providerId) || compareText(a.measure, b.measure) || compareText(a.day, b.day)
  );
}
