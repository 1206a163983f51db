import { ACQUISITION_METRICS, cacMetric } from './families/acquisition';
import { MEMBERSHIP_METRICS } from './families/membership';
import { PATIENT_METRICS } from './families/patients';
import { PROVIDER_METRICS } from './families/providers';
import { REVENUE_METRICS } from './families/revenue';
import { SAME_STORE_METRICS } from './families/sameStore';
import { SCHEDULING_METRICS } from './families/scheduling';
import type { MetricDefinition } from './metricDefinition';

/**
 * The metric catalog: every metric of metrics.md, validated once at load (unique ids, known
 * units). Families live in ./families, one module each; this list is the only place that
 * assembles them.
 */
export const METRICS: readonly MetricDefinition[] = [
  ...REVENUE_METRICS,
  ...SAME_STORE_METRICS,
  ...PROVIDER_METRICS,
  ...SCHEDULING_METRICS,
  ...PATIENT_METRICS,
  ...MEMBERSHIP_METRICS,
  ...ACQUISITION_METRICS,
];

const byId = new Map<string, MetricDefinition>();
for (const metric of METRICS) {
  if (byId.has(metric.id)) throw new Error(`Metric ${metric.id} is defined twice in the catalog`);
  if (!/^[a-z0-9_]+(\.[a-z0-9_]+)?$/.test(metric.id)) throw new Error(`Metric id ${metric.id} is malformed`);
  byId.set(metric.id, metric);
}

/**
 * A catalog metric by id. `cac.<channel>` exists for every channel a tenant's leads or spend
 * name, not only the common ones listed in the catalog, so those ids are built on demand.
 */
export function metricById(id: string): MetricDefinition | undefined {
  const known = byId.get(id);
  if (known) return known;
  const channel = /^cac\.([a-z0-9_]+)$/.exec(id)?.[1];
  return channel === undefined ? undefined : cacMetric(channel);
}

/**
 * How much of an id "did you mean" compares: longer than any catalog id (29 characters), so a
 * misspelling is found whole, and short enough that no input makes the search slow (an edit
 * distance costs the id's length times each catalog id's, for every catalog id).
 */
export const SIMILAR_ID_CHARS = 48;

/**
 * Ids that are close to `id`, for "did you mean" messages. Only the first `SIMILAR_ID_CHARS`
 * characters of `id` are compared, whatever its length: a caller need not bound it.
 */
export function similarMetricIds(id: string, limit = 3): string[] {
  const distance = (a: string, b: string): number => {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i += 1) {
      let previous = row[0] ?? 0;
      row[0] = i;
      for (let j = 1; j <= b.length; j += 1) {
        const current = row[j] ?? 0;
        row[j] = Math.min(
          (row[j] ?? 0) + 1,
          (row[j - 1] ?? 0) + 1,
          previous + (a[i - 1] === b[j - 1] ? 0 : 1),
        );
        previous = current;
      }
    }
    return row[b.length] ?? 0;
  };
  const probe = id.slice(0, SIMILAR_ID_CHARS).toLowerCase();
  return METRICS.map((m) => ({ id: m.id, d: distance(probe, m.id) }))
    .sort((a, b) => a.d - b.d || a.id.localeCompare(b.id))
    .slice(0, limit)
    .map((m) => m.id);
}

/** A metric name as compared by `resolveMetricName`: any case, runs of spaces, `_`, `-`, `–`, `—` as one `_`. */
function metricNameKey(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[\s_\-\u2010-\u2015]+/g, '_');
}

const byIdKey = new Map<string, string>();
const byLabelKey = new Map<string, string>();
for (const metric of METRICS) {
  for (const [keys, key] of [
    [byIdKey, metricNameKey(metric.id)],
    [byLabelKey, metricNameKey(metric.label)],
  ] as const) {
    const other = byIdKey.get(key) ?? byLabelKey.get(key);
    if (other !== undefined && other !== metric.id) {
      throw new Error(`Metrics ${other} and ${metric.id} have names that compare equal ("${key}")`);
    }
    keys.set(key, metric.id);
  }
}

/**
 * The catalog id a person's metric name stands for, or null: the exact id first
 * (`net_revenue`, `cac.meta`, any `cac.<channel>`), then the id in any case with spaces,
 * underscores and dashes alike (`NET_REVENUE`, `net revenue`, `Net-Revenue`), then the label
 * the same way (`Net revenue`, `average ticket`, `Same-store revenue growth`). No two ids or
 * labels of the catalog compare equal, so a name never stands for two metrics.
 */
export function resolveMetricName(text: string): string | null {
  if (metricById(text) !== undefined) return text;
  const key = metricNameKey(text);
  if (key === '') return null;
  const id = byIdKey.get(key) ?? byLabelKey.get(key);
  if (id !== undefined) return id;
  // A tenant's own channel: cac.<channel> in any case, spaces or dashes for underscores.
  const channel = /^cac\.([a-z0-9_]+)$/.exec(key)?.[1];
  return channel === undefined ? null : `cac.${channel}`;
}
