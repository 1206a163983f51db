import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import { CaliperApiError, CaliperClient, type IngestJobProgress } from '../../../addin/api/caliperClient';
import { createKey } from '../../../cli/commands/keysCommand';
import { type LocalHost, startLocalHost } from '../../../functions/localHost';
import { createRuntime, setRuntimeForTests } from '../../../functions/runtime';
import { fixture, openTestStore, type TestStore } from '../../support/testStore';
import { zipFolder } from '../../support/zipFolder';

let t: TestStore;
let host: LocalHost;
let key: string;
let client: CaliperClient;

beforeAll(async () => {
  t = openTestStore();
  const runtime = createRuntime({ storeFile: t.file, auth: { mode: 'api-key' } }, t.store);
  key = (await createKey(t.store, 't1', 'tests')).key;
  host = await startLocalHost({ port: 0, runtime });
  client = new CaliperClient({ baseUrl: host.url, apiKey: key });
});
afterAll(async () => {
  await host.close();
  setRuntimeForTests(undefined);
  await t.close();
});

async function failureOf(promise: Promise<unknown>): Promise<CaliperApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CaliperApiError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

/** A port nothing listens on: bound, then released. */
async function closedPortUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

describe('CaliperClient against the local API', () => {
  it('answers health without data', async () => {
    await expect(client.health()).resolves.toMatchObject({ status: 'ok' });
  });

  it('uploads a zipped bundle as an ingest job, reports its progress and returns the report', async () => {
    const progress: IngestJobProgress[] = [];
    const zip = await zipFolder(fixture('north'));
    const report = await client.ingest(
      new Blob([new Uint8Array(zip)]),
      'application/zip',
      (p) => progress.push(p),
      { pollIntervalMs: 20 },
    );
    expect(report).toMatchObject({ tenant: 't1', committed: true, failure: null });
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)?.status).toBe('done');
    expect(progress.at(-1)?.progress.bytes_done).toBe(progress.at(-1)?.progress.bytes_total);

    const portfolio = await client.portfolio();
    expect(portfolio.locations.map((l) => l.location_id)).toEqual(['L1']);
    expect(portfolio.data_version).toBe(report.ingest_id);
  });

  it('uploads what a file input selects: one zip by its own name, several exports as one multipart bundle', async () => {
    const zip = new File([new Uint8Array(await zipFolder(fixture('north')))], 'north.zip');
    const zipped = await client.ingestFiles([zip], undefined, { pollIntervalMs: 20 });
    expect(zipped.files.map((f) => f.file)).toContain('north.zip:sales.csv');

    const exports = (name: string) =>
      new File(
        [fs.readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'vendors', name))],
        path.basename(name),
      );
    const report = await client.ingestFiles(
      [exports('e2e/locations.csv'), exports('zenoti/employee_sales.csv')],
      undefined,
      { pollIntervalMs: 20 },
    );
    expect(report.committed).toBe(true);
    expect(report.files.map((f) => f.file)).toEqual(
      expect.arrayContaining(['bundle/locations.csv', 'bundle/employee_sales.csv → sales.csv']),
    );
  });

  it('returns an ingest report that did not commit instead of throwing', async () => {
    const report = await client.ingest(
      new TextEncoder().encode('not,a,sales,file\n1,2,3,4\n').buffer,
      'text/csv',
      undefined,
      {
        filename: 'sales.csv',
        pollIntervalMs: 20,
      },
    );
    expect(report.committed).toBe(false);
    expect(report.failure).toEqual(expect.any(String));
  });

  it('reads the catalog, one metric, a batch, a trace and a benchmark', async () => {
    const catalog = await client.catalog();
    expect(catalog.find((m) => m.id === 'net_revenue')).toMatchObject({ unit: 'usd', family: 'revenue' });

    const metric = await client.metric({ metric: 'net_revenue', period: '2024', location: 'L1' });
    expect(metric).toMatchObject({ metric: 'net_revenue', value: 1000, unit: 'usd' });

    const batch = await client.metricsBatch([
      { metric: 'net_revenue', period: '2024', location: 'L1' },
      { metric: 'no_such_metric', period: '2024' },
    ]);
    expect(batch.results[0]).toMatchObject({ value: 1000, unit: 'usd' });
    expect(batch.results[1]).toMatchObject({ error: { code: 'unknown_metric' } });
    expect(batch.data_version).toBe((await client.portfolio()).data_version);

    const trace = await client.trace({ metric: 'net_revenue', period: '2024', location: 'L1' });
    expect(trace).toMatchObject({ metric: 'net_revenue', value: 1000 });
    expect(trace.sources.map((s) => s.fact)).toContain('sales.csv');

    const benchmark = await client.benchmarks({ metric: 'net_revenue', period: '2024', location: 'L1' });
    expect(benchmark).toMatchObject({
      metric: 'net_revenue',
      location_id: 'L1',
      shown: false,
      percentile: null,
    });
  });

  it('re-sends an upload over the rejected-row threshold with accept_rejected when asked, and it commits', async () => {
    const sales = [
      'line_id,location_id,sold_on,patient_id,provider_id,appointment_id,kind,service_code,gross,discount,tax,tip',
    ];
    for (let i = 1; i <= 10; i += 1)
      sales.push(`C${i},L8,${i <= 6 ? '06/01/2024' : '2024-06-01'},,,,retail,,10.00,,,`);
    const files = [
      new File(['location_id,name,opened_on\nL8,Eastside,2020-01-01\n'], 'locations.csv'),
      new File([`${sales.join('\n')}\n`], 'sales.csv'),
    ];

    const refused = await client.ingestFiles(files, undefined, { pollIntervalMs: 20 });
    expect(refused).toMatchObject({
      committed: false,
      rejection: { accepted: false, files_over: [{ file: 'bundle/sales.csv', share: 0.6 }] },
      issue_groups: [{ file: 'bundle/sales.csv', code: 'invalid_date', count: 6 }],
    });

    const accepted = await client.ingestFiles(files, undefined, { pollIntervalMs: 20, acceptRejected: true });
    expect(accepted).toMatchObject({ committed: true, rejection: { accepted: true } });
    expect(accepted.totals).toMatchObject({ rows_accepted: 5, rows_rejected: 6 });
  });

  it('lists the locations and changes one: fields and aliases, a refused value returned, not thrown', async () => {
    const before = await client.locations();
    expect(before.find((l) => l.location_id === 'L8')).toMatchObject({
      name: 'Eastside',
      opened_on: '2020-01-01',
      region: null,
      aliases: [],
    });

    const changed = await client.updateLocation('L8', {
      fields: { region: 'Southeast', timezone: 'America/New_York' },
      aliases: ['Eastside Clinic'],
    });
    expect(changed.report?.committed).toBe(true);
    expect(changed.location).toMatchObject({
      region: 'Southeast',
      timezone: 'America/New_York',
      aliases: ['Eastside Clinic'],
    });

    const refused = await client.updateLocation('L8', { fields: { closed_on: '2019-12-31' } });
    expect(refused.report?.committed).toBe(false);
    expect(refused.report?.issue_groups[0]?.examples[0]).toMatchObject({
      column: 'closed_on',
      message: 'closed_on 2019-12-31 is before opened_on 2020-01-01',
    });
    expect((await client.locations()).find((l) => l.location_id === 'L8')?.closed_on).toBeNull();

    const unknown = await failureOf(client.updateLocation('L404', { aliases: ['x'] }));
    expect({ status: unknown.status, code: unknown.code }).toEqual({ status: 404, code: 'unknown_location' });
  });

  it('throws the API error code, message and status', async () => {
    const error = await failureOf(client.metric({ metric: 'no_such_metric', period: '2024' }));
    expect(error.status).toBe(404);
    expect(error.code).toBe('unknown_metric');
    expect(error.message).toMatch(/no_such_metric/);
  });

  it('sends the token from getAccessToken in preference to the API key', async () => {
    const withToken = new CaliperClient({
      baseUrl: host.url,
      apiKey: 'wrong',
      getAccessToken: () => Promise.resolve(key),
    });
    await expect(withToken.catalog()).resolves.toEqual(expect.any(Array));
    const error = await failureOf(new CaliperClient({ baseUrl: host.url, apiKey: 'wrong' }).catalog());
    expect({ status: error.status, code: error.code }).toEqual({ status: 401, code: 'unauthorized' });
  });

  it('reports an unreachable API as network_error with status 0', async () => {
    const error = await failureOf(
      new CaliperClient({ baseUrl: await closedPortUrl(), apiKey: key }).health(),
    );
    expect({ status: error.status, code: error.code }).toEqual({ status: 0, code: 'network_error' });
  });
});
