import { M } from '../../engine/measures';
import { isoWeekday } from '../../model/localDate';
import type { ResolvedPeriod } from '../../periods/period';
import type { MetricContext } from '../metricContext';

export interface HeatmapCell {
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  weekday: number;
  hour: number;
  visit_minutes: number;
  available_minutes: number;
  utilization: number;
}

/**
 * Visit and shift minutes of the locations by ISO weekday × hour of day, summed over the
 * period's days, and their ratio. Only cells with shift minutes are returned: a cell with
 * visits but no shift has no capacity to be a share of.
 */
export function utilizationGrid(
  ctx: MetricContext,
  locationIds: readonly string[],
  period: ResolvedPeriod,
): HeatmapCell[] {
  if (locationIds.length === 0) return [];
  const cells: HeatmapCell[] = [];
  const byWeekday = (measure: string): number[] => {
    const totals = [0, 0, 0, 0, 0, 0, 0];
    for (const [day, minutes] of ctx.data.daily.perDay(measure, locationIds, period.start, period.end)) {
      totals[isoWeekday(day) - 1] = (totals[isoWeekday(day) - 1] ?? 0) + minutes;
    }
    return totals;
  };
  const visitByHour = Array.from({ length: 24 }, (_, hour) => byWeekday(M.heatVisitMinutes(hour)));
  const shiftByHour = Array.from({ length: 24 }, (_, hour) => byWeekday(M.heatShiftMinutes(hour)));
  for (let weekday = 1; weekday <= 7; weekday += 1) {
    for (let hour = 0; hour < 24; hour += 1) {
      const available = shiftByHour[hour]?.[weekday - 1] ?? 0;
      if (available <= 0) continue;
      const visit = visitByHour[hour]?.[weekday - 1] ?? 0;
      cells.push({
        weekday,
        hour,
        visit_minutes: visit,
        available_minutes: available,
        utilization: visit / available,
      });
    }
  }
  return cells;
}
