/**
 * Child process of `npm run bench`: the API's local host (the Azure Functions handlers) over
 * the bench's store, then the same 10,000-cell `POST /api/metrics/batch` twice over loopback
 * HTTP: cold (right after startup: the tenant's metric data is loaded and every cell computed,
 * or, after `caliper precompute`, the stored answers read) and warm (answered from the
 * per-data-version memo). Reports both times and the peak RSS after each. One `GET /api/health`
 * goes first: it touches no tenant and no store, only the HTTP client this process shares with
 * the host — its first `fetch` loads undici, 40–75 ms of the cold time (profiled at 200
 * locations) that are the bench's client's, not the API's (Excel's runtime has its own).
 *
 *   node dist/scripts/bench/batchPhase.js --store FILE --tenant T
 */
import { createKey } from '../../cli/commands/keysCommand';
import { startLocalHost } from '../../functions/localHost';
import { createRuntime } from '../../functions/runtime';
import { growOldGenerationByAQuarter } from '../../io/heapGrowth';
import { METRICS } from '../../shared/metrics/catalog';
import { SqliteStore } from '../../store/sqlite/sqlite-store';
import { batchCells, batchMetricIds } from './batchCells';
import { failed, flagValue, peakRssBytes, report } from './childFlags';

async function main(): Promise<void> {
  // As `npm start` and the Functions worker run the host (io/heapGrowth.ts).
  growOldGenerationByAQuarter();
  const storeFile = flagValue('store');
  const tenant = flagValue('tenant');
  const store = SqliteStore.open(storeFile);
  const runtime = createRuntime({ storeFile, auth: { mode: 'api-key' } }, store);
  const host = await startLocalHost({ port: 0, host: '127.0.0.1', runtime });
  try {
    const { key } = await createKey(store, tenant, 'npm run bench');
    const locationIds = (await store.locationIdentities(tenant)).map((l) => l.location_id);
    const metrics = batchMetricIds(METRICS);
    const cells = batchCells(metrics, locationIds);
    const body = JSON.stringify({ requests: cells });
    const post = async () => {
      const started = process.hrtime.bigint();
      const response = await fetch(`${host.url}/api/metrics/batch`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body,
      });
      const answer = (await response.json()) as { results: ({ error: unknown } | { value: unknown })[] };
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (response.status !== 200) throw new Error(`POST /api/metrics/batch: HTTP ${response.status}`);
      const errors = answer.results.filter((r) => 'error' in r).length;
      return { seconds, results: answer.results.length, errors, peakRss: peakRssBytes() };
    };
    const health = await fetch(`${host.url}/api/health`);
    if (health.status !== 200) throw new Error(`GET /api/health: HTTP ${health.status}`);
    await health.arrayBuffer();
    const cold = await post();
    const warm = await post();
    report({ cells: cells.length, metrics: metrics.length, cold, warm });
  } finally {
    await host.close();
    await runtime.close();
    await store.close();
  }
}

main().catch(failed);
