import type { CaliperStore } from '../shared/store/store.port';
import { SqliteStore } from '../store/sqlite/sqlite-store';

/**
 * The tenant's latest ingest id, or 0 before the first ingest. Every change to a tenant's
 * facts goes through an ingest, so this is enough to know when cached metrics are stale.
 */
export async function dataVersion(store: CaliperStore, tenant: string): Promise<number> {
  // One indexed query per request on SQLite; other stores go through the port's listing.
  if (store instanceof SqliteStore) {
    const row = store.db
      .prepare<[string], { v: number | null }>('SELECT MAX(ingest_id) AS v FROM ingests WHERE tenant_id = ?')
      .get(tenant);
    return row?.v ?? 0;
  }
  const ingests = await store.ingests(tenant);
  return ingests.reduce((max, i) => Math.max(max, i.ingest_id), 0);
}
