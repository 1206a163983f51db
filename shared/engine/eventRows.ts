import {
  APPOINTMENT_STATUSES,
  type AppointmentStatus,
  SERVICE_CATEGORIES,
  type ServiceCategory,
} from '../model/canonicalBundle';
import {
  byCodeUnits,
  distinctTextsOf,
  firstAfter,
  firstAtOrAfter,
  mergedTables,
  numbered,
  numberIn,
  permuted,
  renumberedColumn,
  renumbering,
  runStarts,
  sortedDistinct,
  stableOrder,
} from './columns';
import { byPersonThenStart, type LoadedEvent, type PatientEvent } from './patientEvents';
import type { Slab } from './slab';

/** The texts an event's numbers point into (sorted where it says so, in an `EventRows`). */
interface EventTables {
  /** Distinct person keys, sorted. */
  personKeys: readonly string[];
  /** Distinct location ids, sorted. */
  locationIds: readonly string[];
  /** EMR patient ids, in no particular order (the tables of locations joined: a text may repeat). */
  patientIds: readonly string[];
  /** Provider ids, in no particular order (a text may repeat, as the patient ids'). */
  providerIds: readonly string[];
  /** Distinct starts (`YYYY-MM-DDTHH:MM:SS`), sorted. */
  starts: readonly string[];
  /** Distinct days (`YYYY-MM-DD`) of the starts and the bookings, sorted. */
  days: readonly string[];
}

/** One number per event and field; -1 where a nullable field is null. */
interface EventColumns {
  person: Int32Array;
  location: Int32Array;
  patient: Int32Array;
  /** Into `providerIds`; -1: no provider. */
  provider: Int32Array;
  /** Into `SERVICE_CATEGORIES`; -1: a service mapped to no category. */
  category: Int8Array;
  /** Into `APPOINTMENT_STATUSES`. */
  status: Int8Array;
  /** Into `starts`. */
  start: Int32Array;
  /** Into `days`; -1: the EMR did not export when it was booked. */
  bookedOn: Int32Array;
  durationMin: Float64Array;
  /**
   * The event's place in its location's own order (person key, start, appointment id: the
   * stored order). It stands for the appointment id, which the metrics never read but to order
   * one person's events at the same second: 4 bytes, not a text of ≈ 40 (0.19 GB at 200 locations).
   */
  locationRow: Int32Array;
}

/**
 * Events in columns not yet in the one order, their tables in any order: one location's as
 * read (`locationPart`), to be merged with the others'. An `EventRows` is one too.
 */
export type EventPart = EventTables & EventColumns;

/** `part` with its columns copied into `slab`, its tables shared (a load keeps its parts there: see Slab). */
export function eventPartIn(part: EventPart, slab: Slab): EventPart {
  return {
    personKeys: part.personKeys,
    locationIds: part.locationIds,
    patientIds: part.patientIds,
    providerIds: part.providerIds,
    starts: part.starts,
    days: part.days,
    person: slab.int32(part.person),
    location: slab.int32(part.location),
    patient: slab.int32(part.patient),
    provider: slab.int32(part.provider),
    category: slab.int8(part.category),
    status: slab.int8(part.status),
    start: slab.int32(part.start),
    bookedOn: slab.int32(part.bookedOn),
    durationMin: slab.float64(part.durationMin),
    locationRow: slab.int32(part.locationRow),
  };
}

const COMPLETED = APPOINTMENT_STATUSES.indexOf('completed');

/**
 * A tenant's appointments (`PatientEvent`) as columns: an event is a row index; its person,
 * location, start and booking day are numbers into sorted tables of their distinct texts (so
 * comparing numbers compares texts), its category and status numbers into the model's lists.
 * At 200 locations 4.85 M events were 0.7 GB as objects (≈ 146 bytes each); as columns they are
 * ≈ 38 bytes.
 *
 * Always in one order — by person key, then start (code units), then location id, then the
 * location's own order (`locationRow`: by the person key as ingested, then appointment id). So one
 * person's events at the same second come by location, then appointment id; the appointment ids
 * themselves are not kept.
 */
