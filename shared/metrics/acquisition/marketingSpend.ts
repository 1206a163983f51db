import { Fraction } from '../../engine/fraction';
import type { MarketingSpendRow } from '../../model/canonicalBundle';
import {
  daysInclusive,
  firstDayOfMonth,
  isYearMonth,
  lastDayOfMonth,
  type LocalDate,
} from '../../model/localDate';
import type { ResolvedPeriod } from '../../periods/period';
import type { MetricContext } from '../metricContext';
import { channelOf } from './channels';

/** Spend rows by channel id, then by location. */
type SpendIndex = ReadonlyMap<string, ReadonlyMap<string, readonly MarketingSpendRow[]>>;

const indexes = new WeakMap<MetricContext, SpendIndex>();

function spendIndex(ctx: MetricContext): SpendIndex {
  let index = indexes.get(ctx);
  if (!index) {
    const byChannel = new Map<string, Map<string, MarketingSpendRow[]>>();
    for (const row of ctx.data.spend) {
      const channel = channelOf(row.channel);
      if (channel === null) continue;
      const byLocation = byChannel.get(channel) ?? new Map<string, MarketingSpendRow[]>();
      byChannel.set(channel, byLocation);
      const list = byLocation.get(row.location_id);
      if (list) list.push(row);
      else byLocation.set(row.location_id, [row]);
    }
    index = byChannel;
    indexes.set(ctx, index);
  }
  return index;
}

/** The channel ids that have spend rows. */
export function spendChannels(ctx: MetricContext): string[] {
  return [...spendIndex(ctx).keys()];
}

/**
 * The part of one spend row that falls in [start, end]: a day row counts when its day does; a
 * month row (`YYYY-MM`) is spread evenly over its days, so it counts fully in a period that
 * covers the month and pro rata by days in one that covers part of it.
 */
function spendInRange(
  row: MarketingSpendRow,
  start: LocalDate,
  end: LocalDate,
): { cents: Fraction; counts: boolean } {
  if (!isYearMonth(row.date)) {
    const counts = row.date >= start && row.date <= end;
    return { cents: counts ? Fraction.of(row.spend) : Fraction.ZERO, counts };
  }
  const first = firstDayOfMonth(row.date);
  const last = lastDayOfMonth(row.date);
  const from = first > start ? first : start;
  const to = last < end ? last : end;
  if (from > to) return { cents: Fraction.ZERO, counts: false };
  // Exact: days covered / days in the month of the row's cents, never a rounded double.
  return {
    cents: Fraction.of(row.spend).times(daysInclusive(from, to)).dividedBy(daysInclusive(first, last)),
    counts: true,
  };
}

/**
 * Spend of one channel at the given locations in the period: exact cents (fractional after
 * proration), the same as a double, and the rows counted.
 */
export function channelSpend(
  ctx: MetricContext,
  channel: string,
  locationIds: readonly string[],
  period: ResolvedPeriod,
): { cents: number; exact: Fraction; rows: number } {
  const byLocation = spendIndex(ctx).get(channel);
  let exact = Fraction.ZERO;
  let rows = 0;
  for (const locationId of locationIds) {
    for (const row of byLocation?.get(locationId) ?? []) {
      const part = spendInRange(row, period.start, period.end);
      if (!part.counts) continue;
      exact = exact.plus(part.cents);
      rows += 1;
    }
  }
  return { cents: exact.toNumber(), exact, rows };
}
