import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

import { createKey } from '../../cli/commands/keysCommand';
import { type LocalHost, readCorsOrigins, startLocalHost } from '../../functions/localHost';
import { MAX_BATCH_BODY_BYTES } from '../../functions/metricsBatch';
import { ROUTES, SMALL_BODY_BYTES } from '../../functions/routes';
import { createRuntime, setRuntimeForTests } from '../../functions/runtime';
import { fixture, openTestStore, type TestStore } from '../support/testStore';
import { zipFolder } from '../support/zipFolder';
import { openUpload, until } from './uploadClient';

const ADDIN_ORIGIN = 'https://localhost:3000';

let t: TestStore;
let host: LocalHost;
let key: string;
let staticDir: string;

beforeAll(async () => {
  // An empty store: the data arrives through the API, as it would from the task pane.
  t = openTestStore();
  staticDir = path.join(t.dir, 'addin');
  fs.mkdirSync(staticDir);
  fs.writeFileSync(path.join(staticDir, 'taskpane.html'), '<html>task pane</html>');
  fs.writeFileSync(path.join(t.dir, 'secret.txt'), 'not for the web');
  const runtime = createRuntime({ storeFile: t.file, auth: { mode: 'api-key' } }, t.store);
  key = (await createKey(t.store, 't1', 'tests')).key;
  host = await startLocalHost({ port: 0, runtime, staticDir, corsOrigins: [ADDIN_ORIGIN] });
});
afterAll(async () => {
  await host.close();
  setRuntimeForTests(undefined);
  await t.close();
});

const auth = () => ({ authorization: `Bearer ${key}` });

