import {
  byCodeUnits,
  firstAfter,
  firstAtOrAfter,
  mergedTables,
  numbered,
  numberIn,
  permuted,
  renumbering,
  runStarts,
  sortedDistinct,
  sortedTextsOf,
  stableOrder,
} from './columns';
import type { PatientRevenue } from './patientEvents';
import type { Slab } from './slab';

/**
 * A tenant's net revenue per person, day and location (`PatientRevenue`) as columns: a row is
 * an index, its person, day and location numbers into sorted tables of their distinct texts, its
 * cents a double. At 200 locations 4.9 M rows were 314 MB as objects (64 bytes a row: the object
 * and a pointer in the list); as columns they are 20 bytes a row.
 *
 * Always in one order — by person key (code units), then day, rows of the same person and day
 * in the order they came — and each table sorted by code units, so comparing two rows' numbers
 * compares their texts: a day window is a range of day numbers, a person's rows one run.
 */
export class RevenueRows {
  /** Where each person's run starts (`personKeys.length + 1` entries), built on first use. */
  private starts: Int32Array | null = null;

  private constructor(
    /** Distinct person keys, sorted; `person[i]` indexes into them. */
    readonly personKeys: readonly string[],
    /** Distinct days (`YYYY-MM-DD`), sorted; `day[i]` indexes into them. */
    readonly days: readonly string[],
    /** Distinct location ids, sorted; `location[i]` indexes into them. */
    readonly locationIds: readonly string[],
    readonly person: Int32Array,
    readonly day: Int32Array,
    readonly location: Int32Array,
    /** Whole cents (a double holds every one a store can). */
    readonly netCents: Float64Array,
  ) {}

  /** No rows. */
  static readonly EMPTY: RevenueRows = RevenueRows.from([]);

  get length(): number {
    return this.person.length;
  }

  /** The rows of `rows`, in the one order (a stable sort). */
  static from(rows: readonly PatientRevenue[]): RevenueRows {
    const personKeys = sortedDistinct(rows, (r) => r.personKey);
    const days = sortedDistinct(rows, (r) => r.day);
    const locationIds = sortedDistinct(rows, (r) => r.locationId);
    const numberOf = (table: readonly string[]) => {
      const numbers = numbered(table);
      return (text: string) => numbers.get(text)!;
    };
    const [personOf, dayOf, locationOf] = [numberOf(personKeys), numberOf(days), numberOf(locationIds)];
    const n = rows.length;
    const person = new Int32Array(n);
    const day = new Int32Array(n);
    const location = new Int32Array(n);
    const netCents = new Float64Array(n);
    rows.forEach((r, i) => {
      person[i] = personOf(r.personKey);
      day[i] = dayOf(r.day);
      location[i] = locationOf(r.locationId);
      netCents[i] = r.netCents;
    });
    return RevenueRows.inOrder(personKeys, days, locationIds, person, day, location, netCents);
  }

  /**
   * One location's rows from its stored columns (shared/engine/aggregatesCodec.ts): each row's
   * person and day as an index into `texts`, its cents. No object is made per row.
   */
  static ofLocation(
    locationId: string,
    texts: readonly string[],
    personIndexes: Int32Array,
    dayIndexes: Int32Array,
    cents: Float64Array,
  ): RevenueRows {
    const [personKeys, personOf] = sortedTextsOf(texts, personIndexes);
    const [days, dayOf] = sortedTextsOf(texts, dayIndexes);
    const n = personIndexes.length;
    const person = new Int32Array(n);
    const day = new Int32Array(n);
    for (let i = 0; i < n; i += 1) {
      person[i] = personOf[personIndexes[i]!]!;
      day[i] = dayOf[dayIndexes[i]!]!;
    }
    const locationIds = n === 0 ? [] : [locationId];
    return RevenueRows.inOrder(personKeys, days, locationIds, person, day, new Int32Array(n), cents);
  }

