import type { MetricDefinition } from '../metricDefinition';

export const ACQUISITION_METRICS: readonly MetricDefinition[] = [];