describe('the local host', () => {
  it('answers GET /api/health over HTTP', async () => {
    const response = await fetch(`${host.url}/api/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    expect(await response.json()).toMatchObject({ status: 'ok' });
  });

  it('ingests a zipped bundle, then answers metrics from it', async () => {
    const upload = await fetch(`${host.url}/api/ingest`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/zip' },
      body: new Uint8Array(await zipFolder(fixture('north'))),
    });
    expect(upload.status).toBe(200);
    expect(await upload.json()).toMatchObject({ committed: true, tenant: 't1' });

    const batch = await fetch(`${host.url}/api/metrics/batch`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ requests: [{ metric: 'net_revenue', period: '2024', location: 'L1' }] }),
    });
    expect(batch.status).toBe(200);
    const body = (await batch.json()) as { results: { value: number }[] };
    expect(body.results[0]?.value).toBe(1000);
  });

  it('runs an ?async=true ingest as a job the client polls over HTTP until its report', async () => {
    const started = await fetch(`${host.url}/api/ingest?async=true`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/zip' },
      body: new Uint8Array(await zipFolder(fixture('north'))),
    });
    expect(started.status).toBe(202);
    const { status_url: statusUrl } = (await started.json()) as { status_url: string };
    expect(started.headers.get('location')).toBe(statusUrl);
    let job: { status: string; report?: { committed: boolean; totals: { rows_unchanged: number } } };
    do {
      await new Promise((resolve) => setTimeout(resolve, 25));
      const polled = await fetch(`${host.url}${statusUrl}`, { headers: auth() });
      expect(polled.status).toBe(200);
      job = (await polled.json()) as typeof job;
    } while (job.status === 'queued' || job.status === 'running');
    expect(job.status).toBe('done');
    // The same bundle again: committed, every row unchanged.
    expect(job.report?.committed).toBe(true);
    expect(job.report?.totals.rows_unchanged).toBeGreaterThan(0);
  });

  it('answers 401 with the handler’s error body when the key is missing', async () => {
    const response = await fetch(`${host.url}/api/metrics/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ requests: [] }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/Bearer/);
    expect(await response.json()).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it('answers a CORS preflight from the add-in origin with 204 and the allowed methods and headers', async () => {
    const response = await fetch(`${host.url}/api/metrics/batch`, {
      method: 'OPTIONS',
      headers: {
        origin: ADDIN_ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(ADDIN_ORIGIN);
    expect(response.headers.get('access-control-allow-methods')).toMatch(/POST/);
    // The task pane edits a location with PATCH.
    expect(response.headers.get('access-control-allow-methods')).toMatch(/PATCH/);
    expect(response.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    expect(response.headers.get('access-control-allow-headers')).toMatch(/content-type/);
  });

  it('allows no other origin', async () => {
    const response = await fetch(`${host.url}/api/health`, { headers: { origin: 'https://evil.example' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    const ok = await fetch(`${host.url}/api/health`, { headers: { origin: ADDIN_ORIGIN } });
    expect(ok.headers.get('access-control-allow-origin')).toBe(ADDIN_ORIGIN);
  });

  it('answers an unknown route with 404 JSON and a wrong method with 405', async () => {
    const unknown = await fetch(`${host.url}/api/nope`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'not_found' } });
    const wrongMethod = await fetch(`${host.url}/api/health`, { method: 'DELETE' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET');
  });

  it('serves the repository’s manifest.xml and the add-in files, and nothing outside them', async () => {
    const manifest = await fetch(`${host.url}/manifest.xml`);
    expect(manifest.status).toBe(200);
    expect(manifest.headers.get('content-type')).toMatch(/xml/);
    expect(await manifest.text()).toBe(
      fs.readFileSync(path.join(__dirname, '..', '..', 'manifest.xml'), 'utf8'),
    );
    const page = await fetch(`${host.url}/taskpane.html`);
    expect(await page.text()).toBe('<html>task pane</html>');
    expect((await fetch(`${host.url}/..%2fsecret.txt`)).status).toBe(404);
  });

  it('answers 500 JSON when a handler throws, and keeps serving', async () => {
    const store = t.store as unknown as { apiKeyTenant: (hash: string) => Promise<string | null> };
    const original = store.apiKeyTenant.bind(t.store);
    store.apiKeyTenant = () => Promise.reject(new Error('disk on fire'));
    const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const response = await fetch(`${host.url}/api/catalog`, { headers: auth() });
      expect(response.status).toBe(500);
      expect(await response.json()).toMatchObject({ error: { code: 'internal' } });
    } finally {
      store.apiKeyTenant = original;
      spy.mockRestore();
    }
    expect((await fetch(`${host.url}/api/catalog`, { headers: auth() })).status).toBe(200);
  });
});

/*
 * Each route's body limit (functions/routes.ts), held by the host before the handler runs: a
 * 143 MiB batch body once grew the process by 570 MB although the handler refused it unread.
 * `bodyBytes()` counts what the host read from sockets and holds, so "unread" and "dropped" are
 * asserted, not inferred from timing.
 */
describe('request bodies, held to their route’s limit by the host', () => {
  const MiB = 1024 * 1024;
  const json = () => ({ ...auth(), 'content-type': 'application/json' });

  it('declares how every route that takes a body takes it', () => {
    const withBody = ROUTES.filter((r) => r.methods.some((m) => m !== 'GET' && m !== 'HEAD'));
    expect(withBody.map((r) => [r.name, r.body])).toEqual([
      ['metricsBatch', { maxBytes: MAX_BATCH_BODY_BYTES }],
      ['ingest', 'stream'],
      ['updateLocation', { maxBytes: SMALL_BODY_BYTES }],
      ['mergeLocation', { maxBytes: SMALL_BODY_BYTES }],
      ['snoozeAction', { maxBytes: SMALL_BODY_BYTES }],
      ['actionDone', { maxBytes: SMALL_BODY_BYTES }],
    ]);
  });

  it.each([
    ['without', {}],
    ['with', { expect: '100-continue' }],
  ])(
    'answers a batch whose Content-Length is over its limit 413 before a byte of the body is sent (%s Expect: 100-continue)',
    async (_, expect100) => {
      const before = host.bodyBytes();
      // Headers only: the client sends no byte of the 143 MiB it announces.
      const upload = openUpload(host.url, '/api/metrics/batch', {
        ...json(),
        'content-length': 150_000_000,
        ...expect100,
      });
      const answer = await upload.answer;
      upload.abort();
      expect(answer.status).toBe(413);
      expect(answer.continued).toBe(false);
      expect(answer.headers.connection).toBe('close');
      expect(answer.body).toEqual({
        error: {
          code: 'payload_too_large',
          message: 'A request body of POST /api/metrics/batch holds at most 33,554,432 bytes (32 MiB)',
        },
      });
      expect(host.bodyBytes()).toEqual(before);
    },
  );

  it('stops reading a chunked batch body at its limit, answers 413 and keeps none of it', async () => {
    const before = host.bodyBytes();
    const upload = openUpload(host.url, '/api/metrics/batch', {
      ...json(),
      'transfer-encoding': 'chunked',
    });
    const chunk = Buffer.alloc(MiB, 'x');
    // Half the limit first: read and held while it is under the limit.
    for (let sent = 0; sent < MAX_BATCH_BODY_BYTES / 2; sent += chunk.length) await upload.write(chunk);
    await until(() => host.bodyBytes().read - before.read >= MAX_BATCH_BODY_BYTES / 2);
    expect(host.bodyBytes().held).toBeGreaterThanOrEqual(MAX_BATCH_BODY_BYTES / 2);
    // Then up to the limit and 1 KiB past it, and the body not ended: the answer comes mid-body.
    // (Nothing more is written, so no write of the client meets the closed connection.)
    for (let sent = MAX_BATCH_BODY_BYTES / 2; sent < MAX_BATCH_BODY_BYTES; sent += chunk.length)
      await upload.write(chunk);
    await upload.write(Buffer.alloc(1024, 'x'));
    const refused = await upload.answer;
    upload.abort();
    expect(refused.status).toBe(413);
    expect(refused.headers.connection).toBe('close');
    expect(refused.body).toEqual({
      error: {
        code: 'payload_too_large',
        message: 'A request body of POST /api/metrics/batch holds at most 33,554,432 bytes (32 MiB)',
      },
    });
    // Read up to the byte that passed the limit; none of it is held any more.
    const after = host.bodyBytes();
    expect(after.read - before.read).toBeGreaterThan(MAX_BATCH_BODY_BYTES);
    expect(after.held).toBe(0);
  });

  it('hands a chunked body within its limit to the handler whole', async () => {
    const upload = openUpload(host.url, '/api/metrics/batch', {
      ...json(),
      'transfer-encoding': 'chunked',
    });
    // An id longer than a cell: the handler's 400 names its length, so it read every chunk.
    const body = JSON.stringify({ requests: [{ metric: 'm'.repeat(40_000), period: '2024' }] });
    for (let i = 0; i < body.length; i += 10_000) await upload.write(body.slice(i, i + 10_000));
    upload.end();
    const answer = await upload.answer;
    expect(answer.status).toBe(400);
    expect(answer.body.error.message).toContain('requests.0.metric: 40,000 characters');
    expect(host.bodyBytes().held).toBe(0);
  });

  it('holds a location edit to 1 MiB, naming the route, not the location the path names', async () => {
    const before = host.bodyBytes();
    // Headers only, as openUpload sends them, but a PATCH.
    const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const request = http.request(`${host.url}/api/locations/Quartz-Olivia-Clinic`, {
        method: 'PATCH',
        headers: { ...json(), 'content-length': SMALL_BODY_BYTES + 1 },
      });
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => {
          resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
          request.destroy();
        });
      });
      request.on('error', reject);
      request.flushHeaders();
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.text)).toEqual({
      error: {
        code: 'payload_too_large',
        message: 'A request body of PATCH /api/locations/{locationId} holds at most 1,048,576 bytes (1 MiB)',
      },
    });
    expect(answer.text).not.toContain('Quartz');
    expect(host.bodyBytes()).toEqual(before);
  });
});

describe('readCorsOrigins', () => {
  it('defaults to the add-in dev server and reads a comma-separated list', () => {
    expect(readCorsOrigins({})).toEqual(['https://localhost:3000']);
    expect(readCorsOrigins({ CALIPER_CORS_ORIGINS: 'https://a.example, https://b.example:8443/' })).toEqual([
      'https://a.example',
      'https://b.example:8443',
    ]);
    expect(() => readCorsOrigins({ CALIPER_CORS_ORIGINS: 'not an origin' })).toThrow(/CALIPER_CORS_ORIGINS/);
  });
});
