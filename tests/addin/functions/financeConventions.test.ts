/*
 * The functions as a CIQ / FactSet / Bloomberg user writes them (issue 13): identifier first
 * with the old order still read, forgiving names and strict answers, name=value options,
 * spills with label headers and Excel dates, ASOF and PERIODS, BENCHMARK's cohort. Against the
 * real local API over a real SQLite store with the north and south fixtures; every expected
 * value is the API's own answer (plain fetch) or worked from the fixtures by hand.
 */
import { CaliperClient, type MetricBody, type MetricRequest } from '../../../addin/api/caliperClient';
import {
  type CaliperFunctions,
  createCaliperFunctions,
  type Table,
} from '../../../addin/functions/caliperFunctions';
import { createKey } from '../../../cli/commands/keysCommand';
import { type LocalHost, startLocalHost } from '../../../functions/localHost';
import { createRuntime, setRuntimeForTests } from '../../../functions/runtime';
import { fixture, openTestStore, type TestStore } from '../../support/testStore';
import { zipFolder } from '../../support/zipFolder';
import { excelErrorOf, installCustomFunctionsRuntime, rejectionOf } from './customFunctionsRuntime';

let t: TestStore;
let host: LocalHost;
let key: string;

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${host.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

beforeAll(async () => {
  installCustomFunctionsRuntime();
  t = openTestStore();
  const runtime = createRuntime({ storeFile: t.file, auth: { mode: 'api-key' } }, t.store);
  key = (await createKey(t.store, 't1', 'tests')).key;
  host = await startLocalHost({ port: 0, runtime });
  for (const bundle of ['north', 'south']) {
    const upload = await fetch(`${host.url}/api/ingest`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/zip' },
      body: new Uint8Array(await zipFolder(fixture(bundle))),
    });
    expect(upload.status).toBe(200);
  }
  // Names as a portfolio of one brand has them: a common prefix, an en dash.
  await api('PATCH', '/api/locations/L1', { fields: { name: 'Contour Clinic – North Dallas' } });
  await api('PATCH', '/api/locations/L2', { fields: { name: 'Contour Clinic – Charleston' } });
});
afterAll(async () => {
  await host.close();
  setRuntimeForTests(undefined);
  await t.close();
});

async function apiMetric(q: MetricRequest): Promise<MetricBody> {
  const query = new URLSearchParams(
    Object.entries(q).filter(([, v]) => v !== undefined) as [string, string][],
  );
  return api<MetricBody>('GET', `/api/metrics?${query.toString()}`);
}

/** The API's value for a request: what a cell must show (#N/A when it is null). */
async function expectedCell(q: MetricRequest): Promise<number | string> {
  return (await apiMetric(q)).value ?? '#N/A';
}

/** A cell's answer: its value, or the code of the Excel error it rejected with. */
async function cell(promise: Promise<unknown>): Promise<unknown> {
  try {
    return await promise;
  } catch (error) {
    return excelErrorOf(error).code;
  }
}

function plain(table: Table): unknown[][] {
  return table.map((row) => row.map((c) => (typeof c === 'object' && c !== null ? excelErrorOf(c).code : c)));
}

/** Excel's serial of a day, worked independently of the add-in: days since 1899-12-30. */
function serial(day: string): number {
  return (Date.parse(`${day}T00:00:00Z`) - Date.UTC(1899, 11, 30)) / 86_400_000;
}

function caliper(): { functions: CaliperFunctions; calls: string[] } {
  const calls: string[] = [];
  const countingFetch: typeof fetch = (input, init) => {
    calls.push(`${init?.method ?? 'GET'} ${new URL(input instanceof Request ? input.url : input).pathname}`);
    return fetch(input, init);
  };
  const client = new CaliperClient({ baseUrl: host.url, apiKey: key }, countingFetch);
  return { functions: createCaliperFunctions(client, { windowMs: 20 }), calls };
}

