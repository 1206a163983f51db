import { CaliperApiError, CaliperClient, type MetricRequest } from '../../../addin/api/caliperClient';
import { CaliperFunctionError } from '../../../addin/functions/excelErrors';
import { MetricBatcher } from '../../../addin/functions/metricBatcher';

interface Post {
  requests: MetricRequest[];
  signal: AbortSignal | undefined;
}

/**
 * A stand-in for the network (fetch is the platform's, not ours): every POST is recorded and
 * answered with value = the request's position in the batch + 1 and the given data version.
 */
function fakeApi(options: { dataVersion?: () => number | undefined; hang?: boolean; status?: number } = {}) {
  const posts: Post[] = [];
  const fetchImpl = (async (_url: string | URL | Request, init?: RequestInit) => {
    const { requests } = JSON.parse(init?.body as string) as { requests: MetricRequest[] };
    posts.push({ requests, signal: init?.signal ?? undefined });
    if (options.hang) {
      return new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(new Error('aborted')));
      });
    }
    if (options.status !== undefined) {
      return Response.json(
        { error: { code: 'unauthorized', message: 'No key' } },
        { status: options.status },
      );
    }
    const version = options.dataVersion?.();
    return Response.json({
      results: requests.map((_r, i) => ({ value: i + 1, unit: 'usd', coverage: 1 })),
      ...(version === undefined ? {} : { data_version: version }),
    });
  }) as typeof fetch;
  return { posts, client: new CaliperClient({ baseUrl: 'http://caliper.test', apiKey: 'k' }, fetchImpl) };
}

const request = (metric: string, location?: string): MetricRequest => ({
  metric,
  period: '2024',
  ...(location === undefined ? {} : { location }),
});

beforeEach(() => {
  jest.useFakeTimers();
});
afterEach(() => {
  jest.useRealTimers();
});

describe('MetricBatcher', () => {
  it('sends the calls of one window as one POST, each distinct request once, and answers each from its slot', async () => {
    const api = fakeApi();
    const batcher = new MetricBatcher(api.client, { windowMs: 100 });
    const calls = Array.from({ length: 50 }, (_, i) => batcher.fetch(request('net_revenue', `L${i % 5}`)));
    expect(api.posts).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(100);
    const results = await Promise.all(calls);

    expect(api.posts).toHaveLength(1);
    expect(api.posts[0]?.requests).toEqual(
      ['L0', 'L1', 'L2', 'L3', 'L4'].map((l) => request('net_revenue', l)),
    );
    expect(results.map((r) => ('value' in r ? r.value : null))).toEqual(
      Array.from({ length: 50 }, (_, i) => (i % 5) + 1),
    );
  });

  it('treats an empty location or provider as absent when de-duplicating', async () => {
    const api = fakeApi();
    const batcher = new MetricBatcher(api.client);
    const calls = [
      batcher.fetch({ metric: 'visits', period: '2024' }),
      batcher.fetch({ metric: 'visits', period: '2024', location: '', provider: '' }),
    ];
    await jest.advanceTimersByTimeAsync(100);
    await Promise.all(calls);
    expect(api.posts[0]?.requests).toEqual([{ metric: 'visits', period: '2024' }]);
  });

  it('sends calls made in separate windows separately', async () => {
    const api = fakeApi();
    const batcher = new MetricBatcher(api.client, { windowMs: 100 });
    const first = batcher.fetch(request('visits'));
    await jest.advanceTimersByTimeAsync(100);
    await first;
    const second = batcher.fetch(request('net_revenue'));
    await jest.advanceTimersByTimeAsync(100);
    await second;
    expect(api.posts.map((p) => p.requests.map((r) => r.metric))).toEqual([['visits'], ['net_revenue']]);
  });

  it('splits a window larger than the batch limit into several POSTs', async () => {
    const api = fakeApi();
    const batcher = new MetricBatcher(api.client, { maxBatch: 3 });
    const calls = Array.from({ length: 7 }, (_, i) => batcher.fetch(request('visits', `L${i}`)));
    await jest.advanceTimersByTimeAsync(100);
    const results = await Promise.all(calls);
    expect(api.posts.map((p) => p.requests.length)).toEqual([3, 3, 1]);
    expect(results.map((r) => ('value' in r ? r.value : null))).toEqual([1, 2, 3, 1, 2, 3, 1]);
  });

  it('answers a repeated request from the cache while the data version stays the same', async () => {
    let version = 7;
    const api = fakeApi({ dataVersion: () => version });
    const batcher = new MetricBatcher(api.client);
    const first = batcher.fetch(request('visits'));
    await jest.advanceTimersByTimeAsync(100);
    await first;
    await expect(batcher.fetch(request('visits'))).resolves.toEqual({ value: 1, unit: 'usd', coverage: 1 });
    expect(api.posts).toHaveLength(1);
    expect(batcher.dataVersion).toBe(7);

    // A newer data version seen in any answer drops every cached answer.
    version = 8;
    const other = batcher.fetch(request('net_revenue'));
    await jest.advanceTimersByTimeAsync(100);
    await other;
    const again = batcher.fetch(request('visits'));
    await jest.advanceTimersByTimeAsync(100);
    await again;
    expect(api.posts).toHaveLength(3);
  });

  it('asks again after clearCache', async () => {
    const api = fakeApi();
    const batcher = new MetricBatcher(api.client);
    const first = batcher.fetch(request('visits'));
    await jest.advanceTimersByTimeAsync(100);
    await first;
    batcher.clearCache();
    const second = batcher.fetch(request('visits'));
    await jest.advanceTimersByTimeAsync(100);
    await second;
    expect(api.posts).toHaveLength(2);
  });

  it('fails a call with #N/A after the hard timeout and aborts the POST', async () => {
    const api = fakeApi({ hang: true });
    const batcher = new MetricBatcher(api.client, { timeoutMs: 30_000 });
    const call = batcher.fetch(request('visits'));
    const outcome = call.then(
      () => null,
      (error: unknown) => error,
    );
    await jest.advanceTimersByTimeAsync(30_000);
    const error = await outcome;
    expect(error).toBeInstanceOf(CaliperFunctionError);
    expect(error).toMatchObject({ kind: 'notAvailable', message: 'Caliper did not answer in 30 s' });
    await jest.advanceTimersByTimeAsync(100);
    expect(api.posts[0]?.signal?.aborted).toBe(true);
  });

  it('rejects every call of a POST the API refuses with the API error', async () => {
    const api = fakeApi({ status: 401 });
    const batcher = new MetricBatcher(api.client);
    const outcomes = [request('visits'), request('net_revenue')].map((r) =>
      batcher.fetch(r).then(
        () => null,
        (error: unknown) => error,
      ),
    );
    await jest.advanceTimersByTimeAsync(100);
    for (const error of await Promise.all(outcomes)) {
      expect(error).toBeInstanceOf(CaliperApiError);
      expect(error).toMatchObject({ status: 401, code: 'unauthorized', message: 'No key' });
    }
    // A failure is not cached: the next recalculation asks again.
    const retry = batcher.fetch(request('visits')).catch(() => null);
    await jest.advanceTimersByTimeAsync(100);
    await retry;
    expect(api.posts).toHaveLength(2);
  });
});
