import type { DailyColumns } from '../engine/aggregatesCodec';
import { Fraction } from '../engine/fraction';
import { type DailyMeasure, parseUnits } from '../engine/measures';
import { Slab } from '../engine/slab';
import { fromDayNumber, type LocalDate, toDayNumber } from '../model/localDate';

/** A measure held in 1/denominator units (measures.ts, inUnits): sparse running totals, exact. */
interface UnitSeries {
  denominator: bigint;
  /** Day indexes with a value, ascending. */
  days: Int32Array;
  /**
   * Σ of the integer values up to and including days[i]: doubles while every total is a safe
   * integer (always, for money in cents over years), else BigInts.
   */
  cumulative: Float64Array | bigint[];
}

/**
 * A measure's running totals over the days from its first to its last non-zero value: before
 * them the total is 0, after them it stays at the last one. Provider series cover the months a
 * provider worked, so half the days of a tenant's series at 50 locations fall outside.
 */
/** One location's series of a provider and measure: whole values as running totals, 1/d units apart. */
interface LocationSeries {
  running: RunningTotals | null;
  units: UnitSeries[] | null;
}

interface RunningTotals {
  /** Day index of totals[0]. */
  offset: number;
  /**
   * 32-bit integers when every total is one (a location's cents, counts and minutes over years
   * nearly always are: half the bytes, 0.1 GB at 200 locations), else doubles. Both read back as
   * the very same numbers.
   */
  totals: Float64Array | Int32Array;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** The totals in the slab, as 32-bit integers when each is one. */
function compact(totals: Float64Array, slab: Slab): Float64Array | Int32Array {
  for (const total of totals) if ((total | 0) !== total) return slab.float64(totals);
  return slab.int32(totals);
}

/**
 * The daily measures of a tenant as prefix sums: any measure over any day range, location
 * set and provider answers in O(locations), which is what lets a workbook of thousands of
 * `=CALIPER.KPI` cells recalculate in milliseconds.
 *
 * A measure stored in 1/d units (`comp.wages/14`: pay periods spread over their days) is kept
 * apart, as exact integer running totals per denominator, and read back as the measure itself:
 * `sum('comp.wages', …)` includes it, and `exactSum` gives the exact fraction that money is
 * rounded from.
 */
export class DailySeries {
  private readonly firstDayNumber: number;
  private readonly length: number;
  /** key → the daily values over every day of the range, until finalize. */
  private readonly raw = new Map<string, Float64Array>();
  /**
   * After finalize: provider and measure → location → its running totals and unit series. A
   * sum over many locations then looks each up by the location id alone (an id the data holds,
   * its hash computed once), not by a key text made anew per location and call.
   */
  private readonly byLocation = new Map<string, Map<string, LocationSeries>>();
  /** key → its location, provider and measure, for `byLocation`. */
  private readonly keyParts = new Map<string, { locationId: string; series: string }>();
  /** key → denominator → [day index, integer value] pairs, until finalize. */
  private readonly pending = new Map<string, Map<number, [number, number][]>>();
  /** First and last day index with a non-zero value, per key. */
  private readonly spans = new Map<string, { first: number; last: number }>();
  private readonly providerLocations = new Map<string, Set<string>>();
  private readonly dayIndexes = new Map<LocalDate, number>();
  /** Keys whose daily values are running totals already (`settle`): they take no further row. */
  private readonly settled = new Set<string>();
  private lastSeries: {
    locationId: string;
    providerId: string;
    /** The measure as the row names it, units included (`comp.wages/14`). */
    rawMeasure: string;
    key: string;
    denominator: number;
  } | null = null;
  private finalized = false;
  /** Where the running totals are kept: they live as long as the series (shared/engine/slab.ts). */
  private readonly slab = new Slab();

  constructor(
    readonly firstDay: LocalDate,
    readonly lastDay: LocalDate,
  ) {
    this.firstDayNumber = toDayNumber(firstDay);
    this.length = Math.max(0, toDayNumber(lastDay) - this.firstDayNumber + 1);
  }

