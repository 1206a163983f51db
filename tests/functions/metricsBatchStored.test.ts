import { metricsBatch } from '../../functions/metricsBatch';
import { runtime } from '../../functions/runtime';
import { engineFingerprint } from '../../io/engineFingerprint';
import { answerCell, type CellRequest, standardCells, storedCellKey } from '../../shared/metrics/cellAnswers';
import { computeMetric } from '../../shared/metrics/computeMetric';
import { DEFAULT_SETTINGS } from '../../shared/metrics/metricContext';
import { loadMetricContext, openMetrics } from '../../shared/metrics/openMetrics';
import { storeStandardAnswers } from '../../shared/metrics/storedAnswers';
import { fixture, type TestStore } from '../support/testStore';
import { call, closeApiTestStore, openApiTestStore, post, useTestStore } from './apiTestRuntime';

/*
 * The batch after `precompute` (shared/metrics/storedAnswers.ts): the standard cells are read from
 * the answers stored under the data version, computed by no one, and equal to what a context
 * computes; a cell outside them is computed; a later ingest leaves the stored answers unread.
 */

/** What the API's answers are of: its default settings and this build's engine. */
const basis = { settings: DEFAULT_SETTINGS, engine: engineFingerprint() };

// Wrapped, not replaced: the batch computes real values and the test counts the calls.
jest.mock('../../shared/metrics/computeMetric', () => {
  const actual = jest.requireActual<{ computeMetric: typeof computeMetric }>(
    '../../shared/metrics/computeMetric',
  );
  return { ...actual, computeMetric: jest.fn(actual.computeMetric) };
});

let t: TestStore;
let cells: CellRequest[];
let computed: unknown[];
beforeAll(async () => {
  t = await openApiTestStore();
  const ctx = await openMetrics(t.store, 't1');
  cells = standardCells(ctx);
  computed = cells.map((cell) => answerCell(ctx, cell));
});
afterAll(async () => {
  await closeApiTestStore(t);
});

const batch = (requests: unknown[]) =>
  call(metricsBatch, post('metrics/batch', JSON.stringify({ requests })));

/** A fresh runtime on the same store, as a new API process or instance would start. */
async function freshProcess(): Promise<void> {
  await runtime().close();
  await useTestStore(t);
  jest.mocked(computeMetric).mockClear();
}

describe('POST /api/metrics/batch after the standard answers are stored', () => {
  it('reads every standard cell from the store, computing none, and answers as a context computes', async () => {
    // Two locations, 42 periods, every metric a location is asked for: the workbook of the test,
    // stored in two chunks (5,000 answers a chunk).
    expect(cells.length).toBe(42 * 3 * new Set(cells.map((c) => c.metric)).size);
    expect(cells.length).toBeGreaterThan(5000);
    const report = await runtime().metrics.storeAnswers('t1');
    expect(report).toEqual({ version: await t.store.dataVersion('t1'), cells: cells.length, stored: true });

    await freshProcess();
    const { status, body } = await batch(cells);
    expect(status).toBe(200);
    expect(computeMetric).not.toHaveBeenCalled();
    expect(body.results).toEqual(computed);
    expect(body.data_version).toBe(report.version);
  });

  it('computes a cell outside the standard ones, and answers both in the order asked', async () => {
    await freshProcess();
    const { body } = await batch([
      { metric: 'net_revenue', period: '2024-01-01..2024-06-30', location: 'L1' },
      cells[0],
    ]);
    expect(computeMetric).toHaveBeenCalledTimes(1);
    expect(body.results[1]).toEqual(computed[0]);
    expect(body.results[0]).toMatchObject({ unit: 'usd' });
  });

  it('reads what is stored for the data version: a stored answer stands for the cell', async () => {
    // An answer no computation gives, stored through the port for a cell no one stored yet.
    const version = await t.store.dataVersion('t1');
    const cell = { metric: 'net_revenue', period: '2024-02-01..2024-02-29' };
    const marked = { value: 12345.67, unit: 'usd', coverage: 1 };
    await t.store.saveAnswers('t1', version, [
      { key: storedCellKey(basis, cell), answer: JSON.stringify(marked) },
    ]);
    await freshProcess();
    expect((await batch([cell])).body.results).toEqual([marked]);

    // The next ingest is another data version: its answer is computed again, not the stored one.
    await t.ingest([fixture('north')]);
    await freshProcess();
    const after = await batch([cell]);
    expect(after.body.data_version).toBeGreaterThan(version);
    expect(after.body.results[0]).not.toEqual(marked);
    expect(after.body.results[0]).toMatchObject({ unit: 'usd' });
  });

  it('reads no answer another build stored: a release that changes a figure computes it again', async () => {
    const version = await t.store.dataVersion('t1');
    const cell = { metric: 'net_revenue', period: '2024-03-01..2024-03-31' };
    const marked = { value: 7654.32, unit: 'usd', coverage: 1 };
    const otherBuild = { settings: DEFAULT_SETTINGS, engine: 'another build' };
    await t.store.saveAnswers('t1', version, [
      { key: storedCellKey(otherBuild, cell), answer: JSON.stringify(marked) },
    ]);
    await freshProcess();
    const { body } = await batch([cell]);
    expect(computeMetric).toHaveBeenCalledTimes(1);
    expect(body.results[0]).not.toEqual(marked);
    expect(runtime().metrics.basis).toEqual(basis);
  });

  it('stores nothing when an ingest lands while the answers are computed', async () => {
    const version = await t.store.dataVersion('t1');
    const ctx = await loadMetricContext(t.store, 't1');
    await t.ingest([fixture('south')]);
    const report = await storeStandardAnswers(t.store, 't1', ctx, version, basis.engine);
    expect(report.stored).toBe(false);
    expect(await t.store.storedAnswers('t1', version, [storedCellKey(basis, cells[0]!)])).toEqual([
      undefined,
    ]);
  });
});
