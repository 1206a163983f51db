/**
 * One tenant cannot stall another (issue 11, item 2), on the real local host: uploads of one
 * tenant take turns in a bounded line, different tenants do not wait on each other for
 * anything but the store's single SQLite writer, and only for its transaction. Every ordering
 * here is forced by the test (an upload it holds open, the writer it holds), never by timing.
 */
import fs from 'node:fs';
import path from 'node:path';

import { createKey } from '../../cli/commands/keysCommand';
import { type LocalHost, startLocalHost } from '../../functions/localHost';
import { createRuntime, type Runtime, setRuntimeForTests } from '../../functions/runtime';
import { fixture, openTestStore, tempDir, type TestStore } from '../support/testStore';
import { zipFolder } from '../support/zipFolder';
import { bearer, openUpload, until, uploadDirs } from './uploadClient';

let t: TestStore;
let runtime: Runtime;
let host: LocalHost;
let uploadRoot: string;
let keyA: string;
let keyB: string;
let north: Buffer;
let south: Buffer;

/** A tenant may have one upload running and one more in hand; a synchronous one waits 300 ms at most. */
const LIMITS = { queuedPerTenant: 1, maxWaitMs: 300 };

beforeAll(async () => {
  t = openTestStore();
  uploadRoot = tempDir('caliper-uploads-');
  runtime = createRuntime(
    { storeFile: t.file, auth: { mode: 'api-key' }, ingestLimits: { ...LIMITS, uploadRoot } },
    t.store,
  );
  keyA = (await createKey(t.store, 'tenant-a', 'tests')).key;
  keyB = (await createKey(t.store, 'tenant-b', 'tests')).key;
  host = await startLocalHost({ port: 0, runtime });
  north = await zipFolder(fixture('north'));
  south = await zipFolder(fixture('south'));
});
afterAll(async () => {
  await host.close();
  setRuntimeForTests(undefined);
  await runtime.close();
  await t.close();
  fs.rmSync(uploadRoot, { recursive: true, force: true });
});
afterEach(async () => {
  await host.idle();
  // Whatever a test did, no upload is left on disk once the host is idle.
  expect(uploadDirs(uploadRoot)).toEqual([]);
});

function zipHeaders(key: string, body: Buffer, name = 'bundle.zip') {
  return {
    ...bearer(key),
    'content-type': 'application/zip',
    'content-length': body.length,
    'x-caliper-filename': name,
  };
}

async function post(key: string, body: Buffer, query = ''): Promise<Response> {
  return fetch(`${host.url}/api/ingest${query}`, {
    method: 'POST',
    headers: { ...bearer(key), 'content-type': 'application/zip' },
    body: new Uint8Array(body),
  });
}

/** Holds the store's writer, as another tenant's store transaction would, until `release`. */
function holdWriter(): { release: () => void; held: Promise<void> } {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let granted!: () => void;
  const held = new Promise<void>((resolve) => {
    granted = resolve;
  });
  void runtime.writeLock.run(async () => {
    granted();
    await gate;
  });
  return { release, held };
}

async function jobStatus(
  key: string,
  statusUrl: string,
): Promise<{ status: string; report?: { committed: boolean } }> {
  const response = await fetch(`${host.url}${statusUrl}`, { headers: bearer(key) });
  return (await response.json()) as { status: string; report?: { committed: boolean } };
}

describe('uploads of different tenants', () => {
  it("answers tenant B's small upload while tenant A's large one is still arriving: B finishes first", async () => {
    const order: string[] = [];
    // Tenant A's upload: the headers and half of the body, then nothing until the test says so.
    const a = openUpload(host.url, '/api/ingest', zipHeaders(keyA, north, 'north.zip'));
    const half = Math.floor(north.length / 2);
    await a.write(north.subarray(0, half));
    await until(() => uploadDirs(uploadRoot).length === 1); // A is being received
    const aAnswered = a.answer.then((answer) => {
      order.push('A');
      return answer;
    });

    const b = await post(keyB, south);
    order.push('B');
    expect(b.status).toBe(200);
    expect(await b.json()).toMatchObject({ committed: true, tenant: 'tenant-b' });
    expect(order).toEqual(['B']); // A is still open

    a.end(north.subarray(half));
    const answerA = await aAnswered;
    expect(answerA.status).toBe(200);
    expect(answerA.body).toMatchObject({ committed: true, tenant: 'tenant-a' });
    expect(order).toEqual(['B', 'A']);
    expect((await t.store.rowCounts('tenant-a')).locations).toBe(1);
    expect((await t.store.rowCounts('tenant-b')).locations).toBeGreaterThan(0);
  });

  it("answers tenant B while tenant A's upload is being read and converted: that work holds no lock B needs", async () => {
    // Tenant A stops where its ingest reads the tenant's locations to convert its exports (the
    // part that used to run under the process's one ingest lock) until the test lets it go.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let reachedA!: () => void;
    const aConverting = new Promise<void>((resolve) => {
      reachedA = resolve;
    });
    // Wherever the ingest reads them from (the read connection, or the writer's).
    const spies = [runtime.store, runtime.writer].map((store) => {
      const original = store.locationIdentities.bind(store);
      return jest.spyOn(store, 'locationIdentities').mockImplementation(async (tenant: string) => {
        if (tenant === 'tenant-a') {
          reachedA();
          await gate;
        }
        return original(tenant);
      });
    });
    const order: string[] = [];
    try {
      const a = post(keyA, north).then((response) => {
        order.push('A');
        return response;
      });
      await aConverting;
      const b = await post(keyB, south);
      order.push('B');
      expect(b.status).toBe(200);
      expect(order).toEqual(['B']);
      release();
      expect((await a).status).toBe(200);
      expect(order).toEqual(['B', 'A']);
    } finally {
      release();
      for (const spy of spies) spy.mockRestore();
    }
  });

  it('refuses a zip bomb (20 MB of one byte in a 20 KB zip) with 422 without ever asking for the store writer', async () => {
    const dir = tempDir('caliper-bomb-');
    fs.writeFileSync(path.join(dir, 'sales.csv'), Buffer.alloc(20 * 1024 * 1024, 'a'));
    const bomb = await zipFolder(dir);
    fs.rmSync(dir, { recursive: true, force: true });
    const asked = jest.spyOn(runtime.writeLock, 'run');
    try {
      const response = await post(keyA, bomb);
      expect(response.status).toBe(422);
      expect(await response.json()).toMatchObject({
        committed: false,
        failure: expect.stringMatching(/sales\.csv.*CALIPER_LIMIT_ZIP/),
      });
      expect(asked).not.toHaveBeenCalled();
    } finally {
      asked.mockRestore();
    }
  });

  it('lets tenant B convert and wait its turn while another transaction holds the writer, never longer than the bound (429 with Retry-After, nothing written)', async () => {
    const writer = holdWriter();
    await writer.held;
    try {
      const before = await t.store.ingests('tenant-b');
      const b = await post(keyB, south);
      expect(b.status).toBe(429);
      expect(b.headers.get('retry-after')).toBe('1');
      expect(await b.json()).toMatchObject({ error: { code: 'too_many_requests' } });
      expect(await t.store.ingests('tenant-b')).toEqual(before);
    } finally {
      writer.release();
    }
  });
});

