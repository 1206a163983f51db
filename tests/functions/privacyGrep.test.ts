import fs from 'node:fs';
import path from 'node:path';

import JSZip from 'jszip';

import { runIngest } from '../../cli/commands/ingestCommand';
import { createKey } from '../../cli/commands/keysCommand';
import { SqliteStore } from '../../store/sqlite/sqlite-store';
import {
  BUNDLES,
  EXPORTS_LOCATION,
  fixtureInputs,
  fixtureNeedles,
  FIXTURES,
  FX_RATES,
  needlesIn,
  PRIVACY,
  REAL,
  VENDORS,
} from '../support/fixtureNeedles';
import { type Child, sleep, spawnNode, START } from '../support/killRuns';
import { tempDir } from '../support/testStore';
import { zipFolder } from '../support/zipFolder';
import { openUpload, until, uploadDirs } from './uploadClient';

/*
 * The grep test through the API (issue 11): every fixture the CLI's grep test ingests
 * (tests/cli/privacyGrep.test.ts) is uploaded to the local host of `npm start` (dist/cli/start.js,
 * a child process, over HTTP) with `POST /api/ingest`; then every route that answers data is
 * asked for everything it holds — metrics of every id in every scope and year, traces, benchmarks,
 * the portfolio, the locations, an ingest job, a location edit and a merge, and errors. Every
 * fixture email, phone, patient name and note is then looked for in every answer (status line,
 * headers and body), in all the server printed on stdout and stderr, in the store's files and in
 * whatever is left in the server's temp folder. None may be there, and no upload folder may be
 * left: they are listed while the uploads run (one held open mid-body, so its folder is seen for
 * certain) and after. The server is the built one: `npm run build` first (as `npm test` does).
 */

const TENANT = 'clinic';

let dir: string;
let storeDir: string;
let tmp: string;
let key: string;
let server: { child: Child; url: string };
let serverOutput: { stdout: string; stderr: string };

/** Every exchange, as text: `METHOD path → status`, the headers and the body. */
const exchanges: string[] = [];
/** Upload folders seen in the server's temp folder while the uploads ran, with their modes. */
const foldersSeen = new Map<string, number>();

interface Answer {
  status: number;
  text: string;
  // Answers are read field by field below.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

async function call(
  method: 'GET' | 'POST' | 'PATCH',
  pathAndQuery: string,
  init: { headers?: Record<string, string>; body?: BodyInit; credential?: boolean } = {},
): Promise<Answer> {
  const response = await fetch(`${server.url}${pathAndQuery}`, {
    method,
    headers: { ...(init.credential === false ? {} : { authorization: `Bearer ${key}` }), ...init.headers },
    ...(init.body === undefined ? {} : { body: init.body }),
  });
  const text = await response.text();
  const headers = [...response.headers].map(([name, value]) => `${name}: ${value}`).join('\n');
  exchanges.push(`${method} ${pathAndQuery} → ${response.status}\n${headers}\n\n${text}`);
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: kept as text
  }
  return { status: response.status, text, body };
}

