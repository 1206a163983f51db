import { type LocalDate, monthOf } from '../../model/localDate';
import type { MetricContext } from '../metricContext';
import { revenueAt, visitsAt } from './patientFacts';

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

/** A month as a number: consecutive months are consecutive numbers. */
function monthNumber(day: LocalDate): number {
  const month = monthOf(day);
  return Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
}

/** month number → the figures of the 12-month windows ending with that month. */
type ActivityByMonth = ReadonlyMap<number, MonthlyActivity>;

function countActivity(ctx: MetricContext, locationIds: readonly string[]): ActivityByMonth {
  const months = new Map<string, Set<number>>();
  const cents = new Map<string, Map<number, number>>();
  for (const locationId of new Set(locationIds)) {
    for (const visit of visitsAt(ctx, locationId)) {
      const set = months.get(visit.personKey) ?? new Set<number>();
      set.add(monthNumber(visit.startAt.slice(0, 10)));
      months.set(visit.personKey, set);
    }
    for (const row of revenueAt(ctx, locationId)) {
      const byMonth = cents.get(row.personKey) ?? new Map<number, number>();
      const month = monthNumber(row.day);
      byMonth.set(month, (byMonth.get(month) ?? 0) + row.netCents);
      cents.set(row.personKey, byMonth);
    }
  }
  const byMonth = new Map<number, MonthlyActivity>();
  const at = (month: number): MonthlyActivity => {
    let figures = byMonth.get(month);
    if (!figures) {
      figures = { active: 0, base: 0, retained: 0, retainedCents: 0 };
      byMonth.set(month, figures);
    }
    return figures;
  };
  for (const [person, visited] of months) {
    // The month ends for which the person is active (a visit in the 12 months to it) and in the
    // base (a visit in the 12 months before those): within 23 months after a visit.
    const active = new Set<number>();
    const base = new Set<number>();
    for (const month of visited) {
      for (let end = month; end <= month + 11; end += 1) active.add(end);
      for (let end = month + 12; end <= month + 23; end += 1) base.add(end);
    }
    const revenue = cents.get(person);
    for (const end of active) at(end).active += 1;
    for (const end of base) {
      const figures = at(end);
      figures.base += 1;
      if (!active.has(end)) continue;
      figures.retained += 1;
      if (revenue === undefined) continue;
      for (const [month, amount] of revenue)
        if (month > end - 12 && month <= end) figures.retainedCents += amount;
    }
  }
  return byMonth;
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
  return byMonth.get(monthNumber(end)) ?? { active: 0, base: 0, retained: 0, retainedCents: 0 };
}
