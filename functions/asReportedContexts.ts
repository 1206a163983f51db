import { loadMetricContextAsOf } from '../shared/metrics/asReported';
import { type ReportedIngest, resolveAsReportedAt } from '../shared/metrics/asReportedAt';
import type { MetricContext } from '../shared/metrics/metricContext';
import type { CaliperStore } from '../shared/store/store.port';
import { ApiError } from './httpErrors';

/**
 * What the store held right after an ingest never changes (a later ingest only closes rows as of
 * itself), so a context computed as of it stays right for the life of the process. A workbook
 * recalculating many as-reported cells computes the aggregates of then once. Few are kept: each
 * holds a tenant's whole metric data.
 */
const KEPT = 4;
const contexts = new WeakMap<CaliperStore, Map<string, Promise<MetricContext>>>();

/**
 * The context as reported at `asReportedAt` (an ingest id or a date) with the ingest it is as of.
 * A value that names none of the tenant's ingests is the caller's mistake: 400 naming it; a
 * tenant with no ingest at all has no data (404), as without as_reported_at.
 */
export async function asReportedContext(
  store: CaliperStore,
  tenant: string,
  asReportedAt: string,
): Promise<{ ctx: MetricContext; ingest: ReportedIngest }> {
  const resolved = resolveAsReportedAt(asReportedAt, await store.ingests(tenant));
  if (!resolved.ok) {
    const message = `as_reported_at ${JSON.stringify(asReportedAt)}: ${resolved.message}`;
    throw new ApiError(resolved.code === 'no_ingest' ? 'no_data' : 'bad_request', message);
  }
  const kept = contexts.get(store) ?? new Map<string, Promise<MetricContext>>();
  contexts.set(store, kept);
  const key = `${tenant}\u0000${resolved.ingest.ingest_id}`;
  let ctx = kept.get(key);
  if (ctx === undefined) {
    ctx = loadMetricContextAsOf(store, tenant, resolved.ingest.ingest_id);
    // A failed load must not be answered from here again.
    ctx.catch(() => kept.delete(key));
    if (kept.size >= KEPT) kept.delete(kept.keys().next().value!);
  } else {
    kept.delete(key);
  }
  // Most recently used last: the first key is the one to drop.
  kept.set(key, ctx);
  return { ctx: await ctx, ingest: resolved.ingest };
}
