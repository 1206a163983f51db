import { HttpRequest, InvocationContext } from '@azure/functions';

import { createKey } from '../../cli/commands/keysCommand';
import { ingest } from '../../functions/ingest';
import { ingestJob } from '../../functions/ingestJob';
import { refreshLocationFromQueue, refreshQueueOutput } from '../../functions/refreshLocation';
import { createRuntime, runtime, setRuntimeForTests } from '../../functions/runtime';
import { computeMetric } from '../../shared/metrics/computeMetric';
import { openMetrics } from '../../shared/metrics/openMetrics';
import { fixture, openTestStore, type TestStore } from '../support/testStore';
import { zipFolder } from '../support/zipFolder';
import { bearer, call } from './apiTestRuntime';

let t: TestStore;
let key: string;

beforeEach(async () => {
  t = openTestStore();
  setRuntimeForTests(
    createRuntime({ storeFile: t.file, auth: { mode: 'api-key' }, refresh: 'queue' }, t.store),
  );
  key = (await createKey(t.store, 't1', 'tests')).key;
});
afterEach(async () => {
  setRuntimeForTests(undefined);
  await t.close();
});

/** The north fixture zipped, as an upload to `POST /api/ingest{query}`. */
async function northUpload(query = ''): Promise<HttpRequest> {
  return new HttpRequest({
    method: 'POST',
    url: `http://localhost/api/ingest${query}`,
    headers: { 'content-type': 'application/zip', ...bearer(key) },
    body: { bytes: await zipFolder(fixture('north')) },
  });
}

async function uploadBoth(context: InvocationContext) {
  const north = await call(ingest, await northUpload(), context);
  expect(north.status).toBe(200);
  return north;
}

describe('the per-location refresh fan-out (queue mode)', () => {
  it("leaves an ingest job's locations to the queue: nothing refreshed or answered in this instance", async () => {
    const started = await call(ingest, await northUpload('?async=true'));
    const jobId = started.body.job_id as string;
    for (;;) {
      const { body } = await call(
        ingestJob,
        new HttpRequest({
          method: 'GET',
          url: `http://localhost/api/ingest/jobs/${jobId}`,
          headers: bearer(key),
          params: { jobId },
        }),
      );
      if (body.status === 'done') break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await runtime().metrics.settle();
    expect(await t.store.dirtyLocations('t1')).toEqual(['L1']);
    expect(t.store.db.prepare('SELECT COUNT(*) AS n FROM stored_answers').get()).toEqual({ n: 0 });
  });

  it('puts one queue message per changed location on the output binding and refreshes nothing inline', async () => {
    const context = new InvocationContext();
    const { body } = await uploadBoth(context);
    expect(body.refresh).toEqual({ mode: 'queue', locations: ['L1'] });
    expect(context.extraOutputs.get(refreshQueueOutput)).toEqual([{ tenant: 't1', location_id: 'L1' }]);
    expect(await t.store.dirtyLocations('t1')).toEqual(['L1']);
  });

  it('the queue trigger refreshes its location; answers equal those of an inline refresh', async () => {
    const context = new InvocationContext();
    await uploadBoth(context);
    const messages = context.extraOutputs.get(refreshQueueOutput) as unknown[];
    for (const message of messages) await refreshLocationFromQueue(message, new InvocationContext());
    expect(await t.store.dirtyLocations('t1')).toEqual([]);
    // (520 − 20) + 80 − 100 + 520 + 0 of L1 in 2024; the gift card is not revenue (north/sales.csv).
    const ctx = await openMetrics(t.store, 't1');
    const answer = computeMetric(ctx, 'net_revenue', { kind: 'location', locationId: 'L1' }, '2024');
    expect(answer.ok && answer.value.value).toBe(1000);
  });

  it('drops a malformed message with a logged error instead of retrying it forever', async () => {
    const context = new InvocationContext();
    const logged = jest.spyOn(context, 'error').mockImplementation(() => undefined);
    await refreshLocationFromQueue({ tenant: '../etc', location_id: '' }, context);
    expect(logged).toHaveBeenCalledWith(expect.stringMatching(/malformed message/));
  });
});
