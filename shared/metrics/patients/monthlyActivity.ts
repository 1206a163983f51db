import type { LocalDate } from '../../model/localDate';
import type { MetricContext } from '../metricContext';
import { revenueRowsAt, visitsAt } from './patientFacts';

/**
 * Distinct patients over trailing 12-month windows of whole calendar months, for a set of
 * locations and every month end at once: who visited in the 12 months to it (active), in the
 * 12 months before those (the retention base), in both (retained), and what the retained
 * brought in the last 12. Counting distinct persons does not add up over days, but it does over
 * a person: each person's months with a visit say for which month ends they count. Counted once
 * per context and set of locations, a cell is then a look-up.
 */
export interface MonthlyActivity {
  active: number;
  base: number;
  retained: number;
  retainedCents: number;
}

/** A month as a number: consecutive months are consecutive numbers (`YYYY-MM…` read by its digits). */
function monthNumber(day: string): number {
  const digit = (at: number) => day.charCodeAt(at) - 48;
  const year = digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3);
  return year * 12 + digit(5) * 10 + digit(6) - 1;
}

/** The figures of the 12-month windows ending with each month, from month number `first` on. */
interface ActivityByMonth {
  first: number;
  active: Float64Array;
  base: Float64Array;
  retained: Float64Array;
  retainedCents: Float64Array;
}

/** `value` added to every month from `from` to `to` of a difference array (summed up at the end). */
function addOver(diff: Float64Array, from: number, to: number, value = 1): void {
  diff[from] = (diff[from] ?? 0) + value;
  diff[to + 1] = (diff[to + 1] ?? 0) - value;
}

function countActivity(ctx: MetricContext, locationIds: readonly string[]): ActivityByMonth {
  // Per person, its distinct months with a visit, and its revenue as (month, cents) pairs.
  const months = new Map<string, number[]>();
  const cents = new Map<string, number[]>();
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const locationId of new Set(locationIds)) {
    const events = ctx.data.events;
    for (const visit of visitsAt(ctx, locationId)) {
      const month = monthNumber(events.startAtOf(visit));
      const personKey = events.personKeyOf(visit);
      const visited = months.get(personKey);
      if (visited === undefined) months.set(personKey, [month]);
      else if (!visited.includes(month)) visited.push(month);
      if (month < first) first = month;
      if (month > last) last = month;
    }
    const revenue = ctx.data.revenue;
    for (const row of revenueRowsAt(ctx, locationId)) {
      const personKey = revenue.personKeys[revenue.person[row]!]!;
      const month = monthNumber(revenue.days[revenue.day[row]!]!);
      const pairs = cents.get(personKey);
      if (pairs === undefined) cents.set(personKey, [month, revenue.netCents[row]!]);
      else pairs.push(month, revenue.netCents[row]!);
    }
  }
  // Month ends from the first visit's month to 23 months after the last (its base windows).
  const length = months.size === 0 ? 0 : last - first + 25;
  const active = new Float64Array(length);
  const base = new Float64Array(length);
  const retained = new Float64Array(length);
  const retainedCents = new Float64Array(length);
  for (const [person, visited] of months) {
    visited.sort((a, b) => a - b);
    // The month ends for which the person is active (a visit in the 12 months to it) and in the
    // base (a visit in the 12 months before those): runs of months within 11, resp. 12…23
    // months after a visit. Each run adds one to its months; retained = both, month by month.
    let runStart = visited[0]! - first;
    let runEnd = runStart + 11;
    const activeRuns: number[] = [];
    for (let i = 1; i < visited.length; i += 1) {
      const at = visited[i]! - first;
      if (at <= runEnd + 1) runEnd = at + 11;
      else {
        activeRuns.push(runStart, runEnd);
        runStart = at;
        runEnd = at + 11;
      }
    }
    activeRuns.push(runStart, runEnd);
    const revenue = cents.get(person);
    for (let r = 0; r < activeRuns.length; r += 2) {
      const [from, to] = [activeRuns[r]!, activeRuns[r + 1]!];
      addOver(active, from, to);
      // The base runs are the active runs 12 months later.
      addOver(base, from + 12, to + 12);
    }
    // Retained: month ends in a base run (12 later) and in an active run.
    for (let b = 0; b < activeRuns.length; b += 2) {
      const [baseFrom, baseTo] = [activeRuns[b]! + 12, activeRuns[b + 1]! + 12];
      for (let a = 0; a < activeRuns.length; a += 2) {
        const from = Math.max(baseFrom, activeRuns[a]!);
        const to = Math.min(baseTo, activeRuns[a + 1]!);
        if (from > to) continue;
        addOver(retained, from, to);
        if (revenue === undefined) continue;
        for (let end = from; end <= to; end += 1) {
          let sum = 0;
          for (let p = 0; p < revenue.length; p += 2) {
            const month = revenue[p]! - first;
            if (month > end - 12 && month <= end) sum += revenue[p + 1]!;
          }
          retainedCents[end] = (retainedCents[end] ?? 0) + sum;
        }
      }
    }
  }
  for (const diff of [active, base, retained]) {
    for (let i = 1; i < length; i += 1) diff[i] = (diff[i] ?? 0) + (diff[i - 1] ?? 0);
  }
  return { first, active, base, retained, retainedCents };
}

/** Whether a window of whole months at the locations reads the counts (MetricContext.countsAhead). */
export function readsMonthlyActivity(ctx: MetricContext, locationIds: readonly string[]): boolean {
  // A cohort walks 24 months of the locations' visits; counting walks all of their months once,
  // each person's months into sets, which measured about four times a walk's cost per day.
  return ctx.countsAhead(activityKey(locationIds), 730, ctx.historyDays() * 4);
}

const activityKey = (locationIds: readonly string[]) => `monthly_activity\u0000${locationIds.join('\u0000')}`;

/** The figures of the 12 whole calendar months ending with `end`'s month, at the locations. */
export function monthlyActivity(
  ctx: MetricContext,
  locationIds: readonly string[],
  end: LocalDate,
): MonthlyActivity {
  const byMonth = ctx.once(activityKey(locationIds), () => countActivity(ctx, locationIds));
  const at = monthNumber(end) - byMonth.first;
  if (!(at >= 0 && at < byMonth.active.length)) return { active: 0, base: 0, retained: 0, retainedCents: 0 };
  return {
    active: byMonth.active[at]!,
    base: byMonth.base[at]!,
    retained: byMonth.retained[at]!,
    retainedCents: byMonth.retainedCents[at]!,
  };
}
