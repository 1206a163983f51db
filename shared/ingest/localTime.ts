/**
 * Turns an instant written with a UTC offset into the wall-clock time of an IANA time zone,
 * because every Caliper date is the location's local date (metrics.md).
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** `2025-03-09T15:30:00-05:00` + `America/Los_Angeles` → `2025-03-09T13:30:00`. */
export function toLocalWallTime(datetimeWithOffset: string, timeZone: string): string {
  const instant = new Date(datetimeWithOffset);
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) parts[part.type] = part.value;
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
}

export function hasOffset(datetime: string): boolean {
  return datetime.length > 19;
}
