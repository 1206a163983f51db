/**
 * The notations vendor exports write, as text: CSV with the vendor's quoting, BOM and line
 * ends, US dates and 12-hour times, dollar amounts with thousands separators. Money is carried
 * as integer cents until it is written, so a rendered file reads back to the same cents.
 */

export interface VendorFile {
  /** Path inside the demo folder, `/`-separated, e.g. `L001/zenoti_appointments.csv`. */
  path: string;
  text: string;
}

export interface CsvStyle {
  /** Quote every cell (Zenoti) instead of only the cells that need it. */
  quoteAll?: boolean;
  /** Start with a UTF-8 byte order mark (Zenoti's Excel-friendly exports). */
  bom?: boolean;
  /** `\r\n` line ends (Windows-made exports). */
  crlf?: boolean;
  /** Lines before the header row, e.g. Google Ads' report title and date range. */
  preamble?: readonly string[];
}

function quote(value: string, always: boolean): string {
  return always || /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvText(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  style: CsvStyle = {},
): string {
  const end = style.crlf ? '\r\n' : '\n';
  const line = (cells: readonly string[]) => cells.map((c) => quote(c, style.quoteAll === true)).join(',');
  const lines = [...(style.preamble ?? []), line(header), ...rows.map(line)];
  return `${style.bom ? '\uFEFF' : ''}${lines.join(end)}${end}`;
}

/** Canonical money text (`-45.00`) → integer cents; '' is 0. */
export function cents(text: string): number {
  if (text === '') return 0;
  const m = /^(-)?(\d+)(?:\.(\d{1,2}))?$/.exec(text);
  if (!m) throw new Error(`not a canonical amount: ${JSON.stringify(text)}`);
  const value = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -value : value;
}

/** 123456 → `1,234.56`: dollars with thousands separators and no sign. */
export function groupedDollars(absCents: number): string {
  const whole = Math.floor(absCents / 100);
  const fraction = String(absCents % 100).padStart(2, '0');
  return `${whole.toLocaleString('en-US')}.${fraction}`;
}

/** 123456 → `$1,234.56`, -4500 → `-$45.00` (Square's notation). */
export function usDollars(centsValue: number): string {
  return `${centsValue < 0 ? '-' : ''}$${groupedDollars(Math.abs(centsValue))}`;
}

/** 4500 → `45.00`, -4500 → `-45.00`: plain dollars (JSON decimal strings, ads costs). */
export function plainDollars(centsValue: number): string {
  return `${centsValue < 0 ? '-' : ''}${Math.floor(Math.abs(centsValue) / 100)}.${String(Math.abs(centsValue) % 100).padStart(2, '0')}`;
}

/** 17550 → 175.5: dollars as a JSON number (Mindbody); exact for cents below 2^53 / 100. */
export function dollarNumber(centsValue: number): number {
  return centsValue / 100;
}

/** `2025-01-02` → `01/02/2025`. */
export function usDate(date: string): string {
  return `${date.slice(5, 7)}/${date.slice(8, 10)}/${date.slice(0, 4)}`;
}

/** `2025-01-02T14:05:00` → `01/02/2025 02:05 PM`. */
export function usDateTime(dateTime: string): string {
  const hour = Number(dateTime.slice(11, 13));
  const h12 = hour % 12 === 0 ? 12 : hour % 12;
  return `${usDate(dateTime.slice(0, 10))} ${String(h12).padStart(2, '0')}:${dateTime.slice(14, 16)} ${hour < 12 ? 'AM' : 'PM'}`;
}

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** `2025-01-02` → `January 2, 2025` (Google Ads' report range). */
export function longDate(date: string): string {
  return `${MONTH_NAMES[Number(date.slice(5, 7)) - 1]} ${Number(date.slice(8, 10))}, ${date.slice(0, 4)}`;
}

/** Canonical local datetime plus minutes, as a canonical local datetime (no time zone involved). */
export function addMinutes(dateTime: string, minutes: number): string {
  const ms = Date.parse(`${dateTime}Z`) + minutes * 60000;
  return new Date(ms).toISOString().slice(0, 19);
}

/** Splits cents into `parts` integer shares that add up exactly (the first ones take the remainder). */
export function splitCents(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const shares = weights.map((w) => Math.trunc((total * w) / sum));
  let rest = total - shares.reduce((a, b) => a + b, 0);
  for (let i = 0; rest !== 0; i = (i + 1) % shares.length) {
    const step = rest > 0 ? 1 : -1;
    shares[i]! += step;
    rest -= step;
  }
  return shares;
}
