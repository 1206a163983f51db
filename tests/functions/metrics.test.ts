import { InvocationContext } from '@azure/functions';

import { IngestJobs } from '../../functions/ingestJobs';
import { TenantQueues } from '../../functions/ingestQueue';
import { metrics } from '../../functions/metrics';
import { setRuntimeForTests } from '../../functions/runtime';
import { WriteLock } from '../../functions/writeLock';
import type { TestStore } from '../support/testStore';
import { call, closeApiTestStore, get, openApiTestStore, useTestStore } from './apiTestRuntime';

let t: TestStore;
beforeAll(async () => {
  t = await openApiTestStore();
});
afterAll(async () => {
  await closeApiTestStore(t);
});

describe('GET /api/metrics', () => {
  it('answers one location value with its period, scope, unit, coverage and lineage', async () => {
    const { status, body } = await call(metrics, get('metrics?metric=net_revenue&period=2024&location=L1'));
    expect(status).toBe(200);
    expect(body).toMatchObject({
      metric: 'net_revenue',
      period: { label: '2024', start: '2024-01-01', end: '2024-12-31' },
      scope: { kind: 'location', location_id: 'L1', provider_id: null },
      value: 1000,
      unit: 'usd',
    });
    expect(typeof body.formula).toBe('string');
    expect(Array.isArray(body.operands)).toBe(true);
    expect(body).toHaveProperty('coverage');
  });

  it('answers the portfolio when no location or provider is given', async () => {
    const { body } = await call(metrics, get('metrics?metric=net_revenue&period=2024'));
    expect(body.value).toBe(1579);
    expect(body.scope.kind).toBe('portfolio');
  });

  it('answers a ratio metric for a quarter', async () => {
    const { body } = await call(metrics, get('metrics?metric=avg_ticket&period=2024-Q1&location=L1'));
    expect(body.value).toBe(240);
  });

  it('keeps a null value with its reason rather than answering 0', async () => {
    const { status, body } = await call(metrics, get('metrics?metric=avg_ticket&period=2024-02&location=L1'));
    expect(status).toBe(200);
    expect(body.value).toBeNull();
    expect(body.reason).toBe('no visits in the period');
  });

  it('answers 400 for a malformed period or a missing parameter', async () => {
    const bad = await call(metrics, get('metrics?metric=net_revenue&period=2024-Q5'));
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_period');
    const missing = await call(metrics, get('metrics?metric=net_revenue'));
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('bad_request');
  });

  it('answers 404 with a code for an unknown metric, location or provider', async () => {
    const metric = await call(metrics, get('metrics?metric=net_revenu&period=2024'));
    expect(metric.status).toBe(404);
    expect(metric.body.error.code).toBe('unknown_metric');
    expect(metric.body.error.message).toContain('net_revenue');
    const location = await call(metrics, get('metrics?metric=net_revenue&period=2024&location=L9'));
    expect(location.status).toBe(404);
    expect(location.body.error.code).toBe('unknown_location');
    const provider = await call(metrics, get('metrics?metric=net_revenue&period=2024&provider=NOPE'));
    expect(provider.status).toBe(404);
    expect(provider.body.error.code).toBe('unknown_provider');
  });

  it('logs an unexpected failure and answers 500 without its details', async () => {
    setRuntimeForTests({
      config: { storeFile: 'unused', auth: { mode: 'api-key' } },
      store: t.store,
      metrics: { forTenant: () => Promise.reject(new Error('disk on fire at /secret/path')) } as never,
      authenticate: () => Promise.resolve({ tenant: 't1', via: 'api-key' }),
      ingestJobs: new IngestJobs(),
      writer: t.store,
      writeLock: new WriteLock(),
      ingestQueues: new TenantQueues(4),
      close: () => Promise.resolve(),
    });
    const context = new InvocationContext();
    const logged = jest.spyOn(context, 'error').mockImplementation(() => undefined);
    try {
      const { status, body } = await call(metrics, get('metrics?metric=net_revenue&period=2024'), context);
      expect(status).toBe(500);
      expect(JSON.stringify(body)).not.toContain('secret');
      expect(logged).toHaveBeenCalled();
    } finally {
      await useTestStore(t);
    }
  });
});
