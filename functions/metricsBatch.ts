import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';

import { MAX_BATCH } from '../shared/contract/constants';
import { batchBodySchema, type BatchResponse, type BatchResult } from '../shared/contract/metrics';
import { answerCell, cellKey, type CellRequest } from '../shared/metrics/cellAnswers';
import { readStoredAnswers } from '../shared/metrics/storedAnswers';
import { ApiError, withErrorMapping } from './httpErrors';
import { runtime } from './runtime';
import { tenantOf } from './tenant';

/**
 * The longest id (metric, location, provider) or period a batch entry may name: the canonical
 * model's id rule (`parseId` in shared/model/cellTypes.ts: at most 200 characters), so every id
 * the store can hold fits. A longer one is an error in its slot, found before anything is
 * computed and quoted by its length only: a mistyped cell fails alone, as any unknown id does.
 */
export const MAX_ID_CHARS = 200;

/**
 * The most characters an Excel cell holds: a longer id cannot come from a workbook, so a batch
 * naming one is not the add-in's and is refused whole with 400 before anything is computed.
 */
export const MAX_CELL_CHARS = 32_767;

/**
 * The largest batch body: 10,000 requests of four 200-character fields in 3-byte UTF-8 is
 * 24 MB; anything larger is not a batch and is refused before it is decoded or parsed.
 */
export const MAX_BATCH_BODY_BYTES = 32 * 1024 * 1024;

/**
 * The body, parsed. The local host has held it to MAX_BATCH_BODY_BYTES already (the route's
 * limit in functions/routes.ts); in Azure the Functions host hands over whatever it buffered,
 * so the limit is checked here too.
 */
async function readJson(request: HttpRequest): Promise<unknown> {
  // Refused on its declared size first, so a huge body is never decoded into a string.
  const declared = Number(request.headers.get('content-length') ?? '');
  const tooLarge = () =>
    new ApiError(
      'payload_too_large',
      `A batch body holds at most ${MAX_BATCH_BODY_BYTES.toLocaleString('en-US')} bytes (${MAX_BATCH_BODY_BYTES / (1024 * 1024)} MiB)`,
    );
  if (Number.isFinite(declared) && declared > MAX_BATCH_BODY_BYTES) throw tooLarge();
  const bytes = await request.arrayBuffer();
  if (bytes.byteLength > MAX_BATCH_BODY_BYTES) throw tooLarge();
  const text = new TextDecoder().decode(bytes);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError('invalid_json', 'The request body is not valid JSON');
  }
}

const ID_FIELDS = ['metric', 'period', 'location', 'provider'] as const;
type IdFields = Partial<Record<(typeof ID_FIELDS)[number], string>>;

const characters = (n: number) => `${n.toLocaleString('en-US')} characters`;

/**
 * A batch naming an id longer than an Excel cell holds is refused with 400 before anything is
 * computed: the message names the request, the field and the length, never the value.
 */
function refuseOverlongIds(requests: readonly IdFields[]): void {
  requests.forEach((r, i) => {
    for (const field of ID_FIELDS) {
      const value = r[field];
      if (value !== undefined && value.length > MAX_CELL_CHARS) {
        throw new ApiError(
          'bad_request',
          `Bad batch body: requests.${i}.${field}: ${characters(value.length)}, more than an Excel cell holds (an id has at most ${characters(MAX_ID_CHARS)})`,
        );
      }
    }
  });
}

/** The slot's error when one of its ids is longer than any stored id: named by its length only. */
function overlongId(request: IdFields): BatchResult | undefined {
  for (const field of ID_FIELDS) {
    const value = request[field];
    if (value !== undefined && value.length > MAX_ID_CHARS) {
      return {
        error: {
          code: 'bad_request',
          message: `${field}: at most ${characters(MAX_ID_CHARS)}, got ${characters(value.length)}`,
        },
      };
    }
  }
  return undefined;
}

/**
 * Answers `asked` into `answers`: from the answers stored for the tenant's data version first
 * (shared/metrics/storedAnswers.ts), the rest from its loaded context — which is only loaded when
 * a cell has no stored answer. Every answer is of one data version, the one answered.
 */
async function answerCells(
  tenant: string,
  asked: ReadonlyMap<string, CellRequest>,
  answers: Map<string, BatchResult>,
): Promise<number> {
  const { store, metrics: cache } = runtime();
  const cells = [...asked];
  let version = await store.dataVersion(tenant);
  const stored =
    version === 0
      ? new Map<number, BatchResult>()
      : await readStoredAnswers(
          store,
          tenant,
          version,
          cache.basis,
          cells.map(([, r]) => r),
        );
  // Version 0 too: the cache refuses a tenant without data with its own error.
  if (version === 0 || stored.size < cells.length) {
    const loaded = await cache.versioned(tenant);
    // An ingest committed since the stored answers were read: they are of the version before.
    if (loaded.version !== version) stored.clear();
    version = loaded.version;
    cells.forEach(([key, r], i) => answers.set(key, stored.get(i) ?? answerCell(loaded.context, r)));
  } else {
    cells.forEach(([key], i) => answers.set(key, stored.get(i)!));
  }
  return version;
}

/**
 * `POST /api/metrics/batch`: the custom functions' one round trip per recalculation. Results
 * keep the request order; a failed entry is an error in its slot, not a failed batch, so one
 * mistyped cell does not blank the whole sheet.
 */
export const metricsBatch = withErrorMapping(async (request: HttpRequest): Promise<HttpResponseInit> => {
  const tenant = await tenantOf(request);
  const parsed = batchBodySchema.safeParse(await readJson(request));
  if (!parsed.success) {
    if (parsed.error.issues.some((i) => i.code === 'too_big' && i.path.join('.') === 'requests')) {
      throw new ApiError('batch_too_large', `A batch holds at most ${MAX_BATCH} requests`);
    }
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw new ApiError('bad_request', `Bad batch body: ${where}${issue?.message ?? 'invalid'}`);
  }
  refuseOverlongIds(parsed.data.requests);
  const blankIsAbsent = (id: string | undefined) =>
    id === undefined || id.trim() === '' ? undefined : id.trim();
  const requests = parsed.data.requests.map((r) => ({
    metric: r.metric.trim(),
    period: r.period.trim(),
    location: blankIsAbsent(r.location),
    provider: blankIsAbsent(r.provider),
  }));
  // A sheet repeats the same cell reference often; each distinct request is answered once.
  const answers = new Map<string, BatchResult>();
  const asked = new Map<string, CellRequest>();
  for (const r of requests) {
    const key = cellKey(r);
    const refused = overlongId(r);
    if (refused !== undefined) answers.set(key, refused);
    else if (!answers.has(key)) asked.set(key, r);
  }
  const version = await answerCells(tenant, asked, answers);
  const body: BatchResponse = {
    results: requests.map((r) => answers.get(cellKey(r))!),
    data_version: version,
  };
  return { status: 200, headers: { 'x-caliper-data-version': String(version) }, jsonBody: body };
});

app.http('metricsBatch', {
  methods: ['POST'],
  authLevel: 'anonymous',
  route: 'metrics/batch',
  handler: metricsBatch,
});
