/*
 * Figures as a person reads them in the pane: $20.6M, 4.2 %, 34,571. Fixed to en-US grouping
 * whatever the browser's locale, so the pane reads like the CLI and the docs.
 */

import { formatCount } from './uploadReport';

const GROUPED = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** 34571 → `34,571`. */
export const countText = formatCount;

/** Dollars, shortened past ten thousand: $20.6M, $845K, $9,870; negative as −$1.2M. */
export function dollarsText(n: number): string {
  const sign = n < 0 ? '−' : '';
  const size = Math.abs(n);
  if (size >= 1e9) return `${sign}$${(size / 1e9).toFixed(1)}B`;
  if (size >= 1e6) return `${sign}$${(size / 1e6).toFixed(1)}M`;
  if (size >= 1e4) return `${sign}$${GROUPED.format(Math.round(size / 1e3))}K`;
  return `${sign}$${GROUPED.format(Math.round(size))}`;
}

/** A fraction as a percentage with one decimal: 0.0421 → `4.2 %`, −0.013 → `−1.3 %`. */
export function percentText(ratio: number): string {
  const text = (Math.abs(ratio) * 100).toFixed(1);
  return `${ratio < 0 && text !== '0.0' ? '−' : ''}${text} %`;
}

/** A figure in its metric unit (usd, ratio, count, hours, minutes). */
export function figureText(value: number, unit: string): string {
  if (unit === 'usd') return dollarsText(value);
  if (unit === 'ratio') return percentText(value);
  if (unit === 'hours') return `${GROUPED.format(Math.round(value * 10) / 10)} h`;
  if (unit === 'minutes') return `${countText(value)} min`;
  return countText(value);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `2025-11` (or a date in it) → `Nov 2025`; anything else as it is. */
export function monthText(month: string): string {
  const match = /^(\d{4})-(\d{2})/.exec(month);
  const name = match === null ? undefined : MONTHS[Number(match[2]) - 1];
  return match === null || name === undefined ? month : `${name} ${match[1]}`;
}
