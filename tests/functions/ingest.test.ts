import fs from 'node:fs';
import path from 'node:path';

import { HttpRequest } from '@azure/functions';

import { createKey } from '../../cli/commands/keysCommand';
import { ingest } from '../../functions/ingest';
import { ingestJob } from '../../functions/ingestJob';
import { createRuntime, runtime, setRuntimeForTests } from '../../functions/runtime';
import { standardCells, storedCellKey } from '../../shared/metrics/cellAnswers';
import { loadMetricContext } from '../../shared/metrics/openMetrics';
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

  it('names a zip after its x-caliper-filename, and refuses a name that is a path', async () => {
    const zip = await zipFolder(fixture('north'));
    const named = new HttpRequest({
      method: 'POST',
      url: 'http://localhost/api/ingest',
      headers: { 'content-type': 'application/zip', 'x-caliper-filename': 'north.zip', ...bearer(key) },
      body: { bytes: zip },
    });
    const { body } = await call(ingest, named);
    expect((body.files as { file: string }[]).map((f) => f.file)).toContain('north.zip:sales.csv');
    const sneaky = new HttpRequest({
      method: 'POST',
      url: 'http://localhost/api/ingest',
      headers: { 'content-type': 'application/zip', 'x-caliper-filename': '../north.zip', ...bearer(key) },
      body: { bytes: zip },
    });
    expect((await call(ingest, sneaky)).status).toBe(400);
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

/** A browser's file-input upload: the multipart body and its content type with the boundary. */
async function multipart(files: { name: string; text: string }[]): Promise<{ body: Buffer; type: string }> {
  const form = new FormData();
  for (const f of files) form.append('files', new File([f.text], f.name, { type: 'text/csv' }));
  const encoded = new Response(form);
  return {
    body: Buffer.from(await encoded.arrayBuffer()),
    type: encoded.headers.get('content-type') ?? '',
  };
}

function bundleFiles(name: string): { name: string; text: string }[] {
  return fs
    .readdirSync(fixture(name))
    .filter((f) => f.endsWith('.csv'))
    .map((f) => ({ name: f, text: fs.readFileSync(path.join(fixture(name), f), 'utf8') }));
}

describe('POST /api/ingest with a multipart form', () => {
  it('ingests the CSV files of a form as one bundle, like a folder', async () => {
    const { body, type } = await multipart(bundleFiles('north'));
    const response = await call(ingest, upload(body, type));
    expect(response.status).toBe(200);
    expect(response.body.committed).toBe(true);
    const files = response.body.files as { entity: string }[];
    expect(files.map((f) => f.entity).sort()).toEqual(
      bundleFiles('north')
        .map((f) => f.name.replace('.csv', ''))
        .sort(),
    );
    expect(await t.store.rowCounts('t1')).toMatchObject({ locations: 1 });
  });

  it('refuses a form without files, with a path for a name, or mixing a zip with CSVs', async () => {
    const empty = new Response(new FormData());
    const none = await call(
      ingest,
      upload(Buffer.from(await empty.arrayBuffer()), empty.headers.get('content-type') ?? ''),
    );
    expect(none.status).toBe(400);
    expect(none.body.error.message).toMatch(/no file/);
    const sneaky = await multipart([{ name: '../sales.csv', text: 'a\n' }]);
    expect((await call(ingest, upload(sneaky.body, sneaky.type))).status).toBe(400);
    const mixed = await multipart([
      { name: 'bundle.zip', text: 'PK' },
      { name: 'sales.csv', text: 'a\n' },
    ]);
    const refused = await call(ingest, upload(mixed.body, mixed.type));
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(/one \.zip/);
  });

  it('refuses a multipart body cut short with 400, not a crash', async () => {
    const { body, type } = await multipart(bundleFiles('north'));
    const { status, body: answer } = await call(ingest, upload(body.subarray(0, 200), type));
    expect(status).toBe(400);
    expect(answer.error.code).toBe('bad_request');
  });
});

describe('refresh after an ingest', () => {
  it('refreshes the locations the ingest changed before answering (inline mode)', async () => {
    const { body } = await call(ingest, upload(await zipFolder(fixture('north')), 'application/zip'));
    expect(body.refresh).toEqual({ mode: 'inline', locations: ['L1'] });
    expect(await t.store.dirtyLocations('t1')).toEqual([]);
  });
});

/** locations.csv and 100 sales, the first `bad` of them dated 06/01/2024 instead of 2024-06-01. */
function salesUpload(bad: number): { name: string; text: string }[] {
  const lines = [
    'line_id,location_id,sold_on,patient_id,provider_id,appointment_id,kind,service_code,gross,discount,tax,tip',
  ];
  for (let i = 1; i <= 100; i += 1) {
    lines.push(`Y${i},L7,${i <= bad ? '06/01/2024' : '2024-06-01'},,,,retail,,10.00,,,`);
  }
  return [
    { name: 'locations.csv', text: 'location_id,name,opened_on\nL7,Uptown,2020-01-01\n' },
    { name: 'sales.csv', text: `${lines.join('\n')}\n` },
  ];
}

describe('POST /api/ingest over the rejected-row threshold', () => {
  it('answers 422 naming the file and its share, writes nothing, and groups the reasons', async () => {
    const before = t.dump();
    const { body, type } = await multipart(salesUpload(60));

    const response = await call(ingest, upload(body, type));

    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({
      committed: false,
      failure: expect.stringContaining(
        'more than 5 % of the rows were rejected in 1 file: bundle/sales.csv 60 of 100 rows (60 %); nothing was written',
      ),
      rejection: {
        max_share: 0.05,
        accepted: false,
        files_over: [{ file: 'bundle/sales.csv', rows_read: 100, rows_rejected: 60, share: 0.6 }],
      },
    });
    expect(response.body.issue_groups).toEqual([
      {
        file: 'bundle/sales.csv',
        code: 'invalid_date',
        severity: 'error',
        count: 60,
        examples: [
          { row: 2, column: 'sold_on', message: '"06/01/2024" is not a calendar date in YYYY-MM-DD form' },
          { row: 3, column: 'sold_on', message: '"06/01/2024" is not a calendar date in YYYY-MM-DD form' },
        ],
        hint: expect.stringMatching(/^dates as YYYY-MM-DD/),
      },
    ]);
    // The full list stays in the answer beside the groups.
    expect(response.body.files[1].issues).toHaveLength(60);
    expect(t.dump()).toEqual(before);
  });

  it('commits the accepted rows with ?accept_rejected=true, or under a ?max_rejected= the file is within', async () => {
    const { body, type } = await multipart(salesUpload(60));

    const accepted = await call(ingest, upload(body, type, '?accept_rejected=true'));

    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ committed: true, rejection: { accepted: true } });
    expect(accepted.body.issue_groups[0]).toMatchObject({ code: 'invalid_date', count: 60 });
    expect(await t.store.rowCounts('t1')).toMatchObject({ locations: 1, sales: 40 });

    const again = await multipart(salesUpload(60));
    const within = await call(ingest, upload(again.body, again.type, '?max_rejected=60%25'));
    expect(within.status).toBe(200);
    expect(within.body.rejection).toEqual({ max_share: 0.6, accepted: false, files_over: [] });
  });

  it('refuses a ?max_rejected= that is not a share and an ?accept_rejected= that is not a boolean with 400', async () => {
    const { body, type } = await multipart(salesUpload(1));

    const share = await call(ingest, upload(body, type, '?max_rejected=10'));
    expect(share.status).toBe(400);
    expect(share.body.error.message).toMatch(/\?max_rejected="10": use a percentage from 0% to 100%/);
    expect((await call(ingest, upload(body, type, '?accept_rejected=maybe'))).status).toBe(400);
    expect((await t.store.rowCounts('t1')).sales).toBe(0);
  });
});

