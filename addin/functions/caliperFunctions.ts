/*
 * The `=CALIPER.*` functions as plain async functions over a client: functions.ts gives them
 * their Excel names and JSDoc, tests call them directly against a real API. Every function
 * answers a value or throws a real Excel error (excelErrors.ts), and none waits longer than the
 * hard timeout, so no cell is left at #BUSY!.
 */
import { metricById } from '../../shared/metrics/catalog';
import {
  addMonths,
  firstDayOfMonth,
  isLocalDate,
  isYearMonth,
  lastDayOfMonth,
  type YearMonth,
} from '../../shared/model/localDate';
import type { BatchResult, CaliperClient, MetricRequest, Portfolio, TraceBody } from '../api/caliperClient';
import {
  grainArgument,
  isMetricName,
  isPeriodLike,
  metricArgument,
  optionalText,
  periodArgument,
  scopeArgument,
  seriesMonthArgument,
  seriesPeriods,
} from './arguments';
import {
  callListCountArgument,
  callListOptionsArgument,
  callListTable,
  excelDateSerial,
} from './callListTable';
import {
  apiErrorToExcel,
  classifyApiError,
  excelError,
  invalidArgument,
  notAvailable,
  toExcelError,
} from './excelErrors';
import {
  forecastCategoryArgument,
  forecastMonthsArgument,
  forecastOptionsArgument,
  forecastTable,
} from './forecastTable';
import { type BatcherOptions, DEFAULT_TIMEOUT_MS, MetricBatcher, timeoutMessage } from './metricBatcher';
import { type OptionsSpec, type ParsedOptions, parseOptions } from './options';
import { PortfolioCache, type ResolvedScope, resolveLocation, resolveScope } from './scopeResolver';

/** What a spilled cell can hold: Excel shows null-free rectangles, errors included. */
export type CellValue = string | number | boolean | CustomFunctions.Error;
export type Table = CellValue[][];

export const DEFAULT_SAME_STORE_METRIC = 'same_store_revenue_growth';

/** KPI's period when none is given: the twelve months ending with the data's as-of month. */
export const DEFAULT_KPI_PERIOD = 'LTM';

/**
 * CALLLIST's hard timeout: the first list after an ingest fits the churn model of every
 * location (about 25 s for the 8-location demo's portfolio), later ones reuse the fits.
 */
export const CALL_LIST_TIMEOUT_MS = 120_000;

/**
 * FORECAST's hard timeout: the first forecast after an ingest fits each location's model (about
 * a second a location, so a portfolio's takes as many); later ones are answered from the cache.
 */
export const FORECAST_TIMEOUT_MS = 120_000;

/** PROVIDERS' metric columns, in order. */
export const PROVIDER_METRICS: readonly string[] = [
  'provider_production',
  'provider_compensation',
  'provider_contribution',
  'comp_to_production_ratio',
  'provider_revenue_per_hour',
];

export const MEMBERSHIP_FIELDS: readonly string[] = [
  'active_members',
  'mrr',
  'membership_churn_rate',
  'arpm',
  'membership_conversion_rate',
];

const VALUE_OPTIONS = ['units', 'na'] as const;
const KPI_OPTIONS: OptionsSpec = {
  fn: 'KPI',
  accepts: ['field', ...VALUE_OPTIONS],
  fields: ['value', 'coverage', 'unit'],
  bare: 'field',
};
const SERIES_OPTIONS: OptionsSpec = {
  fn: 'SERIES',
  accepts: ['grain', ...VALUE_OPTIONS, 'headers'],
  bare: 'grain',
};
const SAMESTORE_OPTIONS: OptionsSpec = { fn: 'SAMESTORE', accepts: ['na'] };
const SAMESTORESET_OPTIONS: OptionsSpec = { fn: 'SAMESTORESET', accepts: ['headers'] };
const PROVIDERS_OPTIONS: OptionsSpec = { fn: 'PROVIDERS', accepts: [...VALUE_OPTIONS, 'headers'] };
const MEMBERSHIP_OPTIONS: OptionsSpec = {
  fn: 'MEMBERSHIP',
  accepts: ['field', ...VALUE_OPTIONS, 'headers'],
  fields: MEMBERSHIP_FIELDS,
  bare: 'field',
};
const BENCHMARK_OPTIONS: OptionsSpec = {
  fn: 'BENCHMARK',
  accepts: ['cohort', 'field', 'na', 'headers'],
  fields: ['percentile', 'cohort'],
  bare: 'cohort',
};
const TRACE_OPTIONS: OptionsSpec = { fn: 'TRACE', accepts: ['headers'] };
const LOCATIONS_OPTIONS: OptionsSpec = { fn: 'LOCATIONS', accepts: ['headers'] };
const METRICS_OPTIONS: OptionsSpec = { fn: 'METRICS', accepts: ['headers'] };
const PERIODS_OPTIONS: OptionsSpec = {
  fn: 'PERIODS',
  accepts: ['field', 'headers'],
  fields: ['months', 'first', 'last', 'asof'],
  bare: 'field',
};

