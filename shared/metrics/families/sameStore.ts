import type { MetricDefinition } from '../metricDefinition';

export const SAME_STORE_METRICS: readonly MetricDefinition[] = [];
