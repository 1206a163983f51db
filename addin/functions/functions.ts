/*
 * The `=CALIPER.*` custom functions as Excel sees them. The JSDoc below is the source of
 * functions.json (scripts/generate-functions-json.ts): ids, parameters, help text and @helpurl.
 * It is also the source of the functions reference, docs/functions.md and the add-in's
 * functions.html (scripts/generate-functions-reference.ts), which reads the tags Excel ignores:
 * @option (name=values, then its meaning), @example (a formula, " — ", what it shows) and
 * @error (the Excel error, the message, " — ", what it means). The work is done in
 * caliperFunctions.ts over the connection the Caliper pane stores.
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
 *   The metric functions take no asof= option (CALLLIST and FORECAST take as_of= for their
 *   models): POST /api/metrics/batch takes no as-of month (the period carries
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
 * One value: a metric for a scope and a period, in the metric's unit (dollars, a fraction, a count), as the API computes it from the uploaded data. An absent value is #N/A with the reason (a location not yet open, a period the data does not cover, a denominator of zero), never a silent 0. The old order KPI(metric, scope, period) is still read for one version.
 * @customfunction KPI
 * @helpurl https://localhost:7071/functions.html#kpi
 * @param scope PORTFOLIO (or empty), a location id (L001), its name or an unambiguous part of it ("Charleston"), provider:<id> (a provider across locations) or <location>/<provider id>.
 * @param metric A catalog metric id or label, any case, spaces, underscores and dashes alike: net_revenue, "Net revenue", NET-REVENUE (the list: CALIPER.METRICS()).
 * @param [period] A period of the grammar (2025, 2025-Q3, Sep-25, FY2025, FY0, FY1, FQ0, M0, LTM, LTM-1, YTD@2025-06, 2025-01-01..2025-03-31) or an Excel date (the twelve months ending with its month); LTM when omitted.
 * @param [options] name=value options, one per argument or joined with ";": field=value|coverage|unit, units=K|M, na=error|blank|zero.
 * @option field=value|coverage|unit What the cell shows: the value (default); its coverage, the share (0 to 1) of the scope's operating days the data covers; or the metric's unit (usd, ratio, count…). A bare "coverage" is read as field=coverage.
 * @option units=K|M Money in thousands (K) or millions (M); ratios and counts are left as they are.
 * @option na=error|blank|zero An absent value as #N/A with the reason (error, the default), an empty cell (blank) or 0 (zero).
 * @example =CALIPER.KPI("L001","net_revenue","FY0") — net revenue of location L001 in the latest completed fiscal year.
 * @example =CALIPER.KPI("Charleston","Rebooking rate","LTM") — the rebooking rate of the one location whose name contains Charleston, over the twelve months ending with the as-of month.
 * @example =CALIPER.KPI("PORTFOLIO","net_revenue","YTD","units=K") — the portfolio's fiscal year to date, in thousands of dollars.
 * @example =CALIPER.KPI("L001","net_revenue",CALIPER.ASOF(),"field=coverage") — how much of L001's last twelve months the data covers.
 * @error #N/A No value for net_revenue 2025 (L008): location L008 was not operating in the period (it opened on 2026-05-24) — the metric has no value for that scope and period; the reason says why (not open, closed, no data for those days, a zero denominator). na=blank or na=zero shows "" or 0 instead.
 * @error #N/A Unknown metric 'net_revenu'; did you mean net_revenue…? — the metric is not in the catalog; the message names the closest ids.
 * @error #N/A Unknown location 'Charleston West' (not a location id or name, nor a provider) — the scope names no location or provider of the tenant.
 * @error #N/A Ambiguous location 'North': 2 locations match (L002 …; L005 …); use the id or the full name — a part of a name matches several locations; up to five candidates are named.
 * @error #VALUE! Unrecognized period "FY25": fiscal years need a four-digit year (FY2025, not FY25); expected one of: … — the period is outside the grammar; the message says why and lists every accepted form.
 * @error #VALUE! Unknown KPI option "unit=K": accepted field=value|coverage|unit, units=K|M, na=error|blank|zero — an option KPI does not take, or (KPI option units "B" is not accepted: units=K|M) a value it does not take.
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
 * A metric as a time series: a header row, then one row per month, quarter or year from start to end, with the Excel date of the period's first day and the value. Each period is one request of the same batch; a period without a value is its own #N/A cell with the reason, so one gap does not hide the rest. The old order SERIES(metric, scope, …) is still read for one version.
 * @customfunction SERIES
 * @helpurl https://localhost:7071/functions.html#series
 * @param scope PORTFOLIO (or empty), a location id, name or unambiguous part of a name, or a provider (provider:<id>, <location>/<provider id>).
 * @param metric A catalog metric id or label, any case, e.g. net_revenue or "Net revenue".
 * @param start The first period: a month (2024-01, Jan-24), a quarter (2024-Q1), a calendar year (2024), a date range or an Excel date; its first month starts the series. Fiscal and to-date forms are refused.
 * @param end The last period, in the same forms as start; its last month ends the series.
 * @param [options] name=value options: grain=month|quarter|year, units=K|M, na=error|blank|zero, headers=false.
 * @option grain=month|quarter|year One row per month (default), calendar quarter or calendar year; m, q and y also work, and a bare "quarter" is read as grain=quarter.
 * @option units=K|M Money in thousands (K) or millions (M); the header says ($K) or ($M). Ratios and counts are left as they are.
 * @option na=error|blank|zero A period without a value as #N/A with the reason (error, the default), an empty cell (blank) or 0 (zero).
 * @option headers=true|false false leaves out the header row (Period, metric label).
 * @example =CALIPER.SERIES("PORTFOLIO","net_revenue","2025-01","2025-12") — the portfolio's net revenue month by month in 2025, under a Period / Net revenue header.
 * @example =CALIPER.SERIES("L001","net_revenue","2023","2026","grain=year","units=K") — L001's net revenue per calendar year, in thousands.
 * @error #N/A (in a cell of the spill) No value for net_revenue 2024-03 (L008): … — that period has no value; the reason says why. The other periods are still shown.
 * @error #VALUE! start "FY0" must be a month (2024-01), quarter (2024-Q1), year (2024), date range or Excel date — start and end must be calendar periods: fiscal and to-date forms depend on settings the add-in does not know.
 * @error #VALUE! start 2025-02 is after end 2025-01 — the series runs backwards.
 * @error #VALUE! A series holds at most 1200 periods, this one … — the range is too long.
 * @error #VALUE! grain "week" must be month, quarter or year — an unknown grain.
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
 * Same-store growth: a same-store metric (revenue growth by default) over the comparable set of locations — those open through both the period and the same span a year earlier, with sales in every month of both — as a fraction. CALIPER.SAMESTORESET lists which locations are in the set and why the others are not. The old order SAMESTORE(period, metric, scope) is still read for one version.
 * @customfunction SAMESTORE
 * @helpurl https://localhost:7071/functions.html#samestore
 * @param scope PORTFOLIO (or empty) or a location id or name. A period here (with the second argument empty or a metric) is read as the old order.
 * @param [period] The period P, compared with the same span a year earlier: any form of the period grammar (2025, FY0, LTM, 2025-Q3…) or an Excel date. Required: it is marked optional only so that the old order still fits.
 * @param [metric] A same-store metric id or label (same_store_revenue_growth, same_store_visits_growth…); same_store_revenue_growth when omitted.
 * @param [options] name=value options: na=error|blank|zero.
 * @option na=error|blank|zero An absent value as #N/A with the reason (error, the default), an empty cell (blank) or 0 (zero).
 * @example =CALIPER.SAMESTORE("PORTFOLIO","FY0") — same-store revenue growth of the latest completed fiscal year against the one before.
 * @example =CALIPER.SAMESTORE("PORTFOLIO","LTM","same_store_visits_growth") — same-store visit growth over the last twelve months.
 * @error #N/A No value for same_store_revenue_growth FY2025 (the portfolio): … — no comparable location, or no data a year earlier; the reason says which.
 * @error #VALUE! SAMESTORE takes a same-store metric (same_store_…), not 'net_revenue' — the metric is not a same-store metric; use CALIPER.KPI for others.
 * @error #VALUE! period is required — the period was left empty.
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
 * The same-store comparable set behind CALIPER.SAMESTORE: one row per location, comparable or excluded, with the reason a location is left out (opened after the year-earlier span began, closed before the period ended, a month of either span without sales). The old order SAMESTORESET(period, scope) is still read for one version.
 * @customfunction SAMESTORESET
 * @helpurl https://localhost:7071/functions.html#samestoreset
 * @param scope PORTFOLIO (or empty) or a location id or name; not a provider. A period here is read as the old order.
 * @param [period] The period P, compared with the same span a year earlier: any form of the period grammar or an Excel date. Required: it is marked optional only so that the old order still fits.
 * @param [options] name=value options: headers=false.
 * @option headers=true|false false leaves out the header row (Location ID, Name, Status, Reason).
 * @example =CALIPER.SAMESTORESET("PORTFOLIO","FY0") — which locations the latest fiscal year's same-store growth compares, and why the others are excluded.
 * @error #VALUE! SAMESTORESET takes the portfolio or a location — the scope names a provider.
 * @error #VALUE! period is required — the period was left empty.
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
 * The provider P&L of one location: one row per provider working there, with production, compensation, contribution (production less compensation), comp-to-production ratio and revenue per hour. A figure a provider has no value for is its own #N/A cell with the reason.
 * @customfunction PROVIDERS
 * @helpurl https://localhost:7071/functions.html#providers
 * @param location One location: its id (L001), its name or an unambiguous part of it. Not PORTFOLIO, not a provider.
 * @param period Any form of the period grammar (FY0, 2025-Q3, LTM…) or an Excel date.
 * @param [options] name=value options: units=K|M, na=error|blank|zero, headers=false.
 * @option units=K|M Money in thousands (K) or millions (M); the headers say ($K) or ($M). The ratio is left as it is.
 * @option na=error|blank|zero A figure without a value as #N/A with the reason (error, the default), an empty cell (blank) or 0 (zero).
 * @option headers=true|false false leaves out the header row (Provider ID, Provider, the metric labels).
 * @example =CALIPER.PROVIDERS("L001","FY0") — the provider P&L of L001 for the latest completed fiscal year.
 * @example =CALIPER.PROVIDERS("Charleston","LTM","units=K","headers=false") — the same over the last twelve months, in thousands, without the header row.
 * @error #VALUE! location must be one location (an id like L1 or its name) — PORTFOLIO, an empty cell or a provider was given.
 * @error #N/A Location L001 has no providers — no provider of the uploaded data works at that location.
 * @error #N/A (in a cell of the spill) No value for provider_revenue_per_hour … — that provider has no value for that figure; the reason says why.
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
 * Membership KPIs of a scope and period — active members, monthly recurring revenue (MRR), membership churn rate, average revenue per member (ARPM) and membership conversion rate — as a Metric / Value table, or one of them alone with field=.
 * @customfunction MEMBERSHIP
 * @helpurl https://localhost:7071/functions.html#membership
 * @param scope PORTFOLIO (or empty), a location id, name or unambiguous part of a name.
 * @param period Any form of the period grammar (FY0, 2025-Q3, LTM…) or an Excel date.
 * @param [options] name=value options: field=active_members|mrr|membership_churn_rate|arpm|membership_conversion_rate, units=K|M, na=error|blank|zero, headers=false.
 * @option field=active_members|mrr|membership_churn_rate|arpm|membership_conversion_rate That KPI alone, in one cell. A bare name ("mrr") is read as field=mrr.
 * @option units=K|M Money (MRR, ARPM) in thousands (K) or millions (M); counts and rates are left as they are.
 * @option na=error|blank|zero A KPI without a value as #N/A with the reason (error, the default), an empty cell (blank) or 0 (zero).
 * @option headers=true|false false leaves out the Metric / Value header row.
 * @example =CALIPER.MEMBERSHIP("PORTFOLIO","FY0") — the five membership KPIs of the portfolio for the latest completed fiscal year.
 * @example =CALIPER.MEMBERSHIP("L001","M0","mrr") — L001's MRR in the as-of month, in one cell.
 * @error #N/A No value for membership_churn_rate … — no membership data covers that scope and period; the reason says why.
 * @error #VALUE! MEMBERSHIP option field "members" is not accepted: field=active_members|mrr|membership_churn_rate|arpm|membership_conversion_rate — an unknown KPI name.
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
 * A location's percentile among its peer locations for a metric and period (0 to 100, 100 the best; for metrics where lower is better, the lowest), as Excel's PERCENTRANK.INC. Peers share the cohort attributes asked for; a cohort with fewer than five locations with a value is never shown, the next wider one is used instead (the last attribute asked for dropped first). With field=cohort, the cohort used and its size. The old order BENCHMARK(metric, scope, period, cohort) is still read for one version.
 * @customfunction BENCHMARK
 * @helpurl https://localhost:7071/functions.html#benchmark
 * @param scope One location: its id, name or an unambiguous part of it. Not PORTFOLIO, not a provider.
 * @param metric A catalog metric id or label, any case, e.g. net_revenue or "Rebooking rate".
 * @param period Any form of the period grammar (FY0, 2025-Q3, LTM…) or an Excel date.
 * @param [options] name=value options: cohort=size_band,region,dominant_category,age_band; field=percentile|cohort; na=error|blank|zero; headers=false.
 * @option cohort=size_band,region,dominant_category,age_band|portfolio The attributes peers must share, comma-separated, any subset, widest last; portfolio for the whole portfolio; a bare value ("region") is read as cohort=. Without it, size_band,region: the same default as caliper benchmark and the board packs.
 * @option field=percentile|cohort The percentile (default), or the cohort it is ranked in: its name (region=Southeast, size_band=…) and size, spilled as Cohort / Size.
 * @option na=error|blank|zero No percentile as #N/A with the reason (error, the default), an empty cell (blank) or 0 (zero).
 * @option headers=true|false With field=cohort, false leaves out the Cohort / Size header row.
 * @example =CALIPER.BENCHMARK("L001","net_revenue","FY0") — where L001's net revenue ranks among its peers in the latest completed fiscal year.
 * @example =CALIPER.BENCHMARK("L001","rebooking_rate","LTM","region") — the same, ranked among the locations of its region.
 * @example =CALIPER.BENCHMARK("L001","rebooking_rate","LTM","region","field=cohort") — the cohort that ranking used, and how many locations it holds.
 * @error #N/A No benchmark for rebooking_rate at L001: … — too few locations have a value, even in the whole portfolio; the reason says so.
 * @error #VALUE! Unknown cohort attribute "city": expected some of size_band, region, dominant_category, age_band, or portfolio — cohort= names an attribute that does not exist.
 * @error #VALUE! scope must be one location (an id like L1 or its name) — PORTFOLIO, an empty cell or a provider was given.
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
 * The tenant's locations, one row each: id, name, region, EMR system, opening and closing dates, provider and patient counts, and the dates of the first and last sale in the data. Dates are Excel date serials: format the columns as dates.
 * @customfunction LOCATIONS
 * @helpurl https://localhost:7071/functions.html#locations
 * @param [options] name=value options: headers=false.
 * @option headers=true|false false leaves out the header row (Location ID, Name, Region, EMR system, Opened, Closed, Providers, Patients, First sale, Last sale).
 * @example =CALIPER.LOCATIONS() — every location, under a header row.
 * @example =CALIPER.LOCATIONS("headers=false") — the same without the header row, e.g. below a header of your own.
 * @returns A table of locations with their attributes and data range (dates as Excel dates).
 */