export interface CaliperFunctions {
  /** Identifier first; the old (metric, scope, period) order is still read, see `identifierFirst`. */
  kpi(scope: unknown, metric: unknown, period?: unknown, ...options: unknown[]): Promise<number | string>;
  series(
    scope: unknown,
    metric: unknown,
    start: unknown,
    end: unknown,
    ...options: unknown[]
  ): Promise<Table>;
  samestore(
    scope: unknown,
    period?: unknown,
    metric?: unknown,
    ...options: unknown[]
  ): Promise<number | string>;
  samestoreset(scope: unknown, period?: unknown, ...options: unknown[]): Promise<Table>;
  providers(location: unknown, period: unknown, ...options: unknown[]): Promise<Table>;
  membership(scope: unknown, period: unknown, ...options: unknown[]): Promise<Table>;
  benchmark(scope: unknown, metric: unknown, period: unknown, ...options: unknown[]): Promise<Table>;
  locations(...options: unknown[]): Promise<Table>;
  metrics(...options: unknown[]): Promise<Table>;
  trace(scope: unknown, metric: unknown, period: unknown, ...options: unknown[]): Promise<Table>;
  calllist(scope: unknown, n?: unknown, options?: unknown): Promise<Table>;
  forecast(scope: unknown, months: unknown, category?: unknown, options?: unknown): Promise<Table>;
  /** The tenant's as-of month as the Excel date of its last day. */
  asof(): Promise<number>;
  /** The months with data (Excel dates of their first days), or the first / last / as-of one. */
  periods(...options: unknown[]): Promise<Table>;
  /** Forgets cached answers and the portfolio: the pane's refresh. */
  clearCache(): void;
}

/**
 * The (scope, metric) of a call written either way. The signature is identifier first
 * (`KPI(scope, metric, …)`, as CIQ, FactSet and Bloomberg put the security first); a call
 * written in the old order (`KPI(metric, scope, …)`, kept for one version) is recognized when
 * its first argument is a catalog metric (id or label) and its second is not.
 */
export function identifierFirst(first: unknown, second: unknown): { scope: unknown; metric: unknown } {
  return isMetricName(first) && !isMetricName(second)
    ? { scope: second, metric: first }
    : { scope: first, metric: second };
}

/** A metric's label for a header, with the units the money is shown in. */
function metricHeader(id: string, options: ParsedOptions): string {
  const metric = metricById(id);
  const label = metric?.label ?? id;
  if (metric?.unit !== 'usd' || options.divisor === 1) return label;
  return `${label} (${options.divisor === 1_000 ? '$K' : '$M'})`;
}

/** A value in the units asked for: money divided by 1,000 or 1,000,000, anything else as is. */
function scaled(value: number, unit: string, options: ParsedOptions): number {
  return unit === 'usd' && options.divisor !== 1 ? value / options.divisor : value;
}

/** An absent value as the `na` option says: #N/A with the reason (thrown or a cell), "" or 0. */
function absent(message: string, options: ParsedOptions): string | number {
  if (options.na === 'blank') return '';
  if (options.na === 'zero') return 0;
  throw notAvailable(message);
}

/** A batch slot as a cell value: the number, or #N/A with the API's reason / error message. */
function cellOf(result: BatchResult, what: string, options: ParsedOptions): CellValue {
  if ('error' in result) return apiErrorToExcel(result.error);
  if (result.value === null) {
    try {
      return absent(`No value for ${what}: ${result.reason ?? 'no data'}`, options);
    } catch (error) {
      return toExcelError(error);
    }
  }
  return scaled(result.value, result.unit, options);
}

function requestText(request: MetricRequest): string {
  const scope = request.provider
    ? `provider ${request.provider}${request.location ? ` at ${request.location}` : ''}`
    : (request.location ?? 'the portfolio');
  return `${request.metric} ${request.period} (${scope})`;
}