describe('one signature family, identifier first, the old order still read', () => {
  it('KPI answers the same value in both orders, equal to the API', async () => {
    const { functions } = caliper();
    const expected = await expectedCell({ metric: 'net_revenue', period: '2024', location: 'L1' });
    // By hand from the north bundle: 2024 net revenue at L1 is $1,000.
    expect(expected).toBe(1000);
    expect(await functions.kpi('L1', 'net_revenue', '2024')).toBe(expected);
    expect(await functions.kpi('net_revenue', 'L1', '2024')).toBe(expected);
    expect(await cell(functions.kpi('PORTFOLIO', 'visits', '2024-Q1'))).toBe(
      await expectedCell({ metric: 'visits', period: '2024-Q1' }),
    );
    expect(await cell(functions.kpi('visits', 'PORTFOLIO', '2024-Q1'))).toBe(
      await expectedCell({ metric: 'visits', period: '2024-Q1' }),
    );
    // The portfolio written as an empty scope, in the old order.
    expect(await cell(functions.kpi('visits', '', '2024-Q1'))).toBe(
      await expectedCell({ metric: 'visits', period: '2024-Q1' }),
    );
  });

  it('KPI without a period is the LTM at the as-of month', async () => {
    const { functions } = caliper();
    expect(await cell(functions.kpi('L1', 'net_revenue'))).toBe(
      await expectedCell({ metric: 'net_revenue', period: 'LTM', location: 'L1' }),
    );
  });

  it('SERIES, TRACE and BENCHMARK read both orders alike', async () => {
    const { functions } = caliper();
    expect(plain(await functions.series('L1', 'net_revenue', '2024-01', '2024-03'))).toEqual(
      plain(await functions.series('net_revenue', 'L1', '2024-01', '2024-03')),
    );
    expect(await functions.trace('L1', 'net_revenue', '2024')).toEqual(
      await functions.trace('net_revenue', 'L1', '2024'),
    );
    const newOrder = await rejectionOf(functions.benchmark('L1', 'net_revenue', '2024'));
    expect(await rejectionOf(functions.benchmark('net_revenue', 'L1', '2024'))).toEqual(newOrder);
    expect(newOrder.code).toBe('#N/A');
  });

  it('SAMESTORE and SAMESTORESET read the old period-first order', async () => {
    const { functions } = caliper();
    const expected = await expectedCell({ metric: 'same_store_revenue_growth', period: '2024-03' });
    expect(await cell(functions.samestore('PORTFOLIO', '2024-03'))).toBe(expected);
    expect(await cell(functions.samestore('2024-03'))).toBe(expected);
    expect(await cell(functions.samestore('2024-03', 'same_store_revenue_growth', 'PORTFOLIO'))).toBe(
      expected,
    );
    expect(await functions.samestoreset('PORTFOLIO', '2024-03')).toEqual(
      await functions.samestoreset('2024-03'),
    );
  });
});

describe('names forgiving, answers strict', () => {
  it.each(['Net Revenue', 'NET_REVENUE', 'net revenue', 'net-revenue', ' Net revenue '])(
    'reads the metric %j as net_revenue, in either order',
    async (name) => {
      const { functions } = caliper();
      const expected = await expectedCell({ metric: 'net_revenue', period: '2024', location: 'L1' });
      expect(await functions.kpi('L1', name, '2024')).toBe(expected);
      expect(await functions.kpi(name, 'L1', '2024')).toBe(expected);
    },
  );

  it('finds a location by an unambiguous part of its name, any case and any dash', async () => {
    const { functions } = caliper();
    const expected = await expectedCell({ metric: 'net_revenue', period: '2024', location: 'L2' });
    for (const name of [
      'Charleston',
      'charleston',
      'Contour Clinic - Charleston',
      'CONTOUR CLINIC – CHARLESTON',
      'L2',
    ]) {
      expect(await cell(functions.kpi(name, 'Net revenue', '2024'))).toBe(expected);
    }
  });

  it('is #N/A naming the candidates for an ambiguous name, and naming an unknown one', async () => {
    const { functions } = caliper();
    expect(await rejectionOf(functions.kpi('Contour Clinic', 'net_revenue', '2024'))).toEqual({
      code: '#N/A',
      message:
        "Ambiguous location 'Contour Clinic': 2 locations match (L1 Contour Clinic – North Dallas; L2 Contour Clinic – Charleston); use the id or the full name",
    });
    expect(await rejectionOf(functions.kpi('Nowhere', 'net_revenue', '2024'))).toEqual({
      code: '#N/A',
      message: "Unknown location 'Nowhere' (not a location id or name, nor a provider)",
    });
  });

  it('is #N/A with the API message for an unknown metric', async () => {
    const { functions } = caliper();
    expect(await rejectionOf(functions.kpi('L1', 'no_such_metric', '2024'))).toEqual({
      code: '#N/A',
      message: 'Unknown metric "no_such_metric"; did you mean no_show_rate, cac.meta, avg_ticket?',
    });
  });
});