export async function locations(options?: string[]): Promise<unknown[][]> {
  return caliper().locations(options);
}

/**
 * The metric catalog: every metric the other functions take, with its id, label, unit (usd, ratio, count…), family, the scopes it is defined for (portfolio, location, provider) and which direction is better. The definitions are in the Caliper metric catalog (docs/metrics.md).
 * @customfunction METRICS
 * @helpurl https://localhost:7071/functions.html#metrics
 * @param [options] name=value options: headers=false.
 * @option headers=true|false false leaves out the header row (ID, Label, Unit, Family, Scopes, Direction).
 * @example =CALIPER.METRICS() — the catalog, to pick a metric id or label from.
 * @returns A table: ID, Label, Unit, Family, Scopes, Direction.
 */
export async function metrics(options?: string[]): Promise<unknown[][]> {
  return caliper().metrics(options);
}

/**
 * How a value is computed, for audit: the metric, period (label, start, end), scope, value, unit and coverage, the reason when there is no value, the formula, each operand's value, and the source files and rows the value rests on. The old order TRACE(metric, scope, period) is still read for one version.
 * @customfunction TRACE
 * @helpurl https://localhost:7071/functions.html#trace
 * @param scope PORTFOLIO (or empty), a location id, name or unambiguous part of a name, or a provider (provider:<id>, <location>/<provider id>).
 * @param metric A catalog metric id or label, any case.
 * @param period Any form of the period grammar (FY0, 2025-Q3, LTM…) or an Excel date.
 * @param [options] name=value options: headers=false.
 * @option headers=true|false false leaves out the Field / Value header row.
 * @example =CALIPER.TRACE("L001","net_revenue","FY0") — the formula, operands and source rows behind L001's net revenue of the latest completed fiscal year.
 * @error #N/A Unknown metric 'net_revenu'; did you mean net_revenue…? — the metric is not in the catalog.
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
 * The tenant's as-of month — the latest month for which every open location has complete data, the month the relative periods (FY0, LTM, M0…) count from — as the Excel date of its last day. Given as the period of another function, it means the twelve months ending with that month.
 * @customfunction ASOF
 * @helpurl https://localhost:7071/functions.html#asof
 * @example =CALIPER.ASOF() — e.g. 2026-10-31 (format the cell as a date).
 * @example =CALIPER.KPI("PORTFOLIO","net_revenue",CALIPER.ASOF()) — net revenue of the twelve months ending with the as-of month.
 * @error #N/A No as-of month: no month has complete data for every open location — nothing uploaded yet, or no month complete at every open location.
 * @returns A date, e.g. 2026-10-31; #N/A when no month is complete.
 */
