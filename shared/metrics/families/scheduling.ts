import type { MetricDefinition } from '../metricDefinition';

export const SCHEDULING_METRICS: readonly MetricDefinition[] = [];
