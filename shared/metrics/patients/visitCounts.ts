import type { PatientEvent } from '../../engine/patientEvents';
import { type LocalDate, toDayNumber } from '../../model/localDate';
import type { MetricContext } from '../metricContext';
import { dayOf, visitsAt } from './patientFacts';

/**
 * Per-visit facts that add up over days (how many visits of a category, how many of them
 * returned, were rebooked…), counted per location and day once per context and kept as
 * running totals: a workbook asks the same metric for twenty periods and every location, and
 * each of those cells is then two look-ups per location instead of a walk over its visits.
 *
 * A count is a whole number of visits, so the totals are exact.
 */
export class VisitCounts {
  private readonly firstDayNumber: number;
  private readonly length: number;
  /** `location\0measure` → Σ of the daily counts up to and including each day index. */
  private readonly totals = new Map<string, Int32Array>();

  constructor(firstDay: LocalDate, lastDay: LocalDate) {
    this.firstDayNumber = toDayNumber(firstDay);
    this.length = Math.max(0, toDayNumber(lastDay) - this.firstDayNumber + 1);
  }

  /** The day's index in the counts (for `add`). */
  indexOf(day: LocalDate): number {
    const index = toDayNumber(day) - this.firstDayNumber;
    if (index < 0 || index >= this.length) throw new Error(`VisitCounts: ${day} is outside the visits' days`);
    return index;
  }

  /** One more visit on the day `index` at the location with the measure (before `finish`). */
  add(locationId: string, measure: string, index: number): void {
    const key = `${locationId}\u0000${measure}`;
    let counts = this.totals.get(key);
    if (!counts) {
      counts = new Int32Array(this.length);
      this.totals.set(key, counts);
    }
    counts[index] = (counts[index] ?? 0) + 1;
  }

  /** Turns the daily counts into running totals; call once after the last add. */
  finish(): this {
    for (const counts of this.totals.values()) {
      for (let i = 1; i < counts.length; i += 1) counts[i] = (counts[i] ?? 0) + (counts[i - 1] ?? 0);
    }
    return this;
  }

  /** Σ of the measure over the locations and the days from … to, both included. */
  count(measure: string, locationIds: readonly string[], from: LocalDate, to: LocalDate): number {
    const start = Math.max(0, toDayNumber(from) - this.firstDayNumber);
    const end = Math.min(this.length - 1, toDayNumber(to) - this.firstDayNumber);
    if (end < start) return 0;
    let total = 0;
    for (const locationId of locationIds) {
      const counts = this.totals.get(`${locationId}\u0000${measure}`);
      if (counts) total += (counts[end] ?? 0) - (start === 0 ? 0 : (counts[start - 1] ?? 0));
    }
    return total;
  }
}

/**
 * The visit counts of a context under `key`, counted on first use: `counter` (called then, once)
 * answers the function that says which measures each visit adds to.
 */
export function visitCounts(
  ctx: MetricContext,
  key: string,
  counter: () => (visit: PatientEvent, add: (measure: string) => void) => void,
): VisitCounts {
  return ctx.once(`visit_counts\u0000${key}`, () => {
    const count = counter();
    const locationIds = ctx.allLocationIds();
    let first: LocalDate | null = null;
    let last: LocalDate | null = null;
    for (const locationId of locationIds) {
      const visits = visitsAt(ctx, locationId);
      const [head, tail] = [visits[0], visits[visits.length - 1]];
      if (head === undefined || tail === undefined) continue;
      if (first === null || dayOf(head) < first) first = dayOf(head);
      if (last === null || dayOf(tail) > last) last = dayOf(tail);
    }
    const counts = new VisitCounts(first ?? '2000-01-01', last ?? '1999-12-31');
    for (const locationId of locationIds) {
      let index = 0;
      const add = (measure: string) => counts.add(locationId, measure, index);
      for (const visit of visitsAt(ctx, locationId)) {
        index = counts.indexOf(dayOf(visit));
        count(visit, add);
      }
    }
    return counts.finish();
  });
}
