/**
 * What a query process holds, step by step: the live memory (after two full collections) once
 * the tenant's metric data is loaded, once persons are unified across systems, once the patient
 * index is built, and once every metric is listed for one period at every scope — the steps of
 * `caliper metrics`. The peak RSS says how far V8 let the heap grow (up to its limit, a quarter
 * of the machine's memory by default); this says what the data itself takes.
 *
 *   node --expose-gc dist/scripts/bench/memoryStages.js --store FILE --tenant T [--period LTM]
 */
import { listMetricValues } from '../../shared/metrics/metricListing';
import { metricContextOf } from '../../shared/metrics/openMetrics';
import { SqliteStore } from '../../store/sqlite/sqlite-store';
import { failed, flagValue, report } from './childFlags';

const MB = 1e6;

function liveMemory(): { heapMb: number; arrayBuffersMb: number } {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined) throw new Error('run with node --expose-gc');
  collect();
  collect();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return { heapMb: Math.round(heapUsed / MB), arrayBuffersMb: Math.round(arrayBuffers / MB) };
}

async function main(): Promise<void> {
  const store = SqliteStore.open(flagValue('store'));
  try {
    const step = async <T>(name: string, run: () => T | Promise<T>): Promise<T> => {
      const started = process.hrtime.bigint();
      const result = await run();
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      report({ step: name, seconds, ...liveMemory() });
      return result;
    };
    liveMemory();
    const data = await step('metric data loaded', () => store.loadMetricData(flagValue('tenant')));
    const ctx = await step('persons unified', () => metricContextOf(data));
    await step('patient index built', () => ctx.patients());
    const listing = await step('every metric listed', () =>
      listMetricValues(ctx, flagValue('period', 'LTM')),
    );
    if (!listing.ok) throw new Error(listing.error.message);
    report({
      appointments: data.events.length,
      revenueRows: data.revenue.length,
      values: listing.records.length,
    });
  } finally {
    await store.close();
  }
}

main().catch(failed);
