import type { ForecastBody } from '../../addin/api/caliperClient';
import { createKey } from '../../cli/commands/keysCommand';
import { type LocalHost, startLocalHost } from '../../functions/localHost';
import { createRuntime, setRuntimeForTests } from '../../functions/runtime';
import { forecastBodySchema } from '../../shared/contract/forecast';
import type { MetricContext } from '../../shared/metrics/metricContext';
import { openMetrics } from '../../shared/metrics/openMetrics';
import { ForecastCache } from '../../shared/models/forecastCache';
import { FORECAST_CATEGORIES, type ForecastCategory, seasonalNaive } from '../../shared/models/forecastData';
import { forecastRevenue, type RevenueForecast } from '../../shared/models/revenueForecast';
import { ingestCallListDemo, TWO_LOCATION_DEMO } from '../support/callListDemo';
import { fixture, openTestStore, type TestStore } from '../support/testStore';

/*
 * GET /api/forecast through the real local host (HTTP on a port, the handlers of
 * functions/routes.ts). Tenant t1 holds the call list's 3-location demo (L001 forecast, L002
 * closed in 2025-09, L003 too young); tenant t2 the 2-location demo, both open: a portfolio of
 * two. Expected answers are built here from `forecastRevenue` and `seasonalNaive` alone.
 */

let t: TestStore;
let host: LocalHost;
let keyA: string;
let keyB: string;
let ctxA: MetricContext;

interface Expected {
  months: unknown[];
  inputs: unknown[];
}

/** Computed before any request: seconds of work between two requests would meet a closed kept-alive socket. */
const expected: Record<'a_l001' | 'a_l001_oct' | 'a_l001_neuro' | 'b_l001' | 'b_portfolio', Expected> = {
  a_l001: { months: [], inputs: [] },
  a_l001_oct: { months: [], inputs: [] },
  a_l001_neuro: { months: [], inputs: [] },
  b_l001: { months: [], inputs: [] },
  b_portfolio: { months: [], inputs: [] },
};

function snake(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snake);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), snake(v)]),
  );
}

function core(ctx: MetricContext, locationId: string, options: { origin?: string; months?: number } = {}) {
  const answer = forecastRevenue(ctx, locationId, options);
  if (!answer.ok) throw new Error(answer.error.message);
  return answer.forecast;
}

/** What the API must answer per month: the forecasts' figures added up, a missing baseline null. */
function expectedMonths(ctx: MetricContext, forecasts: RevenueForecast[], category?: ForecastCategory) {
  return forecasts[0]!.months.map((first, h) => {
    const months = forecasts.map((f) => f.months[h]!);
    const add = (pick: (m: (typeof months)[number]) => number) => months.reduce((s, m) => s + pick(m), 0);
    const naives = forecasts.map((f) => seasonalNaive(ctx, f.locationId, first.month));
    const naive = months.map((m) => m.seasonalNaive.totalCents);
    const reasons = months.flatMap((m) => (m.seasonalNaive.reason ? [m.seasonalNaive.reason] : []));
    return {
      month: first.month,
      horizon: first.horizon,
      total_cents: add((m) => m.totalCents),
      components: {
        returning_cents: add((m) => m.components.returningCents),
        new_patients_cents: add((m) => m.components.newPatientsCents),
        other_cents: add((m) => m.components.otherCents),
      },
      categories: Object.fromEntries(
        (category === undefined ? FORECAST_CATEGORIES : [category]).map((c) => {
          const own = naives.map((n) => n.categoryCents?.[c] ?? null);
          return [
            c,
            {
              cents: add((m) => m.categories[c].cents),
              returning_cents: add((m) => m.categories[c].returningCents),
              new_patients_cents: add((m) => m.categories[c].newPatientsCents),
              seasonal_naive_cents: own.includes(null) ? null : own.reduce((s, v) => s! + v!, 0),
            },
          ];
        }),
      ),
      seasonal_naive_from: first.seasonalNaive.from,
      seasonal_naive_cents: naive.includes(null) ? null : naive.reduce((s, v) => s! + v!, 0),
      seasonal_naive_reason: reasons.length === 0 ? null : reasons.join('; '),
    };
  });
}

