import type { MetricValue } from '../shared/metrics/metricValue';
import { scopeJson } from './scopeOf';

/** A metric value as the API answers it (`GET /api/metrics`, and the core of `GET /api/trace`). */
export function metricValueJson(v: MetricValue): Record<string, unknown> {
  return {
    metric: v.metric,
    period: { label: v.period.label, start: v.period.start, end: v.period.end },
    scope: scopeJson(v.scope),
    value: v.value,
    unit: v.unit,
    coverage: v.coverage,
    ...(v.reason === undefined ? {} : { reason: v.reason }),
    formula: v.formula,
    operands: v.operands,
  };
}
