import { createKey } from '../../cli/commands/keysCommand';
import { type LocalHost, startLocalHost } from '../../functions/localHost';
import { createRuntime, setRuntimeForTests } from '../../functions/runtime';
import { fixture, openTestStore, type TestStore } from '../support/testStore';

/*
 * POST /api/locations/{into}/merge over HTTP, through the local host: tenant t1 holds north
 * (L1, 2024 net revenue 1,000.00) and south (L2, 579.00); tenant t2 holds south too.
 */

let t: TestStore;
let host: LocalHost;
let key: string;
let otherKey: string;

beforeAll(async () => {
  t = openTestStore();
  await t.ingest([fixture('north'), fixture('south')], 't1');
  await t.ingest([fixture('south')], 't2');
  const runtime = createRuntime({ storeFile: t.file, auth: { mode: 'api-key' } }, t.store);
  key = (await createKey(t.store, 't1', 'tests')).key;
  otherKey = (await createKey(t.store, 't2', 'tests')).key;
  host = await startLocalHost({ port: 0, runtime, corsOrigins: [] });
});
afterAll(async () => {
  await host.close();
  setRuntimeForTests(undefined);
  await t.close();
});

async function request(
  method: string,
  path: string,
  body?: unknown,
  credential = key,
  // Bodies are asserted field by field, as tests/functions/apiTestRuntime.ts's `call` does.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<{ status: number; body: any }> {
  const response = await fetch(`${host.url}/api/${path}`, {
    method,
    headers: { authorization: `Bearer ${credential}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: response.status, body: await response.json() };
}

const mergeInto = (into: string, body: unknown, credential = key) =>
  request('POST', `locations/${encodeURIComponent(into)}/merge`, body, credential);

async function netRevenue2024(locations: (string | undefined)[], credential = key) {
  const { body } = await request(
    'POST',
    'metrics/batch',
    { requests: locations.map((location) => ({ metric: 'net_revenue', period: '2024', location })) },
    credential,
  );
  return (body.results as { value?: number; error?: { code: string } }[]).map(
    (r) => r.value ?? r.error?.code,
  );
}

describe('POST /api/locations/{locationId}/merge', () => {
  it('refuses an unknown location naming it, a location into itself, and a bad body, writing nothing', async () => {
    const before = t.dump();

    const unknown = await mergeInto('L1', { from: 'L404' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toEqual({
      code: 'unknown_location',
      message: 'no location "L404" in tenant "t1"',
    });
    expect((await mergeInto('L404', { from: 'L2' })).body.error.message).toContain('"L404"');

    const itself = await mergeInto('L1', { from: 'L1' });
    expect(itself.status).toBe(400);
    expect(itself.body.error.message).toContain('cannot merge location "L1" into itself');

    expect((await mergeInto('L1', {})).status).toBe(400);
    expect((await mergeInto('L1', { from: 'L2', tenant: 't2' })).status).toBe(400);
    expect((await mergeInto('L1', 'not json')).body.error.code).toBe('invalid_json');
    const anonymous = await fetch(`${host.url}/api/locations/L1/merge`, {
      method: 'POST',
      body: JSON.stringify({ from: 'L2' }),
    });
    expect(anonymous.status).toBe(401);
    expect(t.dump()).toEqual(before);
  });

  it('merges L2 into L1: L1 counts both, the portfolio the same, L2 gone and refreshed away', async () => {
    expect(await netRevenue2024(['L1', 'L2', undefined])).toEqual([1000, 579, 1579]);

    const merged = await mergeInto('L1', { from: 'L2' });

    expect(merged.status).toBe(200);
    expect(merged.body).toMatchObject({
      from: 'L2',
      into: 'L1',
      committed: true,
      failure: null,
      moved: { patients: 2, appointments: 2, sales: 2 },
      filled: {},
      kept: { opened_on: { into: '2020-03-01', from: '2021-09-01' } },
      aliases_added: ['L2', 'South Austin, TX'],
      location: { location_id: 'L1', name: 'North Dallas', aliases: ['L2', 'South Austin, TX'] },
      report: { committed: true, totals: { rows_updated: 6 } },
      // Refreshed in the request, as after an ingest: both locations' aggregates recomputed.
      refresh: { mode: 'inline', locations: ['L1', 'L2'] },
    });
    expect(await netRevenue2024(['L1', 'L2', undefined])).toEqual([1579, 'unknown_location', 1579]);
    const listed = await request('GET', 'locations');
    const listedIds = (listed.body as { locations: { location_id: string }[] }).locations.map(
      (l) => l.location_id,
    );
    expect(listedIds).toEqual(['L1']);
    // Tenant t2's own L2 is its own: untouched.
    expect(await netRevenue2024(['L2'], otherKey)).toEqual([579]);

    // L2 merged away: asking again says where it went.
    const again = await mergeInto('L1', { from: 'L2' });
    expect(again.status).toBe(404);
    expect(again.body.error.message).toContain('it is a name of L1 (North Dallas) now');
  });

  it('answers 422 naming rows of both with one key and different values, and merges with keep_into', async () => {
    // L9: North Dallas's Google spend of January once more, at another amount.
    for (const [file, text] of [
      ['locations.csv', 'location_id,name\nL9,North Dallas (Zenoti)\n'],
      ['marketing_spend.csv', 'location_id,channel,date,spend\nL9,google_ads,2024-01,1200.00\n'],
    ] as const) {
      const upload = await fetch(`${host.url}/api/ingest?file=${file}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv' },
        body: text,
      });
      expect(upload.status).toBe(200);
    }
    const before = await t.store.rowCounts('t1');

    const refused = await mergeInto('L9', { from: 'L1' });

    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ committed: false, ingest_id: null, refresh: null });
    expect(refused.body.failure).toMatch(/^1 key with a row at both L1 and L9 but different values/);
    expect(refused.body.conflicts).toEqual([
      {
        entity: 'marketing_spend',
        key: { location_id: 'L9', channel: 'google_ads', date: '2024-01' },
        differences: [{ column: 'spend', from: '1500.00', into: '1200.00' }],
      },
    ]);
    expect(await t.store.rowCounts('t1')).toEqual(before);

    const kept = await mergeInto('L9', { from: 'L1', keep_into: true });
    expect(kept.status).toBe(200);
    expect(kept.body).toMatchObject({
      committed: true,
      moved: { marketing_spend: 1, sales: 8 },
      filled: { region: 'Southwest', timezone: 'America/Chicago', opened_on: '2020-03-01' },
    });
    expect(kept.body.conflicts).toHaveLength(1);
    expect(await netRevenue2024(['L9', undefined])).toEqual([1579, 1579]);
  });
});
