import path from 'node:path';

import { createKey } from '../../cli/commands/keysCommand';
import { type LocalHost, startLocalHost } from '../../functions/localHost';
import { createRuntime, type Runtime, setRuntimeForTests } from '../../functions/runtime';
import { metricAsReportedBodySchema } from '../../shared/contract/metrics';
import { fixture, openTestStore, type TestStore } from '../support/testStore';

/*
 * GET /api/metrics?…&as_reported_at= through the real local host. Tenant t1: north and south
 * (ingest 1, dated 2025-01-10), then a correction of north's sales (ingest 3, 2025-02-10: S5
 * 520.00 → 560.00, S7 45.50 added; tests/fixtures/restatements/README.md). Tenant t2's south
 * bundle is ingest 2 (2025-01-20): an id and a date of another tenant's name nothing of t1's.
 */

const CORRECTION = path.join(__dirname, '..', 'fixtures', 'restatements', 'north_correction');

let t: TestStore;
let runtime: Runtime;
let host: LocalHost;
let key: string;

beforeAll(async () => {
  t = openTestStore();
  await t.ingest([fixture('north'), fixture('south')], 't1');
  await t.ingest([fixture('south')], 't2');
  await t.ingest([CORRECTION], 't1');
  const date = t.store.db.prepare('UPDATE ingests SET finished_at = ? WHERE ingest_id = ?');
  date.run('2025-01-10T12:00:00.000Z', 1);
  date.run('2025-01-20T12:00:00.000Z', 2);
  date.run('2025-02-10T12:00:00.000Z', 3);
  runtime = createRuntime({ storeFile: t.file, auth: { mode: 'api-key' } }, t.store);
  key = (await createKey(t.store, 't1', 'tests')).key;
  host = await startLocalHost({ port: 0, runtime });
});

afterAll(async () => {
  await host.close();
  await runtime.close();
  setRuntimeForTests(undefined);
  await t.close();
});

// Bodies are asserted field by field; typing each shape here would only restate the handler.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function get(query: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${host.url}/api/metrics?${query}`, {
    headers: { authorization: `Bearer ${key}` },
  });
  return { status: response.status, body: await response.json() };
}

describe('GET /api/metrics with as_reported_at', () => {
  it('answers the value as it stood after ingest 1, by id or by date, and says which ingest', async () => {
    const byId = await get('metric=net_revenue&period=2024&location=L1&as_reported_at=1');
    expect(byId.status).toBe(200);
    expect(byId.body).toMatchObject({
      metric: 'net_revenue',
      scope: { kind: 'location', location_id: 'L1' },
      value: 1000,
      unit: 'usd',
      as_reported: { ingest_id: 1, finished_at: '2025-01-10T12:00:00.000Z' },
    });
    expect(metricAsReportedBodySchema.safeParse(byId.body).success).toBe(true);
    // 2025-01-31: t2's ingest 2 finished since, but it is not t1's.
    const byDate = await get('metric=net_revenue&period=2024&as_reported_at=2025-01-31');
    expect(byDate.body).toMatchObject({ value: 1579, as_reported: { ingest_id: 1 } });
    const avgTicket = await get('metric=avg_ticket&period=2024&as_reported_at=%231');
    expect(avgTicket.body.value).toBe(394.75);
  });

  it('answers the corrected figures as of the correction, and now without as_reported_at', async () => {
    const corrected = await get('metric=net_revenue&period=2024&location=L1&as_reported_at=2025-02-10');
    expect(corrected.body).toMatchObject({ value: 1085.5, as_reported: { ingest_id: 3 } });
    const now = await get('metric=net_revenue&period=2024&location=L1');
    expect(now.status).toBe(200);
    expect(now.body.value).toBe(1085.5);
    expect(now.body).not.toHaveProperty('as_reported');
    expect((await get('metric=avg_ticket&period=2024')).body.value).toBe(416.13);
  });

  it('answers 400 naming the value for an id that is not the tenant’s, a date before its first ingest, or neither', async () => {
    const otherTenants = await get('metric=net_revenue&period=2024&as_reported_at=2');
    expect(otherTenants.status).toBe(400);
    expect(otherTenants.body.error).toEqual({
      code: 'bad_request',
      message: 'as_reported_at "2": no ingest #2 in this tenant (its ingests: #1, #3)',
    });
    const early = await get('metric=net_revenue&period=2024&as_reported_at=2025-01-09');
    expect(early.status).toBe(400);
    expect(early.body.error.message).toBe(
      'as_reported_at "2025-01-09": no ingest had finished by the end of 2025-01-09 (UTC); the first, #1, finished at 2025-01-10T12:00:00.000Z',
    );
    const neither = await get('metric=net_revenue&period=2024&as_reported_at=soon');
    expect(neither.status).toBe(400);
    expect(neither.body.error.message).toMatch(/^as_reported_at "soon": expected an ingest id/);
    const tooLong = await get(`metric=net_revenue&period=2024&as_reported_at=${'9'.repeat(41)}`);
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.message).toContain('as_reported_at');
  });

  it('keeps the engine’s own errors as of an ingest (an unknown location is 404)', async () => {
    const unknown = await get('metric=net_revenue&period=2024&location=L9&as_reported_at=1');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('unknown_location');
  });

  it('documents as_reported_at on /metrics and the ingest in its answer', async () => {
    const document = (await (await fetch(`${host.url}/api/openapi.json`)).json()) as {
      paths: Record<string, { get: { parameters: { name: string }[]; responses: Record<string, unknown> } }>;
    };
    const metrics = document.paths['/metrics']!.get;
    expect(metrics.parameters.map((p) => p.name)).toContain('as_reported_at');
    expect(JSON.stringify(metrics.responses['200'])).toContain('as_reported');
    expect(document.paths['/trace']!.get.parameters.map((p) => p.name)).not.toContain('as_reported_at');
  });
});
