import path from 'node:path';

import { trace } from '../../functions/trace';
import type { SourceRecords } from '../../shared/metrics/lineage';
import { fixture, type TestStore } from '../support/testStore';
import { call, closeApiTestStore, get, openApiTestStore } from './apiTestRuntime';

let t: TestStore;
beforeAll(async () => {
  t = await openApiTestStore();
});
afterAll(async () => {
  await closeApiTestStore(t);
});

/** Files are named as they were ingested: here, absolute paths under the fixtures folder. */
function relative(sources: SourceRecords[]): SourceRecords[] {
  return sources.map((s) => ({ ...s, file: path.relative(fixture('.'), s.file) }));
}

describe('GET /api/trace', () => {
  it('answers a value with its definition, formula, operands, coverage and source rows', async () => {
    const { status, body } = await call(trace, get('trace?metric=net_revenue&period=2024-Q1&location=L1'));
    expect(status).toBe(200);
    expect(body).toMatchObject({
      metric: 'net_revenue',
      period: { label: '2024-Q1', start: '2024-01-01', end: '2024-03-31' },
      scope: { kind: 'location', location_id: 'L1', provider_id: null },
      value: 480,
      unit: 'usd',
    });
    expect(typeof body.definition).toBe('string');
    expect(typeof body.formula).toBe('string');
    expect(Array.isArray(body.operands)).toBe(true);
    expect(body).toHaveProperty('coverage');
    expect(relative(body.sources as SourceRecords[])).toEqual([
      { fact: 'sales.csv', file: 'north/sales.csv', ingest_id: 1, rows: 4, sample_rows: [2, 3, 4, 7] },
    ]);
  });

  it('traces the portfolio across both bundles when no location is given', async () => {
    const { status, body } = await call(trace, get('trace?metric=net_revenue&period=2024'));
    expect(status).toBe(200);
    expect(body.value).toBe(1579);
    const files = relative(body.sources as SourceRecords[]).map((s) => s.file);
    expect(files).toEqual(expect.arrayContaining(['north/sales.csv', 'south/sales.csv']));
  });

  it('answers 400 for a missing parameter or a malformed period', async () => {
    const missing = await call(trace, get('trace?metric=net_revenue'));
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('bad_request');
    expect(missing.body.error.message).toContain('period');
    const bad = await call(trace, get('trace?metric=net_revenue&period=2024-Q5'));
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_period');
  });

  it('answers 404 for an unknown metric or location', async () => {
    const metric = await call(trace, get('trace?metric=nope&period=2024'));
    expect(metric.status).toBe(404);
    expect(metric.body.error.code).toBe('unknown_metric');
    const location = await call(trace, get('trace?metric=net_revenue&period=2024&location=L9'));
    expect(location.status).toBe(404);
    expect(location.body.error.code).toBe('unknown_location');
  });

  it('answers 401 without a credential', async () => {
    const { status } = await call(trace, get('trace?metric=net_revenue&period=2024', {}));
    expect(status).toBe(401);
  });
});