export class EventRows implements EventTables, EventColumns {
  readonly personKeys: readonly string[];
  readonly locationIds: readonly string[];
  readonly patientIds: readonly string[];
  readonly providerIds: readonly string[];
  readonly starts: readonly string[];
  readonly days: readonly string[];
  readonly person: Int32Array;
  readonly location: Int32Array;
  readonly patient: Int32Array;
  readonly provider: Int32Array;
  readonly category: Int8Array;
  readonly status: Int8Array;
  readonly start: Int32Array;
  readonly bookedOn: Int32Array;
  readonly durationMin: Float64Array;
  readonly locationRow: Int32Array;
  /** Per start number, the number of its day in `days`. */
  readonly startDay: Int32Array;
  /** Where each person's run starts (`personKeys.length + 1` entries), built on first use. */
  private personStarts: Int32Array | null = null;
  /** The rows by location and where each location's start, built on first use (`eventsAt`). */
  private byLocation: { order: Int32Array; starts: Int32Array } | null = null;
  /** Per day number, the first start number on a later day, built on first use. */
  private laterDayStarts: Int32Array | null = null;

  private constructor(tables: EventTables, columns: EventColumns) {
    ({
      personKeys: this.personKeys,
      locationIds: this.locationIds,
      patientIds: this.patientIds,
      providerIds: this.providerIds,
      starts: this.starts,
      days: this.days,
    } = tables);
    ({
      person: this.person,
      location: this.location,
      patient: this.patient,
      provider: this.provider,
      category: this.category,
      status: this.status,
      start: this.start,
      bookedOn: this.bookedOn,
      durationMin: this.durationMin,
      locationRow: this.locationRow,
    } = columns);
    const dayNumbers = numbered(this.days);
    this.startDay = Int32Array.from(this.starts, (start) => dayNumbers.get(start.slice(0, 10)) ?? -1);
  }

  /** No events. */
  static readonly EMPTY: EventRows = EventRows.from([]);

  get length(): number {
    return this.person.length;
  }

  /** The events of `events`, in the one order. */
  static from(events: readonly PatientEvent[]): EventRows {
    // Each event's place in its location's own order, as the stored value keeps them (the codec).
    const locationRow = new Int32Array(events.length);
    const byLocation = Array.from(events.keys()).sort(
      (a, b) =>
        byCodeUnits(events[a]!.locationId, events[b]!.locationId) ||
        byPersonThenStart(events[a]!, events[b]!),
    );
    byLocation.forEach((i, k) => {
      const previous = byLocation[k - 1];
      const sameLocation = previous !== undefined && events[previous]!.locationId === events[i]!.locationId;
      locationRow[i] = sameLocation ? locationRow[previous]! + 1 : 0;
    });
    const tables: EventTables = {
      personKeys: sortedDistinct(events, (e) => e.personKey),
      locationIds: sortedDistinct(events, (e) => e.locationId),
      patientIds: sortedDistinct(events, (e) => e.patientId),
      providerIds: sortedDistinct(events, (e) => e.providerId),
      starts: sortedDistinct(events, (e) => e.startAt),
      days: mergedTables([
        sortedDistinct(events, (e) => e.startAt.slice(0, 10)),
        sortedDistinct(events, (e) => e.bookedOn),
      ]),
    };
    const of = (table: readonly string[]) => {
      const numbers = numbered(table);
      return (text: string | null) => (text === null ? -1 : numbers.get(text)!);
    };
    const [person, location, patient, provider, start, day] = [
      of(tables.personKeys),
      of(tables.locationIds),
      of(tables.patientIds),
      of(tables.providerIds),
      of(tables.starts),
      of(tables.days),
    ];
    const column = (numberOf: (e: PatientEvent) => number) => Int32Array.from(events, numberOf);
    return EventRows.inOrder(tables, {
      person: column((e) => person(e.personKey)),
      location: column((e) => location(e.locationId)),
      patient: column((e) => patient(e.patientId)),
      provider: column((e) => provider(e.providerId)),
      category: Int8Array.from(events, (e) => categoryNumber(e.category)),
      status: Int8Array.from(events, (e) => statusNumber(e.status)),
      start: column((e) => start(e.startAt)),
      bookedOn: column((e) => day(e.bookedOn)),
      durationMin: Float64Array.from(events, (e) => e.durationMin),
      locationRow,
    });
  }