describe("one tenant's line", () => {
  it('is bounded: one more upload than it holds is refused with 429 and Retry-After before its body is read', async () => {
    // Two uploads of tenant A in hand (one running or arriving, one more: LIMITS.queuedPerTenant).
    const first = openUpload(host.url, '/api/ingest', zipHeaders(keyA, north));
    await first.write(north.subarray(0, 10));
    const second = openUpload(host.url, '/api/ingest', zipHeaders(keyA, north));
    await second.write(north.subarray(0, 10));
    await until(() => uploadDirs(uploadRoot).length === 2);

    // A third declares its length and sends nothing: the answer comes without the body.
    const third = openUpload(host.url, '/api/ingest', zipHeaders(keyA, north));
    const refused = await third.answer;
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.body).toMatchObject({ error: { code: 'too_many_requests' } });
    expect(uploadDirs(uploadRoot)).toHaveLength(2);

    // Tenant B is not in tenant A's line.
    expect((await post(keyB, south)).status).toBe(200);

    first.end(north.subarray(10));
    second.end(north.subarray(10));
    expect((await first.answer).status).toBe(200);
    expect((await second.answer).status).toBe(200);
  });

  it('runs a queued ?async=true job when its turn comes, reporting queued meanwhile; a synchronous upload behind it gets 429 after the wait bound', async () => {
    const writer = holdWriter();
    await writer.held;
    let jobUrl: string;
    try {
      // The job takes tenant A's turn, converts, then waits for the writer: queued.
      const started = await post(keyA, north, '?async=true');
      expect(started.status).toBe(202);
      jobUrl = ((await started.json()) as { status_url: string }).status_url;
      await until(() => runtime.writeLock.mutexFor('tenant-a').waiting === 1);
      expect((await jobStatus(keyA, jobUrl)).status).toBe('queued');

      // A synchronous upload of the same tenant waits behind it, at most the bound.
      const behind = await post(keyA, north);
      expect(behind.status).toBe(429);
      expect(behind.headers.get('retry-after')).toBe('1');
      expect((await jobStatus(keyA, jobUrl)).status).toBe('queued');
    } finally {
      writer.release();
    }
    let job = await jobStatus(keyA, jobUrl);
    while (job.status === 'queued' || job.status === 'running') {
      await new Promise((resolve) => setTimeout(resolve, 10));
      job = await jobStatus(keyA, jobUrl);
    }
    expect(job).toMatchObject({ status: 'done', report: { committed: true } });
  });
});

describe('location edits', () => {
  it('take the tenant’s turn behind its uploads and answer 429 with Retry-After when it does not come within the bound', async () => {
    const writer = holdWriter();
    await writer.held;
    try {
      const response = await fetch(`${host.url}/api/locations/L1`, {
        method: 'PATCH',
        headers: { ...bearer(keyA), 'content-type': 'application/json' },
        body: JSON.stringify({ fields: { region: 'North' } }),
      });
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('1');
    } finally {
      writer.release();
    }
    const response = await fetch(`${host.url}/api/locations/L1`, {
      method: 'PATCH',
      headers: { ...bearer(keyA), 'content-type': 'application/json' },
      body: JSON.stringify({ fields: { region: 'North' } }),
    });
    expect(response.status).toBe(200);
  });
});

describe('the store writer', () => {
  it('is one for every tenant on SQLite (one file holds them all) and one per tenant on a store that isolates tenants', () => {
    expect(runtime.writeLock.mutexFor('tenant-a')).toBe(runtime.writeLock.mutexFor('tenant-b'));
    const isolating = createRuntime(
      { storeFile: path.join(uploadRoot, 'unused.db'), auth: { mode: 'api-key' } },
      new Proxy({}, {}) as never,
    );
    expect(isolating.writeLock.mutexFor('tenant-a')).not.toBe(isolating.writeLock.mutexFor('tenant-b'));
  });
});
