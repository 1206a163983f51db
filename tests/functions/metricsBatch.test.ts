import { metricsBatch } from '../../functions/metricsBatch';
import { computeMetric } from '../../shared/metrics/computeMetric';
import type { TestStore } from '../support/testStore';
import { call, closeApiTestStore, openApiTestStore, post } from './apiTestRuntime';

// Wrapped, not replaced: the batch computes real values and the test counts the calls.
jest.mock('../../shared/metrics/computeMetric', () => {
  const actual = jest.requireActual<{ computeMetric: typeof computeMetric }>(
    '../../shared/metrics/computeMetric',
  );
  return { ...actual, computeMetric: jest.fn(actual.computeMetric) };
});

let t: TestStore;
beforeAll(async () => {
  t = await openApiTestStore();
});
afterAll(async () => {
  await closeApiTestStore(t);
});

const batch = (requests: unknown[]) =>
  call(metricsBatch, post('metrics/batch', JSON.stringify({ requests })));

describe('POST /api/metrics/batch', () => {
  it('answers every request in the order asked', async () => {
    const { status, body } = await batch([
      { metric: 'net_revenue', period: '2024', location: 'L1' },
      { metric: 'avg_ticket', period: '2024-Q1', location: 'L1' },
      { metric: 'net_revenue', period: '2024' },
    ]);
    expect(status).toBe(200);
    expect((body.results as { value: number }[]).map((r) => r.value)).toEqual([1000, 240, 1579]);
    expect(body.results[0]).toMatchObject({ unit: 'usd' });
    expect(body.results[0]).toHaveProperty('coverage');
  });

  it('says which data version answered, so clients can key their caches on it', async () => {
    const { body } = await batch([{ metric: 'net_revenue', period: '2024' }]);
    const latest = Math.max(...(await t.store.ingests('t1')).map((i) => i.ingest_id));
    expect(body.data_version).toBe(latest);
  });

  it('puts a failed entry in its own slot without failing the others', async () => {
    const { status, body } = await batch([
      { metric: 'net_revenue', period: '2024', location: 'L1' },
      { metric: 'no_such_metric', period: '2024' },
      { metric: 'net_revenue', period: '2024-13' },
      { metric: 'net_revenue', period: '2024', location: 'L9' },
      { metric: 'avg_ticket', period: '2024-02', location: 'L1' },
    ]);
    expect(status).toBe(200);
    expect(body.results[0].value).toBe(1000);
    expect(body.results[1].error.code).toBe('unknown_metric');
    expect(body.results[2].error.code).toBe('invalid_period');
    expect(body.results[3].error.code).toBe('unknown_location');
    expect(body.results[4]).toMatchObject({ value: null, reason: 'no visits in the period' });
  });

  it('computes identical requests once and answers each of them', async () => {
    jest.mocked(computeMetric).mockClear();
    const same = { metric: 'net_revenue', period: '2024', location: 'L1' };
    const { body } = await batch([
      same,
      { ...same, provider: '' },
      { metric: 'net_revenue', period: '2024' },
      same,
    ]);
    expect((body.results as { value: number }[]).map((r) => r.value)).toEqual([1000, 1000, 1579, 1000]);
    expect(computeMetric).toHaveBeenCalledTimes(2);
  });

  it('answers 400 for a body that is not JSON or not a batch', async () => {
    const notJson = await call(metricsBatch, post('metrics/batch', '{"requests": ['));
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.code).toBe('invalid_json');
    const notBatch = await call(
      metricsBatch,
      post('metrics/batch', JSON.stringify({ requests: [{ metric: 7 }] })),
    );
    expect(notBatch.status).toBe(400);
    expect(notBatch.body.error.code).toBe('bad_request');
    expect(notBatch.body.error.message).toContain('requests.0.metric');
  });

  it('answers 400 for more than 10,000 requests', async () => {
    const requests = Array.from({ length: 10_001 }, () => ({ metric: 'net_revenue', period: '2024' }));
    const { status, body } = await batch(requests);
    expect(status).toBe(400);
    expect(body.error.code).toBe('batch_too_large');
    const atLimit = await batch(requests.slice(1));
    expect(atLimit.status).toBe(200);
    expect(atLimit.body.results).toHaveLength(10_000);
  });
});
