/*
 * What a cell hands the custom functions, checked before any request: a malformed argument is
 * `#VALUE!` with the reason, found here and not by a round trip to the API.
 */
import { resolveMetricName } from '../../shared/metrics/catalog';
import type { YearMonth } from '../../shared/model/localDate';
import { addDays, makeYearMonth, monthOf, monthParts } from '../../shared/model/localDate';
import { DEFAULT_PERIOD_CONTEXT, parsePeriod, resolvePeriod } from '../../shared/periods/period';
import { invalidArgument } from './excelErrors';

/** Omitted optional arguments arrive as null or undefined depending on the Excel version. */
function isOmitted(value: unknown): value is null | undefined {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
}

function shown(value: unknown): string {
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : typeof value;
}

export function optionalText(value: unknown, name: string): string | undefined {
  if (isOmitted(value)) return undefined;
  if (typeof value !== 'string') throw invalidArgument(`${name} must be text, got ${shown(value)}`);
  return value.trim();
}

export function requiredText(value: unknown, name: string): string {
  const text = optionalText(value, name);
  if (text === undefined) throw invalidArgument(`${name} is required`);
  return text;
}

/**
 * A metric argument as its catalog id: the id, or the id or label in any case with spaces,
 * underscores and dashes alike ("Net Revenue", "NET_REVENUE" → net_revenue). A name the catalog
 * does not know goes to the API as written, whose #N/A names the closest ids.
 */
export function metricArgument(value: unknown): string {
  const text = requiredText(value, 'metric');
  return resolveMetricName(text) ?? text;
}

/** True when a cell's value names a catalog metric (id or label, forgivingly): old-order detection. */
export function isMetricName(value: unknown): boolean {
  return typeof value === 'string' && value.trim() !== '' && resolveMetricName(value.trim()) !== null;
}

/** True when a cell's value reads as a period (an Excel date or the period grammar): old-order detection. */
export function isPeriodLike(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  return typeof value === 'string' && value.trim() !== '' && parsePeriod(value.trim()).success;
}

/** Excel's serial day 60 is the 1900-02-29 that never was; serials from 61 on are exact. */
const FIRST_EXACT_SERIAL = 61;
const EXCEL_EPOCH = '1899-12-30';
const LAST_SERIAL = 401_768; // 2999-12-31, the grammar's last year

/** The month containing an Excel date serial (the time of day is ignored). */
export function monthOfExcelDate(serial: number, name: string): YearMonth {
  const day = Math.floor(serial);
  if (!Number.isFinite(serial) || day < FIRST_EXACT_SERIAL || day > LAST_SERIAL) {
    throw invalidArgument(`${name} ${serial} is not an Excel date between 1900-03-01 and 2999-12-31`);
  }
  return monthOf(addDays(EXCEL_EPOCH, day));
}

/**
 * A period argument as the API's period text. Text goes through the one period grammar
 * (metrics.md: absolute, to-date and relative forms — FY0 the latest completed fiscal year…); an Excel date is a period end and stands for
 * the twelve months ending with the month containing it (`LTM@YYYY-MM`).
 */
export function periodArgument(value: unknown, name = 'period'): string {
  if (typeof value === 'number') return `LTM@${monthOfExcelDate(value, name)}`;
  const text = requiredText(value, name);
  const parsed = parsePeriod(text);
  if (!parsed.success) throw invalidArgument(parsed.error.message);
  return text;
}

/**
 * A SERIES bound as a calendar month: a month, quarter, calendar year, date range or Excel
 * date; `edge` picks the first or the last month of it. Fiscal and to-date forms depend on
 * tenant settings the add-in does not know, so they are refused rather than guessed.
 */