export async function asof(): Promise<number> {
  return caliper().asof();
}

/**
 * The months with data, from the first month of data to the last, as the Excel dates of their first days — a column to build a table of SERIES or KPI formulas against — or, with field=, the first, last or as-of month alone.
 * @customfunction PERIODS
 * @helpurl https://localhost:7071/functions.html#periods
 * @param [options] name=value options: field=months|first|last|asof, headers=false.
 * @option field=months|first|last|asof Every month (default), or only the first month of data, the last one, or the as-of month; a bare "asof" is read as field=asof.
 * @option headers=true|false false leaves out the header row (Month, First month, Last month or As-of month).
 * @example =CALIPER.PERIODS() — every month with data, under a Month header.
 * @example =CALIPER.PERIODS("field=first","headers=false") — the first month of data, in one cell.
 * @error #N/A No months with data: nothing has been uploaded — the store holds no sales yet; upload data from the pane.
 * @returns A Month column of dates.
 */
export async function periods(options?: string[]): Promise<unknown[][]> {
  return caliper().periods(options);
}

/**
 * The patients to call, most money at stake first: patients with nothing booked and a visit within the last year, ranked by churn risk × the value they bring if retained, with the reasons. The first list after an upload fits the churn model of each location and may take a minute; later ones are quick.
 * @customfunction CALLLIST
 * @helpurl https://localhost:7071/functions.html#calllist
 * @param scope PORTFOLIO (or empty: the top n across the open locations) or a location id, name or unambiguous part of a name; not a provider.
 * @param [n] How many patients: a whole number from 1 to 500; 25 when omitted.
 * @param [options] One text: as_of=YYYY-MM-DD, the day scored (default: each location's last day of data).
 * @option as_of=YYYY-MM-DD Score the patients as of that day instead of each location's last day of data.
 * @example =CALIPER.CALLLIST("L001") — L001's 25 patients most worth a call.
 * @example =CALIPER.CALLLIST("PORTFOLIO",50,"as_of=2026-09-30") — the portfolio's top 50 as of 30 September 2026, with a Location column.
 * @error #VALUE! n must be a whole number from 1 to 500, got 0 — n is not a whole number from 1 to 500.
 * @error #VALUE! Unknown CALLLIST option "asof=2026-09": expected as_of=YYYY-MM-DD — the only option is as_of with a day.
 * @error #VALUE! CALLLIST takes PORTFOLIO or a location, not a provider — the scope names a provider.
 * @error #N/A No patient to call at L001: of 812 scored, none has nothing booked, a visit in the last year and a value at risk — nobody to call.
 * @error #N/A Caliper did not answer in 120 s — the first list after an upload fits the models; recalculate a little later.
 * @returns A table with a header row: rank, patient ID, last treatment, last visit (a date), provider, days overdue, churn risk, value at risk ($), reasons.
 */
