/**
 * Child process of `npm run bench`: the aggregate refresh after an ingest, alone, so its time
 * and peak RSS are its own. `caliper ingest` leaves the refresh to the first question (the
 * CLI's `metrics`, the API's first request); run here first, that question only loads.
 *
 *   node dist/scripts/bench/refreshPhase.js --store FILE --tenant T
 */
import { refreshAggregates } from '../../shared/engine/refresh';
import { SqliteStore } from '../../store/sqlite/sqlite-store';
import { failed, flagValue, peakRssBytes, report } from './childFlags';

async function main(): Promise<void> {
  const store = SqliteStore.open(flagValue('store'));
  try {
    const started = process.hrtime.bigint();
    const refreshed = await refreshAggregates(store, flagValue('tenant'));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    report({ seconds, locations: refreshed.length, peakRss: peakRssBytes() });
  } finally {
    await store.close();
  }
}

main().catch(failed);
