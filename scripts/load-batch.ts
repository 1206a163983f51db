/**
 * Load test of POST /api/metrics/batch from a second process, as the custom functions would
 * call it: every request is a 10,000-cell batch. Start the API first (`npm start`), then:
 *
 *   CALIPER_URL=http://localhost:7071 CALIPER_KEY=$(cat .caliper/dev-api-key) \
 *     node dist/scripts/load-batch.js [--seconds 30] [--connections 2]
 *
 * Traffic goes to the given local URL only (loopback), and the run stops by itself.
 */
import autocannon from 'autocannon';

import { batchCells, batchMetricIds } from './bench/batchCells';

function flag(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
}

async function main(): Promise<void> {
  const url = process.env.CALIPER_URL ?? 'http://localhost:7071';
  if (!/^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?$/.test(url))
    throw new Error('CALIPER_URL must be a loopback URL');
  const key = process.env.CALIPER_KEY;
  if (!key) throw new Error('Set CALIPER_KEY to an API key (npm start prints one)');
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const portfolio = (await (await fetch(`${url}/api/portfolio`, { headers })).json()) as {
    locations: { location_id: string }[];
  };
  const catalog = (await (await fetch(`${url}/api/catalog`, { headers })).json()) as {
    id: string;
    scopes: string[];
  }[];
  const requests = batchCells(
    batchMetricIds(catalog),
    portfolio.locations.map((l) => l.location_id),
  );
  const body = JSON.stringify({ requests });
  // Warm-up: the first call refreshes aggregates and loads the tenant's data.
  const warm = await fetch(`${url}/api/metrics/batch`, { method: 'POST', headers, body });
  const answer = (await warm.json()) as { results: unknown[] };
  console.log(`warm-up: HTTP ${warm.status}, ${answer.results.length} results`);
  const result = await autocannon({
    url: `${url}/api/metrics/batch`,
    method: 'POST',
    headers,
    body,
    connections: flag('connections', 2),
    duration: flag('seconds', 30),
  });
  const l = result.latency;
  console.log(
    `10,000-request batches: ${result.requests.total} in ${result.duration} s, ${result.non2xx} non-2xx, ` +
      `latency p50 ${l.p50} ms, p90 ${l.p90} ms, p99 ${l.p99} ms, max ${l.max} ms ` +
      `(${Math.round((result.requests.total * 10_000) / result.duration).toLocaleString('en-US')} cells/s)`,
  );
}

void main();
