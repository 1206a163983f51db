import { createKey } from '../../cli/commands/keysCommand';
import { type LocalHost, startLocalHost } from '../../functions/localHost';
import { createRuntime, setRuntimeForTests } from '../../functions/runtime';
import { callList, type CallListOptions } from '../../shared/actions/callList';
import { callListJson } from '../../shared/actions/callListJson';
import type { MetricData } from '../../shared/metrics/metricData';
import { openMetrics } from '../../shared/metrics/openMetrics';
import { ChurnCache } from '../../shared/models/churnTraining';
import { ingestCallListDemo } from '../support/callListDemo';
import { fixture, openTestStore, type TestStore } from '../support/testStore';

/*
 * GET /api/calllist through the real local host (HTTP on a port, the handlers of
 * functions/routes.ts): tenant t1 holds the 3-location demo, tenant t2 the small north bundle.
 */

let t: TestStore;
let host: LocalHost;
let keyA: string;
let keyB: string;
const fits = new ChurnCache();
/**
 * The core's answers, computed before any request: seconds of work between two requests would
 * meet the server closing the kept-alive socket (ECONNRESET), which is not what is tested here.
 */
const expected: Record<'l001' | 'portfolio' | 'l003', unknown> = { l001: null, portfolio: null, l003: null };

beforeAll(async () => {
  t = openTestStore();
  await ingestCallListDemo(t, 't1');
  await t.ingest([fixture('north')], 't2');
  const runtime = createRuntime({ storeFile: t.file, auth: { mode: 'api-key' } }, t.store);
  keyA = (await createKey(t.store, 't1', 'tests')).key;
  keyB = (await createKey(t.store, 't2', 'tests')).key;
  host = await startLocalHost({ port: 0, runtime });
  const data = (await openMetrics(t.store, 't1')).data;
  expected.l001 = await coreAnswer('L001', { n: 10 }, data);
  expected.portfolio = await coreAnswer(null, {}, data);
  expected.l003 = await coreAnswer('L003', { n: 3, asOf: '2025-11-30' }, data);
}, 120_000);

afterAll(async () => {
  await host.close();
  setRuntimeForTests(undefined);
  await t.close();
});

// Answers are compared field by field with the core's.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function get(query: string, key: string | null = keyA): Promise<{ status: number; body: any }> {
  const response = await fetch(`${host.url}/api/calllist${query}`, {
    headers: key === null ? {} : { authorization: `Bearer ${key}` },
  });
  return { status: response.status, body: await response.json() };
}

/** What the core answers on the tenant's data, as JSON: what the API must answer. */
async function coreAnswer(locationId: string | null, options: CallListOptions, data: MetricData) {
  const answer = callList(data, locationId, { ...options, cache: fits });
  if (!answer.ok) throw new Error(answer.error.message);
  const version = Math.max(...(await t.store.ingests('t1')).map((i) => i.ingest_id));
  return { data_version: version, ...callListJson(answer.list) };
}

describe('GET /api/calllist', () => {
  it("answers a location's list as the core computes it, money in cents", async () => {
    const { status, body } = await get('?location=L001&n=10');
    expect(status).toBe(200);
    expect(body).toEqual(expected.l001);
    expect(body).toMatchObject({ scope: 'location', location_id: 'L001', n: 10, fallbacks: [] });
    expect(body.rows).toHaveLength(10);
    for (const row of body.rows) {
      expect(Number.isInteger(row.value_at_risk_cents)).toBe(true);
      expect(row.patient_id).toMatch(/^L001-P\d+$/);
    }
  }, 60_000);

  it('answers the top n across the open locations without a location, 25 by default', async () => {
    const { status, body } = await get('');
    expect(status).toBe(200);
    expect(body).toEqual(expected.portfolio);
    expect(body.rows).toHaveLength(25);
    expect((body.locations as { location_id: string }[]).map((l) => l.location_id)).toEqual(['L001', 'L003']);
    expect(body.fallbacks.length).toBeGreaterThan(0);
  }, 60_000);

  it('scores as of the day asked for', async () => {
    const { status, body } = await get('?location=L003&n=3&as_of=2025-11-30');
    expect(status).toBe(200);
    expect(body).toEqual(expected.l003);
    expect(body.as_of).toBe('2025-11-30');
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

  it('answers 404 no_data with the reason when the location cannot be scored', async () => {
    const { status, body } = await get('?location=L001&as_of=2020-01-01');
    expect(status).toBe(404);
    expect(body.error.code).toBe('no_data');
    expect(body.error.message).toMatch(/^Location "L001" could not be scored: .+/);
  });

  it.each(['0', '501', 'ten', '2.5', '-3', '1e2'])('answers 400 for n=%s', async (n) => {
    expect(await get(`?location=L001&n=${n}`)).toEqual({
      status: 400,
      body: { error: { code: 'bad_request', message: 'Missing or invalid query parameter: n' } },
    });
  });

  it('answers 400 for a day that is not one, and takes n up to 500', async () => {
    expect((await get('?location=L001&as_of=2025-02-30')).body.error).toEqual({
      code: 'bad_request',
      message: 'Missing or invalid query parameter: as_of',
    });
    const most = await get('?location=L001&n=500');
    expect(most.status).toBe(200);
    expect(most.body.rows).toHaveLength(500);
  });

  it('answers 401 without a credential', async () => {
    const { status, body } = await get('?location=L001', null);
    expect(status).toBe(401);
    expect(body.error.code).toBe('unauthorized');
  });

  it("never shows one tenant another's list", async () => {
    const a = await get('?n=500');
    const ids = (a.body.rows as { patient_id: string }[]).map((r) => r.patient_id);
    expect(ids.length).toBe(500);
    // t2 has no L001: unknown to it, as if it did not exist.
    expect(await get('?location=L001', keyB)).toEqual({
      status: 404,
      body: { error: { code: 'unknown_location', message: 'Unknown location "L001"' } },
    });
    // t2's own portfolio (one small bundle) cannot be scored: its own reason, nothing of t1's.
    const b = await get('', keyB);
    expect(b.status).toBe(404);
    const text = JSON.stringify(b.body);
    expect(text).not.toMatch(/L00[123]/);
    for (const id of ids) expect(text).not.toContain(id);
    // And t1 does not see t2's L1.
    expect((await get('?location=L1')).status).toBe(404);
  }, 60_000);

  it('is described in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${host.url}/api/openapi.json`)).json()) as {
      paths: Record<string, { get?: { parameters: { name: string; required: boolean }[] } }>;
    };
    expect(doc.paths['/calllist']?.get?.parameters.map((p) => [p.name, p.required])).toEqual([
      ['location', false],
      ['n', false],
      ['as_of', false],
    ]);
  });
});
