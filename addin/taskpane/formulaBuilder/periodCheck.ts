/*
 * The period field, checked live with the core's one period grammar (shared/periods), the
 * same the custom functions and the API use: a refused period shows the grammar's own message,
 * an accepted one the dates it stands for at the data's as-of month.
 */
import {
  dateParts,
  isYearMonth,
  lastDayOfMonth,
  type LocalDate,
  monthOf,
} from '../../../shared/model/localDate';
import { DEFAULT_PERIOD_CONTEXT, parsePeriod, resolvePeriod } from '../../../shared/periods/period';
import { seriesMonthArgument } from '../../functions/arguments';

export type PeriodCheck =
  | {
      ok: true;
      /** e.g. "Dec 2024 – Nov 2025"; null when it needs an as-of month there is none of. */ dates:
        string | null;
    }
  | { ok: false; message: string };

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function monthText(date: LocalDate): string {
  const { year, month } = dateParts(date);
  return `${MONTHS[month - 1] ?? ''} ${year}`;
}

function dayText(date: LocalDate): string {
  return `${dateParts(date).day} ${monthText(date)}`;
}

/** "Nov 2025", "Dec 2024 – Nov 2025", or with days when the span does not follow months. */
export function datesText(start: LocalDate, end: LocalDate): string {
  const wholeMonths = dateParts(start).day === 1 && end === lastDayOfMonth(monthOf(end));
  if (!wholeMonths) return `${dayText(start)} – ${dayText(end)}`;
  return monthText(start) === monthText(end) ? monthText(start) : `${monthText(start)} – ${monthText(end)}`;
}

/**
 * A period typed into the builder. `seriesBound`: the name of a SERIES bound (From, To), which
 * takes only calendar months, quarters, years and date ranges (the function refuses fiscal and
 * to-date forms).
 */
export function checkPeriod(text: string, asOfMonth: string | null, seriesBound?: string): PeriodCheck {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, message: 'A period is required' };
  const parsed = parsePeriod(trimmed);
  if (!parsed.success) return { ok: false, message: parsed.error.message };
  if (seriesBound !== undefined) {
    try {
      seriesMonthArgument(trimmed, seriesBound, 'first');
    } catch (error) {
      return { ok: false, message: error instanceof Error ? error.message : String(error) };
    }
  }
  const context =
    asOfMonth === null || !isYearMonth(asOfMonth)
      ? DEFAULT_PERIOD_CONTEXT
      : { ...DEFAULT_PERIOD_CONTEXT, asOfMonth };
  const resolved = resolvePeriod(parsed.period, context);
  return { ok: true, dates: resolved.success ? datesText(resolved.period.start, resolved.period.end) : null };
}
