/**
 * The DuckDB baseline's own reading of a period (the contract's "Periods" table in
 * shared/docs/metrics.md), kept apart from shared/periods on purpose: the baseline must not
 * borrow Caliper's code, or the two could only agree. Only the forms the bench asks for.
 */

export interface DateRange {
  /** First day, YYYY-MM-DD. */
  start: string;
  /** Last day, YYYY-MM-DD (inclusive). */
  end: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The last day of a month, YYYY-MM-DD (month 1–12). */
function monthEnd(year: number, month: number): string {
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${pad(month)}-${pad(days)}`;
}

/** The month `count` months after (before, when negative) year-month. */
function addMonths(year: number, month: number, count: number): [number, number] {
  const index = year * 12 + (month - 1) + count;
  return [Math.floor(index / 12), (index % 12) + 1];
}

/**
 * `asOfMonth` is YYYY-MM: the latest month every open location has complete data for (the
 * contract's as-of month), needed by LTM and YTD only.
 */
export function periodRange(text: string, asOfMonth: string): DateRange {
  const [asOfYear, asOfMon] = asOfMonth.split('-').map(Number) as [number, number];
  if (text === 'LTM') {
    const [y, m] = addMonths(asOfYear, asOfMon, -11);
    return { start: `${y}-${pad(m)}-01`, end: monthEnd(asOfYear, asOfMon) };
  }
  if (text === 'YTD') return { start: `${asOfYear}-01-01`, end: monthEnd(asOfYear, asOfMon) };
  let match = /^(\d{4})-(\d{2})$/.exec(text);
  if (match) {
    const [y, m] = [Number(match[1]), Number(match[2])];
    return { start: `${y}-${pad(m)}-01`, end: monthEnd(y, m) };
  }
  match = /^(\d{4})-Q([1-4])$/.exec(text);
  if (match) {
    const [y, q] = [Number(match[1]), Number(match[2])];
    return { start: `${y}-${pad(q * 3 - 2)}-01`, end: monthEnd(y, q * 3) };
  }
  // A calendar year, or a fiscal year with the default January start (the same months).
  match = /^(?:FY)?(\d{4})$/.exec(text);
  if (match) return { start: `${match[1]}-01-01`, end: `${match[1]}-12-31` };
  throw new Error(`The DuckDB baseline reads LTM, YTD, YYYY-MM, YYYY-Qn, YYYY or FYYYYY, not ${text}`);
}

/** The 12 whole months ending at the period's last month (trailing-12-month metrics). */
export function trailingYear(range: DateRange): DateRange {
  const [y, m] = range.end.split('-').map(Number) as [number, number];
  const [startYear, startMonth] = addMonths(y, m, -11);
  return { start: `${startYear}-${pad(startMonth)}-01`, end: range.end };
}