describe('options as name=value pairs', () => {
  it('units=K and units=M divide money, and leave ratios and counts alone', async () => {
    const { functions } = caliper();
    const revenue = (await apiMetric({ metric: 'net_revenue', period: '2024', location: 'L1' })).value!;
    expect(await functions.kpi('L1', 'net_revenue', '2024', 'units=K')).toBe(revenue / 1_000);
    expect(await functions.kpi('L1', 'net_revenue', '2024', ['units=M'])).toBe(revenue / 1_000_000);
    expect(await functions.kpi('net_revenue', 'L1', '2024', 'UNITS=k')).toBe(revenue / 1_000);
    expect(await cell(functions.kpi('L1', 'visits', '2024', 'units=K'))).toBe(
      await expectedCell({ metric: 'visits', period: '2024', location: 'L1' }),
    );
  });

  it('na=blank, na=zero and na=error choose what an absent value shows', async () => {
    const { functions } = caliper();
    // No visits at L1 in 1999: the API's value is null.
    expect((await apiMetric({ metric: 'avg_ticket', period: '1999', location: 'L1' })).value).toBeNull();
    expect(await functions.kpi('L1', 'avg_ticket', '1999', 'na=blank')).toBe('');
    expect(await functions.kpi('L1', 'avg_ticket', '1999', 'na=zero')).toBe(0);
    expect(await rejectionOf(functions.kpi('L1', 'avg_ticket', '1999', 'na=error'))).toEqual({
      code: '#N/A',
      message: 'No value for avg_ticket 1999 (L1): no visits in the period',
    });
    // Several options, as separate arguments (Excel's repeating parameter) or with ";".
    expect(await functions.kpi('L1', 'avg_ticket', '1999', ['units=K', 'na=zero'])).toBe(0);
    expect(await functions.kpi('L1', 'avg_ticket', '1999', 'units=K; na=blank')).toBe('');
  });

  it('is #VALUE! naming an unknown option or value and listing the accepted ones, before any request', async () => {
    const { functions, calls } = caliper();
    expect(await rejectionOf(functions.kpi('L1', 'net_revenue', '2024', 'currency=EUR'))).toEqual({
      code: '#VALUE!',
      message:
        'Unknown KPI option "currency=EUR": accepted field=value|coverage|unit, units=K|M, na=error|blank|zero',
    });
    expect(await rejectionOf(functions.kpi('L1', 'net_revenue', '2024', 'units=B'))).toEqual({
      code: '#VALUE!',
      message: 'KPI option units "B" is not accepted: units=K|M',
    });
    expect(await rejectionOf(functions.kpi('L1', 'net_revenue', '2024', 'na=dash'))).toEqual({
      code: '#VALUE!',
      message: 'KPI option na "dash" is not accepted: na=error|blank|zero',
    });
    expect(calls).toEqual([]);
  });
});

describe('spills a finance user can chart', () => {
  it('SERIES has a label header and month-start Excel dates, units applied', async () => {
    const { functions } = caliper();
    const months = ['2024-01', '2024-02', '2024-03'];
    const values = await Promise.all(
      months.map((m) => expectedCell({ metric: 'net_revenue', period: m, location: 'L1' })),
    );
    expect(plain(await functions.series('L1', 'Net revenue', '2024-01', '2024-03'))).toEqual([
      ['Period', 'Net revenue'],
      ...months.map((m, i) => [serial(`${m}-01`), values[i]]),
    ]);
    expect(
      plain(await functions.series('L1', 'net_revenue', '2024-01', '2024-03', 'headers=false', 'units=K')),
    ).toEqual(
      months.map((m, i) => [serial(`${m}-01`), typeof values[i] === 'number' ? values[i] / 1000 : values[i]]),
    );
    // Quarters start on their first month: 2024-04-01 is serial 45383.
    const quarters = await functions.series(
      'PORTFOLIO',
      'net_revenue',
      '2024-01',
      '2024-06',
      'grain=quarter',
    );
    expect(quarters.map((r) => r[0])).toEqual(['Period', 45292, 45383]);
  });

  it('LOCATIONS has label headers and dates as Excel dates', async () => {
    const { functions } = caliper();
    const table = await functions.locations();
    expect(table[0]).toEqual([
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
    ]);
    // From the fixtures' locations.csv: opened 2020-03-01 and 2021-09-01.
    expect(table.slice(1).map((r) => r.slice(0, 6))).toEqual([
      ['L1', 'Contour Clinic – North Dallas', 'Southwest', 'Zenoti', serial('2020-03-01'), ''],
      ['L2', 'Contour Clinic – Charleston', 'Southwest', 'Boulevard', serial('2021-09-01'), ''],
    ]);
    expect((await functions.locations('headers=false'))[0]![0]).toBe('L1');
  });

  it('PROVIDERS and MEMBERSHIP headers are catalog labels', async () => {
    const { functions } = caliper();
    const catalog = await api<{ id: string; label: string }[]>('GET', '/api/catalog');
    const label = (id: string) => catalog.find((m) => m.id === id)!.label;
    const providers = await functions.providers('North Dallas', '2024', 'units=K');
    expect(providers[0]).toEqual([
      'Provider ID',
      'Provider',
      `${label('provider_production')} ($K)`,
      `${label('provider_compensation')} ($K)`,
      `${label('provider_contribution')} ($K)`,
      label('comp_to_production_ratio'),
      `${label('provider_revenue_per_hour')} ($K)`,
    ]);
    // By hand from the north bundle: PR1 produced $920 in 2024.
    expect(providers[1]!.slice(0, 3)).toEqual(['PR1', 'Smith, Jane NP', 0.92]);
    const membership = await functions.membership('L1', '2024');
    expect(membership.map((r) => r[0])).toEqual([
      'Metric',
      ...['active_members', 'mrr', 'membership_churn_rate', 'arpm', 'membership_conversion_rate'].map(label),
    ]);
    expect(await functions.membership('L1', '2024', 'field=mrr')).toEqual([
      [await expectedCell({ metric: 'mrr', period: '2024', location: 'L1' })],
    ]);
  });
});

