/*
 * The `=CALIPER.*` functions as plain async functions over a client: functions.ts gives them
 * their Excel names and JSDoc, tests call them directly against a real API. Every function
 * answers a value or throws a real Excel error (excelErrors.ts), and none waits longer than the
 * hard timeout, so no cell is left at #BUSY!.
 */
import type { BatchResult, CaliperClient, MetricRequest, Portfolio, TraceBody } from '../api/caliperClient';
import {
  grainArgument,
  kpiOptionsArgument,
  metricArgument,
  optionalText,
  periodArgument,
  scopeArgument,
  seriesMonthArgument,
  seriesPeriods,
} from './arguments';
import { callListCountArgument, callListOptionsArgument, callListTable } from './callListTable';
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
import { PortfolioCache, type ResolvedScope, resolveLocation, resolveScope } from './scopeResolver';

/** What a spilled cell can hold: Excel shows null-free rectangles, errors included. */
export type CellValue = string | number | boolean | CustomFunctions.Error;
export type Table = CellValue[][];

export const DEFAULT_SAME_STORE_METRIC = 'same_store_revenue_growth';

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

/** PROVIDERS columns: header → metric id. */
const PROVIDER_COLUMNS: readonly [string, string][] = [
  ['production', 'provider_production'],
  ['compensation', 'provider_compensation'],
  ['contribution', 'provider_contribution'],
  ['comp_to_production', 'comp_to_production_ratio'],
  ['revenue_per_hour', 'provider_revenue_per_hour'],
];

export const MEMBERSHIP_FIELDS: readonly string[] = [
  'active_members',
  'mrr',
  'membership_churn_rate',
  'arpm',
  'membership_conversion_rate',
];

export interface CaliperFunctions {
  kpi(metric: unknown, scope: unknown, period: unknown, options?: unknown): Promise<number | string>;
  series(metric: unknown, scope: unknown, start: unknown, end: unknown, grain?: unknown): Promise<Table>;
  samestore(period: unknown, metric?: unknown, scope?: unknown): Promise<number>;
  samestoreset(period: unknown, scope?: unknown): Promise<Table>;
  providers(location: unknown, period: unknown): Promise<Table>;
  membership(scope: unknown, period: unknown, field?: unknown): Promise<Table>;
  benchmark(metric: unknown, scope: unknown, period: unknown, cohort?: unknown): Promise<number>;
  locations(): Promise<Table>;
  metrics(): Promise<Table>;
  trace(metric: unknown, scope: unknown, period: unknown): Promise<Table>;
  calllist(scope: unknown, n?: unknown, options?: unknown): Promise<Table>;
  forecast(scope: unknown, months: unknown, category?: unknown, options?: unknown): Promise<Table>;
  /** Forgets cached answers and the portfolio: the pane's refresh. */
  clearCache(): void;
}

/** A batch slot as a cell value: the number, or #N/A with the API's reason / error message. */
function cellOf(result: BatchResult, what: string): number | CustomFunctions.Error {
  if ('error' in result) return apiErrorToExcel(result.error);
  if (result.value === null)
    return excelError('notAvailable', `No value for ${what}: ${result.reason ?? 'no data'}`);
  return result.value;
}

function requestText(request: MetricRequest): string {
  const scope = request.provider
    ? `provider ${request.provider}${request.location ? ` at ${request.location}` : ''}`
    : (request.location ?? 'the portfolio');
  return `${request.metric} ${request.period} (${scope})`;
}

/** The single value of a batch slot; the failure that stands for it when there is none. */
function valueOf(result: BatchResult, request: MetricRequest): number {
  if ('error' in result) throw classifyApiError(result.error.code, null, result.error.message);
  if (result.value === null)
    throw notAvailable(`No value for ${requestText(request)}: ${result.reason ?? 'no data'}`);
  return result.value;
}

