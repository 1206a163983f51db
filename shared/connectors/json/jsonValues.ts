import { z } from 'zod';

/*
 * Vendor values → canonical cell text. Money is not here: every amount is read by money.ts
 * (through jsonMoney.ts, which reports a rejected one on its record) and written with
 * money.ts's centsToMoneyCell.
 */

const DECIMAL_RE = /^-?\d+(?:\.\d+)?$/;

/** A JSON number or a decimal string: how payroll and ads APIs send hours and counts. */
export const decimal = z.union([z.number(), z.string().regex(DECIMAL_RE, 'expected a decimal number')]);

/**
 * Minor units (cents) as a JSON number: Square's `amount`, Stripe's `amount`. Whether it is a
 * whole number within range is money.ts's to judge (jsonMoney.ts reports it with its reason).
 */
export const minorUnits = z.number();

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
