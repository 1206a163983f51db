import { engineFingerprint } from '../io/engineFingerprint';
import { refreshAggregates } from '../shared/engine/refresh';
import type { AnswerBasis } from '../shared/metrics/cellAnswers';
import { DEFAULT_SETTINGS, type MetricContext, type MetricSettings } from '../shared/metrics/metricContext';
import { loadMetricContext } from '../shared/metrics/openMetrics';
import { type StoredAnswersReport, storeStandardAnswers } from '../shared/metrics/storedAnswers';
import type { CaliperStore } from '../shared/store/store.port';
import { ApiError } from './httpErrors';
import { WriteLock } from './writeLock';

interface Entry {
  version: number;
  context: Promise<MetricContext>;
}

/**
 * Contexts kept at once. A context holds its tenant's metric data (about 2 GB at 50 locations),
 * so a process serving many tenants keeps the most recently asked ones and reloads the others:
 * one tenant's workbook must not leave another's process out of memory.
 */
export const MAX_CACHED_TENANTS = 4;

/**
 * One loaded MetricContext per tenant and data version, for the most recently asked tenants
 * (MAX_CACHED_TENANTS): a workbook recalculating thousands of cells must not reload aggregates
 * on every call. The promise is cached (not the value) so concurrent first requests share one
 * load.
 */
export class MetricsCache {
  private readonly entries = new Map<string, Entry>();

  /**
   * `store` answers reads; `writer` (its own connection on SQLite) refreshes stale aggregates
   * under the process's write lock, so a read never sees an ingest that has not committed.
   */
  constructor(
    private readonly store: CaliperStore,
    private readonly writer: CaliperStore = store,
    private readonly writeLock: WriteLock = new WriteLock(),
    private readonly maxTenants: number = MAX_CACHED_TENANTS,
    /** The settings every context of this cache answers under. */
    private readonly settings: MetricSettings = DEFAULT_SETTINGS,
  ) {
    this.basis = { settings, engine: engineFingerprint() };
  }

  /** What this cache's answers are answers of: its settings and this build's engine (stored answers' key). */
  readonly basis: AnswerBasis;

  /**
   * Answers the tenant's standard cells from its current context and stores them under the
   * data version (shared/metrics/storedAnswers.ts), the save under the write lock: the step
   * after an ingest that makes the next workbook's first recalculation a read in any process.
   */
  async storeAnswers(tenant: string): Promise<StoredAnswersReport> {
    const work = this.storeAnswersNow(tenant);
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    this.storing.add(settled);
    void settled.finally(() => this.storing.delete(settled));
    return work;
  }

  /** Resolves when every `storeAnswers` begun so far has ended: the runtime closes after them. */
  async settle(): Promise<void> {
    await Promise.all([...this.storing]);
  }

  private readonly storing = new Set<Promise<void>>();

  private async storeAnswersNow(tenant: string): Promise<StoredAnswersReport> {
    const { context, version } = await this.versioned(tenant);
    return storeStandardAnswers(
      {
        dataVersion: (t) => this.writer.dataVersion(t),
        saveAnswers: (...a) => this.writeLock.run(() => this.writer.saveAnswers(...a), { tenant }),
      },
      tenant,
      context,
      version,
      this.basis.engine,
    );
  }

  async forTenant(tenant: string): Promise<MetricContext> {
    return (await this.versioned(tenant)).context;
  }

  /** The context with the data version it answers for: clients key their caches on it. */
  async versioned(tenant: string): Promise<{ context: MetricContext; version: number }> {
    const version = await this.store.dataVersion(tenant);
    // Without this, a tenant with no ingest would answer 0 revenue: a number, and a wrong one.
    if (version === 0)
      throw new ApiError('no_data', `Tenant ${JSON.stringify(tenant)} has no ingested data yet`);
    const cached = this.entries.get(tenant);
    if (cached?.version === version) {
      // Most recently asked last: the first entry is the one to let go.
      this.entries.delete(tenant);
      this.entries.set(tenant, cached);
      return { context: await cached.context, version };
    }
    const context = this.writeLock
      .run(() => refreshAggregates(this.writer, tenant), { tenant })
      .then(() => loadMetricContext(this.store, tenant, this.settings));
    this.entries.delete(tenant);
    this.entries.set(tenant, { version, context });
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxTenants) break;
      this.entries.delete(oldest);
    }
    // A failed load must not be answered from the cache forever.
    context.catch(() => {
      if (this.entries.get(tenant)?.context === context) this.entries.delete(tenant);
    });
    return { context: await context, version };
  }
}