function blankIfNull(value: string | number | null | undefined): string | number {
  return value ?? '';
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

  async function kpi(metric: unknown, scope: unknown, period: unknown, options?: unknown) {
    const { field } = kpiOptionsArgument(options);
    const request: MetricRequest = {
      metric: metricArgument(metric),
      period: periodArgument(period),
      ...(await scopeOf(scope)),
    };
    const result = await batcher.fetch(request);
    if (field === 'unit' && !('error' in result)) return result.unit;
    if (field === 'coverage' && !('error' in result)) {
      if (result.coverage === null) throw notAvailable(`No coverage for ${requestText(request)}`);
      return result.coverage;
    }
    return valueOf(result, request);
  }

  async function series(metric: unknown, scope: unknown, start: unknown, end: unknown, grain?: unknown) {
    const id = metricArgument(metric);
    const labels = seriesPeriods(
      seriesMonthArgument(start, 'start', 'first'),
      seriesMonthArgument(end, 'end', 'last'),
      grainArgument(grain),
    );
    const resolved = await scopeOf(scope);
    const requests = labels.map((period) => ({ metric: id, period, ...resolved }));
    const results = await batcher.fetchMany(requests);
    return labels.map((label, i): CellValue[] => [
      label,
      cellOf(results[i] ?? { error: { code: 'internal', message: 'missing' } }, requestText(requests[i]!)),
    ]);
  }

  async function samestore(period: unknown, metric?: unknown, scope?: unknown) {
    const id = optionalText(metric, 'metric') ?? DEFAULT_SAME_STORE_METRIC;
    if (!id.startsWith('same_store_')) {
      throw invalidArgument(`SAMESTORE takes a same-store metric (same_store_…), not '${id}'`);
    }
    const request: MetricRequest = { metric: id, period: periodArgument(period), ...(await scopeOf(scope)) };
    return valueOf(await batcher.fetch(request), request);
  }

  async function samestoreset(period: unknown, scope?: unknown) {
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
    const rows: Table = [['location_id', 'name', 'status', 'reason']];
    for (const id of details?.comparable ?? []) rows.push([id, nameOf(id), 'comparable', '']);
    for (const e of details?.excluded ?? [])
      rows.push([e.location_id, nameOf(e.location_id), 'excluded', e.reason]);
    return rows;
  }

  async function providers(location: unknown, period: unknown) {
    const periodText = periodArgument(period);
    const current = await portfolio();
    const site = resolveLocation(current, scopeArgument(location, 'location'), 'location');
    const people = current.providers.filter((p) => p.location_ids.includes(site.location_id));
    if (people.length === 0) throw notAvailable(`Location ${site.location_id} has no providers`);
    const requests = people.flatMap((p) =>
      PROVIDER_COLUMNS.map(([, metric]) => ({
        metric,
        period: periodText,
        location: site.location_id,
        provider: p.provider_id,
      })),
    );
    const results = await batcher.fetchMany(requests);
    const rows: Table = [['provider_id', 'provider', ...PROVIDER_COLUMNS.map(([header]) => header)]];
    people.forEach((p, row) => {
      const cells = PROVIDER_COLUMNS.map((_, column) => {
        const index = row * PROVIDER_COLUMNS.length + column;
        return cellOf(results[index]!, requestText(requests[index]!));
      });
      rows.push([p.provider_id, p.display_name, ...cells]);
    });
    return rows;
  }

  async function membership(scope: unknown, period: unknown, field?: unknown) {
    const chosen = optionalText(field, 'field')?.toLowerCase();
    if (chosen !== undefined && !MEMBERSHIP_FIELDS.includes(chosen)) {
      throw invalidArgument(`field '${chosen}' must be one of ${MEMBERSHIP_FIELDS.join(', ')}`);
    }
    const periodText = periodArgument(period);
    const resolved = await scopeOf(scope);
    if (chosen !== undefined) {
      const request = { metric: chosen, period: periodText, ...resolved };
      return [[valueOf(await batcher.fetch(request), request)]];
    }
    const requests = MEMBERSHIP_FIELDS.map((metric) => ({ metric, period: periodText, ...resolved }));
    const results = await batcher.fetchMany(requests);
    return [
      ['metric', 'value'],
      ...MEMBERSHIP_FIELDS.map((metric, i): CellValue[] => [
        metric,
        cellOf(results[i]!, requestText(requests[i]!)),
      ]),
    ];
  }

  async function benchmark(metric: unknown, scope: unknown, period: unknown, cohort?: unknown) {
    const id = metricArgument(metric);
    const periodText = periodArgument(period);
    const cohortText = optionalText(cohort, 'cohort');
    const site = resolveLocation(await portfolio(), scopeArgument(scope), 'scope');
    const answer = await client.benchmarks({
      metric: id,
      period: periodText,
      location: site.location_id,
      ...(cohortText === undefined ? {} : { cohort: cohortText }),
    });
    if (answer.percentile === null) {
      throw notAvailable(`No benchmark for ${id} at ${site.location_id}: ${answer.reason ?? 'not shown'}`);
    }
    return answer.percentile;
  }

  async function locations() {
    const current = await portfolio();
    const rows: Table = [
      [
        'location_id',
        'name',
        'region',
        'emr_system',
        'opened_on',
        'closed_on',
        'providers',
        'patients',
        'first_sale_on',
        'last_sale_on',
      ],
    ];
    for (const l of current.locations) {
      rows.push([
        l.location_id,
        l.name,
        blankIfNull(l.region),
        blankIfNull(l.emr_system),
        blankIfNull(l.opened_on),
        blankIfNull(l.closed_on),
        l.providers,
        l.patients,
        blankIfNull(l.first_sale_on),
        blankIfNull(l.last_sale_on),
      ]);
    }
    return rows;
  }

  async function metrics() {
    const catalog = await client.catalog();
    return [
      ['id', 'label', 'unit', 'family', 'scopes', 'direction'],
      ...catalog.map((m): CellValue[] => [m.id, m.label, m.unit, m.family, m.scopes.join(', '), m.direction]),
    ];
  }

  async function trace(metric: unknown, scope: unknown, period: unknown) {
    const request: MetricRequest = {
      metric: metricArgument(metric),
      period: periodArgument(period),
      ...(await scopeOf(scope)),
    };
    return traceTable(await client.trace(request));
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
    ['field', 'value'],
    ['metric', trace.metric],
    ['label', trace.label],
    ['period', trace.period.label],
    ['start', trace.period.start],
    ['end', trace.period.end],
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
