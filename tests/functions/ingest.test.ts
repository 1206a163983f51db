import fs from 'node:fs';
import path from 'node:path';

import { HttpRequest } from '@azure/functions';

import { createKey } from '../../cli/commands/keysCommand';
import { ingest } from '../../functions/ingest';
import { createRuntime, setRuntimeForTests } from '../../functions/runtime';
import { fixture, openTestStore, type TestStore } from '../support/testStore';
import { zipFolder } from '../support/zipFolder';
import { bearer, call } from './apiTestRuntime';

let t: TestStore;
let key: string;

async function useStore(ingestMaxBytes?: number): Promise<void> {
  setRuntimeForTests(
    createRuntime(
      {
        storeFile: t.file,
        auth: { mode: 'api-key' },
        ...(ingestMaxBytes === undefined ? {} : { ingestMaxBytes }),
      },
      t.store,
    ),
  );
  key = (await createKey(t.store, 't1', 'tests')).key;
}

function upload(body: Buffer | string, contentType: string, query = ''): HttpRequest {
  return new HttpRequest({
    method: 'POST',
    url: `http://localhost/api/ingest${query}`,
    headers: { 'content-type': contentType, ...bearer(key) },
    body: { bytes: typeof body === 'string' ? Buffer.from(body) : body },
  });
}

beforeEach(async () => {
  t = openTestStore();
  await useStore();
});
afterEach(async () => {
  setRuntimeForTests(undefined);
  await t.close();
});

describe('POST /api/ingest', () => {
  it('ingests a zipped bundle for the caller’s tenant and answers the committed report', async () => {
    const { status, body } = await call(ingest, upload(await zipFolder(fixture('north')), 'application/zip'));
    expect(status).toBe(200);
    expect(body).toMatchObject({ committed: true, tenant: 't1', failure: null });
    expect(body.totals.rows_inserted).toBeGreaterThan(0);
    expect(await t.store.rowCounts('t1')).toMatchObject({ locations: 1 });
    // The server's temp folder does not leak into the report.
    expect(JSON.stringify(body)).not.toContain('caliper-ingest-');
  });

  it('ingests one canonical CSV named by ?file=', async () => {
    await call(ingest, upload(await zipFolder(fixture('north')), 'application/zip'));
    const sales = fs.readFileSync(path.join(fixture('north'), 'sales.csv'), 'utf8');
    const changed = sales.replace(
      'S1,L1,2024-01-05,PT1,PR1,A1,service,BTX,520.00',
      'S1,L1,2024-01-05,PT1,PR1,A1,service,BTX,530.00',
    );
    const { status, body } = await call(
      ingest,
      upload(changed, 'text/csv; charset=utf-8', '?file=sales.csv'),
    );
    expect(status).toBe(200);
    expect(body.committed).toBe(true);
    expect(body.files).toHaveLength(1);
    expect(body.files[0]).toMatchObject({ file: 'sales.csv', entity: 'sales', rows_updated: 1 });
  });

  it('refuses a content type it does not take with 415', async () => {
    const { status, body } = await call(ingest, upload('{}', 'application/json'));
    expect(status).toBe(415);
    expect(body.error.code).toBe('unsupported_media_type');
  });

  it('asks for the file name of a CSV upload and refuses one that is a path', async () => {
    expect((await call(ingest, upload('a,b\n', 'text/csv'))).status).toBe(400);
    expect((await call(ingest, upload('a,b\n', 'text/csv', '?file=../sales.csv'))).status).toBe(400);
  });

  it('refuses a body over the configured limit with 413 and writes nothing', async () => {
    await useStore(100);
    const before = t.dump();
    const { status, body } = await call(ingest, upload(await zipFolder(fixture('north')), 'application/zip'));
    expect(status).toBe(413);
    expect(body.error.code).toBe('payload_too_large');
    expect(t.dump()).toEqual(before);
  });

  it('answers 422 with the report when a broken CSV means nothing was written', async () => {
    const before = t.dump();
    const broken = 'line_id,location_id,sold_on\nS1,L1,"2024-01-05\n';
    const { status, body } = await call(ingest, upload(broken, 'text/csv', '?file=sales.csv'));
    expect(status).toBe(422);
    expect(body.committed).toBe(false);
    expect(typeof body.failure).toBe('string');
    expect(t.dump()).toEqual(before);
  });

  it('answers 422 when the zip is not a readable archive', async () => {
    const { status, body } = await call(ingest, upload('not a zip', 'application/zip'));
    expect(status).toBe(422);
    expect(body.failure).toMatch(/bundle\.zip: not a readable zip archive/);
  });

  it('refuses a caller without a credential with 401', async () => {
    const request = new HttpRequest({
      method: 'POST',
      url: 'http://localhost/api/ingest',
      headers: { 'content-type': 'application/zip' },
      body: { string: 'x' },
    });
    expect((await call(ingest, request)).status).toBe(401);
  });
});
