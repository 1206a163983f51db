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
  // Person by person: the locations' visits and revenue rows in row order, which is by person
  // (then start, resp. day) in the metric data; each person's distinct months with a visit and
  // revenue as (month, cents) pairs are counted in and let go. Lists of every person at once,
  // keyed by person key, were 0.25 GB for the portfolio at 200 locations.
  const events = ctx.data.events;
  const revenue = ctx.data.revenue;
  const unique = [...new Set(locationIds)];
  const visits = rowsInOrder(unique.map((locationId) => visitsAt(ctx, locationId)));
  const revenueRows = rowsInOrder(unique.map((locationId) => revenueRowsAt(ctx, locationId)));
  const monthOfStart = Int32Array.from(events.starts, monthNumber);
  const monthOfDay = Int32Array.from(revenue.days, monthNumber);
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const visit of visits) {
    const month = monthOfStart[events.start[visit]!]!;
    if (month < first) first = month;
    if (month > last) last = month;
  }
  // Month ends from the first visit's month to 23 months after the last (its base windows).
  const length = first > last ? 0 : last - first + 25;
  const active = new Float64Array(length);
  const base = new Float64Array(length);
  const retained = new Float64Array(length);
  const retainedCents = new Float64Array(length);
  const visited: number[] = [];
  const cents: number[] = [];
  let nextRevenue = 0;
  for (let next = 0; next < visits.length;) {
    const p = events.person[visits[next]!]!;
    visited.length = 0;
    for (; next < visits.length && events.person[visits[next]!] === p; next += 1) {
      const month = monthOfStart[events.start[visits[next]!]!]!;
      // By start: a month already met is the last one met.
      if (visited[visited.length - 1] !== month) visited.push(month);
    }
    // The revenue's persons are in the same (person key) order: its rows before this person's are
    // of persons without a visit here.
    cents.length = 0;
    const r = revenue.personNumber(events.personKeys[p]!);
    while (nextRevenue < revenueRows.length && revenue.person[revenueRows[nextRevenue]!]! < r)
      nextRevenue += 1;
    for (
      ;
      nextRevenue < revenueRows.length && revenue.person[revenueRows[nextRevenue]!] === r;
      nextRevenue += 1
    ) {
      const row = revenueRows[nextRevenue]!;
      cents.push(monthOfDay[revenue.day[row]!]!, revenue.netCents[row]!);
    }
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
    for (let a = 0; a < activeRuns.length; a += 2) {
      const [from, to] = [activeRuns[a]!, activeRuns[a + 1]!];
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
        if (cents.length === 0) continue;
        for (let end = from; end <= to; end += 1) {
          let sum = 0;
          for (let c = 0; c < cents.length; c += 2) {
            const month = cents[c]! - first;
            if (month > end - 12 && month <= end) sum += cents[c + 1]!;
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

/** The rows of several lists in one ascending list (the metric data's order). */
function rowsInOrder(lists: readonly Int32Array[]): Int32Array {
  const rows = new Int32Array(lists.reduce((total, list) => total + list.length, 0));
  let at = 0;
  for (const list of lists) {
    rows.set(list, at);
    at += list.length;
  }
  return rows.sort();
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
