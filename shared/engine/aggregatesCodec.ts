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
 * Bumped when the layout changes (a test pins the current format's bytes): a value of another
 * format is refused, never misread, and the store, which keeps each value's format beside it,
 * rebuilds it at the next refresh (store/sql/dirtyMarks.ts). Format 2 moved the appointment ids
 * from the header to the end, where the metric load, which never reads them, skips them.
 */
export const AGGREGATES_FORMAT = 2;

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

/** A stored text not yet numbered in the value being written. */
const UNSEEN = -2;

const NO_NULLS: ReadonlySet<string> = new Set();

interface Header {
  format: number;
  /** Every distinct repeated text of the location's aggregates, once; the columns index into it. */
  texts: string[];
  events: number;
  revenue: number;
  daily: number;
}

/**
 * One location's aggregates as one binary value, as the refresh stores them (a row per
 * location, not per measure and day or per appointment): a header (JSON: the distinct texts,
 * the row counts), then columns — durations, net cents and daily values as doubles (the very
 * numbers computed: exact for every integer a store holds), each repeated text field as 32-bit
 * indexes into the header's texts — and last the events' appointment ids. Reading a location is
 * then one value and a few typed-array views, not a row and a text per field per measure, day and
 * appointment; each distinct text (a person key, a day, a measure) is decoded once per location.
 *
 * Events are kept by person, start and appointment, revenue by person and day (the order the
 * metric load merges locations in: `inPersonOrder`), daily measures by provider, measure and day.
 *
 * Layout: u32 header length (little-endian), the header's UTF-8, zeros to a multiple of 8, then
 * the float64 columns (event durations, revenue net cents, daily values) and the int32 columns
 * (the event text fields in `EVENT_TEXTS` order, the revenue's, the daily measures'), then the
 * appointment ids in event order as a JSON list (UTF-8) to the end of the value: each is its own
 * (unique within a tenant), so they are a quarter of a value's bytes and, parsed, millions of
 * texts a load would make only to drop (the load never reads them; a splice and the object
 * decoder do). Texts are numbered in the order first met, row by row, events then revenue then
 * daily measures.
 */
export function encodeLocationAggregates(aggregates: LocationAggregates): Uint8Array {
  return writeValue(undefined, aggregates).value;
}

/** A stored value as the refresh writes it, with what the store keeps beside it. */
export interface EncodedAggregates {
  value: Uint8Array;
  /** Events, revenue rows and daily measures in it: 0 when the location has none. */
  rows: number;
  /** The first and last day of its daily measures (null: none). */
  firstDay: string | null;
  lastDay: string | null;
}

/**
 * The value a refresh from `from` stores: the rows of `stored` (a value of this format) of days
 * before `from` — events starting before it, revenue and daily measures of days before it — and
 * `fresh` (the recomputed rows of days from it on); with `stored` or `from` absent, `fresh`
 * alone. Byte for byte the value `encodeLocationAggregates` makes of those rows, but the kept
 * rows go from column to column: three years of a location are not made into objects, sorted
 * and numbered again to append a month.
 */
export function spliceLocationAggregates(
  locationId: string,
  stored: Uint8Array | undefined,
  from: string | undefined,
  fresh: LocationAggregates,
): EncodedAggregates {
  if (stored === undefined || from === undefined) return writeValue(undefined, fresh);
  return writeValue(
    keptBefore(
      readValue(locationId, stored, (text) => text),
      from,
    ),
    fresh,
  );
}

/** The rows of a stored value a splice keeps: their row numbers in it, in its (sorted) order. */
interface KeptRows {
  value: StoredValue;
  events: Int32Array;
  revenue: Int32Array;
  daily: Int32Array;
}

function keptBefore(value: StoredValue, from: string): KeptRows {
  const { n, m, k, required } = value;
  const rowsBefore = (count: number, dayAt: number) => {
    const rows: number[] = [];
    for (let row = 0; row < count; row += 1) if (required(dayAt + row) < from) rows.push(row);
    return Int32Array.from(rows);
  };
  const revenueAt = EVENT_TEXTS.length * n;
  const dailyAt = revenueAt + REVENUE_TEXTS.length * m;
  return {
    value,
    // A start is `YYYY-MM-DDTHH:MM:SS`: before the day's text exactly when before the day.
    events: rowsBefore(n, EVENT_TEXTS.indexOf('startAt') * n),
    revenue: rowsBefore(m, revenueAt + REVENUE_TEXTS.indexOf('day') * m),
    daily: rowsBefore(k, dailyAt + DAILY_TEXTS.indexOf('day') * k),
  };
}

/** A value's row order: a kept row as its row number in the stored value, a fresh row `r` as `-1 - r`. */
type RowOrder = Int32Array;

/**
 * Kept rows (in the stored value's order, which is `compare`'s) and fresh rows (sorted by it) in
 * one order: each fresh row after every kept row that does not sort after it — kept rows first
 * on a tie, where a stable sort of the kept rows then the fresh ones would put them.
 */
function mergedOrder<T>(
  kept: Int32Array,
  fresh: readonly T[],
  keptRow: (row: number) => T,
  compare: (a: T, b: T) => number,
): RowOrder {
  const order = new Int32Array(kept.length + fresh.length);
  let out = 0;
  let next = 0;
  fresh.forEach((row, r) => {
    // The first kept row from `next` on that sorts after this fresh row, by binary search.
    let [low, high] = [next, kept.length];
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (compare(keptRow(kept[middle]!), row) <= 0) low = middle + 1;
      else high = middle;
    }
    order.set(kept.subarray(next, low), out);
    out += low - next;
    next = low;
    order[out++] = -1 - r;
  });
  order.set(kept.subarray(next), out);
  return order;
}