  private static key(locationId: string, providerId: string, measure: string): string {
    return `${locationId}\u0000${providerId}\u0000${measure}`;
  }

  private static seriesKey(providerId: string, measure: string): string {
    return `${providerId}\u0000${measure}`;
  }

  /** The location's series of `key`'s provider and measure, made on first use. */
  private locationSeries(key: string): LocationSeries {
    const { locationId, series } = this.keyParts.get(key)!;
    let locations = this.byLocation.get(series);
    if (locations === undefined) this.byLocation.set(series, (locations = new Map<string, LocationSeries>()));
    let entry = locations.get(locationId);
    if (entry === undefined) locations.set(locationId, (entry = { running: null, units: null }));
    return entry;
  }

  add(row: DailyMeasure): void {
    if (this.finalized) throw new Error('DailySeries is already finalized');
    const index = this.dayIndex(row.day);
    if (index < 0 || index >= this.length) return;
    this.addAt(this.seriesOf(row.locationId, row.providerId, row.measure), index, row.value);
  }

  /**
   * One location's daily measures as columns (as the stored value holds them,
   * `decodeLocationFacts`; every index checked there): row r is provider `texts[providers[r]]`, measure
   * `texts[measures[r]]`, day `texts[days[r]]`, value `values[r]` — added as `add` adds each,
   * without an object per row (14 M rows at 200 locations) and each day text parsed once.
   */
  addColumns(locationId: string, columns: DailyColumns): void {
    if (this.finalized) throw new Error('DailySeries is already finalized');
    const { texts, providers, measures, days, values } = columns;
    const unknown = -0x80000000;
    const dayIndexOf = new Int32Array(texts.length).fill(unknown);
    for (let r = 0; r < values.length; r += 1) {
      const day = days[r]!;
      if (dayIndexOf[day] === unknown) dayIndexOf[day] = this.dayIndex(texts[day]!);
      const index = dayIndexOf[day]!;
      if (index < 0 || index >= this.length) continue;
      const series = this.seriesOf(locationId, texts[providers[r]!]!, texts[measures[r]!]!);
      this.addAt(series, index, values[r]!);
    }
  }

  private addAt(
    { key, denominator }: { key: string; denominator: number },
    index: number,
    value: number,
  ): void {
    if (denominator !== 1 && Number.isSafeInteger(value)) {
      let byDenominator = this.pending.get(key);
      if (!byDenominator) {
        byDenominator = new Map();
        this.pending.set(key, byDenominator);
      }
      const entries = byDenominator.get(denominator);
      if (entries) entries.push([index, value]);
      else byDenominator.set(denominator, [[index, value]]);
    } else {
      let values = this.raw.get(key);
      if (!values) {
        if (this.settled.has(key)) throw new Error(`DailySeries: a row for ${key} after it was settled`);
        values = new Float64Array(this.length);
        this.raw.set(key, values);
      }
      // A value that is not an integer count of its units cannot be exact: kept as a double.
      values[index] = (values[index] ?? 0) + value / denominator;
    }
    if (value !== 0) {
      const span = this.spans.get(key);
      if (!span) this.spans.set(key, { first: index, last: index });
      else {
        if (index < span.first) span.first = index;
        if (index > span.last) span.last = index;
      }
    }
  }

  /** A day's index in the range: the few hundred distinct days of a load are parsed once each. */
  private dayIndex(day: LocalDate): number {
    let index = this.dayIndexes.get(day);
    if (index === undefined) {
      index = toDayNumber(day) - this.firstDayNumber;
      this.dayIndexes.set(day, index);
    }
    return index;
  }