describe('ASOF and PERIODS from GET /api/portfolio', () => {
  it('ASOF is the last day of the as-of month; PERIODS spills every month with data', async () => {
    const { functions } = caliper();
    const { periods } = await api<{
      periods: { first_month: string; last_month: string; as_of_month: string | null };
    }>('GET', '/api/portfolio');
    // The fixtures' sales run from 2024-01-05 to 2024-05-03.
    expect([periods.first_month, periods.last_month]).toEqual(['2024-01', '2024-05']);
    // The latest month complete at every open location: L2's sales stop on 2024-05-03.
    expect(periods.as_of_month).toBe('2024-03');
    const asOf = await functions.asof();
    expect(asOf).toBe(serial('2024-03-31'));
    expect(asOf).toBe(45382);
    // ASOF() as a period: the twelve months ending with the as-of month.
    expect(await cell(functions.kpi('L1', 'net_revenue', asOf))).toBe(
      await expectedCell({ metric: 'net_revenue', period: 'LTM@2024-03', location: 'L1' }),
    );
    expect(await functions.periods()).toEqual([
      ['Month'],
      ...['2024-01', '2024-02', '2024-03', '2024-04', '2024-05'].map((mo) => [serial(`${mo}-01`)]),
    ]);
    expect(await functions.periods('field=first', 'headers=false')).toEqual([[serial('2024-01-01')]]);
    expect(await functions.periods('last')).toEqual([['Last month'], [serial('2024-05-01')]]);
    expect(await functions.periods('field=asof')).toEqual([['As-of month'], [serial('2024-03-01')]]);
  });
});

describe('BENCHMARK and its cohort', () => {
  it('answers the cohort name and size the API ranks the location in', async () => {
    const { functions } = caliper();
    const answer = await api<{ cohort: { attributes: Record<string, string>; size: number } }>(
      'GET',
      '/api/benchmarks?metric=net_revenue&period=2024&location=L1&cohort=region',
    );
    expect(await functions.benchmark('L1', 'net_revenue', '2024', 'cohort=region', 'field=cohort')).toEqual([
      ['Cohort', 'Size'],
      [`region=${answer.cohort.attributes.region}`, answer.cohort.size],
    ]);
    // Both fixture locations are in the Southwest.
    expect(answer.cohort.attributes.region).toBe('Southwest');
    expect(await functions.benchmark('L1', 'net_revenue', '2024', 'na=blank')).toEqual([['']]);
  });

  it('ranks by default among the same size band and region, the default of caliper benchmark', async () => {
    const { functions } = caliper();
    const asked = await api<{ cohort: { attributes: Record<string, string>; size: number } }>(
      'GET',
      '/api/benchmarks?metric=net_revenue&period=2024&location=L1&cohort=size_band,region',
    );
    expect(Object.keys(asked.cohort.attributes)).toEqual(['size_band', 'region']);
    expect(await functions.benchmark('L1', 'net_revenue', '2024', 'field=cohort', 'headers=false')).toEqual([
      [
        `size_band=${asked.cohort.attributes.size_band}, region=${asked.cohort.attributes.region}`,
        asked.cohort.size,
      ],
    ]);
  });
});
