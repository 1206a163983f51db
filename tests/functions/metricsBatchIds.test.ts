import {
  MAX_BATCH_BODY_BYTES,
  MAX_CELL_CHARS,
  MAX_ID_CHARS,
  metricsBatch,
} from '../../functions/metricsBatch';
import { capEcho, MAX_ECHO_CHARS } from '../../shared/privacy/redact';
import type { TestStore } from '../support/testStore';
import { call, closeApiTestStore, openApiTestStore, post } from './apiTestRuntime';

/*
 * Finding 7: the batch endpoint echoed a 150 MB id in its error (and grew the process by 1 GB
 * building it). A body larger than any batch is refused with 413 before it is decoded; an id
 * longer than an Excel cell holds (so from no workbook) with 400 before anything is computed; an
 * id longer than any the store holds is an error in its own slot, named by its length, so one
 * mistyped cell still fails alone; and an id quoted in a slot's error shows at most
 * MAX_ECHO_CHARS characters and its length.
 */

let t: TestStore;
beforeAll(async () => {
  t = await openApiTestStore();
});
afterAll(async () => {
  await closeApiTestStore(t);
});

const batchOf = async (requests: unknown[]) => {
  const response = await call(metricsBatch, post('metrics/batch', JSON.stringify({ requests })));
  return { ...response, size: JSON.stringify(response.body).length };
};

describe('POST /api/metrics/batch with over-long ids', () => {
  it.each(['metric', 'period', 'location', 'provider'])(
    'refuses a batch naming a 1 MB %s with a 400 that names the field and its length, not the value',
    async (field) => {
      const id = 'x'.repeat(1024 * 1024);
      const { status, body, size } = await batchOf([
        { metric: 'net_revenue', period: '2024' },
        { metric: 'net_revenue', period: '2024', [field]: id },
      ]);
      expect(status).toBe(400);
      expect(body.error.code).toBe('bad_request');
      expect(body.error.message).toContain(`requests.1.${field}`);
      expect(body.error.message).toContain('1,048,576');
      expect(body.error.message).not.toContain('xxxxxxxx');
      expect(size).toBeLessThan(300);
    },
  );

  it('refuses a body larger than any batch (a 40 MB id) with a small 413, before parsing it', async () => {
    const id = 'x'.repeat(40 * 1024 * 1024);
    const { status, body, size } = await batchOf([{ metric: 'net_revenue', period: '2024', location: id }]);
    expect(40 * 1024 * 1024).toBeGreaterThan(MAX_BATCH_BODY_BYTES);
    expect(status).toBe(413);
    expect(body.error).toEqual({
      code: 'payload_too_large',
      message: 'A batch body holds at most 33,554,432 bytes (32 MiB)',
    });
    expect(size).toBeLessThan(200);
  });

  it(`takes ids of up to ${MAX_ID_CHARS} characters, and quotes at most ${MAX_ECHO_CHARS} of one`, async () => {
    const longest = `L${'z'.repeat(MAX_ID_CHARS - 1)}`;
    const { status, body, size } = await batchOf([
      { metric: 'net_revenue', period: '2024', location: longest },
      { metric: longest, period: '2024' },
      { metric: 'net_revenue', period: longest },
      { metric: 'net_revenue', period: '2024', provider: longest },
      { metric: 'net_revenue', period: '2024', location: 'L9' },
    ]);
    expect(status).toBe(200);
    const errors = (body.results as { error: { code: string; message: string } }[]).map((r) => r.error);
    expect(errors.map((e) => e.code)).toEqual([
      'unknown_location',
      'unknown_metric',
      'invalid_period',
      'unknown_provider',
      'unknown_location',
    ]);
    for (const error of errors.slice(0, 4)) {
      expect(error.message).not.toContain(longest);
      expect(error.message).not.toContain('z'.repeat(MAX_ECHO_CHARS + 1));
    }
    expect(errors[0]?.message).toBe(`Unknown location "${capEcho(longest)}"`);
    expect(errors[0]?.message).toContain('…(200 characters)');
    // A short id is quoted whole, as before.
    expect(errors[4]?.message).toBe('Unknown location "L9"');
    expect(size).toBeLessThan(5000);

    const over = await batchOf([
      { metric: 'net_revenue', period: '2024', location: `${longest}z` },
      { metric: 'net_revenue', period: '2024', location: 'L1' },
    ]);
    expect(over.status).toBe(200);
    expect(over.body.results[0].error).toEqual({
      code: 'bad_request',
      message: `location: at most ${MAX_ID_CHARS} characters, got 201 characters`,
    });
    expect(over.body.results[1].value).toBe(1000);
  });

  it('answers an id as long as an Excel cell holds in its slot without computing it; a longer one fails the batch', async () => {
    const cell = 'c'.repeat(MAX_CELL_CHARS);
    const inSlot = await batchOf([
      { metric: cell, period: '2024' },
      { metric: 'net_revenue', period: '2024', location: 'L1' },
    ]);
    expect(inSlot.status).toBe(200);
    expect(inSlot.body.results[0].error.message).toBe(
      'metric: at most 200 characters, got 32,767 characters',
    );
    expect(inSlot.body.results[1].value).toBe(1000);
    expect(inSlot.size).toBeLessThan(400);
    const beyond = await batchOf([{ metric: `${cell}c`, period: '2024' }]);
    expect(beyond.status).toBe(400);
    expect(beyond.body.error.message).toContain('requests.0.metric: 32,768 characters');
    expect(beyond.size).toBeLessThan(300);
  });
});
