import { fromDayNumber, type LocalDate } from '../shared/model/localDate';

/**
 * Canonical cell text for the values the demo writes. Formatting runs millions of times for a
 * 200-location portfolio, so dates and times come from lookup tables instead of Date objects.
 */

/** Integer cents → `1234.50` / `-45.00`: the canonical money notation (no thousands separator). */
export function formatCents(cents: number): string {
  const negative = cents < 0;
  const abs = negative ? -cents : cents;
  const whole = Math.floor(abs / 100);
  const fraction = abs - whole * 100;
  return `${negative ? '-' : ''}${whole}.${fraction < 10 ? '0' : ''}${fraction}`;
}

/** Hundredths → `37.50`: hours in payroll lines. */
export const formatHundredths = formatCents;

const TIME_OF_DAY: readonly string[] = Array.from({ length: 24 * 60 }, (_, minute) => {
  const h = Math.floor(minute / 60);
  const m = minute % 60;
  return `${h < 10 ? '0' : ''}${h}:${m < 10 ? '0' : ''}${m}`;
});

/** Minute of the day → `HH:MM` (shift start and end times). */
export function formatTime(minuteOfDay: number): string {
  return TIME_OF_DAY[minuteOfDay]!;
}

/** Day numbers → `YYYY-MM-DD` for one location's whole simulated span, computed once each. */
export class DayText {
  private readonly texts: LocalDate[] = [];

  constructor(private readonly firstDay: number) {}

  date(day: number): LocalDate {
    const offset = day - this.firstDay;
    if (offset < 0) return fromDayNumber(day);
    let text = this.texts[offset];
    if (text === undefined) {
      text = fromDayNumber(day);
      this.texts[offset] = text;
    }
    return text;
  }

  /** `YYYY-MM-DDTHH:MM:SS` in the location's local time, as the bundle expects (no offset). */
  dateTime(day: number, minuteOfDay: number): string {
    return `${this.date(day)}T${formatTime(minuteOfDay)}:00`;
  }
}