describe('POST /api/ingest?async=true and GET /api/ingest/jobs/{id}', () => {
  async function waitForJob(jobId: string, as = key): Promise<Record<string, unknown>> {
    for (;;) {
      const request = new HttpRequest({
        method: 'GET',
        url: `http://localhost/api/ingest/jobs/${jobId}`,
        headers: bearer(as),
        params: { jobId },
      });
      const { status, body } = await call(ingestJob, request);
      const job = body as Record<string, unknown>;
      if (status !== 200 || job.status === 'done' || job.status === 'failed') return { status, ...job };
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('answers 202 with a job id at once, then the job reports the committed ingest', async () => {
    const { status, headers, body } = await call(
      ingest,
      upload(await zipFolder(fixture('north')), 'application/zip', '?async=true'),
    );
    expect(status).toBe(202);
    expect(body.status).toBe('queued');
    expect(body.status_url).toBe(`/api/ingest/jobs/${body.job_id}`);
    expect(headers.get('location')).toBe(body.status_url);
    const job = await waitForJob(body.job_id as string);
    expect(job).toMatchObject({ status: 'done', job_id: body.job_id });
    expect(job.report).toMatchObject({ committed: true, tenant: 't1' });
    const progress = job.progress as { bytes_done: number; bytes_total: number };
    expect(progress.bytes_done).toBe(progress.bytes_total);
    expect(await t.store.rowCounts('t1')).toMatchObject({ locations: 1 });

    // Then, in the background, the standard answers of the new data version are stored.
    await runtime().metrics.settle();
    const version = await t.store.dataVersion('t1');
    const ctx = await loadMetricContext(t.store, 't1');
    const keys = standardCells(ctx).map((c) => storedCellKey(runtime().metrics.basis, c));
    expect(keys.length).toBeGreaterThan(1000);
    expect((await t.store.storedAnswers('t1', version, keys)).filter((a) => a !== undefined)).toHaveLength(
      keys.length,
    );
  });

  it('reports a failed job with the report of what went wrong, nothing written', async () => {
    const before = t.dump();
    const broken = 'line_id,location_id,sold_on\nS1,L1,"2024-01-05\n';
    const { body } = await call(ingest, upload(broken, 'text/csv', '?file=sales.csv&async=true'));
    const job = await waitForJob(body.job_id as string);
    expect(job.status).toBe('failed');
    expect(job.report).toMatchObject({ committed: false });
    expect(t.dump()).toEqual(before);
  });

  it('reports a job over the rejected-row threshold as failed with the grouped reasons, and commits it when accepted', async () => {
    const { body, type } = await multipart(salesUpload(60));
    const started = await call(ingest, upload(body, type, '?async=true'));
    const job = await waitForJob(started.body.job_id as string);
    expect(job.status).toBe('failed');
    expect(job.report).toMatchObject({
      committed: false,
      rejection: { files_over: [{ file: 'bundle/sales.csv', share: 0.6 }] },
      issue_groups: [{ code: 'invalid_date', count: 60 }],
    });
    expect((await t.store.rowCounts('t1')).sales).toBe(0);

    const again = await call(ingest, upload(body, type, '?async=true&accept_rejected=true'));
    expect(await waitForJob(again.body.job_id as string)).toMatchObject({
      status: 'done',
      report: { committed: true },
    });
    expect((await t.store.rowCounts('t1')).sales).toBe(40);
  });

  it("does not show one tenant's job to another: 404 unknown_job, as for an id that does not exist", async () => {
    const { body } = await call(
      ingest,
      upload(await zipFolder(fixture('north')), 'application/zip', '?async=true'),
    );
    const other = (await createKey(t.store, 't2', 'other tenant')).key;
    const seenByOther = await waitForJob(body.job_id as string, other);
    expect(seenByOther.status).toBe(404);
    expect(seenByOther.error).toMatchObject({ code: 'unknown_job' });
    expect(JSON.stringify(seenByOther)).not.toContain('committed');
    expect((await waitForJob('no-such-job')).status).toBe(404);
    await waitForJob(body.job_id as string);
  });

  it('reports the conversion of vendor exports, then their ingest, as the phases of the job', async () => {
    const phases: string[] = [];
    const jobs = runtime().ingestJobs;
    const record = jobs.progress.bind(jobs);
    jest.spyOn(jobs, 'progress').mockImplementation((id, progress) => {
      phases.push(progress.phase ?? '');
      record(id, progress);
    });
    const read = (relative: string) => ({
      name: path.basename(relative),
      text: fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'vendors', relative), 'utf8'),
    });
    const { body, type } = await multipart([read('e2e/locations.csv'), read('zenoti/employee_sales.csv')]);
    const started = await call(ingest, upload(body, type, '?async=true'));
    const job = await waitForJob(started.body.job_id as string);
    expect(job.status).toBe('done');
    expect(phases[0]).toBe('converting');
    expect(phases.at(-1)).toBe('ingesting');
    expect(phases.indexOf('ingesting')).toBeGreaterThan(phases.lastIndexOf('converting'));
  });

  it('refuses ?async= values other than true or false', async () => {
    const { status } = await call(
      ingest,
      upload(await zipFolder(fixture('north')), 'application/zip', '?async=maybe'),
    );
    expect(status).toBe(400);
  });
});

