/*
 * The `=CALIPER.*` custom functions as Excel sees them. The JSDoc below is the source of
 * functions.json (scripts/generate-functions-json.ts): ids, parameters and help text. The work
 * is done in caliperFunctions.ts over the connection the Caliper pane stores.
 *
 * Arguments shared by several functions:
 * - period: the metrics.md grammar (2024, 2024-Q1, 2024-03, FY2024, LTM, YTD@2024-06,
 *   2024-01-01..2024-03-31), the roll-forward forms FY0, FY-1, LTM-1, YTD-1 counted back from
 *   the data's as-of month, or an Excel date, which means the twelve months ending with the
 *   month containing that date (LTM@YYYY-MM).
 * - scope: PORTFOLIO or empty; a location id (L1) or name; a provider as provider:<id>
 *   (across all their locations) or <location>/<provider id>; a bare provider id also works.
 */
import { CaliperClient } from '../api/caliperClient';
import { loadConnection, toConnection } from '../api/connectionStore';
import { type CaliperFunctions, createCaliperFunctions } from './caliperFunctions';

let current: { functions: CaliperFunctions; connection: string } | undefined;

/**
 * The functions over the stored connection. It is read on every call (one localStorage read)
 * so a connection saved by the pane applies even when the functions run in their own runtime.
 */
function caliper(): CaliperFunctions {
  const stored = loadConnection();
  const connection = JSON.stringify(stored);
  if (current?.connection !== connection) {
    current = {
      functions: createCaliperFunctions(new CaliperClient(toConnection(stored))),
      connection,
    };
  }
  return current.functions;
}

/** Forgets every cached answer, so the next recalculation asks Caliper again (the pane's refresh). */
export function clearCaliperCache(): void {
  current?.functions.clearCache();
}

/**
 * One KPI value: a metric for a scope and period, in the metric's unit (dollars, a fraction, a count).
 * @customfunction KPI
 * @param metric Metric id, e.g. net_revenue (see CALIPER.METRICS()).
 * @param scope PORTFOLIO, a location id or name, provider:<id> or <location>/<provider id>.
 * @param period 2024, 2024-Q1, 2024-03, FY2024, LTM, FY0, LTM-1… or an Excel date (the twelve months ending that month).
 * @param [options] field=value (default), field=coverage or field=unit.
 * @returns The value; #N/A with the reason when there is none.
 */
export async function kpi(
  metric: string,
  scope: string,
  period: string | number,
  options?: string,
): Promise<number | string> {
  return caliper().kpi(metric, scope, period, options);
}

/**
 * A metric as a time series: one row per period with its label and value, spilled down.
 * @customfunction SERIES
 * @param metric Metric id, e.g. net_revenue.
 * @param scope PORTFOLIO, a location id or name, or a provider.
 * @param start First month: 2024-01, a quarter, a year or an Excel date.
 * @param end Last month: 2024-12, a quarter, a year or an Excel date.
 * @param [grain] month (default), quarter or year.
 * @returns Rows of period label and value.
 */
export async function series(
  metric: string,
  scope: string,
  start: string | number,
  end: string | number,
  grain?: string,
): Promise<unknown[][]> {
  return caliper().series(metric, scope, start, end, grain);
}

/**
 * Same-store growth over the comparable set of locations.
 * @customfunction SAMESTORE
 * @param period The period P compared with the same span a year earlier.
 * @param [metric] A same-store metric id; same_store_revenue_growth by default.
 * @param [scope] PORTFOLIO (default) or a location.
 * @returns The growth as a fraction (0.05 = 5 %).
 */
export async function samestore(period: string | number, metric?: string, scope?: string): Promise<number> {
  return caliper().samestore(period, metric, scope);
}

/**
 * The same-store comparable set: each location, comparable or excluded, with the reason.
 * @customfunction SAMESTORESET
 * @param period The period P compared with the same span a year earlier.
 * @param [scope] PORTFOLIO (default) or a location.
 * @returns A table: location_id, name, status, reason.
 */