/** The value of the kept rows (none: `undefined`) and the fresh ones, in the layout above. */
function writeValue(kept: KeptRows | undefined, fresh: LocationAggregates): EncodedAggregates {
  const events = [...fresh.events].sort(byPersonThenStart);
  const revenue = [...fresh.revenue].sort(byPersonThenDay);
  const daily = [...fresh.daily].sort(byProviderMeasureDay);
  const none = new Int32Array(0);
  const stored = kept?.value;
  const eventOrder = mergedOrder(
    kept?.events ?? none,
    events,
    (r) => storedEvent(stored!, r),
    byPersonThenStart,
  );
  const revenueOrder = mergedOrder(
    kept?.revenue ?? none,
    revenue,
    (r) => storedRevenue(stored!, r),
    byPersonThenDay,
  );
  const dailyOrder = mergedOrder(
    kept?.daily ?? none,
    daily,
    (r) => storedDaily(stored!, r),
    byProviderMeasureDay,
  );

  const texts = new DenseIds<string>();
  // A stored text's number in the new value, found once per distinct text (UNSEEN until met).
  const renumbered = new Int32Array(stored?.texts.length ?? 0).fill(UNSEEN);
  const keptText = (index: number, nullable: boolean): number => {
    if (index === NULL_TEXT) {
      if (nullable) return NULL_TEXT;
      throw stored!.fail('a required text is null');
    }
    const number = renumbered[index];
    if (number === undefined || index < 0) throw stored!.fail(`text ${index} of ${renumbered.length}`);
    if (number !== UNSEEN) return number;
    return (renumbered[index] = texts.of(stored!.texts[index]!));
  };
  const freshText = (text: string | null): number => (text === null ? NULL_TEXT : texts.of(text));

  const [n, m, k] = [eventOrder.length, revenueOrder.length, dailyOrder.length];
  const numbers = new Float64Array(n + m + k);
  const indexes = new Int32Array(EVENT_TEXTS.length * n + REVENUE_TEXTS.length * m + DAILY_TEXTS.length * k);
  // Each table's rows fill the next stretch of both column areas, in the order below.
  let numbersAt = 0;
  let indexesAt = 0;
  let storedNumbersAt = 0;
  let storedIndexesAt = 0;
  const put = <T>(
    order: RowOrder,
    rows: readonly T[],
    storedRows: number,
    fields: readonly (keyof T & string)[],
    nullable: ReadonlySet<string>,
    numberOf: (row: T) => number,
  ) => {
    const count = order.length;
    order.forEach((source, r) => {
      if (source < 0) {
        const row = rows[-1 - source]!;
        numbers[numbersAt + r] = numberOf(row);
        fields.forEach((field, column) => {
          indexes[indexesAt + column * count + r] = freshText(row[field] as string | null);
        });
      } else {
        numbers[numbersAt + r] = stored!.numbers[storedNumbersAt + source]!;
        fields.forEach((field, column) => {
          const index = stored!.indexes[storedIndexesAt + column * storedRows + source]!;
          indexes[indexesAt + column * count + r] = keptText(index, nullable.has(field));
        });
      }
    });
    numbersAt += count;
    indexesAt += fields.length * count;
    storedNumbersAt += storedRows;
    storedIndexesAt += fields.length * storedRows;
  };
  put(eventOrder, events, stored?.n ?? 0, EVENT_TEXTS, NULLABLE_EVENT_TEXTS, (e) => e.durationMin);
  put(revenueOrder, revenue, stored?.m ?? 0, REVENUE_TEXTS, NO_NULLS, (r) => r.netCents);
  put(dailyOrder, daily, stored?.k ?? 0, DAILY_TEXTS, NO_NULLS, (d) => d.value);

  const storedIds = stored === undefined || stored.n === 0 ? [] : stored.appointmentIds();
  const appointmentIds = Array.from(eventOrder, (source) =>
    source < 0 ? events[-1 - source]!.appointmentId : storedIds[source]!,
  );
  const header: Header = {
    format: AGGREGATES_FORMAT,
    texts: texts.values(),
    events: n,
    revenue: m,
    daily: k,
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const numbersStart = alignedTo8(4 + headerBytes.length);
  const indexesStart = numbersStart + numbers.byteLength;
  const idsStart = indexesStart + indexes.byteLength;
  const idsBytes = new TextEncoder().encode(JSON.stringify(appointmentIds));
  const bytes = new Uint8Array(idsStart + idsBytes.length);
  new DataView(bytes.buffer).setUint32(0, headerBytes.length, true);
  bytes.set(headerBytes, 4);
  bytes.set(new Uint8Array(numbers.buffer), numbersStart);
  bytes.set(new Uint8Array(indexes.buffer), indexesStart);
  bytes.set(idsBytes, idsStart);
  const days = dayRange(header.texts, indexes.subarray(indexesAt - k, indexesAt));
  return { value: bytes, rows: n + m + k, ...days };
}

/** The first and last of the days a daily measures' day column numbers. */
function dayRange(
  texts: readonly string[],
  days: Int32Array,
): { firstDay: string | null; lastDay: string | null } {
  const seen = new Uint8Array(texts.length);
  for (const index of days) seen[index] = 1;
  let firstDay: string | null = null;
  let lastDay: string | null = null;
  for (let index = 0; index < texts.length; index += 1) {
    if (seen[index] === 0) continue;
    const day = texts[index]!;
    if (firstDay === null || day < firstDay) firstDay = day;
    if (lastDay === null || day > lastDay) lastDay = day;
  }
  return { firstDay, lastDay };
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
  const rowsOf = <T>(count: number, rowAt: (value: StoredValue, row: number) => T) =>
    Array.from({ length: count }, (_, row) => rowAt(value, row));
  return {
    daily: rowsOf(value.k, storedDaily),
    events: rowsOf(value.n, storedEvent),
    revenue: rowsOf(value.m, storedRevenue),
  };
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
  /** The events' appointment ids, in row order: parsed on first call (the load never calls it). */
  appointmentIds: () => string[];
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
  const { events: n, revenue: m, daily: k } = header;
  const numbersAt = alignedTo8(4 + headerLength);
  const indexesAt = numbersAt + 8 * (n + m + k);
  const end = indexesAt + 4 * (EVENT_TEXTS.length * n + REVENUE_TEXTS.length * m + DAILY_TEXTS.length * k);
  // The appointment ids' list follows: "[]" at least.
  if (end + 2 > bytes.byteLength)
    throw fail(`${bytes.byteLength} bytes where more than ${end} were expected`);
  let ids: string[] | undefined;
  const appointmentIds = (): string[] => {
    if (ids !== undefined) return ids;
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder().decode(bytes.subarray(end)));
    } catch {
      throw fail('its appointment ids are not a list');
    }
    if (!Array.isArray(parsed) || !parsed.every((id) => typeof id === 'string'))
      throw fail('its appointment ids are not a list of texts');
    if (parsed.length !== n) throw fail(`${parsed.length} appointment ids for ${n} events`);
    return (ids = parsed);
  };
  // Views into the value where its columns are aligned in memory (a value this size comes in a
  // driver's buffer of its own: 5.5 MB a location at 200 locations, which a load then neither
  // copies nor holds twice; a small one may be a slice of a pooled buffer, which a view keeps
  // alive: a few KB); copied out where they are not aligned.
  const aligned = bytes.byteOffset % 8 === 0;
  const numbers = aligned
    ? new Float64Array(bytes.buffer, bytes.byteOffset + numbersAt, n + m + k)
    : new Float64Array(new Uint8Array(bytes.subarray(numbersAt, indexesAt)).buffer);
  const indexes = aligned
    ? new Int32Array(bytes.buffer, bytes.byteOffset + indexesAt, (end - indexesAt) / 4)
    : new Int32Array(new Uint8Array(bytes.subarray(indexesAt, end)).buffer);
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

/** Row `row` of the stored value's events. */
function storedEvent(
  { locationId, n, numbers, appointmentIds, text, required }: StoredValue,
  row: number,
): PatientEvent {
  return {
    locationId,
    appointmentId: appointmentIds()[row]!,
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

/** Row `row` of the stored value's revenue. */
function storedRevenue({ locationId, n, m, numbers, required }: StoredValue, row: number): PatientRevenue {
  const revenueAt = EVENT_TEXTS.length * n;
  return {
    locationId,
    personKey: required(revenueAt + row),
    day: required(revenueAt + m + row),
    netCents: small(numbers[n + row]!),
  };
}

/** Row `row` of the stored value's daily measures. */
function storedDaily({ locationId, n, m, k, numbers, required }: StoredValue, row: number): DailyMeasure {
  const dailyAt = EVENT_TEXTS.length * n + REVENUE_TEXTS.length * m;
  return {
    locationId,
    providerId: required(dailyAt + row),
    measure: required(dailyAt + k + row),
    day: required(dailyAt + 2 * k + row),
    value: numbers[n + m + row]!,
  };
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
