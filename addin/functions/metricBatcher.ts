/*
 * Microsoft's batching pattern for custom functions: calls made while Excel recalculates are
 * collected for a short window and sent as one `POST /api/metrics/batch`, each cell's promise
 * resolved from its slot of the answer. Identical requests share one slot and one promise;
 * answers are cached per data version so a recalculation without a new ingest costs nothing.
 */
import { MAX_BATCH } from '../../shared/contract/constants';
import type { BatchResponse, BatchResult, CaliperClient, MetricRequest } from '../api/caliperClient';
import { notAvailable } from './excelErrors';

export interface BatcherOptions {
  /** How long calls are collected before one POST goes out. */
  windowMs?: number;
  /** No cell waits longer than this: after it the call fails with #N/A and the POST is aborted. */
  timeoutMs?: number;
  maxBatch?: number;
  /** Cached answers older than this are asked again even without a new data version. */
  cacheMaxAgeMs?: number;
}

export const DEFAULT_WINDOW_MS = 100;
export const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_CACHE_MAX_AGE_MS = 10 * 60_000;

interface Pending {
  request: MetricRequest;
  promise: Promise<BatchResult>;
  resolve: (result: BatchResult) => void;
  reject: (error: Error) => void;
}

interface Cached {
  result: BatchResult;
  at: number;
}

/** Same metric, period, location and provider → same key, however the cell spelled blanks. */
export function requestKey(request: MetricRequest): string {
  return JSON.stringify([request.metric, request.period, request.location ?? '', request.provider ?? '']);
}

function canonical(request: MetricRequest): MetricRequest {
  return {
    metric: request.metric,
    period: request.period,
    ...(request.location === undefined || request.location === '' ? {} : { location: request.location }),
    ...(request.provider === undefined || request.provider === '' ? {} : { provider: request.provider }),
  };
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

export function timeoutMessage(timeoutMs: number): string {
  return `Caliper did not answer in ${Math.round(timeoutMs / 1000)} s`;
}

export class MetricBatcher {
  private readonly client: Pick<CaliperClient, 'metricsBatch'>;
  private readonly windowMs: number;
  private readonly timeoutMs: number;
  private readonly maxBatch: number;
  private readonly cacheMaxAgeMs: number;

  /** Waiting for the window to close, by key. */
  private queued = new Map<string, Pending>();
  /** Sent and not answered yet, by key: a call for the same request joins it. */
  private readonly inFlight = new Map<string, Pending>();
  private readonly cache = new Map<string, Cached>();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private knownDataVersion: number | null = null;

  constructor(client: Pick<CaliperClient, 'metricsBatch'>, options: BatcherOptions = {}) {
    this.client = client;
    this.windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    // The API's limit per POST: larger recalculations go out in several.
    this.maxBatch = options.maxBatch ?? MAX_BATCH;
    this.cacheMaxAgeMs = options.cacheMaxAgeMs ?? DEFAULT_CACHE_MAX_AGE_MS;
  }

  get dataVersion(): number | null {
    return this.knownDataVersion;
  }

  /** Forgets every answer: the pane's refresh, a new connection, a finished ingest. */
  clearCache(): void {
    this.cache.clear();
  }

  /** A data version learned anywhere (a batch answer, GET /api/portfolio): a new one empties the cache. */
  noteDataVersion(version: number | undefined): void {
    if (version === undefined || version === this.knownDataVersion) return;
    this.knownDataVersion = version;
    this.cache.clear();
  }

  /** One request's answer: its slot of the batch (a value or an API error), never a thrown API error. */
  fetch(request: MetricRequest): Promise<BatchResult> {
    const key = requestKey(request);
    const cached = this.cache.get(key);
    if (cached !== undefined && Date.now() - cached.at <= this.cacheMaxAgeMs) {
      return Promise.resolve(cached.result);
    }
    const waiting = this.queued.get(key) ?? this.inFlight.get(key);
    const pending = waiting ?? this.enqueue(key, canonical(request));
    return this.withTimeout(pending.promise);
  }

  fetchMany(requests: readonly MetricRequest[]): Promise<BatchResult[]> {
    return Promise.all(requests.map((r) => this.fetch(r)));
  }

  private enqueue(key: string, request: MetricRequest): Pending {
    let resolve!: (result: BatchResult) => void;
    let reject!: (error: Error) => void;
    const promise = new Promise<BatchResult>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // A timed-out caller has gone; the late answer must not become an unhandled rejection.
    promise.catch(() => undefined);
    const pending: Pending = { request, promise, resolve, reject };
    this.queued.set(key, pending);
    this.flushTimer ??= setTimeout(() => this.flush(), this.windowMs);
    return pending;
  }

  private withTimeout(promise: Promise<BatchResult>): Promise<BatchResult> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(notAvailable(timeoutMessage(this.timeoutMs))), this.timeoutMs);
      promise.then(
        (result) => {
          clearTimeout(timer);
          resolve(result);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(asError(error));
        },
      );
    });
  }

  private flush(): void {
    this.flushTimer = undefined;
    const batch = [...this.queued.entries()];
    this.queued = new Map();
    for (let i = 0; i < batch.length; i += this.maxBatch) {
      void this.send(batch.slice(i, i + this.maxBatch));
    }
  }

  private async send(batch: [string, Pending][]): Promise<void> {
    for (const [key, pending] of batch) this.inFlight.set(key, pending);
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), this.timeoutMs);
    let response: BatchResponse;
    try {
      response = await this.client.metricsBatch(
        batch.map(([, p]) => p.request),
        abort.signal,
      );
    } catch (error) {
      for (const [key, pending] of batch) {
        this.inFlight.delete(key);
        pending.reject(abort.signal.aborted ? notAvailable(timeoutMessage(this.timeoutMs)) : asError(error));
      }
      return;
    } finally {
      clearTimeout(timer);
    }
    this.noteDataVersion(response.data_version);
    const now = Date.now();
    batch.forEach(([key, pending], index) => {
      this.inFlight.delete(key);
      const result = response.results[index];
      if (result === undefined) {
        pending.reject(notAvailable('Caliper answered fewer results than it was asked for'));
        return;
      }
      this.cache.set(key, { result, at: now });
      pending.resolve(result);
    });
  }
}