export async function samestoreset(period: string | number, scope?: string): Promise<unknown[][]> {
  return caliper().samestoreset(period, scope);
}

/**
 * Provider P&L of one location: production, compensation, contribution, comp-to-production, revenue per hour.
 * @customfunction PROVIDERS
 * @param location A location id or name.
 * @param period The period.
 * @returns A table with one row per provider of the location.
 */
export async function providers(location: string, period: string | number): Promise<unknown[][]> {
  return caliper().providers(location, period);
}

/**
 * Membership KPIs: active members, MRR, churn, ARPM, conversion.
 * @customfunction MEMBERSHIP
 * @param scope PORTFOLIO, a location id or name.
 * @param period The period.
 * @param [field] active_members, mrr, membership_churn_rate, arpm or membership_conversion_rate; all of them when omitted.
 * @returns The field's value, or a metric/value table.
 */
export async function membership(
  scope: string,
  period: string | number,
  field?: string,
): Promise<unknown[][]> {
  return caliper().membership(scope, period, field);
}

/**
 * A location's percentile among its peers (0–100, 100 = best).
 * @customfunction BENCHMARK
 * @param metric Metric id.
 * @param scope A location id or name.
 * @param period The period.
 * @param [cohort] Peer cohort attributes, comma-separated: size_band, region, dominant_category, age_band.
 * @returns The percentile; #N/A with the reason when fewer than 5 peers have a value.
 */
export async function benchmark(
  metric: string,
  scope: string,
  period: string | number,
  cohort?: string,
): Promise<number> {
  return caliper().benchmark(metric, scope, period, cohort);
}

/**
 * The portfolio's locations.
 * @customfunction LOCATIONS
 * @returns A table of locations with their attributes and data range.
 */
export async function locations(): Promise<unknown[][]> {
  return caliper().locations();
}

/**
 * The metric catalog.
 * @customfunction METRICS
 * @returns A table: id, label, unit, family, scopes, direction.
 */
export async function metrics(): Promise<unknown[][]> {
  return caliper().metrics();
}

/**
 * How a value is computed: formula, operands and the source files and rows it rests on.
 * @customfunction TRACE
 * @param metric Metric id.
 * @param scope PORTFOLIO, a location id or name, or a provider.
 * @param period The period.
 * @returns A field/value table.
 */
export async function trace(metric: string, scope: string, period: string | number): Promise<unknown[][]> {
  return caliper().trace(metric, scope, period);
}

/**
 * The patients to call, most money at stake first: nothing booked, seen within the year, by churn risk × value if retained.
 * @customfunction CALLLIST
 * @param scope PORTFOLIO (the top n across the open locations) or a location id or name.
 * @param [n] How many patients, 1 to 500; 25 when omitted.
 * @param [options] as_of=YYYY-MM-DD: the day scored (default: each location's last day of data).
 * @returns A table with a header row: rank, patient ID, last treatment, last visit (a date), provider, days overdue, churn risk, value at risk ($), reasons.
 */
export async function calllist(scope: string, n?: number, options?: string): Promise<unknown[][]> {
  return caliper().calllist(scope, n, options);
}

/**
 * Revenue forecast of the months after the last complete month of data: returning patients, new patients and other revenue, beside last year's same month.
 * @customfunction FORECAST
 * @param scope PORTFOLIO (the sum of the open locations; any left out are listed below the table with the reason) or a location id or name.
 * @param months Months ahead, 1 to 12.
 * @param [category] One service category (neurotoxin, filler, laser, energy_device, body_contouring, skin_treatment, facial, consultation, other_service, uncategorized): its forecast per month.
 * @param [options] as_of=YYYY-MM: the forecast origin, the last month of data read (default: the last complete month).
 * @returns A table with a header row: month (a date), forecast, returning, new patients, other, seasonal naive ($); with a category no other column.
 */
export async function forecast(
  scope: string,
  months: number,
  category?: string,
  options?: string,
): Promise<unknown[][]> {
  return caliper().forecast(scope, months, category, options);
}
