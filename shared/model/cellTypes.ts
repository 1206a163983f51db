import { z } from 'zod';

import { isLocalDate, isYearMonth } from './localDate';
import { parseDollarsToCents } from './money';

/**
 * How one CSV cell of the canonical bundle is read. Every kind turns the cell's text into a
 * typed value or a machine-readable problem; the problem never repeats the cell's text for
 * the personal kinds (email, phone), so a data-quality report can be shown and logged freely.
 */
export type CellKind =
  | 'id'
  | 'text'
  | 'date'
  | 'datetime'
  | 'date_or_month'
  | 'time'
  | 'money'
  | 'count'
  | 'hours'
  | 'enum'
  | 'timezone'
  | 'email'
  | 'phone';

/** Kinds that hold personal data: normalized, then replaced by a keyed hash at ingest. */
export const PERSONAL_KINDS: ReadonlySet<CellKind> = new Set(['email', 'phone']);

export type CellProblemCode =
  | 'missing_value'
  | 'invalid_id'
  | 'invalid_date'
  | 'invalid_datetime'
  | 'invalid_time'
  | 'invalid_money'
  | 'invalid_number'
  | 'invalid_value'
  | 'invalid_timezone'
  | 'invalid_email'
  | 'invalid_phone'
  | 'inconsistent_row';

export type Parsed<T> = { ok: true; value: T } | { ok: false; code: CellProblemCode; message: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = (code: CellProblemCode, message: string): Parsed<never> => ({ ok: false, code, message });

/** Quote user text in a message without letting a huge cell flood the report. */
export function quoteCell(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}

function parseId(text: string): Parsed<string> {
  if (text.length > 200) return fail('invalid_id', 'identifier longer than 200 characters');
  if ([...text].some((c) => c.charCodeAt(0) < 32))
    return fail('invalid_id', 'identifier contains control characters');
  return ok(text);
}

function parseDate(text: string): Parsed<string> {
  return isLocalDate(text)
    ? ok(text)
    : fail('invalid_date', `${quoteCell(text)} is not a calendar date in YYYY-MM-DD form`);
}

const DATETIME_RE = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * A local datetime `YYYY-MM-DDTHH:MM[:SS]`, normalized to seconds. When the cell carries an
 * offset (`Z`, `+02:00`) the result keeps it (`…T10:00:00-05:00`) so the ingest step, which
 * knows the location's time zone, can turn it into the location's wall-clock time.
 */
function parseDatetime(text: string): Parsed<string> {
  const m = DATETIME_RE.exec(text);
  const date = m?.[1];
  if (!m || date === undefined || !isLocalDate(date)) {
    return fail('invalid_datetime', `${quoteCell(text)} is not a datetime in YYYY-MM-DDTHH:MM[:SS] form`);
  }
  const hour = Number(m[2]);
  const minute = Number(m[3]);
  const second = Number(m[4] ?? '0');
  if (hour > 23 || minute > 59 || second > 59) {
    return fail('invalid_datetime', `${quoteCell(text)} has an impossible time of day`);
  }
  const local = `${date}T${m[2]}:${m[3]}:${m[4] ?? '00'}`;
  const zone = m[5];
  if (zone === undefined) return ok(local);
  if (zone === 'Z') return ok(`${local}+00:00`);
  const digits = zone.replace(':', '');
  const offsetHours = Number(digits.slice(1, 3));
  const offsetMinutes = Number(digits.slice(3, 5));
  if (offsetHours > 14 || offsetMinutes > 59) {
    return fail('invalid_datetime', `${quoteCell(text)} has an impossible UTC offset`);
  }
  return ok(`${local}${digits.slice(0, 3)}:${digits.slice(3, 5)}`);
}

function parseDateOrMonth(text: string): Parsed<string> {
  if (isLocalDate(text) || isYearMonth(text)) return ok(text);
  return fail('invalid_date', `${quoteCell(text)} is neither a day (YYYY-MM-DD) nor a month (YYYY-MM)`);
}

const TIME_RE = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;

function parseTime(text: string): Parsed<string> {
  const m = TIME_RE.exec(text);
  if (!m) return fail('invalid_time', `${quoteCell(text)} is not a time of day in HH:MM form`);
  const hour = Number(m[1]);
  const minute = Number(m[2]);
  const second = Number(m[3] ?? '0');
  // 24:00 closes a shift that runs to midnight.
  const isMidnightEnd = hour === 24 && minute === 0 && second === 0;
  if (!isMidnightEnd && (hour > 23 || minute > 59 || second > 59)) {
    return fail('invalid_time', `${quoteCell(text)} is not a time of day`);
  }
  return ok(`${String(hour).padStart(2, '0')}:${m[2]}:${m[3] ?? '00'}`);
}

function parseMoney(text: string): Parsed<number> {
  const cents = parseDollarsToCents(text);
  return cents === null
    ? fail(
        'invalid_money',
        `${quoteCell(text)} is not an amount in dollars with up to 2 decimals (e.g. 1234.50, -45.00)`,
      )
    : ok(cents);
}

function parseCount(text: string): Parsed<number> {
  if (!/^\d{1,9}$/.test(text)) return fail('invalid_number', `${quoteCell(text)} is not a whole number ≥ 0`);
  return ok(Number(text));
}

function parseHours(text: string): Parsed<number> {
  if (!/^\d{1,6}(\.\d{1,4})?$/.test(text)) {
    return fail('invalid_number', `${quoteCell(text)} is not a number of hours ≥ 0 (up to 4 decimals)`);
  }
  return ok(Number(text));
}

/** True for an IANA time zone name this runtime knows (`America/Chicago`). */
export function isKnownTimeZone(text: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: text });
    return true;
  } catch {
    return false;
  }
}

