import type { MetricDefinition } from '../metricDefinition';

export const PROVIDER_METRICS: readonly MetricDefinition[] = [];