  /**
   * One location's events from its stored columns (shared/engine/aggregatesCodec.ts), in its
   * own order (person key, start, appointment id): each text field as an index into `texts`
   * (-1: null; the caller has checked every index), the category and status texts among the
   * model's. No object is made per event, and nothing is sorted: a part is put in the one order
   * with the others (`merged`), which sorts their tables once for all and orders all their rows at
   * once.
   */
  static locationPart(
    locationId: string,
    texts: readonly string[],
    indexes: Record<
      'person' | 'patient' | 'provider' | 'category' | 'status' | 'start' | 'bookedOn',
      Int32Array
    >,
    durationMin: Float64Array,
  ): EventPart {
    const [personKeys, personOf] = distinctTextsOf(texts, indexes.person);
    const [patientIds, patientOf] = distinctTextsOf(texts, indexes.patient);
    const [providerIds, providerOf] = distinctTextsOf(texts, indexes.provider);
    const [starts, startOf] = distinctTextsOf(texts, indexes.start);
    const [bookingDays] = distinctTextsOf(texts, indexes.bookedOn);
    const days = [...new Set([...starts.map((s) => s.slice(0, 10)), ...bookingDays])];
    const dayNumbers = numbered(days);
    const bookedOf = Int32Array.from(texts, (text) => dayNumbers.get(text) ?? -1);
    const n = indexes.person.length;
    // Each text index's number in the model's list (-1: none of them), found once per index.
    const listed = (list: readonly string[]) => {
      const known = new Int8Array(texts.length).fill(-2);
      return (index: number) => {
        if (known[index] === -2) known[index] = list.indexOf(texts[index]!);
        return known[index]!;
      };
    };
    const categoryOf = listed(SERVICE_CATEGORIES);
    const statusOf = listed(APPOINTMENT_STATUSES);
    const columns: EventColumns = {
      person: renumberedColumn(indexes.person, personOf),
      location: new Int32Array(n),
      patient: renumberedColumn(indexes.patient, patientOf),
      provider: renumberedColumn(indexes.provider, providerOf),
      category: new Int8Array(n),
      status: new Int8Array(n),
      start: renumberedColumn(indexes.start, startOf),
      bookedOn: renumberedColumn(indexes.bookedOn, bookedOf),
      durationMin,
      locationRow: Int32Array.from({ length: n }, (_, row) => row),
    };
    for (let i = 0; i < n; i += 1) {
      const category = indexes.category[i]!;
      columns.category[i] = category < 0 ? -1 : categoryOf(category);
      if (category >= 0 && columns.category[i]! < 0)
        throw new Error(`location ${locationId}: an event's category is none of the model's`);
      columns.status[i] = statusOf(indexes.status[i]!);
      if (columns.status[i]! < 0)
        throw new Error(`location ${locationId}: an event's status is none of the model's`);
    }
    const locationIds = n === 0 ? [] : [locationId];
    return { personKeys, locationIds, patientIds, providerIds, starts, days, ...columns };
  }