function expectedOf(ctx: MetricContext, forecasts: RevenueForecast[], category?: ForecastCategory): Expected {
  return { months: expectedMonths(ctx, forecasts, category), inputs: forecasts.map((f) => snake(f.inputs)) };
}

beforeAll(async () => {
  t = openTestStore();
  await ingestCallListDemo(t, 't1');
  await ingestCallListDemo(t, 't2', TWO_LOCATION_DEMO);
  const runtime = createRuntime({ storeFile: t.file, auth: { mode: 'api-key' } }, t.store);
  keyA = (await createKey(t.store, 't1', 'tests')).key;
  keyB = (await createKey(t.store, 't2', 'tests')).key;
  ctxA = await openMetrics(t.store, 't1');
  const ctxB = await openMetrics(t.store, 't2');
  expected.a_l001 = expectedOf(ctxA, [core(ctxA, 'L001')]);
  expected.a_l001_oct = expectedOf(ctxA, [core(ctxA, 'L001', { origin: '2025-10', months: 2 })]);
  expected.a_l001_neuro = expectedOf(ctxA, [core(ctxA, 'L001', { months: 12 })], 'neurotoxin');
  const b = ['L001', 'L002'].map((id) => core(ctxB, id));
  expected.b_l001 = expectedOf(ctxB, [b[0]!]);
  expected.b_portfolio = expectedOf(ctxB, b);
  host = await startLocalHost({ port: 0, runtime });
}, 180_000);

afterAll(async () => {
  await host.close();
  setRuntimeForTests(undefined);
  await t.close();
});

/** A 200's body, or an error's (`error` set): the tests look at whichever the status says. */
type Answer = ForecastBody & { error: { code: string; message: string } };

async function get(query: string, key: string | null = keyA): Promise<{ status: number; body: Answer }> {
  const response = await fetch(`${host.url}/api/forecast${query}`, {
    headers: key === null ? {} : { authorization: `Bearer ${key}` },
  });
  return { status: response.status, body: (await response.json()) as Answer };
}

async function dataVersion(tenant: string): Promise<number> {
  return Math.max(...(await t.store.ingests(tenant)).map((i) => i.ingest_id));
}

