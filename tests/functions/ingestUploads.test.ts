/**
 * Uploads never rest in plain form (issue 11, item 5) and are bounded before they are read
 * (item 8), on the real local host: an upload streams into a private folder that is removed on
 * every path, a later start sweeps what a killed process left, an over-limit Content-Length is
 * refused from the header, a body without one is held to the limit as it streams, and every
 * upload has a time limit after which its store transaction rolls back.
 */
import { spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';

import { HttpRequest, InvocationContext } from '@azure/functions';

import { createKey } from '../../cli/commands/keysCommand';
import type { FunctionsConfig } from '../../functions/config';
import { ingest } from '../../functions/ingest';
import { type LocalHost, startLocalHost } from '../../functions/localHost';
import { createRuntime, type Runtime, setRuntimeForTests } from '../../functions/runtime';
import { fixture, openTestStore, tempDir, type TestStore } from '../support/testStore';
import { zipFolder } from '../support/zipFolder';
import { bearer, openUpload, until, uploadDirs } from './uploadClient';

let t: TestStore;
let uploadRoot: string;
let runtime: Runtime;
let host: LocalHost;
let key: string;

const MAX_BYTES = 64 * 1024;

async function startHost(extra: Partial<FunctionsConfig> = {}, limits: Record<string, number> = {}) {
  runtime = createRuntime(
    {
      storeFile: t.file,
      auth: { mode: 'api-key' },
      ingestMaxBytes: MAX_BYTES,
      ingestLimits: { uploadRoot, ...limits },
      ...extra,
    },
    t.store,
  );
  host = await startLocalHost({ port: 0, runtime });
}

async function stopHost() {
  await host.idle();
  await host.close();
  setRuntimeForTests(undefined);
  await runtime.close();
}

beforeEach(async () => {
  t = openTestStore();
  uploadRoot = tempDir('caliper-uploads-');
  key = (await createKey(t.store, 't1', 'tests')).key;
});
afterEach(async () => {
  await t.close();
  fs.rmSync(uploadRoot, { recursive: true, force: true });
});

const mode = (file: string) => fs.statSync(file).mode & 0o777;

function zipHeaders(body: Buffer) {
  return { ...bearer(key), 'content-type': 'application/zip', 'content-length': body.length };
}

describe('an upload on disk', () => {
  beforeEach(() => startHost());
  afterEach(() => stopHost());

  it('streams into a private folder (0700, its file 0600) that is gone once the ingest committed', async () => {
    const zip = await zipFolder(fixture('north'));
    const upload = openUpload(host.url, '/api/ingest', zipHeaders(zip));
    await upload.write(zip.subarray(0, 100));
    await until(
      () => uploadDirs(uploadRoot).length === 1 && fs.readdirSync(uploadDirs(uploadRoot)[0]!).length === 1,
    );
    const [dir] = uploadDirs(uploadRoot);
    // Named after the process that owns it, so a later start can tell a dead owner's leftovers.
    expect(path.basename(dir!)).toMatch(new RegExp(`^caliper-ingest-${process.pid}-[A-Za-z0-9]{6}$`));
    expect(mode(dir!)).toBe(0o700);
    expect(mode(path.join(dir!, 'bundle.zip'))).toBe(0o600);

    upload.end(zip.subarray(100));
    const answer = await upload.answer;
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ committed: true });
    await host.idle();
    expect(uploadDirs(uploadRoot)).toEqual([]);
  });

  it('is gone after a failed ingest (a broken zip: 422, nothing written)', async () => {
    const response = await fetch(`${host.url}/api/ingest`, {
      method: 'POST',
      headers: { ...bearer(key), 'content-type': 'application/zip' },
      body: new Uint8Array(Buffer.from('PK\u0003\u0004 this is not an archive')),
    });
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ committed: false });
    await host.idle();
    expect(uploadDirs(uploadRoot)).toEqual([]);
  });

  it('is gone after the server fails mid-ingest (500)', async () => {
    const failing = jest.spyOn(runtime.writer, 'beginIngest').mockRejectedValue(new Error('disk on fire'));
    const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const response = await fetch(`${host.url}/api/ingest`, {
        method: 'POST',
        headers: { ...bearer(key), 'content-type': 'application/zip' },
        body: new Uint8Array(await zipFolder(fixture('north'))),
      });
      expect(response.status).toBe(500);
      await host.idle();
      expect(uploadDirs(uploadRoot)).toEqual([]);
    } finally {
      failing.mockRestore();
      quiet.mockRestore();
    }
  });

  it('is gone when the client goes away mid-body', async () => {
    const zip = await zipFolder(fixture('north'));
    const upload = openUpload(host.url, '/api/ingest', zipHeaders(zip));
    await upload.write(zip.subarray(0, 100));
    await until(() => uploadDirs(uploadRoot).length === 1);
    upload.abort();
    await host.idle();
    expect(uploadDirs(uploadRoot)).toEqual([]);
    expect(await t.store.ingests('t1')).toEqual([]);
  });

  it('leaves no open descriptor holding an upload’s bytes after a zip ingest', async () => {
    if (!fs.existsSync('/proc/self/fd')) return; // Linux only: how descriptors are listed
    const response = await fetch(`${host.url}/api/ingest`, {
      method: 'POST',
      headers: { ...bearer(key), 'content-type': 'application/zip' },
      body: new Uint8Array(await zipFolder(fixture('north'))),
    });
    expect(response.status).toBe(200);
    await host.idle();
    const held = fs.readdirSync('/proc/self/fd').flatMap((fd) => {
      let target: string;
      try {
        target = fs.readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        return [];
      }
      if (!target.startsWith(uploadRoot)) return [];
      try {
        return [{ target, bytes: fs.fstatSync(Number(fd)).size }];
      } catch {
        return [];
      }
    });
    // io/bundleFiles.ts closes each zip handle when a read ends; and the upload is emptied before
    // it is removed, so even a descriptor still open would reach nothing.
    expect(held.filter((h) => h.bytes > 0)).toEqual([]);
  });
});