/** The single value of a batch slot; the failure (or the `na` choice) that stands for it when there is none. */
function valueOf(result: BatchResult, request: MetricRequest, options: ParsedOptions): number | string {
  if ('error' in result) throw classifyApiError(result.error.code, null, result.error.message);
  if (result.value === null)
    return absent(`No value for ${requestText(request)}: ${result.reason ?? 'no data'}`, options);
  return scaled(result.value, result.unit, options);
}

function blankIfNull(value: string | number | null | undefined): string | number {
  return value ?? '';
}

/** A day (YYYY-MM-DD) as an Excel date serial; anything else (a null, a datetime) as text or blank. */
function dateCell(value: string | null | undefined): string | number {
  if (value === null || value === undefined) return '';
  return isLocalDate(value) ? excelDateSerial(value) : value;
}

/** The first day of a SERIES period label (2024-03, 2024-Q2, 2024) as an Excel date serial. */
export function periodStartSerial(label: string): number {
  const quarter = /^(\d{4})-Q([1-4])$/.exec(label);
  if (quarter) {
    const month = (Number(quarter[2]) - 1) * 3 + 1;
    return excelDateSerial(`${quarter[1]}-${String(month).padStart(2, '0')}-01`);
  }
  if (/^\d{4}$/.test(label)) return excelDateSerial(`${label}-01-01`);
  return excelDateSerial(firstDayOfMonth(label));
}

/** A table without its header row when `headers=false`. */
function withHeaders(header: CellValue[], rows: Table, options: ParsedOptions): Table {
  return options.headers ? [header, ...rows] : rows;
}

