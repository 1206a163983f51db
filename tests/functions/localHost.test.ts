import fs from 'node:fs';
import path from 'node:path';

import { createKey } from '../../cli/commands/keysCommand';
import { type LocalHost, readCorsOrigins, startLocalHost } from '../../functions/localHost';
import { createRuntime, setRuntimeForTests } from '../../functions/runtime';
import { fixture, openTestStore, type TestStore } from '../support/testStore';
import { zipFolder } from '../support/zipFolder';

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