  /**
   * The events of several sets in the one order: the tenant's from its locations'. Events equal
   * in person, start, location and location row keep the order of `parts`, then their order
   * within a part. `sortedPersonKeys`, when given, is the person table: sorted, every part's
   * among them.
   */
  static merged(parts: readonly EventPart[], sortedPersonKeys?: readonly string[]): EventRows {
    const [only] = parts;
    if (parts.length === 1 && only instanceof EventRows && sortedPersonKeys === undefined) return only;
    const tables: EventTables = {
      personKeys: sortedPersonKeys ?? mergedTables(parts.map((p) => p.personKeys)),
      locationIds: mergedTables(parts.map((p) => p.locationIds)),
      // Only read back as texts, never compared: the parts' tables one after the other.
      patientIds: parts.flatMap((p) => p.patientIds),
      providerIds: parts.flatMap((p) => p.providerIds),
      starts: mergedTables(parts.map((p) => p.starts)),
      days: mergedTables(parts.map((p) => p.days)),
    };
    const numbers = {
      personKeys: numbered(tables.personKeys),
      locationIds: numbered(tables.locationIds),
      starts: numbered(tables.starts),
      days: numbered(tables.days),
    };
    // Each part's numbers in the merged tables.
    let patientsBefore = 0;
    let providersBefore = 0;
    const renumbered = parts.map((part) => {
      const into = {
        person: renumbering(part.personKeys, numbers.personKeys),
        location: renumbering(part.locationIds, numbers.locationIds),
        start: renumbering(part.starts, numbers.starts),
        day: renumbering(part.days, numbers.days),
        patientsBefore,
        providersBefore,
      };
      patientsBefore += part.patientIds.length;
      providersBefore += part.providerIds.length;
      return into;
    });
    // The parts' rows one after the other: only the two columns the order sorts by are made so;
    // the others, the tie's included, are read from the parts (no third copy of every column at once).
    const n = parts.reduce((total, p) => total + p.person.length, 0);
    const person = new Int32Array(n);
    const start = new Int32Array(n);
    const partOf = new Int32Array(n);
    const firstRow = new Int32Array(parts.length);
    let at = 0;
    parts.forEach((part, p) => {
      firstRow[p] = at;
      const into = renumbered[p]!;
      for (let r = 0; r < part.person.length; r += 1, at += 1) {
        person[at] = into.person[part.person[r]!]!;
        start[at] = into.start[part.start[r]!]!;
        partOf[at] = p;
      }
    });
    const locationOf = (i: number) =>
      renumbered[partOf[i]!]!.location[parts[partOf[i]!]!.location[i - firstRow[partOf[i]!]!]!]!;
    const locationRowOf = (i: number) => parts[partOf[i]!]!.locationRow[i - firstRow[partOf[i]!]!]!;
    const order = orderOf(
      tables,
      person,
      start,
      (a, b) => locationOf(a) - locationOf(b) || locationRowOf(a) - locationRowOf(b),
    );
    const columns: EventColumns = {
      person: permuted(person, order),
      location: new Int32Array(n),
      patient: new Int32Array(n),
      provider: new Int32Array(n),
      category: new Int8Array(n),
      status: new Int8Array(n),
      start: permuted(start, order),
      bookedOn: new Int32Array(n),
      durationMin: new Float64Array(n),
      locationRow: new Int32Array(n),
    };
    for (let k = 0; k < n; k += 1) {
      const i = order[k]!;
      const part = parts[partOf[i]!]!;
      const into = renumbered[partOf[i]!]!;
      const r = i - firstRow[partOf[i]!]!;
      columns.location[k] = into.location[part.location[r]!]!;
      columns.locationRow[k] = part.locationRow[r]!;
      columns.patient[k] = part.patient[r]! + into.patientsBefore;
      const provider = part.provider[r]!;
      columns.provider[k] = provider < 0 ? provider : provider + into.providersBefore;
      const bookedOn = part.bookedOn[r]!;
      columns.bookedOn[k] = bookedOn < 0 ? bookedOn : into.day[bookedOn]!;
      columns.category[k] = part.category[r]!;
      columns.status[k] = part.status[r]!;
      columns.durationMin[k] = part.durationMin[r]!;
    }
    return new EventRows(tables, columns);
  }