  /**
   * The series a row adds to. Rows come a series at a time (a stored location's measures are
   * ordered by provider, measure and day), so the last one is kept and most rows skip the key.
   */
  private seriesOf(
    locationId: string,
    providerId: string,
    rawMeasure: string,
  ): { key: string; denominator: number } {
    const last = this.lastSeries;
    if (
      last !== null &&
      last.locationId === locationId &&
      last.providerId === providerId &&
      last.rawMeasure === rawMeasure
    )
      return last;
    const { measure, denominator } = parseUnits(rawMeasure);
    const key = DailySeries.key(locationId, providerId, measure);
    if (!this.keyParts.has(key))
      this.keyParts.set(key, {
        locationId: locationId,
        series: DailySeries.seriesKey(providerId, measure),
      });
    if (providerId !== '') {
      const locations = this.providerLocations.get(providerId) ?? new Set<string>();
      locations.add(locationId);
      this.providerLocations.set(providerId, locations);
    }
    this.lastSeries = {
      locationId: locationId,
      providerId: providerId,
      rawMeasure: rawMeasure,
      key,
      denominator,
    };
    return this.lastSeries;
  }

  /**
   * Turns the daily values added so far into running totals now rather than at `finalize`: a
   * load adds one location's rows at a time, and each of its series' dense days (a double per
   * day of the whole range) need not wait for every other location's — at 200 locations they
   * were 230 MB held until the last one. A series settled takes no further row.
   */
  settle(): this {
    for (const [key, values] of this.raw) {
      this.settled.add(key);
      // A series without a non-zero day adds nothing to any sum.
      const span = this.spans.get(key);
      if (span === undefined) continue;
      const totals = values.slice(span.first, span.last + 1);
      for (let i = 1; i < totals.length; i += 1) totals[i] = (totals[i] ?? 0) + (totals[i - 1] ?? 0);
      this.locationSeries(key).running = { offset: span.first, totals: compact(totals, this.slab) };
    }
    this.raw.clear();
    return this;
  }

  /** Turns the daily values into running totals; call once after the last add. */
  finalize(): this {
    this.settle();
    this.settled.clear();
    for (const [key, byDenominator] of this.pending) {
      const series: UnitSeries[] = [];
      for (const [denominator, entries] of [...byDenominator].sort((a, b) => a[0] - b[0])) {
        entries.sort((a, b) => a[0] - b[0]);
        const days: number[] = [];
        const cumulative: bigint[] = [];
        let total = 0n;
        for (const [index, value] of entries) {
          total += BigInt(value);
          if (days[days.length - 1] === index) cumulative[cumulative.length - 1] = total;
          else {
            days.push(index);
            cumulative.push(total);
          }
        }
        const exact = cumulative.every((total) => total <= MAX_SAFE && total >= -MAX_SAFE);
        series.push({
          denominator: BigInt(denominator),
          days: Int32Array.from(days),
          cumulative: exact ? Float64Array.from(cumulative, Number) : cumulative,
        });
      }
      this.locationSeries(key).units = series;
    }
    this.pending.clear();
    this.keyParts.clear();
    this.dayIndexes.clear();
    this.lastSeries = null;
    this.finalized = true;
    return this;
  }

  private static upTo(series: RunningTotals, index: number): number {
    if (index < series.offset) return 0;
    return series.totals[Math.min(index - series.offset, series.totals.length - 1)] ?? 0;
  }

  /** Σ of a unit series' integer values with day index ≤ `index`. */
  private static unitsUpTo(series: UnitSeries, index: number): bigint {
    let low = 0;
    let high = series.days.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((series.days[middle] ?? 0) <= index) low = middle + 1;
      else high = middle;
    }
    if (low === 0) return 0n;
    const total = series.cumulative[low - 1] ?? 0n;
    return typeof total === 'bigint' ? total : BigInt(total);
  }

  private range(from: LocalDate, to: LocalDate): { start: number; end: number } | null {
    if (!this.finalized) throw new Error('DailySeries.finalize() was not called');
    const start = toDayNumber(from) - this.firstDayNumber;
    const end = toDayNumber(to) - this.firstDayNumber;
    if (end < 0 || start >= this.length || end < start) return null;
    return { start, end };
  }

