import { benchmarks } from '../../functions/benchmarks';
import type { TestStore } from '../support/testStore';
import { call, closeApiTestStore, get, openApiTestStore } from './apiTestRuntime';

let t: TestStore;
beforeAll(async () => {
  t = await openApiTestStore();
});
afterAll(async () => {
  await closeApiTestStore(t);
});

describe('GET /api/benchmarks', () => {
  it('answers the benchmark of a location, withheld when its cohort is too small', async () => {
    const { status, body } = await call(
      benchmarks,
      get('benchmarks?metric=net_revenue&period=2024&location=L1&cohort=size_band,region'),
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({
      metric: 'net_revenue',
      location_id: 'L1',
      period: '2024',
      value: 1000,
      shown: false,
      percentile: null,
      peers: null,
    });
    expect(Object.keys(body.cohort.attributes as object)).toEqual(['size_band', 'region']);
    expect(body.cohort.attributes.region).toBe('Southwest');
    expect(body.cohort.size).toBeLessThan(5);
    expect(typeof body.reason).toBe('string');
  });

  it('ranks among the default cohort (size band and region) when no cohort is given', async () => {
    const asked = await call(
      benchmarks,
      get('benchmarks?metric=net_revenue&period=2024&location=L1&cohort=size_band,region'),
    );
    const { status, body } = await call(
      benchmarks,
      get('benchmarks?metric=net_revenue&period=2024&location=L1'),
    );
    expect(status).toBe(200);
    expect(body).toEqual(asked.body);
  });

  it('benchmarks against the whole portfolio for cohort=portfolio', async () => {
    const { status, body } = await call(
      benchmarks,
      get('benchmarks?metric=net_revenue&period=2024&location=L1&cohort=portfolio'),
    );
    expect(status).toBe(200);
    expect(body.cohort.attributes).toEqual({});
  });

  it('answers 400 for an unknown cohort attribute, naming it', async () => {
    const { status, body } = await call(
      benchmarks,
      get('benchmarks?metric=net_revenue&period=2024&location=L1&cohort=size_band,colour'),
    );
    expect(status).toBe(400);
    expect(body.error.code).toBe('bad_request');
    expect(body.error.message).toContain('colour');
  });

  it('answers 400 without a location and 404 for an unknown one', async () => {
    const missing = await call(benchmarks, get('benchmarks?metric=net_revenue&period=2024'));
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toContain('location');
    const unknown = await call(benchmarks, get('benchmarks?metric=net_revenue&period=2024&location=L9'));
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('unknown_location');
  });

  it('answers 404 for an unknown metric', async () => {
    const { status, body } = await call(benchmarks, get('benchmarks?metric=nope&period=2024&location=L1'));
    expect(status).toBe(404);
    expect(body.error.code).toBe('unknown_metric');
  });

  it('answers 401 without a credential', async () => {
    const { status } = await call(
      benchmarks,
      get('benchmarks?metric=net_revenue&period=2024&location=L1', {}),
    );
    expect(status).toBe(401);
  });
});