export async function calllist(scope: string, n?: number, options?: string): Promise<unknown[][]> {
  return caliper().calllist(scope, n, options);
}

/**
 * Revenue forecast of the months after the last complete month of data, month by month: the total, split into returning patients, new patients and other revenue (retail, memberships), beside last year's same month (the seasonal-naive baseline); or one service category's forecast. A portfolio's forecast sums the open locations; any left out are listed below the table with the reason.
 * @customfunction FORECAST
 * @helpurl https://localhost:7071/functions.html#forecast
 * @param scope PORTFOLIO (or empty: the sum of the open locations) or a location id, name or unambiguous part of a name; not a provider.
 * @param months How many months ahead: a whole number from 1 to 12.
 * @param [category] One service category, any case: neurotoxin, filler, laser, energy_device, body_contouring, skin_treatment, facial, consultation, other_service or uncategorized; its forecast per month.
 * @param [options] One text: as_of=YYYY-MM, the forecast origin, the last month of data read (default: the last complete month).
 * @option as_of=YYYY-MM Forecast from that month (the last month read) instead of the last complete month, e.g. to backtest.
 * @example =CALIPER.FORECAST("PORTFOLIO",3) — the portfolio's next three months, with returning / new / other and last year's same month.
 * @example =CALIPER.FORECAST("L001",6,"neurotoxin") — L001's neurotoxin revenue for the next six months.
 * @example =CALIPER.FORECAST("L001",3,"","as_of=2026-06") — the forecast as it would have been made after June 2026.
 * @error #VALUE! months must be a whole number from 1 to 12, got 24 — months is not a whole number from 1 to 12.
 * @error #VALUE! Unknown category "botox": one of neurotoxin, filler, … — not a service category id (Botox is neurotoxin).
 * @error #VALUE! Unknown FORECAST option "as_of=2026-06-30": expected as_of=YYYY-MM — the only option is as_of with a month.
 * @error #VALUE! FORECAST takes PORTFOLIO or a location, not a provider — the scope names a provider.
 * @error #N/A (in the Seasonal naive column) the reason there is no value for last year's same month — the data does not reach back a year.
 * @error #N/A Caliper did not answer in 120 s — the first forecast after an upload fits each location's model; recalculate a little later.
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