  /**
   * Σ of a measure over [from, to] for the given locations; `providerId` '' means the
   * location-level measure, otherwise the provider's measure at those locations. A double: for
   * money that is not whole cents (compensation), use exactSum.
   */
  sum(
    measure: string,
    locationIds: Iterable<string>,
    from: LocalDate,
    to: LocalDate,
    providerId = '',
  ): number {
    const range = this.range(from, to);
    if (range === null) return 0;
    const locations = this.byLocation.get(DailySeries.seriesKey(providerId, measure));
    if (locations === undefined) return 0;
    let total = 0;
    let units: Fraction | null = null;
    for (const locationId of locationIds) {
      const entry = locations.get(locationId);
      if (entry === undefined) continue;
      const values = entry.running;
      if (values) total += DailySeries.upTo(values, range.end) - DailySeries.upTo(values, range.start - 1);
      if (entry.units) units = DailySeries.unitsSum(entry.units, range, units ?? Fraction.ZERO);
    }
    return units === null ? total : total + units.toNumber();
  }

  /**
   * The same sum as an exact fraction: whole values (cents) add exactly, and values kept in
   * 1/d units add as integers over d. Money is rounded from this, once (metricValue.ts).
   */
  exactSum(
    measure: string,
    locationIds: Iterable<string>,
    from: LocalDate,
    to: LocalDate,
    providerId = '',
  ): Fraction {
    const range = this.range(from, to);
    if (range === null) return Fraction.ZERO;
    const locations = this.byLocation.get(DailySeries.seriesKey(providerId, measure));
    if (locations === undefined) return Fraction.ZERO;
    let dense = 0;
    let exact = Fraction.ZERO;
    for (const locationId of locationIds) {
      const entry = locations.get(locationId);
      if (entry === undefined) continue;
      const values = entry.running;
      if (values) {
        const part = DailySeries.upTo(values, range.end) - DailySeries.upTo(values, range.start - 1);
        // Whole cents stay exact in a double up to 2^53; anything else is taken at its exact value.
        if (Number.isSafeInteger(part) && Number.isSafeInteger(dense + part)) dense += part;
        else exact = exact.plus(Fraction.fromNumber(part));
      }
      if (entry.units) exact = DailySeries.unitsSum(entry.units, range, exact);
    }
    return dense === 0 ? exact : exact.plus(dense);
  }

  private static unitsSum(
    series: readonly UnitSeries[],
    range: { start: number; end: number },
    into: Fraction,
  ): Fraction {
    let total = into;
    for (const s of series) {
      const units = DailySeries.unitsUpTo(s, range.end) - DailySeries.unitsUpTo(s, range.start - 1);
      if (units !== 0n) total = total.plus(Fraction.of(units, s.denominator));
    }
    return total;
  }

  /** The values of one measure per day (for weekday × hour grids); days outside the data are 0. */
  perDay(
    measure: string,
    locationIds: Iterable<string>,
    from: LocalDate,
    to: LocalDate,
  ): Map<LocalDate, number> {
    const out = new Map<LocalDate, number>();
    for (let d = toDayNumber(from); d <= toDayNumber(to); d += 1) {
      const day = fromDayNumber(d);
      out.set(day, this.sum(measure, locationIds, day, day));
    }
    return out;
  }

  /**
   * The first and last day on which a measure has a non-zero value at a location (for the
   * provider, or the location itself with ''), or null when it never has one.
   */
  span(measure: string, locationId: string, providerId = ''): { first: LocalDate; last: LocalDate } | null {
    const span = this.spans.get(DailySeries.key(locationId, providerId, measure));
    if (!span) return null;
    return {
      first: fromDayNumber(this.firstDayNumber + span.first),
      last: fromDayNumber(this.firstDayNumber + span.last),
    };
  }

  /** Locations where the provider has any measure. */
  locationsOfProvider(providerId: string): string[] {
    return [...(this.providerLocations.get(providerId) ?? [])].sort();
  }

  providers(): string[] {
    return [...this.providerLocations.keys()].sort();
  }
}