export function seriesMonthArgument(value: unknown, name: string, edge: 'first' | 'last'): YearMonth {
  if (typeof value === 'number') return monthOfExcelDate(value, name);
  const text = requiredText(value, name);
  const parsed = parsePeriod(text);
  if (!parsed.success) throw invalidArgument(parsed.error.message);
  const kind = parsed.period.kind;
  if (kind !== 'month' && kind !== 'quarter' && kind !== 'calendar_year' && kind !== 'range') {
    throw invalidArgument(
      `${name} "${text}" must be a month (2024-01), quarter (2024-Q1), year (2024), date range or Excel date`,
    );
  }
  const resolved = resolvePeriod(parsed.period, DEFAULT_PERIOD_CONTEXT);
  if (!resolved.success) throw invalidArgument(resolved.error.message);
  return monthOf(edge === 'first' ? resolved.period.start : resolved.period.end);
}

export type Grain = 'month' | 'quarter' | 'year';

const GRAINS: Record<string, Grain> = {
  month: 'month',
  m: 'month',
  quarter: 'quarter',
  q: 'quarter',
  year: 'year',
  y: 'year',
};

export function grainArgument(value: unknown): Grain {
  const text = optionalText(value, 'grain');
  if (text === undefined) return 'month';
  const grain = GRAINS[text.toLowerCase()];
  if (grain === undefined) throw invalidArgument(`grain "${text}" must be month, quarter or year`);
  return grain;
}

/** Longest SERIES: 100 years of months, far beyond any data and well inside one batch. */
const MAX_SERIES_PERIODS = 1200;

/** The period labels of a series, one per grain step from `first` through `last`, in order. */
export function seriesPeriods(first: YearMonth, last: YearMonth, grain: Grain): string[] {
  if (first > last) throw invalidArgument(`start ${first} is after end ${last}`);
  const start = monthParts(first);
  const end = monthParts(last);
  const labels: string[] = [];
  if (grain === 'year') {
    for (let y = start.year; y <= end.year; y++) labels.push(String(y));
  } else if (grain === 'quarter') {
    const quarterOf = (month: number) => Math.floor((month - 1) / 3);
    for (let q = start.year * 4 + quarterOf(start.month); q <= end.year * 4 + quarterOf(end.month); q++) {
      labels.push(`${Math.floor(q / 4)}-Q${(q % 4) + 1}`);
    }
  } else {
    for (let m = start.year * 12 + start.month - 1; m <= end.year * 12 + end.month - 1; m++) {
      labels.push(makeYearMonth(Math.floor(m / 12), (m % 12) + 1));
    }
  }
  if (labels.length > MAX_SERIES_PERIODS) {
    throw invalidArgument(`A series holds at most ${MAX_SERIES_PERIODS} periods, this one ${labels.length}`);
  }
  return labels;
}

/**
 * A scope as written in a cell, before names are looked up:
 * - empty or `PORTFOLIO` → the portfolio;
 * - `provider:<provider id>` → a provider across all their locations;
 * - `<location id or name>/<provider id>` → a provider at one location;
 * - anything else → a location id or name (or, failing that, a provider id or name).
 */
export type ScopeText =
  | { kind: 'portfolio' }
  | { kind: 'named'; name: string }
  | { kind: 'provider'; provider: string; location: string | null };

const PROVIDER_PREFIX = /^provider\s*:\s*(.*)$/i;

export function scopeArgument(value: unknown, name = 'scope'): ScopeText {
  const text = optionalText(value, name);
  if (text === undefined || text.toUpperCase() === 'PORTFOLIO') return { kind: 'portfolio' };
  const prefixed = PROVIDER_PREFIX.exec(text);
  if (prefixed) {
    const provider = (prefixed[1] ?? '').trim();
    if (provider === '') throw invalidArgument(`${name} "${text}" names no provider after "provider:"`);
    return { kind: 'provider', provider, location: null };
  }
  const slash = text.lastIndexOf('/');
  if (slash >= 0) {
    const location = text.slice(0, slash).trim();
    const provider = text.slice(slash + 1).trim();
    if (location === '' || provider === '') {
      throw invalidArgument(`${name} "${text}" must be <location>/<provider id>`);
    }
    return { kind: 'provider', provider, location };
  }
  return { kind: 'named', name: text };
}
