/**
 * The bench's 10,000 batch cells read from the stored answers in one process, as the batch does
 * before it loads anything (`readStoredAnswers`): the figure the in-process target
 * (50 ms) is about once `caliper precompute` has run. Each run reports its time, how many cells
 * had an answer and an MD5 of the answers; the first run pays for a cold page cache.
 *
 *   node dist/scripts/bench/storedInProcess.js --store FILE --tenant T [--runs 4]
 */
import { createHash } from 'node:crypto';

import { engineFingerprint } from '../../io/engineFingerprint';
import { METRICS } from '../../shared/metrics/catalog';
import { DEFAULT_SETTINGS } from '../../shared/metrics/metricContext';
import { readStoredAnswers } from '../../shared/metrics/storedAnswers';
import { SqliteStore } from '../../store/sqlite/sqlite-store';
import { batchCells, batchMetricIds } from './batchCells';
import { failed, flagValue, report } from './childFlags';

async function main(): Promise<void> {
  const runs = Number(flagValue('runs', '4'));
  const tenant = flagValue('tenant');
  const store = SqliteStore.open(flagValue('store'));
  try {
    const locations = (await store.locationIdentities(tenant)).map((l) => l.location_id);
    const cells = batchCells(batchMetricIds(METRICS), locations);
    // What the API's answers are of (functions/metricsCache.ts): its settings and this build.
    const basis = { settings: DEFAULT_SETTINGS, engine: engineFingerprint() };
    for (let run = 1; run <= runs; run += 1) {
      const started = process.hrtime.bigint();
      const version = await store.dataVersion(tenant);
      const answers = await readStoredAnswers(store, tenant, version, basis, cells);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const md5 = createHash('md5')
        .update(JSON.stringify([...answers]))
        .digest('hex');
      report({ run, ms, cells: cells.length, answered: answers.size, md5 });
    }
  } finally {
    await store.close();
  }
}

main().catch(failed);
