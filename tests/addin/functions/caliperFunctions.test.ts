import { CaliperClient, type MetricBody, type MetricRequest } from '../../../addin/api/caliperClient';
import { saveConnection } from '../../../addin/api/connectionStore';
import {
  type CaliperFunctions,
  createCaliperFunctions,
  type Table,
} from '../../../addin/functions/caliperFunctions';
import { CALIPER_FUNCTIONS, registerCaliperFunctions } from '../../../addin/functions/register';
import { createKey } from '../../../cli/commands/keysCommand';
import { type LocalHost, startLocalHost } from '../../../functions/localHost';
import { createRuntime, setRuntimeForTests } from '../../../functions/runtime';
import { fixture, openTestStore, type TestStore } from '../../support/testStore';
import { zipFolder } from '../../support/zipFolder';
import { installLocalStorage, removeLocalStorage } from '../api/webStorage';
import {
  associations,
  excelErrorOf,
  installCustomFunctionsRuntime,
  rejectionOf,
} from './customFunctionsRuntime';

let t: TestStore;
let host: LocalHost;
let key: string;

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
});
afterAll(async () => {
  await host.close();
  setRuntimeForTests(undefined);
  await t.close();
});

/** The API's own answer for a request, read with plain fetch: what every cell must equal. */
async function apiMetric(q: MetricRequest): Promise<MetricBody> {
  const query = new URLSearchParams(
    Object.entries(q).filter(([, v]) => v !== undefined) as [string, string][],
  );
  const response = await fetch(`${host.url}/api/metrics?${query.toString()}`, {
    headers: { authorization: `Bearer ${key}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as MetricBody;
}

/** A cell as the API value says it must be: the number, or #N/A when the value is null. */
async function expectedCell(q: MetricRequest): Promise<number | string> {
  return (await apiMetric(q)).value ?? '#N/A';
}

/** A cell's answer: its value, or the code of the Excel error it rejected with. */
async function cellOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    return await promise;
  } catch (error) {
    return excelErrorOf(error).code;
  }
}

/** Tables with their Excel errors shown as the error code, for exact comparison. */
function plain(table: Table | unknown[][]): unknown[][] {
  return table.map((row) =>
    row.map((cell) => (typeof cell === 'object' && cell !== null ? excelErrorOf(cell).code : cell)),
  );
}

/** Functions over a fresh client whose requests are counted, as Excel's runtime would hold one. */
function caliper(apiKey = key): { functions: CaliperFunctions; calls: string[] } {
  const calls: string[] = [];
  const countingFetch: typeof fetch = (input, init) => {
    calls.push(`${init?.method ?? 'GET'} ${new URL(input instanceof Request ? input.url : input).pathname}`);
    return fetch(input, init);
  };
  const client = new CaliperClient({ baseUrl: host.url, apiKey }, countingFetch);
  return { functions: createCaliperFunctions(client, { windowMs: 20 }), calls };
}

describe('CALIPER.KPI against the local API', () => {
  it('answers what GET /api/metrics answers for a location by id or by name, the portfolio and a provider', async () => {
    const { functions } = caliper();
    expect(await functions.kpi('net_revenue', 'L1', '2024')).toBe(
      await expectedCell({ metric: 'net_revenue', period: '2024', location: 'L1' }),
    );
    expect(await functions.kpi('net_revenue', 'north dallas', '2024')).toBe(
      await expectedCell({ metric: 'net_revenue', period: '2024', location: 'L1' }),
    );
    expect(await functions.kpi('net_revenue', 'PORTFOLIO', '2024-Q1')).toBe(
      await expectedCell({ metric: 'net_revenue', period: '2024-Q1' }),
    );
    expect(await functions.kpi('provider_production', 'L1/PR1', '2024')).toBe(
      await expectedCell({ metric: 'provider_production', period: '2024', location: 'L1', provider: 'PR1' }),
    );
    // By hand from the north bundle: 2024 net revenue at L1 is $1,000, PR1 produced $920 of it.
    expect(await functions.kpi('net_revenue', 'L1', '2024')).toBe(1000);
    expect(await functions.kpi('provider_production', 'provider:PR1', '2024')).toBe(920);
  });

  it('reads an Excel date as the twelve months ending with its month, and relative periods on the server', async () => {
    const { functions } = caliper();
    // 45382 = 2024-03-31.
    expect(await functions.kpi('L1', 'net_revenue', 45382)).toBe(
      await expectedCell({ metric: 'net_revenue', period: 'LTM@2024-03', location: 'L1' }),
    );
    expect(await cellOf(functions.kpi('', 'net_revenue', 'FY0'))).toBe(
      await expectedCell({ metric: 'net_revenue', period: 'FY0' }),
    );
  });

  it('answers the unit and coverage when asked through options', async () => {
    const { functions } = caliper();
    const api = await apiMetric({ metric: 'net_revenue', period: '2024', location: 'L1' });
    expect(await functions.kpi('net_revenue', 'L1', '2024', 'field=unit')).toBe('usd');
    expect(await functions.kpi('net_revenue', 'L1', '2024', 'coverage')).toBe(api.coverage);
  });

  it('is #N/A with the API message for an unknown metric and with our message for an unknown location', async () => {
    const { functions } = caliper();
    expect(await rejectionOf(functions.kpi('L1', 'no_such_metric', '2024'))).toEqual({
      code: '#N/A',
      message: 'Unknown metric "no_such_metric"; did you mean no_show_rate, cac.meta, avg_ticket?',
    });
    expect(await rejectionOf(functions.kpi('Nowhere', 'net_revenue', '2024'))).toEqual({
      code: '#N/A',
      message: "Unknown location 'Nowhere' (not a location id or name, nor a provider)",
    });
  });

  it('is #N/A with the reason when there is no value for the period', async () => {
    const { functions } = caliper();
    expect(await rejectionOf(functions.kpi('avg_ticket', 'L1', '1999'))).toEqual({
      code: '#N/A',
      message: 'No value for avg_ticket 1999 (L1): no visits in the period',
    });
  });

  it('is #VALUE! for a malformed period, before any request', async () => {
    const { functions, calls } = caliper();
    const error = await rejectionOf(functions.kpi('net_revenue', 'L1', '2024-13'));
    expect(error.code).toBe('#VALUE!');
    expect(error.message).toMatch(/^Unrecognized period "2024-13": month 13 does not exist;/);
    expect(calls).toEqual([]);
  });

  it('is #N/A telling the user to connect when the key is wrong', async () => {
    const { functions } = caliper('not-a-key');
    const error = await rejectionOf(functions.kpi('net_revenue', 'PORTFOLIO', '2024'));
    expect(error.code).toBe('#N/A');
    expect(error.message).toMatch(/^Not connected to Caliper: open the Caliper pane and connect/);
  });

  it('sends 50 concurrent calls as exactly one POST /api/metrics/batch', async () => {
    const { functions, calls } = caliper();
    const periods = ['2024-01', '2024-02', '2024-03', '2024-04', '2024'];
    const cells = Array.from({ length: 50 }, (_, i) =>
      functions.kpi('net_revenue', i % 2 === 0 ? 'L1' : 'South Austin, TX', periods[i % 5]!),
    );
    // L2's only sale line is on 2024-05-03: its months before have no facts, so #N/A, not 0.
    const values = (await Promise.allSettled(cells)).map((settled) =>
      settled.status === 'fulfilled' ? settled.value : excelErrorOf(settled.reason).code,
    );
    // One look-up of the location name, one POST for all the values.
    expect(calls).toEqual(['GET /api/portfolio', 'POST /api/metrics/batch']);
    for (let i = 0; i < 50; i++) {
      expect(values[i]).toBe(
        await expectedCell({
          metric: 'net_revenue',
          period: periods[i % 5]!,
          location: i % 2 === 0 ? 'L1' : 'L2',
        }),
      );
    }
    expect(values.filter((v) => v === '#N/A')).toHaveLength(20);
    // The same cells recalculated with the data unchanged come from the cache.
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => functions.kpi('net_revenue', 'L1', periods[i % 5]!)),
    );
    expect(calls.filter((c) => c === 'POST /api/metrics/batch')).toHaveLength(1);
  });
});

describe('the spilled functions against the local API', () => {
  it('SERIES spills one row per month with the values GET /api/metrics answers', async () => {
    const { functions, calls } = caliper();
    const table = await functions.series('L1', 'net_revenue', '2024-01', '2024-04');
    // The first days of 2024-01 … 2024-04 as Excel dates.
    const months: [string, number][] = [
      ['2024-01', 45292],
      ['2024-02', 45323],
      ['2024-03', 45352],
      ['2024-04', 45383],
    ];
    const expected = await Promise.all(
      months.map(async ([m, day]) => [
        day,
        await expectedCell({ metric: 'net_revenue', period: m, location: 'L1' }),
      ]),
    );
    expect(plain(table)).toEqual([['Period', 'Net revenue'], ...expected]);
    expect(calls.filter((c) => c === 'POST /api/metrics/batch')).toHaveLength(1);
  });

  it('SERIES by quarter labels calendar quarters', async () => {
    const { functions } = caliper();
    const table = await functions.series('PORTFOLIO', 'net_revenue', '2024-01', '2024-06', 'grain=quarter');
    expect(plain(table)).toEqual([
      ['Period', 'Net revenue'],
      [45292, await expectedCell({ metric: 'net_revenue', period: '2024-Q1' })],
      [45383, await expectedCell({ metric: 'net_revenue', period: '2024-Q2' })],
    ]);
  });

  it('PROVIDERS spills each provider of the location with the five P&L metrics', async () => {
    const { functions } = caliper();
    const table = await functions.providers('L1', '2024');
    const metricIds = [
      'provider_production',
      'provider_compensation',
      'provider_contribution',
      'comp_to_production_ratio',
      'provider_revenue_per_hour',
    ];
    const rows = [];
    for (const [id, name] of [
      ['PR1', 'Smith, Jane NP'],
      ['PR2', 'Amy Lee'],
    ] as const) {
      const cells = [];
      for (const metric of metricIds) {
        cells.push(await expectedCell({ metric, period: '2024', location: 'L1', provider: id }));
      }
      rows.push([id, name, ...cells]);
    }
    expect(plain(table)).toEqual([
      [
        'Provider ID',
        'Provider',
        'Provider production',
        'Provider compensation',
        'Provider contribution',
        'Compensation to production ratio',
        'Provider revenue per hour',
      ],
      ...rows,
    ]);
  });

  it('MEMBERSHIP answers one field as a value, or all five as a table', async () => {
    const { functions } = caliper();
    const fields = ['active_members', 'mrr', 'membership_churn_rate', 'arpm', 'membership_conversion_rate'];
    const labels = [
      'Active members',
      'Monthly recurring revenue (memberships)',
      'Membership churn rate',
      'Average revenue per member per month',
      'Membership conversion rate',
    ];
    const expected = [];
    for (const [i, metric] of fields.entries())
      expected.push([labels[i], await expectedCell({ metric, period: '2024', location: 'L1' })]);
    expect(plain(await functions.membership('L1', '2024'))).toEqual([['Metric', 'Value'], ...expected]);
    expect(await functions.membership('L1', '2024', 'mrr')).toEqual([
      [await expectedCell({ metric: 'mrr', period: '2024', location: 'L1' })],
    ]);
    expect((await rejectionOf(functions.membership('L1', '2024', 'nps'))).code).toBe('#VALUE!');
  });

  it('SAMESTORESET lists each location as comparable or excluded with the reason from the trace', async () => {
    const { functions } = caliper();
    const response = await fetch(`${host.url}/api/trace?metric=same_store_revenue_growth&period=2024-03`, {
      headers: { authorization: `Bearer ${key}` },
    });
    const trace = (await response.json()) as {
      details: { comparable: string[]; excluded: { location_id: string; reason: string }[] };
    };
    const names: Record<string, string> = { L1: 'North Dallas', L2: 'South Austin, TX' };
    expect(await functions.samestoreset('PORTFOLIO', '2024-03')).toEqual([
      ['Location ID', 'Name', 'Status', 'Reason'],
      ...trace.details.comparable.map((id) => [id, names[id], 'comparable', '']),
      ...trace.details.excluded.map((e) => [e.location_id, names[e.location_id], 'excluded', e.reason]),
    ]);
    expect(trace.details.comparable.length + trace.details.excluded.length).toBe(2);
  });

  it('SAMESTORE is #N/A with the reason when no location has a full prior year', async () => {
    const { functions } = caliper();
    // Both bundles start in 2024 (L2's sales too), so nothing is comparable with 2023.
    expect(await rejectionOf(functions.samestore('PORTFOLIO', '2024-03'))).toEqual({
      code: '#N/A',
      message:
        'No value for same_store_revenue_growth 2024-03 (the portfolio): no location is comparable for the period',
    });
    expect(await rejectionOf(functions.samestore('', '2024-03', 'net_revenue'))).toEqual({
      code: '#VALUE!',
      message: "SAMESTORE takes a same-store metric (same_store_…), not 'net_revenue'",
    });
  });

  it('BENCHMARK is #N/A with the reason when the cohort is too small to show', async () => {
    const { functions } = caliper();
    expect(await rejectionOf(functions.benchmark('North Dallas', 'net_revenue', '2024'))).toEqual({
      code: '#N/A',
      message:
        'No benchmark for net_revenue at L1: the cohort has 2 locations with a value, fewer than the 5 needed to show a benchmark',
    });
  });

  it('LOCATIONS, METRICS and TRACE spill tables with a header row', async () => {
    const { functions } = caliper();
    const locations = await functions.locations();
    expect(locations[0]).toEqual([
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
    // Opened 2020-03-01 = 43891 and 2021-09-01 = 44440 as Excel dates.
    expect(locations.slice(1).map((r) => r.slice(0, 6))).toEqual([
      ['L1', 'North Dallas', 'Southwest', 'Zenoti', 43891, ''],
      ['L2', 'South Austin, TX', 'Southwest', 'Boulevard', 44440, ''],
    ]);

    const catalog = (await (
      await fetch(`${host.url}/api/catalog`, { headers: { authorization: `Bearer ${key}` } })
    ).json()) as { id: string }[];
    const metrics = await functions.metrics();
    expect(metrics[0]).toEqual(['ID', 'Label', 'Unit', 'Family', 'Scopes', 'Direction']);
    expect(metrics.slice(1).map((r) => r[0])).toEqual(catalog.map((m) => m.id));

    const trace = await functions.trace('L1', 'net_revenue', '2024');
    const api = await apiMetric({ metric: 'net_revenue', period: '2024', location: 'L1' });
    expect(trace.slice(0, 10)).toEqual([
      ['Field', 'Value'],
      ['metric', 'net_revenue'],
      ['label', expect.any(String)],
      ['period', '2024'],
      ['start', 45292],
      ['end', 45657],
      ['scope', 'L1'],
      ['value', api.value],
      ['unit', 'usd'],
      ['coverage', api.coverage ?? ''],
    ]);
    expect(trace).toContainEqual(['formula', api.formula]);
    expect(trace.some((row) => String(row[0]).startsWith('source: sales.csv'))).toBe(true);
  });
});

describe('the registered functions', () => {
  beforeAll(() => {
    installLocalStorage();
  });
  afterAll(removeLocalStorage);

  it('associates every functions.json id and answers over the connection the pane saved', async () => {
    registerCaliperFunctions();
    expect([...associations.keys()]).toEqual(Object.keys(CALIPER_FUNCTIONS));
    const kpi = associations.get('KPI') as typeof CALIPER_FUNCTIONS.KPI;

    expect(await rejectionOf(kpi('net_revenue', 'L1', '2024'))).toMatchObject({ code: '#N/A' });
    saveConnection({ baseUrl: host.url, apiKey: key });
    expect(await kpi('net_revenue', 'L1', '2024')).toBe(1000);
  });
});

describe('the cache across an ingest', () => {
  it('drops cached answers and the portfolio once an answer carries a newer data version', async () => {
    const { functions, calls } = caliper();
    await functions.kpi('net_revenue', 'L1', '2024');
    await functions.kpi('net_revenue', 'L1', '2024');
    expect(calls).toEqual(['GET /api/portfolio', 'POST /api/metrics/batch']);

    // Someone ingests again: a new ingest id, hence a new data version.
    const upload = await fetch(`${host.url}/api/ingest`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/zip' },
      body: new Uint8Array(await zipFolder(fixture('north'))),
    });
    expect(upload.status).toBe(200);

    // A request not in the cache learns the new version; the portfolio and the cached value go.
    await functions.kpi('visits', 'PORTFOLIO', '2024');
    await functions.kpi('net_revenue', 'L1', '2024');
    expect(calls).toEqual([
      'GET /api/portfolio',
      'POST /api/metrics/batch',
      'POST /api/metrics/batch',
      'GET /api/portfolio',
      'POST /api/metrics/batch',
    ]);
  });
});