  /**
   * The same events with each person key replaced by `renamed(key)` (persons unified across
   * systems), in the one order again; these events themselves when no key changes.
   */
  withPersonKeys(renamed: (key: string) => string): EventRows {
    const keys = this.personKeys.map(renamed);
    if (keys.every((key, i) => key === this.personKeys[i])) return this;
    const personKeys = [...new Set(keys)].sort(byCodeUnits);
    const person = renumberedColumn(this.person, renumbering(keys, numbered(personKeys)));
    return EventRows.inOrder({ ...this.tables(), personKeys }, { ...this.columns(), person });
  }

  /** Event `i` as an object (a model's or a test's view; the metrics read the columns). */
  at(i: number): LoadedEvent {
    return {
      locationId: this.locationIdOf(i),
      personKey: this.personKeyOf(i),
      patientId: this.patientIds[this.patient[i]!]!,
      providerId: this.providerIdOf(i),
      category: this.categoryOf(i),
      status: this.statusOf(i),
      startAt: this.startAtOf(i),
      bookedOn: this.bookedOnOf(i),
      durationMin: this.durationMin[i]!,
    };
  }

  /** Every event as an object, in order. */
  toArray(): LoadedEvent[] {
    return Array.from({ length: this.length }, (_, i) => this.at(i));
  }

  /** One location's events as objects, in order: what a model reads of one location. */
  eventsAt(locationId: string): LoadedEvent[] {
    const location = this.locationNumber(locationId);
    if (location < 0) return [];
    // The rows of every location, by location (stable: each in the one order), made on first use:
    // a model asks for one location's events many times (cutoffs, fits), never scanning them all.
    if (this.byLocation === null) {
      const order = stableOrder(this.location, this.locationIds.length, null);
      this.byLocation = { order, starts: runStarts(permuted(this.location, order), this.locationIds.length) };
    }
    const { order, starts } = this.byLocation;
    const events: LoadedEvent[] = [];
    for (let k = starts[location]!; k < starts[location + 1]!; k += 1) events.push(this.at(order[k]!));
    return events;
  }

  personKeyOf(i: number): string {
    return this.personKeys[this.person[i]!]!;
  }

  locationIdOf(i: number): string {
    return this.locationIds[this.location[i]!]!;
  }

  providerIdOf(i: number): string | null {
    const provider = this.provider[i]!;
    return provider < 0 ? null : this.providerIds[provider]!;
  }

  categoryOf(i: number): ServiceCategory | null {
    const category = this.category[i]!;
    return category < 0 ? null : SERVICE_CATEGORIES[category]!;
  }

  statusOf(i: number): AppointmentStatus {
    return APPOINTMENT_STATUSES[this.status[i]!]!;
  }

  isCompleted(i: number): boolean {
    return this.status[i] === COMPLETED;
  }

  startAtOf(i: number): string {
    return this.starts[this.start[i]!]!;
  }

  /** The local date the event starts on. */
  dayOf(i: number): string {
    return this.days[this.startDay[this.start[i]!]!]!;
  }

  bookedOnOf(i: number): string | null {
    const day = this.bookedOn[i]!;
    return day < 0 ? null : this.days[day]!;
  }

  /** Where person number p's events start; `runStart(personKeys.length)` is the event count. */
  runStart(p: number): number {
    this.personStarts ??= runStarts(this.person, this.personKeys.length);
    return this.personStarts[p]!;
  }

  /** The number of a person key, or -1 when it has no events. */
  personNumber(personKey: string): number {
    return numberIn(this.personKeys, personKey);
  }

  /** The number of a location id, or -1 when it has no events. */
  locationNumber(locationId: string): number {
    return numberIn(this.locationIds, locationId);
  }