function parseTimezone(text: string): Parsed<string> {
  return isKnownTimeZone(text)
    ? ok(text)
    : fail('invalid_timezone', `${quoteCell(text)} is not an IANA time zone (e.g. America/Chicago)`);
}

/** Emails are matched lower-cased and trimmed (canonical-bundle.md, Privacy). */
export function normalizeEmail(text: string): string | null {
  const email = text.trim().toLowerCase();
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) ? email : null;
}

/**
 * Phones are matched as E.164 digits. Ten-digit numbers are North American (the market
 * Caliper serves first), so they get country code 1; numbers written with `+` keep theirs.
 */
export function normalizePhone(text: string): string | null {
  const trimmed = text.trim();
  const digits = trimmed.replace(/[\s().\-/]/g, '').replace(/^\+/, '');
  if (!/^\d+$/.test(digits)) return null;
  if (!trimmed.startsWith('+')) {
    if (digits.length === 10) return `+1${digits}`;
    if (digits.length === 11 && digits.startsWith('1')) return `+${digits}`;
    return null;
  }
  return digits.length >= 8 && digits.length <= 15 ? `+${digits}` : null;
}

function parseEmail(text: string): Parsed<string> {
  const email = normalizeEmail(text);
  // The message names the rule, never the value: it is personal data.
  return email === null ? fail('invalid_email', 'not a valid email address (value withheld)') : ok(email);
}

function parsePhone(text: string): Parsed<string> {
  const phone = normalizePhone(text);
  return phone === null
    ? fail('invalid_phone', 'not a phone number that reduces to E.164 digits (value withheld)')
    : ok(phone);
}

export interface ColumnSpec<T, R extends boolean = boolean> {
  kind: CellKind;
  required: R;
  /** For `enum` columns: the accepted values. */
  values?: readonly string[];
  /** Reads the raw cell (undefined when the column is absent): the one definition of a cell's rule. */
  read: (raw: string | undefined) => Parsed<T | null>;
  /** zod schema reading the raw cell, for callers that compose schemas; it calls `read`. */
  schema: z.ZodType<T | null, string | undefined>;
}

interface ProblemParams {
  problem: CellProblemCode;
}

function columnOf<T, R extends boolean>(
  kind: CellKind,
  parse: (text: string) => Parsed<T>,
  required: R,
  values?: readonly string[],
): ColumnSpec<T, R> {
  const read = (raw: string | undefined): Parsed<T | null> => {
    const text = (raw ?? '').trim();
    if (text === '') return required ? fail('missing_value', 'required value is empty') : ok(null);
    if (text.includes('\uFFFD'))
      return fail('invalid_value', 'cell is not valid UTF-8 (save the file as UTF-8)');
    return parse(text);
  };
  const schema = z
    .string()
    .optional()
    .transform((raw, ctx): T | null => {
      const cell = read(raw);
      if (cell.ok) return cell.value;
      ctx.issues.push({
        code: 'custom',
        // A personal cell's text is not carried into the issue (nor into any message).
        input: PERSONAL_KINDS.has(kind) ? undefined : raw,
        message: cell.message,
        params: { problem: cell.code } satisfies ProblemParams,
      });
      return z.NEVER;
    });
  return values === undefined ? { kind, required, read, schema } : { kind, required, values, read, schema };
}

/** Builders for the column kinds; `required` marks the bold columns of canonical-bundle.md. */
export const cells = {
  id: <R extends boolean = false>(required?: R) => columnOf('id', parseId, (required ?? false) as R),
  text: <R extends boolean = false>(required?: R) => columnOf('text', ok, (required ?? false) as R),
  date: <R extends boolean = false>(required?: R) => columnOf('date', parseDate, (required ?? false) as R),
  datetime: <R extends boolean = false>(required?: R) =>
    columnOf('datetime', parseDatetime, (required ?? false) as R),
  dateOrMonth: <R extends boolean = false>(required?: R) =>
    columnOf('date_or_month', parseDateOrMonth, (required ?? false) as R),
  time: <R extends boolean = false>(required?: R) => columnOf('time', parseTime, (required ?? false) as R),
  money: <R extends boolean = false>(required?: R) => columnOf('money', parseMoney, (required ?? false) as R),
  count: <R extends boolean = false>(required?: R) => columnOf('count', parseCount, (required ?? false) as R),
  hours: <R extends boolean = false>(required?: R) => columnOf('hours', parseHours, (required ?? false) as R),
  timezone: <R extends boolean = false>(required?: R) =>
    columnOf('timezone', parseTimezone, (required ?? false) as R),
  email: () => columnOf('email', parseEmail, false),
  phone: () => columnOf('phone', parsePhone, false),
  oneOf: <V extends string, R extends boolean = false>(
    values: readonly V[],
    required?: R,
  ): ColumnSpec<V, R> =>
    columnOf<V, R>(
      'enum',
      (text) => {
        const lower = text.toLowerCase();
        const match = values.find((v) => v === lower);
        return match === undefined
          ? fail('invalid_value', `${quoteCell(text)} is not one of: ${values.join(', ')}`)
          : ok(match);
      },
      (required ?? false) as R,
      values,
    ),
};

export function problemCodeOf(params: unknown): CellProblemCode {
  if (typeof params === 'object' && params !== null && 'problem' in params) {
    return (params as ProblemParams).problem;
  }
  return 'invalid_value';
}
