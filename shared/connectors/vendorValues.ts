import { isLocalDate } from '../model/localDate';

/**
 * Vendor cell notations turned into the canonical bundle's: money as plain dollars, dates as
 * YYYY-MM-DD, datetimes as YYYY-MM-DDTHH:MM:SS. Each returns null for a cell it cannot read,
 * so the caller reports the row and column; an empty cell is '' (unknown), never an error.
 */

/** Exact decimal arithmetic on cents: vendor money never goes through floating point. */
export function moneyToCents(text: string, decimalComma = false): number | null {
  let t = text.trim().replace(/\s/g, '');
  if (t === '') return null;
  let negative = false;
  // Accounting style `($45.00)` and a leading or trailing minus are all refunds.
  if (/^\(.*\)$/.test(t)) {
    negative = true;
    t = t.slice(1, -1);
  }
  if (t.startsWith('-')) {
    negative = !negative;
    t = t.slice(1);
  } else if (t.endsWith('-')) {
    negative = !negative;
    t = t.slice(0, -1);
  }
  t = t.replace(/^(?:US\$|USD|EUR|GBP|CAD|AUD|[$€£])/i, '').replace(/(?:USD|EUR|GBP|CAD|AUD|[$€£])$/i, '');
  if (t.startsWith('-')) {
    negative = !negative;
    t = t.slice(1);
  }
  const [thousands, decimal] = decimalComma ? ['.', ','] : [',', '.'];
  const m = new RegExp(`^(\\d{1,3}(?:\\${thousands}\\d{3})+|\\d+)?(?:\\${decimal}(\\d+))?$`).exec(t);
  if (!m || (m[1] === undefined && m[2] === undefined)) return null;
  const whole = Number((m[1] ?? '0').split(thousands).join(''));
  const fraction = m[2] ?? '';
  // More than two decimals (Google Ads cost `12.345`) is rounded half up to the cent.
  const cents =
    whole * 100 + Number(fraction.slice(0, 2).padEnd(2, '0')) + (Number(fraction[2] ?? '0') >= 5 ? 1 : 0);
  return negative ? -cents : cents;
}

export function centsToText(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Money cell → canonical dollars text; '' stays ''; null = unreadable. */
export function vendorMoney(text: string, decimalComma = false): string | null {
  if (text.trim() === '') return '';
  const cents = moneyToCents(text, decimalComma);
  return cents === null ? null : centsToText(cents);
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function ymd(year: number, month: number, day: number): string | null {
  const fullYear = year < 100 ? 2000 + year : year;
  const date = `${String(fullYear).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return isLocalDate(date) ? date : null;
}

/**
 * Reads a calendar date written `2026-10-05`, `2026/10/05`, `10/05/2026` (US exports),
 * `05.10.2026` (European Meta exports), `Oct 5, 2026` or `5-Oct-2026`; anything after the
 * date (a time of day) is ignored. '' stays ''; null = unreadable.
 */
export function vendorDate(text: string): string | null {
  const t = text.trim();
  if (t === '') return '';
  let m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:$|[T\s])/.exec(t);
  if (m) return ymd(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4})(?:$|\s)/.exec(t);
  if (m) return ymd(Number(m[3]), Number(m[1]), Number(m[2]));
  m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:$|\s)/.exec(t);
  if (m) return ymd(Number(m[3]), Number(m[2]), Number(m[1]));
  m = /^([A-Za-z]{3})[a-z]*\.? (\d{1,2}),? (\d{4})(?:$|\s)/.exec(t);
  if (m) {
    const month = MONTHS.indexOf(m[1]!.toLowerCase()) + 1;
    return month === 0 ? null : ymd(Number(m[3]), month, Number(m[2]));
  }
  m = /^(\d{1,2})[- ]([A-Za-z]{3})[a-z]*[- ](\d{2}|\d{4})(?:$|\s)/.exec(t);
  if (m) {
    const month = MONTHS.indexOf(m[2]!.toLowerCase()) + 1;
    return month === 0 ? null : ymd(Number(m[3]), month, Number(m[1]));
  }
  return null;
}

/** `9:30 AM`, `09:30`, `14:30:15`, `2:05pm` → `HH:MM:SS`; null = unreadable. */
export function vendorTime(text: string): string | null {
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*([AaPp][Mm])?$/.exec(text.trim());
  if (!m) return null;
  let hour = Number(m[1]);
  const meridiem = m[4]?.toLowerCase();
  if (meridiem !== undefined) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (meridiem === 'pm' ? 12 : 0);
  }
  if (hour > 23 || Number(m[2]) > 59 || Number(m[3] ?? '0') > 59) return null;
  return `${String(hour).padStart(2, '0')}:${m[2]}:${m[3] ?? '00'}`;
}

/**
 * A datetime cell (`10/05/2026 9:30 AM`, `2026-10-05 14:30:00`, `2026-10-05T14:30`), or a
 * date cell plus a separate time cell. '' stays ''; null = unreadable.
 */
export function vendorDateTime(text: string, timeText?: string): string | null {
  const t = text.trim().replace(/^(\d{4}-\d{2}-\d{2})T/, '$1 ');
  if (t === '' && (timeText ?? '').trim() === '') return '';
  const date = vendorDate(t);
  if (date === null || date === '') return null;
  const rest = t.replace(/^\S+(?:\s\d{1,2},?\s\d{4})?[T\s]?/, '').trim();
  const time = vendorTime(rest !== '' ? rest : (timeText ?? '').trim());
  return time === null ? null : `${date}T${time}`;
}

/** Minutes from `45`, `45 min`, `1:30` (h:mm) or `1h 30m`; null = unreadable. */
export function vendorMinutes(text: string): number | null {
  const t = text.trim().toLowerCase();
  let m = /^(\d+)(?:\.0+)?\s*(?:m|min|mins|minutes)?$/.exec(t);
  if (m) return Number(m[1]);
  m = /^(\d+):(\d{2})(?::\d{2})?$/.exec(t);
  if (m) return Number(m[1]) * 60 + Number(m[2]);
  m = /^(?:(\d+)\s*h(?:rs?|ours?)?)?\s*(?:(\d+)\s*m(?:in(?:s|utes)?)?)?$/.exec(t);
  if (m && (m[1] !== undefined || m[2] !== undefined)) return Number(m[1] ?? '0') * 60 + Number(m[2] ?? '0');
  return null;
}

/** Minutes between two canonical local datetimes. */
export function minutesBetween(start: string, end: string): number {
  return Math.round((Date.parse(`${end}Z`) - Date.parse(`${start}Z`)) / 60000);
}

/** `Botox (per unit)` → `botox-per-unit`: a stable code made from a name when the export has none. */
export function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
