import { type LocalDate, toDayNumber } from '../model/localDate';
import type { MetricContext } from './metricContext';

/**
 * Per-visit or per-patient facts that add up over days (how many visits of a category, how many
 * of them returned or were rebooked, how many new patients a channel brought, their first-year
 * revenue…), summed per location and day once per context and kept as running totals. A
 * workbook asks the same metric for twenty periods and every location; each of those cells is
 * then two look-ups per location instead of a walk over the period's visits.
 *
 * Amounts are counts or whole cents, so the totals are exact (integers below 2^53).
 */
export class DayTotals {
  private firstDayNumber = Number.POSITIVE_INFINITY;
  private lastDayNumber = Number.NEGATIVE_INFINITY;
  /** `location\0measure` → day numbers and amounts, interleaved, until `finish`. */
  private readonly pending = new Map<string, number[]>();
  /** `location\0measure` → Σ of the daily amounts up to and including each day from the first. */
  private readonly totals = new Map<string, Float64Array>();
  private finished = false;
  /** Day → day number: a count adds millions of facts over a few thousand days, each parsed once. */
  private readonly dayNumbers = new Map<LocalDate, number>();

  /** Adds `amount` on `day` at the location to the measure (before `finish`). */
  add(locationId: string, measure: string, day: LocalDate, amount = 1): void {
    if (this.finished) throw new Error('DayTotals is already finished');
    let dayNumber = this.dayNumbers.get(day);
    if (dayNumber === undefined) {
      dayNumber = toDayNumber(day);
      this.dayNumbers.set(day, dayNumber);
    }
    if (dayNumber < this.firstDayNumber) this.firstDayNumber = dayNumber;
    if (dayNumber > this.lastDayNumber) this.lastDayNumber = dayNumber;
    const key = `${locationId}\u0000${measure}`;
    const entries = this.pending.get(key);
    if (entries) entries.push(dayNumber, amount);
    else this.pending.set(key, [dayNumber, amount]);
  }

  /** Turns the amounts into running totals over the days they cover; call once after the last add. */
  finish(): this {
    const length = Math.max(0, this.lastDayNumber - this.firstDayNumber + 1);
    for (const [key, entries] of this.pending) {
      const values = new Float64Array(length);
      for (let i = 0; i < entries.length; i += 2) {
        const index = (entries[i] ?? 0) - this.firstDayNumber;
        values[index] = (values[index] ?? 0) + (entries[i + 1] ?? 0);
      }
      for (let i = 1; i < length; i += 1) values[i] = (values[i] ?? 0) + (values[i - 1] ?? 0);
      this.totals.set(key, values);
    }
    this.pending.clear();
    this.dayNumbers.clear();
    this.finished = true;
    return this;
  }

  /** Σ of the measure over the locations and the days from … to, both included. */
  sum(measure: string, locationIds: readonly string[], from: LocalDate, to: LocalDate): number {
    if (!this.finished) throw new Error('DayTotals.finish() was not called');
    const last = this.lastDayNumber - this.firstDayNumber;
    const start = Math.max(0, toDayNumber(from) - this.firstDayNumber);
    const end = Math.min(last, toDayNumber(to) - this.firstDayNumber);
    if (end < start) return 0;
    let total = 0;
    for (const locationId of locationIds) {
      const values = this.totals.get(`${locationId}\u0000${measure}`);
      if (values) total += (values[end] ?? 0) - (start === 0 ? 0 : (values[start - 1] ?? 0));
    }
    return total;
  }
}

/**
 * What counting ahead costs against one walk over the same days at the same locations: a walk
 * judges the facts one metric needs (one category's visits, one channel), counting judges every
 * fact for every metric of its family. Measured on the demo at 10 and 50 locations (`caliper
 * metrics` for one period walks, a twenty-period workbook counts): about eight.
 */
const COUNTING_WEIGHT = 8;

/**
 * Whether the question about the period at the locations reads the day totals under `key`
 * (MetricContext.countsAhead); else the caller walks the period's facts, which gives the same
 * figures. Walking costs the period's days at each location; counting, every day at every one.
 */
export function readsDayTotals(
  ctx: MetricContext,
  key: string,
  period: { start: LocalDate; end: LocalDate },
  locationIds: readonly string[],
): boolean {
  const walking = Math.max(0, toDayNumber(period.end) - toDayNumber(period.start) + 1) * locationIds.length;
  const counting = ctx.historyDays() * ctx.allLocationIds().length * COUNTING_WEIGHT;
  return ctx.countsAhead(`day_totals\u0000${key}`, walking, counting);
}

/** The day totals of a context under `key`, made on first use by `fill` (called then, once). */
export function dayTotals(ctx: MetricContext, key: string, fill: (totals: DayTotals) => void): DayTotals {
  return ctx.once(`day_totals\u0000${key}`, () => {
    const totals = new DayTotals();
    fill(totals);
    return totals.finish();
  });
}

/**
 * The scopes whose figures are added up ahead: one location (a return there counts) and the
 * whole portfolio (a return anywhere counts). For any other set of locations, null: it is
 * computed fact by fact.
 */
export function countedScope(
  ctx: MetricContext,
  locationIds: readonly string[],
): 'here' | 'portfolio' | null {
  if (locationIds.length === 1) return 'here';
  const all = ctx.allLocationIds();
  if (locationIds.length === all.length && new Set([...all, ...locationIds]).size === all.length)
    return 'portfolio';
  return null;
}
