import { openapi } from '../../functions/openapi';
import { call, get } from './apiTestRuntime';

interface Operation {
  security?: unknown[];
  parameters?: { name: string; in: string; required: boolean }[];
  requestBody?: { content: Record<string, unknown> };
  responses: Record<string, unknown>;
}

async function document() {
  // No runtime and no credential: the document must not need either.
  const { status, body } = await call(openapi, get('openapi.json', {}));
  expect(status).toBe(200);
  // What a client downloads: the body survives a JSON round trip unchanged.
  return JSON.parse(JSON.stringify(body)) as {
    openapi: string;
    paths: Record<string, Record<string, Operation>>;
    components: { securitySchemes: Record<string, { type: string; scheme: string }> };
    security: unknown[];
  };
}

describe('GET /api/openapi.json', () => {
  it('answers an OpenAPI 3.1 document without a credential', async () => {
    const doc = await document();
    expect(doc.openapi).toBe('3.1.0');
  });

  it('lists every route of the API with its method', async () => {
    const doc = await document();
    const routes = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(routes.sort()).toEqual(
      [
        'GET /health',
        'GET /catalog',
        'GET /metrics',
        'POST /metrics/batch',
        'GET /portfolio',
        'GET /locations',
        'PATCH /locations/{locationId}',
        'POST /locations/{locationId}/merge',
        'GET /trace',
        'GET /benchmarks',
        'GET /calllist',
        'GET /forecast',
        'GET /actions',
        'POST /actions/{actionId}/snooze',
        'POST /actions/{actionId}/done',
        'GET /briefing',
        'GET /report.xlsx',
        'GET /openapi.json',
        'POST /ingest',
        'GET /ingest/jobs/{jobId}',
      ].sort(),
    );
  });

  it('declares the bearer scheme for every route but health and the document itself', async () => {
    const doc = await document();
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/health']?.get?.security).toEqual([]);
    expect(doc.paths['/openapi.json']?.get?.security).toEqual([]);
    expect(doc.paths['/metrics']?.get?.security).toBeUndefined();
    expect(doc.paths['/metrics']?.get?.responses).toHaveProperty('401');
  });

  it('describes query parameters from the handlers’ schemas, required ones marked', async () => {
    const doc = await document();
    const params = doc.paths['/benchmarks']?.get?.parameters ?? [];
    expect(params.map((p) => [p.name, p.in, p.required])).toEqual([
      ['metric', 'query', true],
      ['period', 'query', true],
      ['location', 'query', true],
      ['cohort', 'query', false],
    ]);
    const trace = doc.paths['/trace']?.get?.parameters ?? [];
    expect(trace.find((p) => p.name === 'provider')?.required).toBe(false);
  });

  it('describes the batch body and the ingest body as zip, CSV or multipart form', async () => {
    const doc = await document();
    expect(doc.paths['/metrics/batch']?.post?.requestBody?.content).toHaveProperty('application/json');
    const ingest = doc.paths['/ingest']?.post;
    const ingestParams = (ingest as unknown as { parameters: { name: string }[] }).parameters.map(
      (p) => p.name,
    );
    expect(ingestParams.sort()).toEqual(
      [
        'accept_rejected',
        'async',
        'default_currency',
        'file',
        'fx',
        'id_prefix',
        'location',
        'max_rejected',
        'profile',
        'revenue_source',
        'timezone',
      ].sort(),
    );
    expect(Object.keys(ingest?.requestBody?.content ?? {}).sort()).toEqual([
      'application/zip',
      'multipart/form-data',
      'text/csv',
    ]);
    expect(ingest?.responses).toHaveProperty('200');
  });

  it('documents the ingest’s 408, 413 and 429, and the Retry-After every 429 carries', async () => {
    const doc = await document();
    const responses = doc.paths['/ingest']?.post?.responses as Record<
      string,
      { description: string; headers?: Record<string, unknown> }
    >;
    expect(Object.keys(responses)).toEqual(expect.arrayContaining(['408', '413', '422', '429']));
    expect(responses['413']?.description).toMatch(/Content-Length/);
    for (const [path, method] of [
      ['/ingest', 'post'],
      ['/locations/{locationId}', 'patch'],
      ['/locations/{locationId}/merge', 'post'],
    ] as const) {
      const busy = doc.paths[path]?.[method]?.responses['429'] as { headers?: Record<string, unknown> };
      expect(busy.headers).toHaveProperty('Retry-After');
    }
  });
});
