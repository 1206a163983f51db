/**
 * Money is held as integer cents everywhere inside Caliper so sums are exact; dollars with
 * two decimals appear only at the edges (input files, API output, Excel).
 */
export type Cents = number;

const DOLLARS_RE = /^(-)?(\d{1,13})(?:\.(\d{1,2}))?$/;

/**
 * Parses the canonical bundle's money notation: dollars with up to two decimals, negative for
 * refunds (`1234.5`, `-45.00`). Returns null for anything else, so the caller can report the
 * cell; currency symbols and thousands separators belong to vendor connectors, not here.
 */
export function parseDollarsToCents(text: string): Cents | null {
  const m = DOLLARS_RE.exec(text);
  if (!m) return null;
  const whole = Number(m[2]);
  const fraction = Number((m[3] ?? '').padEnd(2, '0'));
  const cents = whole * 100 + fraction;
  return m[1] ? -cents : cents;
}

/** Cents → dollars as a number with two decimals (for JSON and Excel). */
export function centsToDollars(cents: Cents): number {
  return cents / 100;
}

/** Cents → `1,234.50` / `-45.00` for human-readable tables. */
export function formatCents(cents: Cents): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const whole = Math.floor(abs / 100).toLocaleString('en-US');
  return `${sign}${whole}.${String(abs % 100).padStart(2, '0')}`;
}