describe('the next start', () => {
  it('sweeps the upload folders of a process that died mid-ingest and any older than the longest ingest; a live process’s recent ones stay', async () => {
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
    const livePid = process.ppid;
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600 * 1000);
    const make = (name: string, old = false) => {
      const dir = path.join(uploadRoot, name);
      fs.mkdirSync(dir, { mode: 0o700 });
      fs.writeFileSync(path.join(dir, 'bundle.zip'), 'raw patient emails', { mode: 0o600 });
      if (old) fs.utimesSync(dir, twoDaysAgo, twoDaysAgo);
      return dir;
    };
    const crashed = make(`caliper-ingest-${deadPid}-aB3dE5`);
    const oldUnnamed = make('caliper-ingest-Zz9xQ1', true);
    const oldLive = make(`caliper-ingest-${livePid}-cC3cC3`, true);
    const liveRecent = make(`caliper-ingest-${livePid}-bB2bB2`);
    const unnamedRecent = make('caliper-ingest-Yy8wP0');
    const unrelated = path.join(uploadRoot, 'someone-elses');
    fs.mkdirSync(unrelated);

    await startHost();
    try {
      for (const gone of [crashed, oldUnnamed, oldLive]) expect(fs.existsSync(gone)).toBe(false);
      for (const kept of [liveRecent, unnamedRecent, unrelated]) expect(fs.existsSync(kept)).toBe(true);
    } finally {
      await stopHost();
    }
  });
});

describe('the size limit', () => {
  beforeEach(() => startHost());
  afterEach(() => stopHost());

  it('refuses an over-limit Content-Length with 413 before a byte of the body is sent', async () => {
    const upload = openUpload(host.url, '/api/ingest?file=sales.csv', {
      ...bearer(key),
      'content-type': 'text/csv',
      'content-length': 10 * MAX_BYTES,
    });
    const answer = await upload.answer; // nothing was written to the request
    expect(answer.status).toBe(413);
    expect(answer.body).toMatchObject({ error: { code: 'payload_too_large' } });
    expect(answer.headers.connection).toBe('close');
    expect(uploadDirs(uploadRoot)).toEqual([]);
  });

  it('does not ask a client that expects 100-continue for the body it refuses', async () => {
    const upload = openUpload(host.url, '/api/ingest?file=sales.csv', {
      ...bearer(key),
      'content-type': 'text/csv',
      'content-length': 10 * MAX_BYTES,
      expect: '100-continue',
    });
    const answer = await upload.answer;
    expect(answer.status).toBe(413);
    expect(answer.continued).toBe(false);
  });

  it('holds the body to the limit whatever its Content-Length says (a host that hands the handler a buffered body)', async () => {
    const request = new HttpRequest({
      method: 'POST',
      url: 'http://localhost/api/ingest?file=sales.csv',
      headers: { ...bearer(key), 'content-type': 'text/csv', 'content-length': '10' },
      body: { bytes: Buffer.alloc(MAX_BYTES + 1, 'a') },
    });
    const response = await ingest(request, new InvocationContext());
    expect(response.status).toBe(413);
    expect(uploadDirs(uploadRoot)).toEqual([]);
  });

  it('holds a body without a Content-Length to the limit as it streams (413), and removes what arrived', async () => {
    const upload = openUpload(host.url, '/api/ingest?file=sales.csv', {
      ...bearer(key),
      'content-type': 'text/csv',
      'transfer-encoding': 'chunked',
    });
    const row = 'S1,L1,2024-01-05,PT1,PR1,A1,service,BTX,520.00,20.00,0.00,50.00\n';
    const chunk = row.repeat(Math.ceil(MAX_BYTES / 4 / row.length));
    for (let i = 0; i < 5; i += 1) await upload.write(chunk);
    const answer = await upload.answer;
    expect(answer.status).toBe(413);
    expect(answer.body).toMatchObject({ error: { code: 'payload_too_large' } });
    await host.idle();
    expect(uploadDirs(uploadRoot)).toEqual([]);
  });
});

