import fs from 'node:fs';

import { HttpRequest } from '@azure/functions';
import { createLocalJWKSet, exportJWK, generateKeyPair, type JWTPayload, type KeyLike, SignJWT } from 'jose';

import { createKey } from '../../cli/commands/keysCommand';
import { catalog } from '../../functions/catalog';
import type { AuthConfig } from '../../functions/config';
import { ingest } from '../../functions/ingest';
import { metrics } from '../../functions/metrics';
import { metricsBatch } from '../../functions/metricsBatch';
import { ROUTES } from '../../functions/routes';
import { createRuntime, setRuntimeForTests } from '../../functions/runtime';
import { hashApiKey } from '../../io/apiKeys';
import { fixture, openTestStore, type TestStore } from '../support/testStore';
import { bearer, call, get, post } from './apiTestRuntime';

const ISSUER = 'https://login.microsoftonline.com/dir-a/v2.0';
const AUDIENCE = 'api://caliper';

let t: TestStore;
let keyA: string;
let keyB: string;
let revoked: string;
let signingKey: KeyLike;
let strangerKey: KeyLike;
let jwks: ReturnType<typeof createLocalJWKSet>;

// t1 holds only the north bundle (2024 net revenue 1000, location L1), t2 only south (579, L2).
beforeAll(async () => {
  t = openTestStore();
  await t.ingest([fixture('north')], 't1');
  await t.ingest([fixture('south')], 't2');
  keyA = (await createKey(t.store, 't1', 'A')).key;
  keyB = (await createKey(t.store, 't2', 'B')).key;
  const r = await createKey(t.store, 't1', 'old');
  revoked = r.key;
  await t.store.revokeApiKey(r.prefix);
  const pair = await generateKeyPair('RS256');
  signingKey = pair.privateKey;
  strangerKey = (await generateKeyPair('RS256')).privateKey;
  jwks = createLocalJWKSet({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256' }] });
});
afterAll(async () => {
  setRuntimeForTests(undefined);
  await t.close();
});

function useAuth(auth: AuthConfig): void {
  setRuntimeForTests(createRuntime({ storeFile: t.file, auth }, t.store, { jwks }));
}

const entra = (
  tenantMap: Record<string, string> | null,
  permissions: { read: string | null; ingest: string | null } = { read: null, ingest: null },
): AuthConfig => ({
  mode: 'entra',
  issuers: [ISSUER],
  audience: AUDIENCE,
  jwksUri: 'https://keys.invalid/never-fetched',
  tenantClaim: 'tid',
  tenantMap,
  permissions,
});

const now = () => Math.floor(Date.now() / 1000);

function token(
  claims: JWTPayload,
  { key = signingKey, iss = ISSUER, aud = AUDIENCE, exp = now() + 3600 } = {},
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuer(iss)
    .setAudience(aud)
    .setIssuedAt(exp - 3600)
    .setExpirationTime(exp)
    .sign(key);
}

interface Ask {
  /** A tenant named in the request: query string, and body for the batch. It must be ignored. */
  tenant?: string;
  location?: string;
}

// Each endpoint asks the same question, "2024 net revenue", in its own shape.
const endpoints = {
  metrics: {
    request: (headers: Record<string, string>, ask: Ask = {}) =>
      get(
        `metrics?metric=net_revenue&period=2024${ask.location ? `&location=${ask.location}` : ''}${ask.tenant ? `&tenant=${ask.tenant}` : ''}`,
        headers,
      ),
    run: async (request: HttpRequest) => {
      const r = await call(metrics, request);
      const error = r.status === 200 ? undefined : (r.body.error.code as string);
      return { ...r, value: r.status === 200 ? (r.body.value as number) : undefined, error };
    },
  },
  'metrics/batch': {
    request: (headers: Record<string, string>, ask: Ask = {}) =>
      post(
        `metrics/batch${ask.tenant ? `?tenant=${ask.tenant}` : ''}`,
        JSON.stringify({
          ...(ask.tenant ? { tenant: ask.tenant } : {}),
          requests: [{ metric: 'net_revenue', period: '2024', location: ask.location, tenant: ask.tenant }],
        }),
        headers,
      ),
    run: async (request: HttpRequest) => {
      const r = await call(metricsBatch, request);
      const slot = r.status === 200 ? r.body.results[0] : undefined;
      const error = slot ? (slot.error?.code as string | undefined) : (r.body.error.code as string);
      return { ...r, value: slot && !slot.error ? (slot.value as number) : undefined, error };
    },
  },
};

describe.each([
  {
    mode: 'API keys',
    setup: () => useAuth({ mode: 'api-key' }),
    credentials: () => Promise.resolve({ a: keyA, b: keyB }),
  },
  {
    mode: 'Entra tokens mapped to tenants',
    setup: () => useAuth(entra({ 'dir-a': 't1', 'dir-b': 't2' })),
    credentials: async () => ({ a: await token({ tid: 'dir-a' }), b: await token({ tid: 'dir-b' }) }),
  },
  {
    mode: 'Entra tokens whose claim is the tenant id',
    setup: () => useAuth(entra(null)),
    credentials: async () => ({ a: await token({ tid: 't1' }), b: await token({ tid: 't2' }) }),
  },
])('tenant isolation with $mode', ({ setup, credentials }) => {
  let a: string;
  let b: string;
  beforeAll(async () => {
    setup();
    ({ a, b } = await credentials());
  });

  describe.each(Object.entries(endpoints))('%s', (_name, endpoint) => {
    it("answers each tenant's credential with that tenant's numbers only", async () => {
      expect((await endpoint.run(endpoint.request(bearer(a)))).value).toBe(1000);
      expect((await endpoint.run(endpoint.request(bearer(b)))).value).toBe(579);
    });

    it('ignores every attempt to name another tenant in the request', async () => {
      const attempts = [
        { ...bearer(a), 'x-caliper-tenant': 't2' },
        { ...bearer(a), 'x-tenant-id': 't2', tenant: 't2' },
      ];
      for (const headers of attempts) {
        expect((await endpoint.run(endpoint.request(headers))).value).toBe(1000);
        expect((await endpoint.run(endpoint.request(headers, { tenant: 't2' }))).value).toBe(1000);
      }
    });

    it("cannot reach another tenant's location by its id", async () => {
      const r = await endpoint.run(endpoint.request(bearer(a), { location: 'L2', tenant: 't2' }));
      expect(r.error).toBe('unknown_location');
      expect(JSON.stringify(r.body)).not.toContain('579');
      expect((await endpoint.run(endpoint.request(bearer(b), { location: 'L2' }))).value).toBe(579);
    });

    it('answers 401 with WWW-Authenticate and no data without a credential', async () => {
      const r = await endpoint.run(endpoint.request({}));
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe('unauthorized');
      expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
    });
  });

  it('lets both tenants read the same catalog', async () => {
    const ra = await call(catalog, get('catalog', bearer(a)));
    const rb = await call(catalog, get('catalog', bearer(b)));
    expect(ra.status).toBe(200);
    expect(rb.body).toEqual(ra.body);
    expect((await call(catalog, get('catalog', {}))).status).toBe(401);
  });
});

/*
 * Every route that reads or writes a tenant's data, asked by tenant A (t1: North Dallas, L1)
 * for tenant B's (t2: South Austin, L2) in every way a request can name it. The table must
 * cover every `auth: 'tenant'` route of ROUTES, so a new route cannot skip the matrix.
 */
// B's location name and its 2024 net revenue; the id L2 may come back only as the caller's own words.
const B_MARKERS = ['South Austin', '579'];
type Handler = Parameters<typeof call>[0];
const tenantRoutes: Record<string, (headers: Record<string, string>) => HttpRequest> = {
  catalog: (h) => get('catalog?tenant=t2', h),
  metrics: (h) => get('metrics?metric=net_revenue&period=2024&location=L2&tenant=t2', h),
  metricsBatch: (h) =>
    post(
      'metrics/batch?tenant=t2',
      JSON.stringify({ tenant: 't2', requests: [{ metric: 'net_revenue', period: '2024', location: 'L2' }] }),
      h,
    ),
  ingest: (h) =>
    new HttpRequest({
      method: 'POST',
      url: 'http://localhost/api/ingest?file=locations.csv&tenant=t2',
      headers: { 'content-type': 'text/csv', 'x-caliper-tenant': 't2', ...h },
      body: { string: 'location_id,name,opened_on\nL1,North Dallas,2020-03-01\n' },
    }),
  ingestJob: (h) =>
    new HttpRequest({
      method: 'GET',
      url: 'http://localhost/api/ingest/jobs/some-job?tenant=t2',
      headers: h,
      params: { jobId: 'some-job' },
    }),
  portfolio: (h) => get('portfolio?tenant=t2', h),
  locations: (h) => get('locations?tenant=t2', h),
  // Tenant B's location, by tenant A: 404, and nothing of B changes.
  updateLocation: (h) =>
    new HttpRequest({
      method: 'PATCH',
      url: 'http://localhost/api/locations/L2?tenant=t2',
      headers: { 'content-type': 'application/json', 'x-caliper-tenant': 't2', ...h },
      params: { locationId: 'L2' },
      body: { string: JSON.stringify({ fields: { region: 'Elsewhere' }, aliases: ['Stolen'] }) },
    }),
  // Tenant B's location merged into A's by tenant A: 404 (L2 is no location of A's), nothing of B changes.
  mergeLocation: (h) =>
    new HttpRequest({
      method: 'POST',
      url: 'http://localhost/api/locations/L1/merge?tenant=t2',
      headers: { 'content-type': 'application/json', 'x-caliper-tenant': 't2', ...h },
      params: { locationId: 'L1' },
      body: { string: JSON.stringify({ from: 'L2' }) },
    }),
  trace: (h) => get('trace?metric=net_revenue&period=2024&location=L2&tenant=t2', h),
  benchmarks: (h) => get('benchmarks?metric=net_revenue&period=2024&location=L2&tenant=t2', h),
  callList: (h) => get('calllist?location=L2&tenant=t2', h),
  forecast: (h) => get('forecast?location=L2&tenant=t2', h),
  actions: (h) => get('actions?location=L2&tenant=t2', h),
  briefing: (h) => get('briefing?location=L2&tenant=t2', h),
  // Tenant B's location in tenant A's pack: 404 (the workbook of A itself is checked in report.test.ts).
  report: (h) => get('report.xlsx?period=2024&locations=L2&tenant=t2', h),
  // An action of tenant B's location, marked by tenant A: 404 (L2 is no location of A's).
  ...Object.fromEntries(
    (['snoozeAction', 'actionDone'] as const).map((name) => [
      name,
      (h: Record<string, string>) =>
        new HttpRequest({
          method: 'POST',
          url: `http://localhost/api/actions/no_show_spike:L2:L2:2024-12/${name === 'snoozeAction' ? 'snooze' : 'done'}?tenant=t2`,
          headers: { 'content-type': 'application/json', 'x-caliper-tenant': 't2', ...h },
          params: { actionId: 'no_show_spike:L2:L2:2024-12' },
          body: { string: name === 'snoozeAction' ? JSON.stringify({ until: '2099-01-01' }) : '' },
        }),
    ]),
  ),
};

describe('the tenant-isolation matrix covers every tenant route', () => {
  it('has a request for each of them', () => {
    const names = ROUTES.filter((r) => r.auth === 'tenant').map((r) => r.name);
    expect(Object.keys(tenantRoutes).sort()).toEqual(names.sort());
  });

  describe.each([
    { mode: 'API keys', setup: () => useAuth({ mode: 'api-key' }), credential: () => Promise.resolve(keyA) },
    {
      mode: 'Entra tokens',
      setup: () => useAuth(entra({ 'dir-a': 't1', 'dir-b': 't2' })),
      credential: () => token({ tid: 'dir-a' }),
    },
  ])('with $mode', ({ setup, credential }) => {
    beforeAll(() => setup());

    it.each(ROUTES.filter((r) => r.auth === 'tenant').map((r) => [r.name, r] as const))(
      "%s: tenant A's credential never gets tenant B's data, and no credential gets 401",
      async (name, route) => {
        const build = tenantRoutes[name]!;
        const before = await t.store.rowCounts('t2');
        const r = await call(route.handler as Handler, build(bearer(await credential())));
        const text = JSON.stringify(r.body);
        for (const marker of B_MARKERS) expect(text).not.toContain(marker);
        expect(await t.store.rowCounts('t2')).toEqual(before);
        const anonymous = await call(route.handler as Handler, build({}));
        expect(anonymous.status).toBe(401);
        expect(JSON.stringify(anonymous.body)).not.toContain('North Dallas');
      },
    );
  });
});

async function expect401(headers: Record<string, string>, message?: RegExp): Promise<void> {
  for (const route of ROUTES.filter((r) => r.auth === 'tenant')) {
    const r = await call(route.handler as Handler, tenantRoutes[route.name]!(headers));
    expect([route.name, r.status]).toEqual([route.name, 401]);
    expect(r.body.error.code).toBe('unauthorized');
  }
  for (const handler of [catalog, metrics]) {
    const r = await call(handler, get('metrics?metric=net_revenue&period=2024', headers));
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('unauthorized');
    if (message) expect(r.body.error.message).toMatch(message);
    expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
  }
  const batch = await call(
    metricsBatch,
    post('metrics/batch', JSON.stringify({ requests: [{ metric: 'net_revenue', period: '2024' }] }), headers),
  );
  expect(batch.status).toBe(401);
}

describe('API-key authentication', () => {
  beforeAll(() => useAuth({ mode: 'api-key' }));

  it('accepts the key in an x-api-key header as well', async () => {
    const r = await call(metrics, get('metrics?metric=net_revenue&period=2024', { 'x-api-key': keyB }));
    expect(r.body.value).toBe(579);
  });

  it('answers 401 to a missing, malformed, unknown or revoked key', async () => {
    await expect401({}, /Missing credentials/);
    await expect401({ authorization: `Basic ${Buffer.from('t1:x').toString('base64')}` }, /Bearer/);
    await expect401({ authorization: 'Bearer' });
    await expect401({ 'x-api-key': '' });
    await expect401(bearer(`${keyA}x`), /Unknown or revoked/);
    await expect401(bearer(keyA.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))));
    await expect401(bearer(hashApiKey(keyA)));
    await expect401(bearer(revoked), /Unknown or revoked/);
    await expect401({ ...bearer(keyA), 'x-api-key': keyA }, /not both/);
  });

  it('refuses an Entra token when configured for API keys', async () => {
    await expect401(bearer(await token({ tid: 't1' })));
  });

  it('stores only the hash: the raw key is nowhere in the database files', async () => {
    const { key, prefix } = await createKey(t.store, 't1', 'disk check');
    t.store.db.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = Buffer.concat(
      [t.file, `${t.file}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)),
    );
    expect(bytes.includes(hashApiKey(key))).toBe(true);
    expect(bytes.includes(prefix)).toBe(true);
    expect(bytes.includes(key)).toBe(false);
    expect(bytes.includes(key.slice(prefix.length))).toBe(false);
  });
});

describe('Entra ID authentication', () => {
  beforeAll(() => useAuth(entra({ 'dir-a': 't1' })));

  it('answers 401 to an expired, wrongly signed, foreign or malformed token', async () => {
    await expect401(bearer(await token({ tid: 'dir-a' }, { exp: now() - 3600 })), /expired/);
    await expect401(bearer(await token({ tid: 'dir-a' }, { key: strangerKey })), /trusted key/);
    await expect401(bearer(await token({ tid: 'dir-a' }, { aud: 'api://someone-else' })), /aud/);
    await expect401(bearer(await token({ tid: 'dir-a' }, { iss: 'https://evil.example/v2.0' })), /iss/);
    await expect401(bearer('not.a.jwt'), /not a valid JWT/);
    await expect401(bearer(keyA), /not a valid JWT/);
    await expect401({ 'x-api-key': keyA }, /Missing credentials/);
    await expect401({});
  });

  it('answers 401 to a token without the tenant claim', async () => {
    await expect401(bearer(await token({ oid: 'someone' })), /tid claim/);
  });

  it('refuses an unsigned token even when its claims are right', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', kid: 'k1' })).toString('base64url');
    const payload = Buffer.from(
      JSON.stringify({ tid: 'dir-a', iss: ISSUER, aud: AUDIENCE, exp: now() + 3600 }),
    ).toString('base64url');
    await expect401(bearer(`${header}.${payload}.`));
  });

  it('answers 403 to a valid token from a directory with no tenant', async () => {
    const r = await call(
      metrics,
      get('metrics?metric=net_revenue&period=2024', bearer(await token({ tid: 'dir-b' }))),
    );
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('forbidden');
  });
});

describe('Entra ID permissions (delegated scopes and app roles)', () => {
  beforeAll(() => useAuth(entra({ 'dir-a': 't1' }, { read: 'Caliper.Read', ingest: 'Caliper.Ingest' })));
  afterAll(() => useAuth(entra({ 'dir-a': 't1' })));

  const ask = async (claims: JWTPayload) =>
    call(metrics, get('metrics?metric=net_revenue&period=2024&location=L1', bearer(await token(claims))));
  const upload = async (claims: JWTPayload) =>
    call(
      ingest,
      new HttpRequest({
        method: 'POST',
        url: 'http://localhost/api/ingest?file=sales.csv',
        headers: { 'content-type': 'text/csv', ...bearer(await token(claims)) },
        body: { string: 'line_id,location_id,sold_on,kind,gross\n' },
      }),
    );

  it('reads with the read scope of a signed-in user or the read role of an app', async () => {
    expect((await ask({ tid: 'dir-a', scp: 'openid Caliper.Read' })).status).toBe(200);
    expect((await ask({ tid: 'dir-a', roles: ['Caliper.Read'] })).status).toBe(200);
  });

  it('answers 403 naming the permission a token lacks', async () => {
    const r = await ask({ tid: 'dir-a', scp: 'openid profile' });
    expect(r.status).toBe(403);
    expect(r.body.error.message).toMatch(/lacks the Caliper\.Read permission/);
  });

  it('needs the ingest permission to ingest: a read-only token is refused before the body is read', async () => {
    const before = t.dump();
    const refused = await upload({ tid: 'dir-a', scp: 'Caliper.Read' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/Caliper\.Ingest/);
    expect(t.dump()).toEqual(before);
  });
});