  /** The first start number whose start is on `day` or later (`starts.length` when none is). */
  startNumberFrom(day: string): number {
    return firstAtOrAfter(this.starts, day);
  }

  /**
   * The first start number on a later day than day number `d` (`starts.length` when none is):
   * the starts are sorted, so their days are too.
   */
  firstStartAfterDay(d: number): number {
    if (this.laterDayStarts === null) {
      const later = new Int32Array(this.days.length);
      let s = 0;
      for (let day = 0; day < this.days.length; day += 1) {
        while (s < this.starts.length && this.startDay[s]! <= day) s += 1;
        later[day] = s;
      }
      this.laterDayStarts = later;
    }
    return this.laterDayStarts[d]!;
  }

  /** One past the last day number whose day is on or before `day`. */
  dayNumberAfter(day: string): number {
    return firstAfter(this.days, day);
  }

  /** Events `a` and `b` in the one order within a person: by start, location, location row. */
  compareWithinPerson(a: number, b: number): number {
    return this.start[a]! - this.start[b]! || tieOrder(this.location, this.locationRow)(a, b);
  }

  private tables(): EventTables {
    const { personKeys, locationIds, patientIds, providerIds, starts, days } = this;
    return { personKeys, locationIds, patientIds, providerIds, starts, days };
  }

  private columns(): EventColumns {
    const { person, location, patient, provider, category, status, start, bookedOn } = this;
    const { durationMin, locationRow } = this;
    return {
      person,
      location,
      patient,
      provider,
      category,
      status,
      start,
      bookedOn,
      durationMin,
      locationRow,
    };
  }

  /** The columns in the one order. */
  private static inOrder(tables: EventTables, columns: EventColumns): EventRows {
    const order = orderOf(
      tables,
      columns.person,
      columns.start,
      tieOrder(columns.location, columns.locationRow),
    );
    if (order.every((i, k) => i === k)) return new EventRows(tables, columns);
    return new EventRows(tables, {
      person: permuted(columns.person, order),
      location: permuted(columns.location, order),
      patient: permuted(columns.patient, order),
      provider: permuted(columns.provider, order),
      category: permuted(columns.category, order),
      status: permuted(columns.status, order),
      start: permuted(columns.start, order),
      bookedOn: permuted(columns.bookedOn, order),
      durationMin: permuted(columns.durationMin, order),
      locationRow: permuted(columns.locationRow, order),
    });
  }
}

/**
 * The rows in the one order: by person, then start (two stable counting sorts: linear), then
 * the few runs of one person starting at the same second by `tie` (location, location row).
 */
function orderOf(
  tables: EventTables,
  person: Int32Array,
  start: Int32Array,
  tie: (a: number, b: number) => number,
): Int32Array {
  const byStart = stableOrder(start, tables.starts.length, null);
  const order = stableOrder(person, tables.personKeys.length, byStart);
  for (let first = 0; first < order.length;) {
    const [p, s] = [person[order[first]!], start[order[first]!]];
    let end = first + 1;
    while (end < order.length && person[order[end]!] === p && start[order[end]!] === s) end += 1;
    if (end - first > 1) {
      // Array.prototype.sort is stable: rows equal in the tie keep their order.
      const run = Array.from(order.subarray(first, end)).sort(tie);
      order.set(run, first);
    }
    first = end;
  }
  return order;
}

/** One person's events at the same start in the one order: by location, then location row. */
function tieOrder(location: Int32Array, locationRow: Int32Array): (a: number, b: number) => number {
  return (a, b) => location[a]! - location[b]! || locationRow[a]! - locationRow[b]!;
}

function categoryNumber(category: ServiceCategory | null): number {
  return category === null ? -1 : SERVICE_CATEGORIES.indexOf(category);
}

function statusNumber(status: AppointmentStatus): number {
  return APPOINTMENT_STATUSES.indexOf(status);
}
