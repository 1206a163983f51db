import { HttpRequest } from '@azure/functions';

import { ingest } from '../../functions/ingest';
import { metricsBatch } from '../../functions/metricsBatch';
import { portfolio } from '../../functions/portfolio';
import { runtime } from '../../functions/runtime';
import { fixture, type TestStore } from '../support/testStore';
import { zipFolder } from '../support/zipFolder';
import { call, closeApiTestStore, get, openApiTestStore, post } from './apiTestRuntime';

let t: TestStore;
beforeEach(async () => {
  t = await openApiTestStore();
});
afterEach(() => closeApiTestStore(t));

function zipUpload(body: Buffer, headers: Headers): HttpRequest {
  return new HttpRequest({
    method: 'POST',
    url: 'http://localhost/api/ingest',
    headers: { authorization: headers.get('authorization') ?? '', 'content-type': 'application/zip' },
    body: { bytes: body },
  });
}

describe('writes while the API serves reads', () => {
  it('answers reads from committed data only while an ingest transaction is open', async () => {
    const before = await call(portfolio, get('portfolio'));
    const tx = await runtime().writer.beginIngest('t1', 'still streaming');
    try {
      const during = await call(portfolio, get('portfolio'));
      expect(during.body.data_version).toBe(before.body.data_version);
      const batch = await call(
        metricsBatch,
        post('metrics/batch', JSON.stringify({ requests: [{ metric: 'net_revenue', period: '2024' }] })),
      );
      expect(batch.body.data_version).toBe(before.body.data_version);
      expect(batch.body.results[0].value).toBe(1579);
    } finally {
      await tx.rollback();
    }
  });

  it('runs two uploads that arrive together one after the other; both commit', async () => {
    const headers = new Headers(get('portfolio').headers);
    const [north, south] = await Promise.all([
      call(ingest, zipUpload(await zipFolder(fixture('north')), headers)),
      call(ingest, zipUpload(await zipFolder(fixture('south')), headers)),
    ]);
    expect([north.status, south.status]).toEqual([200, 200]);
    expect([north.body.committed, south.body.committed]).toEqual([true, true]);
    // Both re-send what openApiTestStore ingested (in one ingest): each commits with every row unchanged.
    expect(north.body.totals.rows_inserted + south.body.totals.rows_inserted).toBe(0);
    const ids = (await t.store.ingests('t1')).map((i) => i.ingest_id);
    expect(ids).toHaveLength(3);
  });
});
