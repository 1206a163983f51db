import { computeMetric } from '../../shared/metrics/computeMetric';
import type { MetricContext } from '../../shared/metrics/metricContext';
import type { MetricValue } from '../../shared/metrics/metricValue';
import { openMetrics } from '../../shared/metrics/openMetrics';
import type { Scope } from '../../shared/metrics/scope';
import type { TestStore } from './testStore';

export const PORTFOLIO: Scope = { kind: 'portfolio' };
export const at = (locationId: string): Scope => ({ kind: 'location', locationId });
export const provider = (providerId: string, locationId: string | null = null): Scope => ({
  kind: 'provider',
  providerId,
  locationId,
});

export async function metricsOf(t: TestStore, tenant = 't1'): Promise<MetricContext> {
  return openMetrics(t.store, tenant);
}

/** The metric's value, failing the test with the engine's message when it cannot answer. */
export function valueOf(ctx: MetricContext, metric: string, scope: Scope, period: string): MetricValue {
  const answer = computeMetric(ctx, metric, scope, period);
  if (!answer.ok) throw new Error(`${metric}: ${answer.error.code}: ${answer.error.message}`);
  return answer.value;
}
