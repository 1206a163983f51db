import fc from 'fast-check';

import { CaliperClient } from '../../../addin/api/caliperClient';
import {
  grainArgument,
  metricArgument,
  monthOfExcelDate,
  optionalText,
  periodArgument,
  requiredText,
  scopeArgument,
  seriesMonthArgument,
  seriesPeriods,
} from '../../../addin/functions/arguments';
import { type CaliperFunctions, createCaliperFunctions } from '../../../addin/functions/caliperFunctions';
import { CaliperFunctionError, toExcelError } from '../../../addin/functions/excelErrors';
import { timeoutMessage } from '../../../addin/functions/metricBatcher';
import { parseOptions } from '../../../addin/functions/options';
import { errorName, FUZZ_TIMEOUT_MS, fuzzParameters, thrownBy } from '../../support/fuzz';
import { excelErrorOf, installCustomFunctionsRuntime } from './customFunctionsRuntime';

/*
 * Fuzzing the custom functions' arguments (issue 11, item 8): whatever a cell hands over —
 * text, numbers (NaN, infinities, serials out of range), booleans, empty cells, 2-D ranges —
 * each argument parser answers a value or throws a CaliperFunctionError with a message, which
 * toExcelError turns into `#VALUE!` with that message; and every `=CALIPER.*` function, over a
 * stand-in API, resolves to a value or rejects with an Excel error with a message, in time.
 */

beforeAll(() => installCustomFunctionsRuntime());

/** A scalar as Excel's runtime passes one. */
const scalar: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      'PORTFOLIO',
      'portfolio',
      'provider:',
      'provider: P1',
      'Provider:p1',
      'L1/P1',
      '/P1',
      'L1/',
      '/',
      'Austin',
      'L1',
      'net_revenue',
      'same_store_revenue_growth',
      'mrr',
      'active_members',
      'field=coverage',
      'coverage',
      'unit',
      'field=',
      '=',
      ';;',
      'field=value;field=unit',
      'units=K',
      'units=thousands',
      'na=blank',
      'na=zero',
      'headers=false',
      'cohort=region',
      'field=cohort',
      'first',
      'Net Revenue',
      'NET_REVENUE',
      'Austin–Clinic',
      'month',
      'Q',
      'y',
      '2025',
      '2025-Q3',
      '2025-13',
      'FY2025',
      'FY0',
      'FY-99',
      'LTM',
      'LTM-1',
      'YTD@2025-06',
      '2025-01-01..2025-03-31',
      '2999-12-01..2999-12-31',
      '1900-01-01..2999-12-31',
      '#N/A',
      '#VALUE!',
    ),
  },
  { weight: 2, arbitrary: fc.string({ maxLength: 20 }) },
  {
    weight: 2,
    arbitrary: fc.oneof(
      fc.double(),
      fc.integer({ min: -10, max: 402_000 }),
      fc.constantFrom(0, 60, 61, 401_768, 401_769, -0, Number.NaN, Infinity, -Infinity, 1e308, 45_000.75),
    ),
  },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constantFrom(null, undefined) },
);

/** What a cell argument can be: a scalar, or a range (a 2-D array) of them. */
const excelValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(fc.array(scalar, { maxLength: 3 }), { maxLength: 3 }) },
);

/** Runs one parser: its value, or the message of the CaliperFunctionError it threw; anything else fails. */
function expectValueOrExcelError(name: string, body: () => unknown): void {
  const thrown = thrownBy(body);
  if (thrown === null) return;
  if (!(thrown instanceof CaliperFunctionError)) throw new Error(`${name} crashed: ${errorName(thrown)}`);
  expect(thrown.kind).toBe('invalidValue');
  expect(thrown.message.trim()).not.toBe('');
  const cell = excelErrorOf(toExcelError(thrown));
  expect(cell.code).toBe('#VALUE!');
  expect((cell.message ?? '').length).toBeGreaterThan(0);
  expect((cell.message ?? '').length).toBeLessThanOrEqual(255);
}

const month = fc
  .tuple(fc.integer({ min: 1900, max: 2999 }), fc.integer({ min: 1, max: 12 }))
  .map(([y, m]) => `${y}-${String(m).padStart(2, '0')}`);

