/*
 * The preview's cells as text: a value formatted as a person reads it (dollars, a percentage,
 * a count, a date), table cells as the spill holds them, dates shown as dates rather than
 * Excel's serial numbers, an error as `#N/A: why`. The browser test formats the API's answer
 * with these same functions to compare.
 */
import { addDays } from '../../../shared/model/localDate';
import type { CatalogEntry } from '../../api/caliperClient';
import type { BuilderState } from './builderCall';
import type { PreviewCell } from './preview';

export type ValueFormat =
  | { kind: 'usd'; units: '' | 'K' | 'M' }
  | { kind: 'ratio' }
  | { kind: 'count' }
  | { kind: 'number' }
  | { kind: 'date' }
  | { kind: 'text' };

/** Spilled columns that hold Excel dates. */
const DATE_HEADERS = new Set([
  'Period',
  'Month',
  'Opened',
  'Closed',
  'First sale',
  'Last sale',
  'Last visit',
  'First month',
  'Last month',
  'As-of month',
]);

/** A day as Excel's serial (1899-12-30 is 0) back as YYYY-MM-DD. */
export function serialDate(serial: number): string {
  return addDays('1899-12-30', Math.floor(serial));
}

function unitFormat(unit: string | undefined, units: string): ValueFormat {
  if (unit === 'usd') return { kind: 'usd', units: units === 'K' || units === 'M' ? units : '' };
  if (unit === 'ratio') return { kind: 'ratio' };
  if (unit === 'count') return { kind: 'count' };
  return { kind: 'number' };
}

/** How a single-value answer of the builder's call reads. */
export function valueFormat(state: BuilderState, catalog: readonly CatalogEntry[]): ValueFormat {
  const units = state.options.units ?? '';
  const unitOf = (id: string) => catalog.find((m) => m.id === id)?.unit;
  switch (state.fn) {
    case 'KPI':
      if (state.options.field === 'coverage') return { kind: 'ratio' };
      if (state.options.field === 'unit') return { kind: 'text' };
      return unitFormat(unitOf(state.metricId), units);
    case 'SAMESTORE':
      return { kind: 'ratio' };
    case 'MEMBERSHIP':
      return unitFormat(unitOf(state.options.field ?? ''), units);
    case 'ASOF':
      return { kind: 'date' };
    default:
      return { kind: 'number' };
  }
}

const GROUPED = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/** A number formatted as `format` says. */
export function formattedNumber(value: number, format: ValueFormat): string {
  switch (format.kind) {
    case 'usd': {
      const text = `$${GROUPED.format(Math.abs(value))}${format.units}`;
      return value < 0 ? `−${text}` : text;
    }
    case 'ratio':
      return `${(value * 100).toFixed(1)}%`;
    case 'count':
      return GROUPED.format(Math.round(value));
    case 'date':
      return serialDate(value);
    default:
      return GROUPED.format(value);
  }
}

/** One preview cell as text. */
export function cellText(cell: PreviewCell, format: ValueFormat): string {
  if (typeof cell === 'object') return cell.message === '' ? cell.error : `${cell.error}: ${cell.message}`;
  if (typeof cell === 'string') return cell;
  return formattedNumber(cell, format);
}

/** TRACE's Field / Value rows that hold Excel dates. */
const DATE_FIELDS = new Set(['start', 'end']);

/**
 * The format of one cell of a spilled table: dates by their column's header (a Month, a Last
 * visit…) or, in TRACE's Field / Value table, by their row's field; any other number as is.
 */
export function tableCellFormat(
  header: readonly PreviewCell[],
  row: readonly PreviewCell[],
  column: number,
): ValueFormat {
  const title = header[column];
  if (typeof title === 'string' && DATE_HEADERS.has(title)) return { kind: 'date' };
  const traceDate =
    header[0] === 'Field' && column === 1 && typeof row[0] === 'string' && DATE_FIELDS.has(row[0]);
  return traceDate ? { kind: 'date' } : { kind: 'number' };
}
