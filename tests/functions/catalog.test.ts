import { catalog } from '../../functions/catalog';
import { METRICS } from '../../shared/metrics/catalog';
import type { TestStore } from '../support/testStore';
import { call, closeApiTestStore, get, openApiTestStore } from './apiTestRuntime';

let t: TestStore;
beforeAll(async () => {
  t = await openApiTestStore();
});
afterAll(async () => {
  await closeApiTestStore(t);
});

describe('GET /api/catalog', () => {
  it('lists every catalog metric with its documentation fields and nothing executable', async () => {
    const { status, body } = await call(catalog, get('catalog'));
    expect(status).toBe(200);
    expect(body).toHaveLength(METRICS.length);
    const netRevenue = (body as { id: string }[]).find((m) => m.id === 'net_revenue')!;
    expect(Object.keys(netRevenue).sort()).toEqual(
      ['definition', 'direction', 'facts', 'family', 'id', 'label', 'plain', 'scopes', 'unit'].sort(),
    );
    expect(netRevenue).toMatchObject({ unit: 'usd', family: 'revenue' });
    expect(netRevenue).toHaveProperty('plain', expect.stringMatching(/^Money the business actually earned/));
    for (const metric of body as { id: string; plain: string }[])
      expect([metric.id, metric.plain.length > 0]).toEqual([metric.id, true]);
    expect(JSON.parse(JSON.stringify(body))).toEqual(body);
  });

  it('answers 401 to a caller without a credential', async () => {
    const { status, body } = await call(catalog, get('catalog', {}));
    expect(status).toBe(401);
    expect(body.error.code).toBe('unauthorized');
  });
});