  /**
   * The rows of several sets in the one order: the tenant's revenue from its locations'. Rows
   * of the same person and day keep the order of `parts`, then their order within a part.
   * `sortedPersonKeys`, when given, is the person table: sorted, every part's persons among them.
   */
  static merged(parts: readonly RevenueRows[], sortedPersonKeys?: readonly string[]): RevenueRows {
    if (parts.length === 1 && sortedPersonKeys === undefined) return parts[0]!;
    // A caller that has sorted the persons already (with others: the events') saves sorting them again.
    const personKeys = sortedPersonKeys ?? mergedTables(parts.map((p) => p.personKeys));
    const days = mergedTables(parts.map((p) => p.days));
    const locationIds = mergedTables(parts.map((p) => p.locationIds));
    const n = parts.reduce((total, p) => total + p.length, 0);
    const person = new Int32Array(n);
    const day = new Int32Array(n);
    const location = new Int32Array(n);
    const netCents = new Float64Array(n);
    const [personNumbers, dayNumbers, locationNumbers] = [
      numbered(personKeys),
      numbered(days),
      numbered(locationIds),
    ];
    let at = 0;
    for (const part of parts) {
      const personOf = renumbering(part.personKeys, personNumbers);
      const dayOf = renumbering(part.days, dayNumbers);
      const locationOf = renumbering(part.locationIds, locationNumbers);
      for (let i = 0; i < part.length; i += 1, at += 1) {
        person[at] = personOf[part.person[i]!]!;
        day[at] = dayOf[part.day[i]!]!;
        location[at] = locationOf[part.location[i]!]!;
        netCents[at] = part.netCents[i]!;
      }
    }
    return RevenueRows.inOrder(personKeys, days, locationIds, person, day, location, netCents);
  }

  /** The same rows with their columns copied into `slab`, the tables shared (see Slab). */
  copiedInto(slab: Slab): RevenueRows {
    return new RevenueRows(
      this.personKeys,
      this.days,
      this.locationIds,
      slab.int32(this.person),
      slab.int32(this.day),
      slab.int32(this.location),
      slab.float64(this.netCents),
    );
  }

  /**
   * The same rows with each person key replaced by `renamed(key)` (persons unified across
   * systems), in the one order again; these rows themselves when no key changes.
   */
  withPersonKeys(renamed: (key: string) => string): RevenueRows {
    const keys = this.personKeys.map(renamed);
    if (keys.every((key, i) => key === this.personKeys[i])) return this;
    const personKeys = [...new Set(keys)].sort(byCodeUnits);
    const personOf = renumbering(keys, numbered(personKeys));
    const person = this.person.map((p) => personOf[p]!);
    return RevenueRows.inOrder(
      personKeys,
      this.days,
      this.locationIds,
      person,
      this.day,
      this.location,
      this.netCents,
    );
  }

  /** Row `i` as an object (a test's or a report's view; the metrics read the columns). */
  at(i: number): PatientRevenue {
    return {
      locationId: this.locationIds[this.location[i]!]!,
      personKey: this.personKeys[this.person[i]!]!,
      day: this.days[this.day[i]!]!,
      netCents: this.netCents[i]!,
    };
  }

  /** Every row as an object, in order. */
  toArray(): PatientRevenue[] {
    return Array.from({ length: this.length }, (_, i) => this.at(i));
  }

  /** Where person number p's rows start; `runStart(personKeys.length)` is the row count. */
  runStart(p: number): number {
    this.starts ??= runStarts(this.person, this.personKeys.length);
    return this.starts[p]!;
  }

  /** The number of a person key, or -1 when it has no rows. */
  personNumber(personKey: string): number {
    return numberIn(this.personKeys, personKey);
  }

  /** The first day number whose day is on or after `day` (`days.length` when none is). */
  dayNumberFrom(day: string): number {
    return firstAtOrAfter(this.days, day);
  }

  /** One past the last day number whose day is on or before `day`. */
  dayNumberAfter(day: string): number {
    return firstAfter(this.days, day);
  }

  /** The number of a location id, or -1 when it has no rows. */
  locationNumber(locationId: string): number {
    return numberIn(this.locationIds, locationId);
  }

  /**
   * The columns reordered by person, then day, stably: two counting sorts (by day, then by
   * person, each stable) — linear in the rows, where a comparison sort of millions was seconds.
   */
  private static inOrder(
    personKeys: readonly string[],
    days: readonly string[],
    locationIds: readonly string[],
    person: Int32Array,
    day: Int32Array,
    location: Int32Array,
    netCents: Float64Array,
  ): RevenueRows {
    const byDay = stableOrder(day, days.length, null);
    const order = stableOrder(person, personKeys.length, byDay);
    return new RevenueRows(
      personKeys,
      days,
      locationIds,
      permuted(person, order),
      permuted(day, order),
      permuted(location, order),
      permuted(netCents, order),
    );
  }
}