describe('the argument parsers under fuzzing', () => {
  it(
    'answer any cell value with a value or #VALUE! with a message, never another throw',
    () => {
      fc.assert(
        fc.property(excelValue, excelValue, (value, other) => {
          expectValueOrExcelError('optionalText', () => optionalText(value, 'x'));
          expectValueOrExcelError('requiredText', () => requiredText(value, 'x'));
          expectValueOrExcelError('metricArgument', () => metricArgument(value));
          expectValueOrExcelError('periodArgument', () => periodArgument(value));
          expectValueOrExcelError('seriesMonthArgument', () => seriesMonthArgument(value, 'start', 'first'));
          expectValueOrExcelError('seriesMonthArgument', () => seriesMonthArgument(other, 'end', 'last'));
          expectValueOrExcelError('grainArgument', () => grainArgument(value));
          expectValueOrExcelError('scopeArgument', () => scopeArgument(value));
          expectValueOrExcelError('parseOptions', () =>
            parseOptions(
              { fn: 'KPI', accepts: ['field', 'units', 'na', 'headers'], fields: ['value'], bare: 'field' },
              value,
            ),
          );
          if (typeof value === 'number') {
            expectValueOrExcelError('monthOfExcelDate', () => monthOfExcelDate(value, 'date'));
          }
        }),
        fuzzParameters(1000),
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'seriesPeriods answers any two months and grain with at most 1,200 labels or #VALUE!',
    () => {
      fc.assert(
        fc.property(
          month,
          month,
          fc.constantFrom('month', 'quarter', 'year') as fc.Arbitrary<'month'>,
          (a, b, g) => {
            let labels: string[] = [];
            expectValueOrExcelError('seriesPeriods', () => {
              labels = seriesPeriods(a, b, g);
            });
            expect(labels.length).toBeLessThanOrEqual(1200);
          },
        ),
        fuzzParameters(500),
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});

// The functions themselves, over a stand-in API that answers like the real one.

const PORTFOLIO = {
  tenant: 't1',
  data_version: 1,
  locations: [
    {
      location_id: 'L1',
      name: 'Austin',
      region: null,
      emr_system: 'zenoti',
      opened_on: '2020-01-01',
      closed_on: null,
      providers: 1,
      patients: 10,
      first_sale_on: '2020-01-02',
      last_sale_on: '2025-12-31',
    },
  ],
  providers: [{ provider_id: 'P1', display_name: 'Ann Lee', location_ids: ['L1'] }],
  data_freshness: [],
  periods: { first_month: '2020-01', last_month: '2025-12', as_of_month: '2025-12' },
};

const TRACE = {
  metric: 'net_revenue',
  label: 'Net revenue',
  definition: null,
  period: { label: '2025', start: '2025-01-01', end: '2025-12-31' },
  scope: { kind: 'portfolio', location_id: null, provider_id: null },
  value: 1,
  unit: 'usd',
  coverage: 1,
  formula: 'sum',
  operands: [],
  sources: [],
  details: { comparable: ['L1'], excluded: [] },
};

const CALL_LIST = {
  data_version: 1,
  scope: 'location',
  location_id: 'L1',
  location_name: 'Austin',
  as_of: '2025-12-31',
  horizon_days: 90,
  n: 25,
  patients_scored: 10,
  eligible: 1,
  eligible_value_at_risk_cents: 12345,
  shown_value_at_risk_cents: 12345,
  fallbacks: [],
  locations: [],
  rows: [
    {
      rank: 1,
      location_id: 'L1',
      patient_id: 'P-1',
      last_treatment: 'Neurotoxin',
      last_visit_on: '2025-09-01',
      provider_name: null,
      days_since_last: 121,
      typical_interval_days: 98,
      days_overdue: 23,
      churn_risk: 0.8,
      reasons: 'no appointment booked',
      value_at_risk_cents: 12345,
      value_if_retained_cents: 15431,
    },
  ],
};

const FORECAST = {
  data_version: 1,
  scope: 'location',
  location_id: 'L1',
  location_name: 'Austin',
  category: null,
  origin: '2025-12',
  as_of: '2025-12-31',
  months_ahead: 1,
  locations_in_sum: 1,
  locations: [{ location_id: 'L1', name: 'Austin', in_sum: true, code: null, reason: null, inputs: {} }],
  months: [
    {
      month: '2026-01',
      horizon: 1,
      total_cents: 1234567,
      components: { returning_cents: 1000000, new_patients_cents: 200000, other_cents: 34567 },
      categories: {
        neurotoxin: {
          cents: 600000,
          returning_cents: 500000,
          new_patients_cents: 100000,
          seasonal_naive_cents: null,
        },
      },
      seasonal_naive_from: '2025-01',
      seasonal_naive_cents: null,
      seasonal_naive_reason: 'no seasonal-naive value: 2025-01 is before the data',
    },
  ],
};

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

/** The API as the functions see it: each metric answers a value, null or an error slot by its name. */
const fakeFetch: typeof fetch = async (input, init) => {
  const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
  switch (url.pathname) {
    case '/api/metrics/batch': {
      const { requests } = JSON.parse(init?.body as string) as {
        requests: { metric: string; period: string }[];
      };
      const results = requests.map((r) =>
        r.metric.length % 3 === 0
          ? { error: { code: 'unknown_metric', message: `Unknown metric ${JSON.stringify(r.metric)}` } }
          : r.metric.length % 3 === 1
            ? { value: null, unit: 'usd', coverage: null, reason: 'no data' }
            : { value: 1.5, unit: 'usd', coverage: 0.9 },
      );
      return json({ results, data_version: 1 });
    }
    case '/api/portfolio':
      return json(PORTFOLIO);
    case '/api/trace':
      return json(TRACE);
    case '/api/benchmarks':
      return json({
        metric: url.searchParams.get('metric'),
        location_id: 'L1',
        period: url.searchParams.get('period'),
        value: 1,
        cohort: { attributes: {}, size: 5 },
        shown: true,
        percentile: 50,
        peers: { p25: 1, median: 2, p75: 3 },
      });
    case '/api/catalog':
      return json([]);
    case '/api/calllist':
      return json(CALL_LIST);
    case '/api/forecast':
      return json(FORECAST);
    default:
      return json({ error: { code: 'not_found', message: 'no such route' } }, 404);
  }
};

const TIMEOUT_MS = 5000;

function expectCellAnswer(name: string, settled: PromiseSettledResult<unknown>): void {
  if (settled.status === 'fulfilled') {
    const value = settled.value;
    const cells = Array.isArray(value) ? (value as unknown[][]).flat() : [value];
    for (const cell of cells) {
      if (typeof cell === 'object' && cell !== null) {
        expect((excelErrorOf(cell).message ?? '').length).toBeGreaterThan(0);
      } else expect(['string', 'number', 'boolean']).toContain(typeof cell);
    }
    return;
  }
  let error: { code: string; message?: string };
  try {
    error = excelErrorOf(settled.reason);
  } catch {
    throw new Error(
      `${name} rejected with something other than an Excel error: ${errorName(settled.reason)}`,
    );
  }
  expect(['#VALUE!', '#N/A']).toContain(error.code);
  expect((error.message ?? '').length).toBeGreaterThan(0);
  expect(error.message).not.toBe(timeoutMessage(TIMEOUT_MS));
  // A bug in the add-in would still be an Excel error, but a named one: none is expected here.
  expect(error.message).not.toMatch(/^Caliper add-in error/);
}

describe('the =CALIPER.* functions under fuzzing', () => {
  let functions: CaliperFunctions;
  beforeAll(() => {
    const client = new CaliperClient({ baseUrl: 'http://caliper.test', apiKey: 'k' }, fakeFetch);
    functions = createCaliperFunctions(client, { windowMs: 1, timeoutMs: TIMEOUT_MS });
  });

  it(
    'answer any arguments with a value or an Excel error with a message, in time',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(excelValue, { minLength: 5, maxLength: 5 }), async ([a, b, c, d, e]) => {
          const calls: [string, Promise<unknown>][] = [
            ['KPI', functions.kpi(a, b, c, d, e)],
            ['SERIES', functions.series(a, b, c, d, e)],
            ['SAMESTORE', functions.samestore(a, b, c, d)],
            ['SAMESTORESET', functions.samestoreset(a, b, c)],
            ['PROVIDERS', functions.providers(a, b, c)],
            ['MEMBERSHIP', functions.membership(a, b, c)],
            ['BENCHMARK', functions.benchmark(a, b, c, d, e)],
            ['TRACE', functions.trace(a, b, c, d)],
            ['LOCATIONS', functions.locations(a)],
            ['PERIODS', functions.periods(a, b)],
            ['CALLLIST', functions.calllist(a, b, c)],
            ['FORECAST', functions.forecast(a, b, c, d)],
          ];
          const settled = await Promise.allSettled(calls.map(([, p]) => p));
          settled.forEach((s, i) => expectCellAnswer(calls[i]![0], s));
        }),
        fuzzParameters(150, { timeout: 2 * TIMEOUT_MS }),
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});