describe('GET /api/forecast', () => {
  it("answers a location's forecast as the core computes it, money in integer cents", async () => {
    const { status, body } = await get('?location=L001&months=3');
    expect(status).toBe(200);
    expect(forecastBodySchema.parse(body)).toEqual(body);
    expect(body).toMatchObject({
      data_version: await dataVersion('t1'),
      scope: 'location',
      location_id: 'L001',
      category: null,
      origin: '2025-12',
      as_of: '2025-12-31',
      months_ahead: 3,
      locations_in_sum: 1,
    });
    expect(body.months).toEqual(expected.a_l001.months);
    expect(body.locations).toEqual([
      expect.objectContaining({ location_id: 'L001', in_sum: true, code: null, reason: null }),
    ]);
    expect(body.locations[0]!.inputs).toEqual(expected.a_l001.inputs[0]);
    expect(body.months.map((m: { month: string }) => m.month)).toEqual(['2026-01', '2026-02', '2026-03']);
    for (const m of body.months) {
      expect(Number.isInteger(m.total_cents)).toBe(true);
      expect(m.total_cents).toBe(
        m.components.returning_cents + m.components.new_patients_cents + m.components.other_cents,
      );
    }
    // A year before 2026-01 is before the demo's first complete month: null with the reason, not 0.
    expect(body.months[0]).toMatchObject({ seasonal_naive_cents: null, seasonal_naive_from: '2025-01' });
    expect(body.months[0]!.seasonal_naive_reason).toMatch(/^no seasonal-naive value: 2025-01/);
    expect(body.months[1]!.seasonal_naive_cents).toEqual(expect.any(Number));
  }, 60_000);

  it('forecasts from the origin asked for, and 3 months by default', async () => {
    const oct = await get('?location=L001&months=2&as_of=2025-10');
    expect(oct.status).toBe(200);
    expect(oct.body).toMatchObject({ origin: '2025-10', as_of: '2025-10-31', months_ahead: 2 });
    expect(oct.body.months).toEqual(expected.a_l001_oct.months);
    expect((await get('?location=L001')).body.months).toEqual(expected.a_l001.months);
  }, 60_000);

  it("keeps only the category asked for, with that category's own seasonal-naive value", async () => {
    const { status, body } = await get('?location=L001&months=12&category=neurotoxin');
    expect(status).toBe(200);
    expect(body.category).toBe('neurotoxin');
    expect(body.months).toEqual(expected.a_l001_neuro.months);
    expect(Object.keys(body.months[0]!.categories)).toEqual(['neurotoxin']);
    expect(body.months[11]!.categories.neurotoxin!.seasonal_naive_cents).toEqual(expect.any(Number));
  }, 60_000);

  it("sums the open locations' forecasts for the portfolio, saying how many are in the sum", async () => {
    const { status, body } = await get('', keyB);
    expect(status).toBe(200);
    expect(forecastBodySchema.parse(body)).toEqual(body);
    expect(body).toMatchObject({
      scope: 'portfolio',
      location_id: null,
      origin: '2025-12',
      locations_in_sum: 2,
    });
    expect(body.months).toEqual(expected.b_portfolio.months);
    expect(
      body.locations.map((l: { location_id: string; in_sum: boolean }) => [l.location_id, l.in_sum]),
    ).toEqual([
      ['L001', true],
      ['L002', true],
    ]);
    expect(body.locations.map((l: { inputs: unknown }) => l.inputs)).toEqual(expected.b_portfolio.inputs);
  }, 60_000);

  it('lists a location it cannot forecast with the reason, never counting it as 0', async () => {
    const { status, body } = await get('?months=3');
    expect(status).toBe(200);
    // L002 closed in 2025-09, before the origin: it has no month to be in. L003 is too young.
    expect(body.locations_in_sum).toBe(1);
    expect(body.locations).toEqual([
      expect.objectContaining({ location_id: 'L001', in_sum: true }),
      expect.objectContaining({
        location_id: 'L003',
        in_sum: false,
        code: 'insufficient_history',
        inputs: null,
      }),
    ]);
    expect(body.locations[1]!.reason).toMatch(/^L003 has 2025-07 … 2025-12 before the origin/);
    expect(body.months).toEqual(expected.a_l001.months);
  }, 60_000);

  it('answers 404 for an unknown location, with its id quoted and cut', async () => {
    expect(await get('?location=NOPE')).toEqual({
      status: 404,
      body: { error: { code: 'unknown_location', message: 'Unknown location "NOPE"' } },
    });
    const long = await get(`?location=${'x'.repeat(3000)}`);
    expect(long.status).toBe(404);
    expect(long.body.error.message).toBe(`Unknown location "${'x'.repeat(64)}…(3,000 characters)"`);
  });

  it('answers 404 no_data with the reason when the forecast is refused', async () => {
    const young = await get('?location=L003');
    expect(young.status).toBe(404);
    expect(young.body.error.code).toBe('no_data');
    expect(young.body.error.message).toMatch(
      /^Location "L003" cannot be forecast: L003 has .+ needs 7 complete months/,
    );
    expect((await get('?location=L002')).body.error).toEqual({
      code: 'no_data',
      message: 'Location "L002" cannot be forecast: L002 closed on 2025-09-14: no forecast reaches past it',
    });
    const outside = await get('?location=L001&as_of=2020-01');
    expect(outside.status).toBe(404);
    expect(outside.body.error.message).toMatch(/origin 2020-01 is not a complete month of L001's data/);
    const none = await get('?as_of=2025-07');
    expect(none.status).toBe(404);
    expect(none.body.error.code).toBe('no_data');
    expect(none.body.error.message).toMatch(
      /^No location of the portfolio can be forecast after 2025-07 \(L001: .+; L002: L002 closed on 2025-09-14.+; L003: .+\)$/,
    );
  });

  it.each([
    ['months', ['0', '13', 'three', '2.5', '-1', '1e1', '003']],
    ['category', ['botox', 'Neurotoxin', 'retail']],
    ['as_of', ['2025-13', '2025-1', '2025-10-31', 'LTM']],
  ])('answers 400 for a bad %s', async (name, values) => {
    for (const value of values) {
      expect([value, await get(`?location=L001&${name}=${encodeURIComponent(value)}`)]).toEqual([
        value,
        {
          status: 400,
          body: { error: { code: 'bad_request', message: `Missing or invalid query parameter: ${name}` } },
        },
      ]);
    }
  });

  it('answers 401 without a credential', async () => {
    const { status, body } = await get('?location=L001', null);
    expect(status).toBe(401);
    expect(body.error.code).toBe('unauthorized');
  });

  it("never answers one tenant's forecast, cached or not, to another", async () => {
    // Both tenants have an L001, and the same question: each gets its own data's answer.
    const a = await get('?location=L001');
    const b = await get('?location=L001', keyB);
    expect(a.body.months).toEqual(expected.a_l001.months);
    expect(b.body.months).toEqual(expected.b_l001.months);
    expect(b.body.months).not.toEqual(a.body.months);
    expect(b.body.data_version).toBe(await dataVersion('t2'));
    expect(await get('?location=L003', keyB)).toEqual({
      status: 404,
      body: { error: { code: 'unknown_location', message: 'Unknown location "L003"' } },
    });
    expect(JSON.stringify((await get('', keyB)).body)).not.toContain('L003');
  }, 60_000);

  it('is described in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${host.url}/api/openapi.json`)).json()) as {
      paths: Record<string, { get?: { parameters: { name: string; required: boolean }[] } }>;
    };
    expect(doc.paths['/forecast']?.get?.parameters.map((p) => [p.name, p.required])).toEqual([
      ['location', false],
      ['months', false],
      ['category', false],
      ['as_of', false],
    ]);
  });

  // Last: it changes t1's data.
  it('answers from the new data version after an ingest, never an older one', async () => {
    const before = await get('?months=3');
    const report = await t.ingest([fixture('north')], 't1');
    expect(report.committed).toBe(true);
    const after = await get('?months=3');
    expect(after.status).toBe(200);
    expect(after.body.data_version).toBe(await dataVersion('t1'));
    expect(after.body.data_version).toBeGreaterThan(before.body.data_version);
    // The new location is in the answer (its data end before the origin: listed, not summed).
    expect(after.body.locations.map((l: { location_id: string }) => l.location_id)).toEqual([
      'L001',
      'L003',
      'L1',
    ]);
    expect(after.body.locations[2]).toMatchObject({ in_sum: false, code: 'invalid_request' });
    expect(after.body.months).toEqual(before.body.months);
  }, 60_000);
});

describe('ForecastCache', () => {
  it('answers a location, origin and months once, the default origin sharing the explicit one', () => {
    const cache = new ForecastCache();
    const first = cache.forecast(ctxA, 'L001', { months: 3 });
    expect(cache.forecast(ctxA, 'L001', { months: 3 })).toBe(first);
    expect(cache.forecast(ctxA, 'L001', { months: 3, origin: '2025-12' })).toBe(first);
    expect(cache.forecast(ctxA, 'L003', { months: 3 })).toEqual(forecastRevenue(ctxA, 'L003', { months: 3 }));
    expect(cache.size).toBe(2);
    const other = cache.forecast(ctxA, 'L001', { months: 2 });
    expect(other).not.toBe(first);
    expect(other).toEqual(forecastRevenue(ctxA, 'L001', { months: 2 }));
    // An id that is no location is answered, not kept.
    expect(cache.forecast(ctxA, 'NOPE', { months: 3 }).ok).toBe(false);
    expect(cache.size).toBe(3);
  }, 60_000);
});
