import type { DailyMeasure } from '../engine/measures';
import { fromDayNumber, type LocalDate, toDayNumber } from '../model/localDate';

/**
 * The daily measures of a tenant as prefix sums: any measure over any day range, location
 * set and provider answers in O(locations), which is what lets a workbook of thousands of
 * `=CALIPER.KPI` cells recalculate in milliseconds.
 */
export class DailySeries {
  private readonly firstDayNumber: number;
  private readonly length: number;
  private readonly raw = new Map<string, Float64Array>();
  private readonly providerLocations = new Map<string, Set<string>>();
  private finalized = false;

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

  add(row: DailyMeasure): void {
    if (this.finalized) throw new Error('DailySeries is already finalized');
    const index = toDayNumber(row.day) - this.firstDayNumber;
    if (index < 0 || index >= this.length) return;
    const key = DailySeries.key(row.locationId, row.providerId, row.measure);
    let values = this.raw.get(key);
    if (!values) {
      values = new Float64Array(this.length);
      this.raw.set(key, values);
    }
    values[index] = (values[index] ?? 0) + row.value;
    if (row.providerId !== '') {
      const locations = this.providerLocations.get(row.providerId) ?? new Set<string>();
      locations.add(row.locationId);
      this.providerLocations.set(row.providerId, locations);
    }
  }

  /** Turns the daily values into running totals; call once after the last add. */
  finalize(): this {
    for (const values of this.raw.values()) {
      for (let i = 1; i < values.length; i += 1) values[i] = (values[i] ?? 0) + (values[i - 1] ?? 0);
    }
    this.finalized = true;
    return this;
  }

  private upTo(values: Float64Array, index: number): number {
    if (index < 0) return 0;
    return values[Math.min(index, values.length - 1)] ?? 0;
  }

  /**
   * Σ of a measure over [from, to] for the given locations; `providerId` '' means the
   * location-level measure, otherwise the provider's measure at those locations.
   */
  sum(
    measure: string,
    locationIds: Iterable<string>,
    from: LocalDate,
    to: LocalDate,
    providerId = '',
  ): number {
    if (!this.finalized) throw new Error('DailySeries.finalize() was not called');
    const start = toDayNumber(from) - this.firstDayNumber;
    const end = toDayNumber(to) - this.firstDayNumber;
    if (end < 0 || start >= this.length || end < start) return 0;
    let total = 0;
    for (const locationId of locationIds) {
      const values = this.raw.get(DailySeries.key(locationId, providerId, measure));
      if (values) total += this.upTo(values, end) - this.upTo(values, start - 1);
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

  /** Locations where the provider has any measure. */
  locationsOfProvider(providerId: string): string[] {
    return [...(this.providerLocations.get(providerId) ?? [])].sort();
  }

  providers(): string[] {
    return [...this.providerLocations.keys()].sort();
  }
}