describe('the time limit', () => {
  // Timers fire in order: the upload's limit (set when its request is accepted) always passes
  // before a longer wait the test starts afterwards.
  const LIMIT_MS = 200;
  const pastTheLimit = () => new Promise((resolve) => setTimeout(resolve, LIMIT_MS * 2));
  beforeEach(() => startHost({}, { timeoutMs: LIMIT_MS }));
  afterEach(() => stopHost());

  it('answers 408 to an upload that has not arrived by then, and removes what did', async () => {
    const upload = openUpload(host.url, '/api/ingest?file=sales.csv', {
      ...bearer(key),
      'content-type': 'text/csv',
      'content-length': 1000,
    });
    await upload.write('line_id,location_id\n');
    const answer = await upload.answer;
    expect(answer.status).toBe(408);
    expect(answer.body).toMatchObject({ error: { code: 'request_timeout' } });
    await host.idle();
    expect(uploadDirs(uploadRoot)).toEqual([]);
  });

  it('rolls back a store transaction still running then (422, nothing written) and frees the writer', async () => {
    const original = runtime.writer.beginIngest.bind(runtime.writer);
    const slow = jest.spyOn(runtime.writer, 'beginIngest').mockImplementation(async (tenant, label) => {
      const tx = await original(tenant, label);
      await pastTheLimit();
      return tx;
    });
    try {
      const before = t.dump();
      const response = await fetch(`${host.url}/api/ingest`, {
        method: 'POST',
        headers: { ...bearer(key), 'content-type': 'application/zip' },
        body: new Uint8Array(await zipFolder(fixture('north'))),
      });
      expect(response.status).toBe(422);
      const report = (await response.json()) as { committed: boolean; failure: string };
      expect(report.committed).toBe(false);
      expect(report.failure).toMatch(/took longer than/);
      expect(t.dump()).toEqual(before);
      expect(runtime.writeLock.mutexFor('t1').busy).toBe(false);
    } finally {
      slow.mockRestore();
    }
  });
});

describe('listeners', () => {
  // The warning came from shared/ingest/csvRecords.ts, which added a `close` listener to its
  // parser on every backpressure wait (a 1 MB file waits more than ten times) and kept it.
  it('a zip ingest of a 1 MB CSV adds no emitter more listeners than its limit (no MaxListenersExceededWarning)', async () => {
    await startHost({ ingestMaxBytes: 16 * 1024 * 1024 });
    const dir = tempDir('caliper-big-');
    const over: string[] = [];
    // Called below with the emitter as `this`, exactly as the original is.
    // eslint-disable-next-line @typescript-eslint/unbound-method
    const on = EventEmitter.prototype.on;
    const spy = jest.spyOn(EventEmitter.prototype, 'on').mockImplementation(function (
      this: EventEmitter,
      event: unknown,
      listener: (...a: unknown[]) => void,
    ) {
      const name = event as string | symbol;
      const result = on.call(this, name, listener);
      const max = this.getMaxListeners();
      if (max > 0 && this.listenerCount(name) > max) over.push(`${this.constructor.name} ${String(name)}`);
      return result;
    });
    try {
      fs.cpSync(fixture('north'), dir, { recursive: true });
      const rows = [
        'line_id,location_id,sold_on,patient_id,provider_id,appointment_id,kind,service_code,gross,discount,tax,tip',
      ];
      for (let i = 0; i < 20_000; i += 1)
        rows.push(`X${i},L1,2024-01-${10 + (i % 18)},PT1,PR1,,service,BTX,${(i % 500) + 10}.00,,,`);
      fs.writeFileSync(path.join(dir, 'sales.csv'), `${rows.join('\n')}\n`);
      const response = await fetch(`${host.url}/api/ingest`, {
        method: 'POST',
        headers: { ...bearer(key), 'content-type': 'application/zip' },
        body: new Uint8Array(await zipFolder(dir)),
      });
      expect(response.status).toBe(200);
      expect([...new Set(over)]).toEqual([]);
    } finally {
      spy.mockRestore();
      fs.rmSync(dir, { recursive: true, force: true });
      await stopHost();
    }
  });
});
