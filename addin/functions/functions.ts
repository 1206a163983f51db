/*
 * The `=CALIPER.*` custom functions as Excel sees them. The JSDoc below is the source of
 * functions.json (scripts/generate-functions-json.ts): ids, parameters and help text. The work
 * is done in caliperFunctions.ts over the connection the Caliper pane stores.
 *
 * Every function takes its identifier first, as the finance plug-ins do (CIQ, FactSet, BDP):
 * KPI(scope, metric, [period], [options…]). The old order KPI(metric, scope, …) still answers
 * the same value for one more version: a call whose first argument is a catalog metric and whose
 * second is not is read in the old order (caliperFunctions.ts, identifierFirst).
 *
 * Arguments shared by several functions:
 * - metric: a catalog id or label, any case, spaces, underscores and dashes alike
 *   ("Net Revenue", "NET_REVENUE", "net revenue" are net_revenue).
 * - options: trailing name=value arguments, one per argument or several separated by ";":
 *   units=K|M (money in thousands / millions), na=error|blank|zero (an absent value as #N/A with
 *   the reason, "" or 0), headers=false (a spill without its header row), and per function
 *   field=…, grain=…, cohort=…. An unknown option or value is #VALUE! listing the accepted ones.
 *   There is no asof= option: POST /api/metrics/batch takes no as-of month (the period carries
 *   one instead: LTM@2024-06, YTD@2024-06, or an Excel date such as CALIPER.ASOF()).
 * - spills: a header row of labels (catalog labels, not ids) unless headers=false; dates as
 *   Excel date serials. A custom function returns them unformatted (a formatted number needs
 *   Excel data types and allowCustomDataForDataTypeAny in functions.json, which the JSDoc
 *   generator does not write), so the sheet formats the column as a date.
 * - period: the metrics.md grammar (2024, 2024-Q1, Q3 2025, Sep-25, FY2024, LTM, YTD@2024-06,
 *   2024-01-01..2024-03-31), the relative forms as CIQ and FactSet mean them, counted from the
 *   data's as-of month — FY0 / FQ0 / CY0 / M0 the latest completed fiscal year, quarter,
 *   calendar year, month, FY-1 the one before, FY1 the current part-year (labelled to date),
 *   LTM-1 a year back, LTM-3M three months back — or an Excel date, which means the twelve
 *   months ending with the month containing that date (LTM@YYYY-MM).
 * - scope: PORTFOLIO or empty; a location id (L1), its name or an unambiguous part of it
 *   ("Charleston"; any case, any dash); a provider as provider:<id>
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
 * One KPI value: a metric for a scope and period, in the metric's unit (dollars, a fraction, a count). The old order KPI(metric, scope, period) is still read (deprecated, one version).
 * @customfunction KPI
 * @param scope PORTFOLIO, a location id, name or part of a name, provider:<id> or <location>/<provider id>.
 * @param metric Metric id or label, any case, e.g. net_revenue or "Net revenue" (see CALIPER.METRICS()).
 * @param [period] 2024, 2024-Q1, 2024-03, FY2024, LTM, FY0 (latest completed fiscal year), FQ0, M0, LTM-1… or an Excel date (the twelve months ending that month); LTM when omitted.
 * @param [options] name=value: field=value|coverage|unit, units=K|M, na=error|blank|zero.
 * @returns The value; #N/A with the reason when there is none (or "" / 0 with na=blank / na=zero).
 */
export async function kpi(
  scope: string,
  metric: string,
  period?: string | number,
  options?: string[],
): Promise<number | string> {
  return caliper().kpi(scope, metric, period, options);
}

/**
 * A metric as a time series: a header row, then one row per period with the Excel date of its first day and the value. The old order SERIES(metric, scope, …) is still read (deprecated, one version).
 * @customfunction SERIES
 * @param scope PORTFOLIO, a location id or name, or a provider.
 * @param metric Metric id or label, e.g. net_revenue.
 * @param start First month: 2024-01, a quarter, a year or an Excel date.
 * @param end Last month: 2024-12, a quarter, a year or an Excel date.
 * @param [options] name=value: grain=month|quarter|year, units=K|M, na=error|blank|zero, headers=false.
 * @returns Rows of period start (a date) and value under a Period / metric label header.
 */
export async function series(
  scope: string,
  metric: string,
  start: string | number,
  end: string | number,
  options?: string[],
): Promise<unknown[][]> {
  return caliper().series(scope, metric, start, end, options);
}

/**
 * Same-store growth over the comparable set of locations. The old order SAMESTORE(period, metric, scope) is still read (deprecated, one version).
 * @customfunction SAMESTORE
 * @param scope PORTFOLIO (or empty) or a location (a period here is read as the old order).
 * @param [period] The period P compared with the same span a year earlier.
 * @param [metric] A same-store metric id or label; same_store_revenue_growth by default.
 * @param [options] name=value: na=error|blank|zero.
 * @returns The growth as a fraction (0.05 = 5 %).
 */
