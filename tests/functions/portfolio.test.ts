import { portfolio } from '../../functions/portfolio';
import type { TestStore } from '../support/testStore';
import { openTestStore } from '../support/testStore';
import { call, closeApiTestStore, get, openApiTestStore, useTestStore } from './apiTestRuntime';

interface Location {
  location_id: string;
  last_sale_on: string | null;
}

let t: TestStore;
beforeAll(async () => {
  t = await openApiTestStore();
});
afterAll(async () => {
  await closeApiTestStore(t);
});

describe('GET /api/portfolio', () => {
  it('lists every location with its attributes, counts and sale dates', async () => {
    const { status, body } = await call(portfolio, get('portfolio'));
    expect(status).toBe(200);
    expect(body.tenant).toBe('t1');
    const l1 = (body.locations as Location[]).find((l) => l.location_id === 'L1');
    expect(l1).toEqual({
      location_id: 'L1',
      name: 'North Dallas',
      region: 'Southwest',
      emr_system: 'Zenoti',
      opened_on: '2020-03-01',
      closed_on: null,
      providers: 2,
      patients: expect.any(Number),
      first_sale_on: expect.any(String),
      last_sale_on: expect.any(String),
    });
    expect((body.locations as Location[]).map((l) => l.location_id)).toEqual(
      expect.arrayContaining(['L1', 'L2']),
    );
  });

  it('lists providers with the locations they work at', async () => {
    const { body } = await call(portfolio, get('portfolio'));
    expect(body.providers).toEqual(
      expect.arrayContaining([
        { provider_id: 'PR1', display_name: 'Smith, Jane NP', location_ids: ['L1'] },
        { provider_id: 'PR2', display_name: 'Amy Lee', location_ids: ['L1'] },
      ]),
    );
  });

  it('answers data freshness per location and the months the data spans', async () => {
    const { body } = await call(portfolio, get('portfolio'));
    const ingests = await t.store.ingests('t1');
    const lastIngest = ingests
      .map((i) => i.finished_at)
      .sort()
      .at(-1);
    const l1 = (body.locations as Location[]).find((l) => l.location_id === 'L1');
    expect(body.data_freshness).toContainEqual({
      location_id: 'L1',
      last_sale_on: l1?.last_sale_on,
      last_ingest_at: lastIngest,
    });
    expect(body.data_version).toBe(Math.max(...ingests.map((i) => i.ingest_id)));
    const range = await t.store.salesDateRange('t1');
    expect(body.periods.first_month).toBe(range?.first.slice(0, 7));
    expect(body.periods.last_month).toBe(range?.last.slice(0, 7));
    expect(body.periods.as_of_month).toMatch(/^\d{4}-\d{2}$/);
    expect(body.periods.as_of_month <= body.periods.last_month).toBe(true);
  });

  it('answers 401 without a credential', async () => {
    const { status, body } = await call(portfolio, get('portfolio', {}));
    expect(status).toBe(401);
    expect(body.error.code).toBe('unauthorized');
  });

  it('answers 404 no_data for a tenant with nothing ingested', async () => {
    const empty = openTestStore();
    await useTestStore(empty);
    try {
      const { status, body } = await call(portfolio, get('portfolio'));
      expect(status).toBe(404);
      expect(body.error.code).toBe('no_data');
    } finally {
      await empty.close();
      await useTestStore(t);
    }
  });
});
