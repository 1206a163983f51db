import { refreshAggregates } from '../engine/refresh';
import type { CaliperStore } from '../store/store.port';
import { DEFAULT_SETTINGS, MetricContext, type MetricSettings } from './metricContext';
import type { MetricData } from './metricData';
import { unifyPersons } from './personIdentity';

/**
 * Brings a tenant's aggregates up to date (only the locations an ingest changed are
 * recomputed) and loads them for querying.
 */
export async function openMetrics(
  store: CaliperStore,
  tenant: string,
  settings: MetricSettings = DEFAULT_SETTINGS,
  onRefreshProgress?: (done: number, total: number, locationId: string) => void,
): Promise<MetricContext> {
  await refreshAggregates(store, tenant, onRefreshProgress);
  return loadMetricContext(store, tenant, settings);
}

/** Loads a tenant's aggregates as they are, for a caller that refreshes them itself. */
export async function loadMetricContext(
  store: CaliperStore,
  tenant: string,
  settings: MetricSettings = DEFAULT_SETTINGS,
): Promise<MetricContext> {
  return metricContextOf(await store.loadMetricData(tenant), settings);
}

/** The one way a MetricContext is made from loaded data: one person across systems first. */
export function metricContextOf(
  data: MetricData,
  settings: MetricSettings = DEFAULT_SETTINGS,
): MetricContext {
  return new MetricContext(unifyPersons(data), settings);
}
