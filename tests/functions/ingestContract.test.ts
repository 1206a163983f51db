import fs from 'node:fs';
import path from 'node:path';

import { HttpRequest } from '@azure/functions';

import type { IngestReport } from '../../addin/api/caliperClient';
import { createKey } from '../../cli/commands/keysCommand';
import { ingest } from '../../functions/ingest';
import { ingestJob } from '../../functions/ingestJob';
import { createRuntime, setRuntimeForTests } from '../../functions/runtime';
import { INGEST_JOB_STATES } from '../../shared/contract/constants';
import { ingestJobBodySchema, ingestReportSchema } from '../../shared/contract/ingest';
import { fixture, openTestStore, type TestStore } from '../support/testStore';
import { zipFolder } from '../support/zipFolder';
import { bearer, call } from './apiTestRuntime';

/*
 * The server's real ingest answers against the API contract the add-in reads them with: each
 * body parses with its schema and loses nothing in parsing, so a field the server adds or
 * renames without the contract fails here, not in the task pane.
 */

let t: TestStore;
let key: string;

beforeEach(async () => {
  t = openTestStore();
  setRuntimeForTests(createRuntime({ storeFile: t.file, auth: { mode: 'api-key' } }, t.store));
  key = (await createKey(t.store, 't1', 'tests')).key;
});
afterEach(async () => {
  setRuntimeForTests(undefined);
  await t.close();
});

function upload(body: Buffer | string, contentType: string, query = ''): HttpRequest {
  return new HttpRequest({
    method: 'POST',
    url: `http://localhost/api/ingest${query}`,
    headers: { 'content-type': contentType, ...bearer(key) },
    body: { bytes: typeof body === 'string' ? Buffer.from(body) : body },
  });
}

/** Zenoti exports as a browser's file input sends them: one multipart form. */
async function zenotiExports(): Promise<{ body: Buffer; type: string }> {
  const form = new FormData();
  // Named so no export reads as a canonical file; the KPI report's name carries its month.
  const files = [
    ['appointments.csv', 'zenoti_appointments.csv'],
    ['employee_sales.csv', 'zenoti_employee_sales.csv'],
    ['business_kpi_October-2026.csv', 'business_kpi_October-2026.csv'],
  ];
  for (const [fixtureName, uploadName] of files) {
    const text = fs.readFileSync(
      path.join(__dirname, '..', 'fixtures', 'vendors', 'zenoti', fixtureName!),
      'utf8',
    );
    form.append('files', new File([text], uploadName!, { type: 'text/csv' }));
  }
  const encoded = new Response(form);
  return { body: Buffer.from(await encoded.arrayBuffer()), type: encoded.headers.get('content-type') ?? '' };
}

/** The body parsed with the contract's schema, unchanged: nothing undeclared, nothing missing. */
function expectConforms(schema: typeof ingestReportSchema | typeof ingestJobBodySchema, body: unknown): void {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new Error(`Not the contract's shape: ${parsed.error.message}`);
  expect(parsed.data).toEqual(body);
}

async function jobAnswers(jobId: string): Promise<unknown[]> {
  const answers: unknown[] = [];
  for (;;) {
    const request = new HttpRequest({
      method: 'GET',
      url: `http://localhost/api/ingest/jobs/${jobId}`,
      headers: bearer(key),
      params: { jobId },
    });
    const { status, body } = await call(ingestJob, request);
    expect(status).toBe(200);
    answers.push(body);
    if (body.status === 'done' || body.status === 'failed') return answers;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('the ingest answers conform to the API contract', () => {
  it('a synchronous report of vendor exports: recognized files, findings, created locations, the refresh', async () => {
    const { body, type } = await zenotiExports();
    const answer = await call(ingest, upload(body, type));
    expect(answer.status).toBe(200);
    expectConforms(ingestReportSchema, answer.body);
    // The parts the add-in shows are there to be checked, not absent.
    const report = answer.body as IngestReport;
    expect(report.vendor_files?.length).toBe(3);
    expect(report.conversion_issues?.length).toBeGreaterThan(0);
    expect(report.created_locations?.length).toBeGreaterThan(0);
    expect(report.refresh).not.toBeUndefined();
  });

  it('an asynchronous upload: the 202, every poll and the final report', async () => {
    const started = await call(
      ingest,
      upload(await zipFolder(fixture('north')), 'application/zip', '?async=true'),
    );
    expect(started.status).toBe(202);
    expectConforms(ingestJobBodySchema, started.body);

    const answers = await jobAnswers(started.body.job_id as string);
    for (const job of answers) expectConforms(ingestJobBodySchema, job);
    const states = answers.map((job) => (job as { status: string }).status);
    expect(states.every((s) => (INGEST_JOB_STATES as readonly string[]).includes(s))).toBe(true);
    expect(states.at(-1)).toBe('done');
  });

  it('a failed job, with the report of what went wrong', async () => {
    const broken = 'line_id,location_id,sold_on\nS1,L1,"2024-01-05\n';
    const started = await call(ingest, upload(broken, 'text/csv', '?file=sales.csv&async=true'));
    const answers = await jobAnswers(started.body.job_id as string);
    const last = answers.at(-1);
    expect(last).toMatchObject({ status: 'failed', report: { committed: false } });
    expectConforms(ingestJobBodySchema, last);
  });
});
