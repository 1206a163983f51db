import type { MetricDefinition } from '../metricDefinition';

export const PATIENT_METRICS: readonly MetricDefinition[] = [];