const postJson = (pathAndQuery: string, body: unknown) =>
  call('POST', pathAndQuery, { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

// ---------------------------------------------------------------------------------------------
// The server: `npm start`'s process on a store of its own, uploads spooled under `tmp`.

async function startServer(): Promise<{ child: Child; url: string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CALIPER_STORE: path.join(storeDir, 'caliper.db'),
    CALIPER_HTTPS: 'off',
    PORT: '0',
    TMPDIR: tmp,
  };
  delete env.CALIPER_TENANT;
  delete env.CALIPER_AUTH_MODE;
  const child = spawnNode([START], env);
  let exited = false;
  void child.exited.then(() => {
    exited = true;
  });
  for (;;) {
    const url = /on (http:\/\/\S+)\n/.exec(child.stdout())?.[1];
    if (url !== undefined && child.stdout().includes('Press Ctrl+C to stop.')) {
      return { child, url: url.replace('localhost', '127.0.0.1') };
    }
    if (exited) throw new Error(`the local host did not start:\n${(await child.exited).stderr}`);
    await sleep(20);
  }
}

/**
 * A store whose `default` tenant has a location (so `npm start` seeds no demo) and a key for
 * the tenant the fixtures go to, which starts empty.
 */
async function prepareStore(): Promise<string> {
  const seed = path.join(dir, 'seed');
  fs.mkdirSync(seed);
  fs.writeFileSync(
    path.join(seed, 'locations.csv'),
    'location_id,name,region,timezone,opened_on,closed_on,acquired_on,emr_system,rooms\n' +
      'SEED,Seed Clinic,Nowhere,America/Chicago,2020-01-01,,,,1\n',
  );
  const file = path.join(storeDir, 'caliper.db');
  const { exitCode } = await runIngest(
    [seed],
    { storeFile: file, tenant: 'default' },
    { json: true, progress: false },
    () => undefined,
  );
  expect(exitCode).toBe(0);
  const store = SqliteStore.open(file);
  try {
    return (await createKey(store, TENANT, 'privacy grep')).key;
  } finally {
    await store.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Every fixture through POST /api/ingest.

interface Run {
  what: string;
  committed: boolean;
}

const query = (extra: Record<string, string> = {}) =>
  `?${new URLSearchParams({
    fx: Object.entries(FX_RATES)
      .map(([code, rate]) => `${code}:${rate}`)
      .join(','),
    accept_rejected: 'true',
    ...extra,
  }).toString()}`;

async function uploadZip(folder: string, extra: Record<string, string> = {}): Promise<Answer> {
  const zip = await zipFolder(folder);
  return call('POST', `/api/ingest${query(extra)}`, {
    headers: { 'content-type': 'application/zip', 'x-caliper-filename': `${path.basename(folder)}.zip` },
    body: new Uint8Array(zip),
  });
}

/** One export as a browser's file input sends it: a multipart form of the file. */
async function uploadFile(file: string, extra: Record<string, string> = {}): Promise<Answer> {
  const form = new FormData();
  form.append('files', new Blob([fs.readFileSync(file)]), path.basename(file));
  return call('POST', `/api/ingest${query(extra)}`, { body: form });
}

/** An upload held open mid-body: its private folder is there (0700, its file 0600), then gone. */
async function uploadHeldOpen(folder: string): Promise<Answer> {
  const zip = await zipFolder(folder);
  const pathAndQuery = `/api/ingest${query()}`;
  const upload = openUpload(server.url, pathAndQuery, {
    authorization: `Bearer ${key}`,
    'content-type': 'application/zip',
    'content-length': zip.length,
  });
  await upload.write(zip.subarray(0, 64));
  await until(() => uploadDirs(tmp).length === 1 && fs.readdirSync(uploadDirs(tmp)[0]!).length === 1);
  const [held] = uploadDirs(tmp);
  const [file] = fs.readdirSync(held!);
  expect(fs.statSync(held!).mode & 0o777).toBe(0o700);
  expect(fs.statSync(path.join(held!, file!)).mode & 0o777).toBe(0o600);
  upload.end(zip.subarray(64));
  const answer = await upload.answer;
  const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
  exchanges.push(`POST ${pathAndQuery} → ${answer.status}\n${JSON.stringify(answer.headers)}\n\n${text}`);
  expect(fs.existsSync(held!)).toBe(false);
  return { status: answer.status, text, body: answer.body };
}

/** An `?async=true` upload, polled until its job reports (every poll's answer kept). */
async function uploadAsJob(folder: string): Promise<Answer> {
  const started = await uploadZip(folder, { async: 'true' });
  expect(started.status).toBe(202);
  for (;;) {
    const polled = await call('GET', started.body.status_url as string);
    if (polled.body.status !== 'queued' && polled.body.status !== 'running') {
      return { ...polled, body: polled.body.report ?? polled.body };
    }
    await sleep(20);
  }
}

async function uploadEveryFixture(): Promise<Run[]> {
  const runs: Run[] = [];
  const run = async (what: string, answer: Promise<Answer>) => {
    const { body } = await answer;
    runs.push({ what, committed: body?.committed === true });
    return runs[runs.length - 1]!.committed;
  };
  await run('bundles/north', uploadZip(path.join(BUNDLES, 'north')));
  await run('bundles/south', uploadZip(path.join(BUNDLES, 'south')));
  await run('bundles/rejects (a job)', uploadAsJob(path.join(BUNDLES, 'rejects')));
  await run('privacy/personal_columns (held open)', uploadHeldOpen(path.join(PRIVACY, 'personal_columns')));
  await run('privacy/broken_quote', uploadZip(path.join(PRIVACY, 'broken_quote')));
  const e2eLocations = path.join(VENDORS, 'e2e', 'locations.csv');
  await run('vendors/e2e/locations.csv', uploadFile(e2eLocations));
  for (const file of fixtureInputs.filter((f) => f.startsWith(VENDORS) || f.startsWith(REAL))) {
    if (file === e2eLocations) continue;
    const what = path.relative(FIXTURES, file);
    if (!(await run(what, uploadFile(file)))) {
      await run(`${what} ?location=`, uploadFile(file, { location: EXPORTS_LOCATION }));
    }
  }
  return runs;
}

// ---------------------------------------------------------------------------------------------
// Every route that answers data, asked for everything.

async function askEveryRoute(): Promise<void> {
  await call('GET', '/api/health', { credential: false });
  await call('GET', '/api/openapi.json', { credential: false });
  const catalog = await call('GET', '/api/catalog');
  const metrics = catalog.body as { id: string; scopes: string[] }[];
  const metricIds = metrics.map((m) => m.id);
  const providerMetricIds = metrics.filter((m) => m.scopes.includes('provider')).map((m) => m.id);
  const portfolio = await call('GET', '/api/portfolio');
  expect(portfolio.status).toBe(200);
  const locations = await call('GET', '/api/locations');
  const locationIds = (locations.body.locations as { location_id: string }[]).map((l) => l.location_id);
  const providers = portfolio.body.providers as { provider_id: string; location_ids: string[] }[];
  const first = Number(String(portfolio.body.periods.first_month).slice(0, 4));
  const last = Number(String(portfolio.body.periods.last_month).slice(0, 4));
  const years: string[] = [];
  for (let y = first; y <= last; y += 1) years.push(String(y));
  const latest = String(last);

  // Every metric in every scope and year, by batch (a batch holds at most 10,000).
  const requests = years.flatMap((period) =>
    metricIds.flatMap((metric) => [
      { metric, period },
      ...locationIds.map((location) => ({ metric, period, location })),
      ...providers.map((p) => ({ metric, period, provider: p.provider_id })),
    ]),
  );
  for (let i = 0; i < requests.length; i += 10_000) {
    expect((await postJson('/api/metrics/batch', { requests: requests.slice(i, i + 10_000) })).status).toBe(
      200,
    );
  }
  // Single values, traces (with their source rows) and benchmarks, for the latest year.
  for (const metric of metricIds) {
    await call('GET', `/api/metrics?${new URLSearchParams({ metric, period: latest }).toString()}`);
    await call('GET', `/api/trace?${new URLSearchParams({ metric, period: latest }).toString()}`);
    for (const location of locationIds) {
      const scope = new URLSearchParams({ metric, period: latest, location }).toString();
      await call('GET', `/api/trace?${scope}`);
      await call('GET', `/api/benchmarks?${scope}`);
    }
  }
  for (const p of providers) {
    for (const metric of providerMetricIds) {
      const scope = { metric, period: latest, provider: p.provider_id };
      await call('GET', `/api/trace?${new URLSearchParams(scope).toString()}`);
    }
  }
  // Errors: unknown ids, bad periods, a bad body, no credential, a body over its limit.
  await call('GET', `/api/metrics?metric=net_revenu&period=${latest}`);
  await call('GET', `/api/metrics?metric=net_revenue&period=${latest}&location=nowhere`);
  await call('GET', '/api/metrics?metric=net_revenue&period=2024-13');
  await call('GET', '/api/portfolio', { credential: false });
  await call('POST', '/api/metrics/batch', { headers: { 'content-type': 'application/json' }, body: '{' });
  const tooLarge = openUpload(server.url, '/api/metrics/batch', {
    authorization: `Bearer ${key}`,
    'content-type': 'application/json',
    'content-length': 64 * 1024 * 1024,
  });
  const refused = await tooLarge.answer;
  tooLarge.abort();
  expect(refused.status).toBe(413);
  exchanges.push(`POST /api/metrics/batch → ${refused.status}\n\n${JSON.stringify(refused.body)}`);
  await call('GET', '/api/ingest/jobs/no-such-job');
  // A location edit and a merge answer the location and an ingest report.
  const [into, from] = locationIds.filter((id) => id !== 'SEED');
  expect(from).toBeDefined();
  const patch = await call('PATCH', `/api/locations/${encodeURIComponent(into!)}`, {
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ fields: { region: 'Southwest' }, aliases: ['Main Street Clinic'] }),
  });
  expect(patch.status).toBe(200);
  await postJson(`/api/locations/${encodeURIComponent(into!)}/merge`, { from, keep_into: true });
  await postJson(`/api/locations/${encodeURIComponent(into!)}/merge`, { from: into });
  await call('GET', '/api/locations');
  await call('GET', '/api/portfolio');
  // The actions with their outreach drafts, and an unknown one refused.
  await call('GET', '/api/actions?include_snoozed=true');
  await postJson('/api/actions/vip_past_due:SEED:nobody:2026-01/done', {});
  // The daily briefing: patients only as counts and dollars.
  await call('GET', '/api/briefing');
  // The board-pack workbook, current and as reported at the tenant's first ingest (#2: #1 is
  // the seed of another tenant, and a refused upload takes no id): every part of the package
  // (sheets, shared strings, charts, properties) unzipped, as the grep reads text.
  for (const query of [`period=${latest}`, `period=${latest}&as_reported_at=2`]) {
    const response = await fetch(`${server.url}/api/report.xlsx?${query}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    const bytes = Buffer.from(await response.arrayBuffer());
    expect({ query, status: response.status, error: response.ok ? '' : bytes.toString() }).toEqual({
      query,
      status: 200,
      error: '',
    });
    const zip = await JSZip.loadAsync(bytes);
    const parts = await Promise.all(
      Object.values(zip.files)
        .filter((f) => !f.dir)
        .map(async (f) => `--- ${f.name}\n${await f.async('string')}`),
    );
    exchanges.push(`GET /api/report.xlsx?${query} → ${response.status}\n\n${parts.join('\n')}`);
  }
}

/** Every file under `root`, as text (latin1 keeps every byte). */
function filesText(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(root, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out[path.relative(dir, file)] = fs.readFileSync(file).toString('latin1');
  }
  return out;
}

describe('the grep test through the API: no email, phone, patient name or note comes out of the local host', () => {
  let runs: Run[];

  beforeAll(async () => {
    if (!fs.existsSync(START)) throw new Error(`${START} is missing: run npm run build first`);
    dir = tempDir('caliper-privacy-grep-api-');
    storeDir = path.join(dir, 'store');
    tmp = path.join(dir, 'tmp');
    fs.mkdirSync(storeDir);
    fs.mkdirSync(tmp);
    key = await prepareStore();
    server = await startServer();
    // The server's temp folder, listed every few milliseconds while the uploads run.
    const watch = setInterval(() => {
      for (const folder of uploadDirs(tmp)) {
        try {
          foldersSeen.set(path.basename(folder), fs.statSync(folder).mode & 0o777);
        } catch {
          // removed between the listing and the stat
        }
      }
    }, 2);
    try {
      runs = await uploadEveryFixture();
    } finally {
      clearInterval(watch);
    }
    await askEveryRoute();
    server.child.process.kill('SIGTERM');
    const exit = await server.child.exited;
    expect(exit.code).toBe(0);
    serverOutput = { stdout: exit.stdout, stderr: exit.stderr };
  }, 120_000);

  afterAll(() => {
    if (server !== undefined && server.child.process.exitCode === null) server.child.process.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('uploads the fixtures (most of them commit) and asks every route', () => {
    expect(runs.filter((r) => r.committed).length).toBeGreaterThan(25);
    expect(runs.find((r) => r.what.startsWith('privacy/personal_columns'))?.committed).toBe(true);
    expect(runs.find((r) => r.what.startsWith('bundles/rejects'))?.committed).toBe(true);
    expect(exchanges.length).toBeGreaterThan(500);
    // The answers hold data to search: the fixtures' locations and values came out.
    expect(exchanges.join('\n')).toContain('North Dallas');
  });

  it('saw the uploads’ private folders while they ran, and none is left', () => {
    expect(foldersSeen.size).toBeGreaterThan(0);
    for (const mode of foldersSeen.values()) expect(mode).toBe(0o700);
    expect(uploadDirs(tmp)).toEqual([]);
  });

  it('finds none of them in any answer, the server’s output, the store or the temp folder', () => {
    const places: Record<string, string> = {
      'the API answers': exchanges.join('\n\n'),
      'the server’s stdout': serverOutput.stdout,
      'the server’s stderr': serverOutput.stderr,
      ...filesText(storeDir),
      ...filesText(tmp),
    };
    expect(needlesIn(fixtureNeedles(), places)).toEqual([]);
  });
});