export function createCaliperFunctions(
  client: CaliperClient,
  options: BatcherOptions = {},
): CaliperFunctions {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const batcher = new MetricBatcher(client, options);
  const portfolios = new PortfolioCache(client);

  async function portfolio(): Promise<Portfolio> {
    let current = await portfolios.get();
    // Kept from before an ingest the batches have already seen: locations may have changed.
    const known = batcher.dataVersion;
    if (known !== null && current.data_version !== undefined && current.data_version < known) {
      portfolios.clear();
      current = await portfolios.get();
    }
    batcher.noteDataVersion(current.data_version);
    return current;
  }

  async function scopeOf(value: unknown): Promise<ResolvedScope> {
    const scope = scopeArgument(value);
    if (scope.kind === 'portfolio') return {};
    return resolveScope(await portfolio(), scope);
  }

  /**
   * The hard timeout and the error mapping around one function: whatever happens inside, the
   * cell gets a value or an Excel error within `limitMs`.
   */
  function excelFunction<A extends unknown[], R>(
    body: (...args: A) => Promise<R>,
    limitMs = timeoutMs,
  ): (...args: A) => Promise<R> {
    return (...args) =>
      new Promise<R>((resolve, reject) => {
        // Excel shows a rejection as a cell error only when it is a CustomFunctions.Error.
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
        const fail = (error: CustomFunctions.Error) => reject(error);
        const timer = setTimeout(() => fail(excelError('notAvailable', timeoutMessage(limitMs))), limitMs);
        body(...args).then(
          (value) => {
            clearTimeout(timer);
            resolve(value);
          },
          (error: unknown) => {
            clearTimeout(timer);
            fail(toExcelError(error));
          },
        );
      });
  }

  async function kpi(first: unknown, second: unknown, period?: unknown, ...rest: unknown[]) {
    const { scope, metric } = identifierFirst(first, second);
    const chosen = parseOptions(KPI_OPTIONS, ...rest);
    const request: MetricRequest = {
      metric: metricArgument(metric),
      period: optionalPeriod(period) ?? DEFAULT_KPI_PERIOD,
      ...(await scopeOf(scope)),
    };
    const result = await batcher.fetch(request);
    if (chosen.field === 'unit' && !('error' in result)) return result.unit;
    if (chosen.field === 'coverage' && !('error' in result)) {
      if (result.coverage === null) return absent(`No coverage for ${requestText(request)}`, chosen);
      return result.coverage;
    }
    return valueOf(result, request, chosen);
  }

  async function series(first: unknown, second: unknown, start: unknown, end: unknown, ...rest: unknown[]) {
    const { scope, metric } = identifierFirst(first, second);
    const chosen = parseOptions(SERIES_OPTIONS, ...rest);
    const id = metricArgument(metric);
    const labels = seriesPeriods(
      seriesMonthArgument(start, 'start', 'first'),
      seriesMonthArgument(end, 'end', 'last'),
      grainArgument(chosen.grain),
    );
    const resolved = await scopeOf(scope);
    const requests = labels.map((period) => ({ metric: id, period, ...resolved }));
    const results = await batcher.fetchMany(requests);
    const rows = labels.map((label, i): CellValue[] => [
      periodStartSerial(label),
      cellOf(
        results[i] ?? { error: { code: 'internal', message: 'missing' } },
        requestText(requests[i]!),
        chosen,
      ),
    ]);
    return withHeaders(['Period', metricHeader(id, chosen)], rows, chosen);
  }

  /**
   * SAMESTORE(scope, period, [metric]); the old SAMESTORE(period, [metric], [scope]) is read
   * when the first argument is a period and the second is empty or a metric.
   */
  async function samestore(first: unknown, second?: unknown, third?: unknown, ...rest: unknown[]) {
    const old = isPeriodLike(first) && (optionalBlank(second) || isMetricName(second));
    const [scope, period, metric] = old ? [third, first, second] : [first, second, third];
    const chosen = parseOptions(SAMESTORE_OPTIONS, ...rest);
    const id =
      optionalText(metric, 'metric') === undefined ? DEFAULT_SAME_STORE_METRIC : metricArgument(metric);
    if (!id.startsWith('same_store_')) {
      throw invalidArgument(`SAMESTORE takes a same-store metric (same_store_…), not '${id}'`);
    }
    const request: MetricRequest = { metric: id, period: periodArgument(period), ...(await scopeOf(scope)) };
    return valueOf(await batcher.fetch(request), request, chosen);
  }

  /** SAMESTORESET(scope, period); the old SAMESTORESET(period, [scope]) when only the first is a period. */
  async function samestoreset(first: unknown, second?: unknown, ...rest: unknown[]) {
    const old = isPeriodLike(first) && !isPeriodLike(second);
    const [scope, period] = old ? [second, first] : [first, second];
    const chosen = parseOptions(SAMESTORESET_OPTIONS, ...rest);
    const query: MetricRequest = {
      metric: DEFAULT_SAME_STORE_METRIC,
      period: periodArgument(period),
      ...(await scopeOf(scope)),
    };
    if (query.provider !== undefined) throw invalidArgument('SAMESTORESET takes the portfolio or a location');
    const [trace, current] = await Promise.all([client.trace(query), portfolio()]);
    const details = trace.details as
      { comparable?: string[]; excluded?: { location_id: string; reason: string }[] } | undefined;
    const nameOf = (id: string) => current.locations.find((l) => l.location_id === id)?.name ?? '';
    const rows: Table = [];
    for (const id of details?.comparable ?? []) rows.push([id, nameOf(id), 'comparable', '']);
    for (const e of details?.excluded ?? [])
      rows.push([e.location_id, nameOf(e.location_id), 'excluded', e.reason]);
    return withHeaders(['Location ID', 'Name', 'Status', 'Reason'], rows, chosen);
  }

  async function providers(location: unknown, period: unknown, ...rest: unknown[]) {
    const chosen = parseOptions(PROVIDERS_OPTIONS, ...rest);
    const periodText = periodArgument(period);
    const current = await portfolio();
    const site = resolveLocation(current, scopeArgument(location, 'location'), 'location');
    const people = current.providers.filter((p) => p.location_ids.includes(site.location_id));
    if (people.length === 0) throw notAvailable(`Location ${site.location_id} has no providers`);
    const requests = people.flatMap((p) =>
      PROVIDER_METRICS.map((metric) => ({
        metric,
        period: periodText,
        location: site.location_id,
        provider: p.provider_id,
      })),
    );
    const results = await batcher.fetchMany(requests);
    const rows: Table = people.map((p, row) => {
      const cells = PROVIDER_METRICS.map((_, column) => {
        const index = row * PROVIDER_METRICS.length + column;
        return cellOf(results[index]!, requestText(requests[index]!), chosen);
      });
      return [p.provider_id, p.display_name, ...cells];
    });
    return withHeaders(
      ['Provider ID', 'Provider', ...PROVIDER_METRICS.map((m) => metricHeader(m, chosen))],
      rows,
      chosen,
    );
  }

  async function membership(scope: unknown, period: unknown, ...rest: unknown[]) {
    const chosen = parseOptions(MEMBERSHIP_OPTIONS, ...rest);
    const periodText = periodArgument(period);
    const resolved = await scopeOf(scope);
    if (chosen.field !== undefined) {
      const request = { metric: chosen.field, period: periodText, ...resolved };
      return [[valueOf(await batcher.fetch(request), request, chosen)]];
    }
    const requests = MEMBERSHIP_FIELDS.map((metric) => ({ metric, period: periodText, ...resolved }));
    const results = await batcher.fetchMany(requests);
    const rows = MEMBERSHIP_FIELDS.map((metric, i): CellValue[] => [
      metricHeader(metric, chosen),
      cellOf(results[i]!, requestText(requests[i]!), chosen),
    ]);
    return withHeaders(['Metric', 'Value'], rows, chosen);
  }

  /**
   * BENCHMARK(scope, metric, period, [cohort=…], [field=percentile|cohort]): the percentile, or
   * with field=cohort the peer cohort it is ranked in, its name and size spilled in a row.
   */
  async function benchmark(first: unknown, second: unknown, period: unknown, ...rest: unknown[]) {
    const { scope, metric } = identifierFirst(first, second);
    const chosen = parseOptions(BENCHMARK_OPTIONS, ...rest);
    const id = metricArgument(metric);
    const periodText = periodArgument(period);
    const site = resolveLocation(await portfolio(), scopeArgument(scope), 'scope');
    const answer = await client.benchmarks({
      metric: id,
      period: periodText,
      location: site.location_id,
      ...(chosen.cohort === undefined ? {} : { cohort: chosen.cohort }),
    });
    if (chosen.field === 'cohort') {
      return withHeaders(
        ['Cohort', 'Size'],
        [[cohortName(answer.cohort.attributes), answer.cohort.size]],
        chosen,
      );
    }
    if (answer.percentile === null) {
      return [
        [absent(`No benchmark for ${id} at ${site.location_id}: ${answer.reason ?? 'not shown'}`, chosen)],
      ];
    }
    return [[answer.percentile]];
  }

  async function locations(...rest: unknown[]) {
    const chosen = parseOptions(LOCATIONS_OPTIONS, ...rest);
    const current = await portfolio();
    const rows = current.locations.map((l): CellValue[] => [
      l.location_id,
      l.name,
      blankIfNull(l.region),
      blankIfNull(l.emr_system),
      dateCell(l.opened_on),
      dateCell(l.closed_on),
      l.providers,
      l.patients,
      dateCell(l.first_sale_on),
      dateCell(l.last_sale_on),
    ]);
    return withHeaders(
      [
        'Location ID',
        'Name',
        'Region',
        'EMR system',
        'Opened',
        'Closed',
        'Providers',
        'Patients',
        'First sale',
        'Last sale',
      ],
      rows,
      chosen,
    );
  }

  async function metrics(...rest: unknown[]) {
    const chosen = parseOptions(METRICS_OPTIONS, ...rest);
    const catalog = await client.catalog();
    return withHeaders(
      ['ID', 'Label', 'Unit', 'Family', 'Scopes', 'Direction'],
      catalog.map((m): CellValue[] => [m.id, m.label, m.unit, m.family, m.scopes.join(', '), m.direction]),
      chosen,
    );
  }

  async function trace(first: unknown, second: unknown, period: unknown, ...rest: unknown[]) {
    const { scope, metric } = identifierFirst(first, second);
    const chosen = parseOptions(TRACE_OPTIONS, ...rest);
    const request: MetricRequest = {
      metric: metricArgument(metric),
      period: periodArgument(period),
      ...(await scopeOf(scope)),
    };
    const table = traceTable(await client.trace(request));
    return chosen.headers ? table : table.slice(1);
  }

  async function asof() {
    const month = (await portfolio()).periods.as_of_month;
    if (month === null || !isYearMonth(month)) {
      throw notAvailable('No as-of month: no month has complete data for every open location');
    }
    return excelDateSerial(lastDayOfMonth(month));
  }

  async function periods(...rest: unknown[]) {
    const chosen = parseOptions(PERIODS_OPTIONS, ...rest);
    const { first_month: first, last_month: last, as_of_month: asOf } = (await portfolio()).periods;
    const single = (label: string, month: string | null): Table => {
      if (month === null || !isYearMonth(month))
        throw notAvailable(`No ${label} month: the store has no data`);
      return withHeaders([label], [[excelDateSerial(firstDayOfMonth(month))]], chosen);
    };
    if (chosen.field === 'first') return single('First month', first);
    if (chosen.field === 'last') return single('Last month', last);
    if (chosen.field === 'asof') return single('As-of month', asOf);
    if (first === null || last === null || !isYearMonth(first) || !isYearMonth(last)) {
      throw notAvailable('No months with data: nothing has been uploaded');
    }
    const rows: Table = [];
    for (let month: YearMonth = first; month <= last; month = addMonths(month, 1)) {
      rows.push([excelDateSerial(firstDayOfMonth(month))]);
    }
    return withHeaders(['Month'], rows, chosen);
  }

  async function calllist(scope: unknown, n?: unknown, options?: unknown) {
    const count = callListCountArgument(n);
    const { asOf } = callListOptionsArgument(options);
    const where = scopeArgument(scope);
    if (where.kind === 'provider')
      throw invalidArgument('CALLLIST takes PORTFOLIO or a location, not a provider');
    const location =
      where.kind === 'named' ? resolveLocation(await portfolio(), where, 'scope').location_id : undefined;
    const body = await client.callList({ location, n: count, as_of: asOf });
    if (body.rows.length === 0) {
      throw notAvailable(
        `No patient to call at ${location ?? 'the portfolio'}: of ${body.patients_scored} scored, none has nothing booked, a visit in the last year and a value at risk`,
      );
    }
    return callListTable(body);
  }

  async function forecast(scope: unknown, months: unknown, category?: unknown, options?: unknown) {
    const ahead = forecastMonthsArgument(months);
    const chosen = forecastCategoryArgument(category);
    const { asOf } = forecastOptionsArgument(options);
    const where = scopeArgument(scope);
    if (where.kind === 'provider')
      throw invalidArgument('FORECAST takes PORTFOLIO or a location, not a provider');
    const location =
      where.kind === 'named' ? resolveLocation(await portfolio(), where, 'scope').location_id : undefined;
    return forecastTable(await client.forecast({ location, months: ahead, category: chosen, as_of: asOf }));
  }

  return {
    kpi: excelFunction(kpi),
    series: excelFunction(series),
    samestore: excelFunction(samestore),
    samestoreset: excelFunction(samestoreset),
    providers: excelFunction(providers),
    membership: excelFunction(membership),
    benchmark: excelFunction(benchmark),
    locations: excelFunction(locations),
    metrics: excelFunction(metrics),
    trace: excelFunction(trace),
    asof: excelFunction(asof),
    periods: excelFunction(periods),
    calllist: excelFunction(calllist, options.timeoutMs ?? CALL_LIST_TIMEOUT_MS),
    forecast: excelFunction(forecast, options.timeoutMs ?? FORECAST_TIMEOUT_MS),
    clearCache() {
      batcher.clearCache();
      portfolios.clear();
    },
  };
}