export async function samestore(
  scope: string | number,
  period?: string | number,
  metric?: string,
  options?: string[],
): Promise<number | string> {
  return caliper().samestore(scope, period, metric, options);
}

/**
 * The same-store comparable set: each location, comparable or excluded, with the reason. The old order SAMESTORESET(period, scope) is still read (deprecated, one version).
 * @customfunction SAMESTORESET
 * @param scope PORTFOLIO (or empty) or a location.
 * @param [period] The period P compared with the same span a year earlier.
 * @param [options] name=value: headers=false.
 * @returns A table: Location ID, Name, Status, Reason.
 */
export async function samestoreset(
  scope: string | number,
  period?: string | number,
  options?: string[],
): Promise<unknown[][]> {
  return caliper().samestoreset(scope, period, options);
}

/**
 * Provider P&L of one location: production, compensation, contribution, comp-to-production, revenue per hour.
 * @customfunction PROVIDERS
 * @param location A location id or name.
 * @param period The period.
 * @param [options] name=value: units=K|M, na=error|blank|zero, headers=false.
 * @returns A table with one row per provider of the location, under a header row of metric labels.
 */
export async function providers(
  location: string,
  period: string | number,
  options?: string[],
): Promise<unknown[][]> {
  return caliper().providers(location, period, options);
}

/**
 * Membership KPIs: active members, MRR, churn, ARPM, conversion.
 * @customfunction MEMBERSHIP
 * @param scope PORTFOLIO, a location id or name.
 * @param period The period.
 * @param [options] name=value: field=active_members|mrr|membership_churn_rate|arpm|membership_conversion_rate (that value alone), units=K|M, na=error|blank|zero, headers=false.
 * @returns The field's value, or a Metric / Value table.
 */
export async function membership(
  scope: string,
  period: string | number,
  options?: string[],
): Promise<unknown[][]> {
  return caliper().membership(scope, period, options);
}

/**
 * A location's percentile among its peers (0–100, 100 = best), or the peer cohort. The old order BENCHMARK(metric, scope, period, cohort) is still read (deprecated, one version).
 * @customfunction BENCHMARK
 * @param scope A location id or name.
 * @param metric Metric id or label.
 * @param period The period.
 * @param [options] name=value: cohort=size_band,region,dominant_category,age_band; field=percentile|cohort (the cohort's name and size); na=error|blank|zero; headers=false.
 * @returns The percentile; #N/A with the reason when fewer than 5 peers have a value; with field=cohort, Cohort / Size.
 */
export async function benchmark(
  scope: string,
  metric: string,
  period: string | number,
  options?: string[],
): Promise<unknown[][]> {
  return caliper().benchmark(scope, metric, period, options);
}

/**
 * The portfolio's locations.
 * @customfunction LOCATIONS
 * @param [options] name=value: headers=false.
 * @returns A table of locations with their attributes and data range (dates as Excel dates).
 */
export async function locations(options?: string[]): Promise<unknown[][]> {
  return caliper().locations(options);
}

/**
 * The metric catalog.
 * @customfunction METRICS
 * @param [options] name=value: headers=false.
 * @returns A table: ID, Label, Unit, Family, Scopes, Direction.
 */
export async function metrics(options?: string[]): Promise<unknown[][]> {
  return caliper().metrics(options);
}

/**
 * How a value is computed: formula, operands and the source files and rows it rests on. The old order TRACE(metric, scope, period) is still read (deprecated, one version).
 * @customfunction TRACE
 * @param scope PORTFOLIO, a location id or name, or a provider.
 * @param metric Metric id or label.
 * @param period The period.
 * @param [options] name=value: headers=false.
 * @returns A Field / Value table.
 */
export async function trace(
  scope: string,
  metric: string,
  period: string | number,
  options?: string[],
): Promise<unknown[][]> {
  return caliper().trace(scope, metric, period, options);
}

/**
 * The tenant's as-of month (the latest month with complete data for every open location) as the Excel date of its last day.
 * @customfunction ASOF
 * @returns A date, e.g. 2026-10-31; #N/A when no month is complete.
 */
export async function asof(): Promise<number> {
  return caliper().asof();
}

/**
 * The months with data, as the Excel dates of their first days, from the first month of data to the last.
 * @customfunction PERIODS
 * @param [options] name=value: field=months|first|last|asof (one month alone), headers=false.
 * @returns A Month column of dates.
 */
export async function periods(options?: string[]): Promise<unknown[][]> {
  return caliper().periods(options);
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
