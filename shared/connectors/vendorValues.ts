import { isLocalDate } from '../model/localDate';

/**
 * Vendor cell notations turned into the canonical bundle's: dates as YYYY-MM-DD, datetimes as
 * YYYY-MM-DDTHH:MM:SS (money is money.ts's). Each returns null for a cell it cannot read, so the
 * caller reports the row and column; an empty cell is '' (unknown), never an error.
 */

const MONTHS: Readonly<Record<string, number>> = {
  jan: 1,
  january: 1,
  feb: 2,
  february: 2,
  mar: 3,
  march: 3,
  apr: 4,
  april: 4,
  may: 5,
  jun: 6,
  june: 6,
  jul: 7,
  july: 7,
  aug: 8,
  august: 8,
  sep: 9,
  sept: 9,
  september: 9,
  oct: 10,
  october: 10,
  nov: 11,
  november: 11,
  dec: 12,
  december: 12,
};
const WEEKDAYS: Readonly<Record<string, number>> = {
  sun: 0,
  sunday: 0,
  mon: 1,
  monday: 1,
  tue: 2,
  tues: 2,
  tuesday: 2,
  wed: 3,
  wednesday: 3,
  thu: 4,
  thur: 4,
  thurs: 4,
  thursday: 4,
  fri: 5,
  friday: 5,
  sat: 6,
  saturday: 6,
};

function ymd(year: number, month: number, day: number): string | null {
  const fullYear = year < 100 ? 2000 + year : year;
  const date = `${String(fullYear).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return isLocalDate(date) ? date : null;
}

/** A month written as a word: `Mar`, `Mar.`, `March`, `Sept` (never a made-up word such as `Mayday`). */
function monthOf(word: string): number | null {
  return MONTHS[word.toLowerCase().replace(/\.$/, '')] ?? null;
}

/**
 * The date at the start of a cell and what follows it (a time of day); null when the cell does
 * not start with a date, `date: null` when it does but the date is impossible (Feb 30) or its
 * weekday contradicts it (`Tuesday, March 06, 2019` was a Wednesday).
 */
function leadingDate(text: string): { date: string | null; rest: string } | null {
  let t = text.trim();
  let weekday: number | undefined;
  const w = /^([A-Za-z]+)\.?,?\s+/.exec(t);
  if (w && WEEKDAYS[w[1]!.toLowerCase()] !== undefined) {
    weekday = WEEKDAYS[w[1]!.toLowerCase()];
    t = t.slice(w[0].length);
  }
  let date: string | null | undefined;
  let rest = '';
  const take = (m: RegExpExecArray, value: string | null) => {
    date = value;
    rest = t.slice(m[0].length);
  };
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?=$|[T\s])T?/.exec(t))) {
    take(m, ymd(Number(m[1]), Number(m[2]), Number(m[3])));
  } else if ((m = /^(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4})(?=$|\s)/.exec(t))) {
    take(m, ymd(Number(m[3]), Number(m[1]), Number(m[2])));
  } else if ((m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?=$|\s)/.exec(t))) {
    take(m, ymd(Number(m[3]), Number(m[2]), Number(m[1])));
  } else if ((m = /^([A-Za-z]+\.?) (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})(?=$|[\s,])/.exec(t))) {
    const month = monthOf(m[1]!);
    if (month === null) return null;
    take(m, ymd(Number(m[3]), month, Number(m[2])));
  } else if ((m = /^(\d{1,2})[- ]([A-Za-z]+\.?)[- ](\d{2}|\d{4})(?=$|[\s,])/.exec(t))) {
    const month = monthOf(m[2]!);
    if (month === null) return null;
    take(m, ymd(Number(m[3]), month, Number(m[1])));
  }
  if (date === undefined) return null;
  if (date !== null && weekday !== undefined && new Date(`${date}T00:00:00Z`).getUTCDay() !== weekday) {
    return { date: null, rest };
  }
  return { date, rest };
}

/**
 * Reads a calendar date written `2026-10-05`, `2026/10/05`, `10/05/2026` (US exports),
 * `05.10.2026` (European Meta exports), `Oct 5, 2026`, `March 6, 2019`, `Mar. 6th, 2019`,
 * `5-Oct-2026`, `06-Mar-19` or `6 Mar 2019`, optionally after a weekday that must agree with it
 * (`Wednesday, March 06, 2019`, as Mindbody prints dates); anything after the date (a time of
 * day) is ignored. Month words are real month names only. '' stays ''; null = unreadable.
 */
export function vendorDate(text: string): string | null {
  if (text.trim() === '') return '';
  return leadingDate(text)?.date ?? null;
}

/** `9:30 AM`, `09:30`, `14:30:15`, `2:05pm`, `9 AM`, `9:30 a.m.` → `HH:MM:SS`; null = unreadable. */
export function vendorTime(text: string): string | null {
  const m = /^(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?(?:\.\d+)?\s*([AaPp])?(?:\.?\s?[Mm]\.?)?$/.exec(text.trim());
  if (!m) return null;
  // `9` alone is not a time; `9 AM` is. An `M` without `A`/`P` is not a meridiem.
  const hasMeridiem = m[4] !== undefined;
  if (m[2] === undefined && !hasMeridiem) return null;
  if (!hasMeridiem && /[Mm]\.?$/.test(text.trim())) return null;
  let hour = Number(m[1]);
  const minute = m[2] ?? '00';
  if (hasMeridiem) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (m[4]!.toLowerCase() === 'p' ? 12 : 0);
  }
  if (hour > 23 || Number(minute) > 59 || Number(m[3] ?? '0') > 59) return null;
  return `${String(hour).padStart(2, '0')}:${minute}:${m[3] ?? '00'}`;
}

/**
 * A datetime cell (`10/05/2026 9:30 AM`, `2026-10-05 14:30:00`, `2026-10-05T14:30`,
 * `6 Mar 2019 3:45 PM`, `Wednesday, March 06, 2019 6:30 PM`, `March 6, 2019 at 3:45 PM`), or a
 * date cell plus a separate time cell. '' stays ''; null = unreadable.
 */
export function vendorDateTime(text: string, timeText?: string): string | null {
  const t = text.trim();
  if (t === '' && (timeText ?? '').trim() === '') return '';
  const lead = leadingDate(t);
  if (!lead || lead.date === null) return null;
  const rest = lead.rest.replace(/^\s*(?:,\s*)?(?:at\s+|@\s*)?/i, '').trim();
  const time = vendorTime(rest !== '' ? rest : (timeText ?? '').trim());
  return time === null ? null : `${lead.date}T${time}`;
}

/**
 * A time interval in one cell (`9:00 AM - 5:00 PM`, `09:00-17:30`, `9am to 5pm`): start and end
 * as `HH:MM:SS`; null when either side is unreadable. Whether the end is after the start is the
 * caller's to judge (an overnight shift is a row error, not a parse error).
 */
export function vendorTimeRange(text: string): { start: string; end: string } | null {
  const parts = text.trim().split(/\s*(?:[-–—]|\bto\b)\s*/i);
  if (parts.length !== 2) return null;
  const start = vendorTime(parts[0] ?? '');
  const end = vendorTime(parts[1] ?? '');
  return start === null || end === null ? null : { start, end };
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
