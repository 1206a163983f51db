import { z } from 'zod';

/*
 * Vendor values → canonical cell text. Money is carried as integer cents from the moment it is
 * read so sums and negations are exact; it becomes `1234.50` text only in the canonical cell.
 */

/** Integer cents → canonical money cell (`1234.50`, `-45.00`), no thousands separators. */
export function centsCell(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

const DECIMAL_RE = /^(-)?(\d+)(?:\.(\d+))?$/;

/**
 * Dollars as the vendor sends them — a JSON number (Mindbody `120.5`) or a decimal string
 * (Gusto `"1234.56"`, Meta `"12.3"`) — to cents, rounded half away from zero. Parsing the
 * string's digits avoids binary float error (`0.1 + 0.2`); null when it is not a number.
 */
export function dollarsToCents(value: number | string): number | null {
  const text = typeof value === 'number' ? (Number.isFinite(value) ? value.toFixed(6) : '') : value.trim();
  const m = DECIMAL_RE.exec(text);
  if (!m) return null;
  const fraction = (m[3] ?? '').padEnd(3, '0');
  const cents = Number(m[2]) * 100 + Number(fraction.slice(0, 2)) + (Number(fraction[2]) >= 5 ? 1 : 0);
  return m[1] && cents !== 0 ? -cents : cents;
}

/** A JSON number or a decimal string: how payroll and ads APIs send amounts. */
export const decimal = z.union([z.number(), z.string().regex(DECIMAL_RE, 'expected a decimal number')]);

/** Minor units (cents) as an integer: Square's `amount`, Stripe's `amount`. */
export const minorUnits = z.number().int();

/**
 * Currencies whose minor unit is not 1/100 (Stripe's zero-decimal list and the three-decimal
 * ones): their amounts cannot be read as cents, so a record in one of them is refused.
 */
const NOT_TWO_DECIMAL = new Set(
  'bif clp djf gnf jpy kmf krw mga pyg rwf ugx vnd vuv xaf xof xpf bhd jod kwd omr tnd'.split(' '),
);
export function isTwoDecimalCurrency(code: string): boolean {
  return !NOT_TWO_DECIMAL.has(code.toLowerCase());
}

const DATETIME_RE = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * An API datetime → canonical datetime cell: local wall-clock time is kept as is
 * (`2026-10-05T09:30:00`), an offset is kept so ingest can turn it into the location's time,
 * fractional seconds are dropped. Null when the text is not a datetime.
 */
export function datetimeCell(text: string): string | null {
  const m = DATETIME_RE.exec(text);
  if (!m) return null;
  return `${m[1]}T${m[2]}:${m[3] ?? '00'}${m[4] ?? ''}`;
}

/** True when the datetime is a UTC instant (`Z`), whose calendar date may not be the location's. */
export function isUtcInstant(text: string): boolean {
  return /Z$/.test(text) || /[+-]00:?00$/.test(text);
}

/**
 * The calendar date of a datetime as written: the local date for a local datetime, the date at
 * the stated offset otherwise. Accepts a bare date too. Null when it is neither.
 */
export function dateCell(text: string): string | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return text;
  const m = DATETIME_RE.exec(text);
  return m?.[1] ?? null;
}

/** Unix seconds (Stripe) → a UTC datetime cell. */
export function unixToUtcDatetime(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Minutes between two datetimes that share a form (both local, or both with the same offset). */
export function minutesBetween(start: string, end: string): number | null {
  const a = Date.parse(start.endsWith('Z') || /[+-]\d{2}:?\d{2}$/.test(start) ? start : `${start}Z`);
  const b = Date.parse(end.endsWith('Z') || /[+-]\d{2}:?\d{2}$/.test(end) ? end : `${end}Z`);
  if (Number.isNaN(a) || Number.isNaN(b) || b < a) return null;
  return Math.round((b - a) / 60000);
}

/** Hours → canonical hours cell (up to 4 decimals, no trailing zeros). */
export function hoursCell(hours: number): string {
  return String(Math.round(hours * 10000) / 10000);
}

/** A vendor id as JSON gives it: a number (Mindbody) or a string (everyone else). */
export const vendorId = z.union([z.string().min(1), z.number()]);