describe('POST /api/ingest with vendor exports', () => {
  const vendorFile = (relative: string, name = path.basename(relative)) => ({
    name,
    text: fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'vendors', relative), 'utf8'),
  });

  it('recognizes a Zenoti export beside a canonical locations.csv and ingests it, as the CLI does', async () => {
    const { body, type } = await multipart([
      vendorFile('e2e/locations.csv'),
      vendorFile('zenoti/appointments.csv', 'zenoti_appointments.csv'),
    ]);
    const response = await call(ingest, upload(body, type, '?location=Evolve%20Austin'));
    expect(response.status).toBe(200);
    expect(response.body.committed).toBe(true);
    expect(response.body.vendor_files).toEqual([
      expect.objectContaining({ file: 'bundle/zenoti_appointments.csv', profile: 'zenoti.appointments' }),
    ]);
    // Six rows in the export; the Deleted one is skipped with a warning, kept in the data-quality log.
    expect((await t.store.rowCounts('t1')).appointments).toBe(5);
    expect(JSON.stringify(response.body.conversion_issues)).toMatch(/Deleted/);
    const logged = t.dump().data_quality_issues as { code: string }[];
    expect(logged.some((i) => i.code.startsWith('vendor.'))).toBe(true);
    // Lineage and the data-quality log keep the upload's own names, never the server's temp folder.
    const stored = JSON.stringify(t.dump());
    expect(stored).not.toContain('caliper-ingest-');
    expect(stored).toContain('bundle/zenoti_appointments.csv → appointments.csv');
  });

  it('answers 422 naming the file and the closest profiles when an export is not recognized', async () => {
    const before = t.dump();
    const { body, type } = await multipart([
      vendorFile('e2e/locations.csv'),
      { name: 'export.csv', text: 'Foo,Bar\n1,2\n' },
    ]);
    const response = await call(ingest, upload(body, type));
    expect(response.status).toBe(422);
    expect(response.body.failure).toMatch(/export\.csv.*nothing was written/);
    expect(response.body.conversion_issues[0]).toMatchObject({
      file: 'bundle/export.csv',
      severity: 'error',
    });
    expect(t.dump()).toEqual(before);
  });

  it('refuses a ?timezone= that is not an IANA zone with 400', async () => {
    const { status } = await call(
      ingest,
      upload(await zipFolder(fixture('north')), 'application/zip', '?timezone=Central'),
    );
    expect(status).toBe(400);
  });

  it('refuses an ?id_prefix= that is not a plain name with 400', async () => {
    const { status } = await call(
      ingest,
      upload(await zipFolder(fixture('north')), 'application/zip', '?id_prefix=a%3Ab'),
    );
    expect(status).toBe(400);
  });

  it('refuses an unknown ?profile= with 400', async () => {
    const { status, body } = await call(
      ingest,
      upload(await zipFolder(fixture('north')), 'application/zip', '?profile=nope.nothing'),
    );
    expect(status).toBe(400);
    expect(body.error.message).toMatch(/not a known vendor profile/);
  });
});
