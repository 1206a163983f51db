import type { MetricDefinition } from '../metricDefinition';

export const MEMBERSHIP_METRICS: readonly MetricDefinition[] = [];