/** A trace as a two-column field/value table: what the value is, how it is computed, from what. */
export function traceTable(trace: TraceBody): Table {
  const scope =
    trace.scope.kind === 'portfolio'
      ? 'portfolio'
      : [trace.scope.location_id, trace.scope.provider_id].filter((s) => s !== null).join('/');
  const rows: Table = [
    ['Field', 'Value'],
    ['metric', trace.metric],
    ['label', trace.label],
    ['period', trace.period.label],
    ['start', dateCell(trace.period.start)],
    ['end', dateCell(trace.period.end)],
    ['scope', scope],
    ['value', blankIfNull(trace.value)],
    ['unit', trace.unit],
    ['coverage', blankIfNull(trace.coverage)],
  ];
  if (trace.reason !== undefined) rows.push(['reason', trace.reason]);
  rows.push(['formula', trace.formula]);
  for (const operand of trace.operands) rows.push([`operand: ${operand.name}`, blankIfNull(operand.value)]);
  for (const source of trace.sources) {
    const sample = source.sample_rows.length > 0 ? `; rows ${source.sample_rows.join(', ')}` : '';
    rows.push([`source: ${source.fact}`, `${source.file}: ${source.rows} rows${sample}`]);
  }
  return rows;
}

/** A blank optional argument: omitted, null or empty text. */
function optionalBlank(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
}

/** An optional period: undefined when blank, else the period argument. */
function optionalPeriod(value: unknown): string | undefined {
  return optionalBlank(value) ? undefined : periodArgument(value);
}

/** A cohort's name from its attributes: `region=Southwest, size_band=small`, or the whole portfolio. */
export function cohortName(attributes: Record<string, string>): string {
  const parts = Object.entries(attributes).map(([k, v]) => `${k}=${v}`);
  return parts.length === 0 ? 'whole portfolio' : parts.join(', ');
}
