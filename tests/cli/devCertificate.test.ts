import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';

import { generateCertificates } from 'office-addin-dev-certs';

import { readDevCertificate } from '../../cli/devCertificate';
import { startLocalHost } from '../../functions/localHost';
import { createRuntime, setRuntimeForTests } from '../../functions/runtime';
import { openTestStore, type TestStore } from '../support/testStore';

let dir: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caliper-certs-'));
  // The same files `npx office-addin-dev-certs install` writes, without touching the trust store.
  await generateCertificates(
    path.join(dir, 'ca.crt'),
    path.join(dir, 'localhost.crt'),
    path.join(dir, 'localhost.key'),
    30,
  );
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function getHttps(url: string, ca: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

describe('the development certificate', () => {
  it('is read from the office-addin-dev-certs folder when present, valid and matching its key', () => {
    const cert = readDevCertificate(dir);
    expect(cert.ok).toBe(true);
    if (cert.ok) expect(cert.validTo.getTime()).toBeGreaterThan(Date.now());
  });

  it('is refused with a reason when missing, expired or not matching its key', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'caliper-nocerts-'));
    expect(readDevCertificate(empty)).toEqual({
      ok: false,
      reason: `no development certificate in ${empty}`,
    });
    const later = new Date(Date.now() + 60 * 24 * 3600 * 1000);
    const expired = readDevCertificate(dir, later);
    expect(expired.ok === false && expired.reason).toMatch(/expired on/);
    fs.copyFileSync(path.join(dir, 'ca.crt'), path.join(empty, 'localhost.crt'));
    fs.copyFileSync(path.join(dir, 'localhost.key'), path.join(empty, 'localhost.key'));
    const mismatch = readDevCertificate(empty);
    expect(mismatch.ok === false && mismatch.reason).toMatch(/is not the key of/);
    fs.rmSync(empty, { recursive: true, force: true });
  });

  it('lets the local host serve the API over HTTPS, trusted through the development CA', async () => {
    const t: TestStore = openTestStore();
    const cert = readDevCertificate(dir);
    if (!cert.ok) throw new Error(cert.reason);
    const runtime = createRuntime({ storeFile: t.file, auth: { mode: 'api-key' } }, t.store);
    const host = await startLocalHost({ port: 0, runtime, tls: { cert: cert.cert, key: cert.key } });
    try {
      expect(host.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const url = host.url.replace('127.0.0.1', 'localhost');
      const { status, body } = await getHttps(`${url}/api/health`, fs.readFileSync(path.join(dir, 'ca.crt')));
      expect(status).toBe(200);
      expect(JSON.parse(body)).toMatchObject({ status: 'ok' });
    } finally {
      await host.close();
      setRuntimeForTests(undefined);
      await t.close();
    }
  });
});
