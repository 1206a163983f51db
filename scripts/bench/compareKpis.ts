/**
 * Caliper's answers beside the DuckDB baseline's, value by value: money to the cent, counts
 * exactly, ratios to 1e-9; "not available" (null) agrees only with null.
 */
import { CORE_METRICS, type CoreMetric, type KpiValue } from './duckdbKpis';

/** The part of a `caliper metrics --format json` record the comparison reads. */
export interface CaliperRecord {
  metric: string;
  location_id: string | null;
  provider_id: string | null;
  value: number | null;
}

export interface Disagreement {
  metric: CoreMetric;
  /** null: the portfolio. */
  location_id: string | null;
  caliper: number | null | 'missing';
  duckdb: number | null;
}

export interface Comparison {
  compared: number;
  agreeing: number;
  disagreements: Disagreement[];
}

const MONEY: ReadonlySet<CoreMetric> = new Set([
  'net_revenue',
  'service_revenue',
  'retail_revenue',
  'avg_ticket',
]);
const RATIOS: ReadonlySet<CoreMetric> = new Set(['no_show_rate', 'rebooking_rate']);

export function valuesAgree(metric: CoreMetric, a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  if (MONEY.has(metric)) return Math.round(a * 100) === Math.round(b * 100);
  if (RATIOS.has(metric)) return Math.abs(a - b) <= 1e-9;
  return a === b;
}

const keyOf = (metric: string, locationId: string | null) => `${metric}|${locationId ?? ''}`;

export function compareKpis(caliper: readonly CaliperRecord[], duckdb: readonly KpiValue[]): Comparison {
  const core = new Set<string>(CORE_METRICS);
  const caliperValues = new Map<string, number | null>();
  for (const r of caliper) {
    if (r.provider_id === null && core.has(r.metric))
      caliperValues.set(keyOf(r.metric, r.location_id), r.value);
  }
  const disagreements: Disagreement[] = [];
  for (const d of duckdb) {
    const key = keyOf(d.metric, d.location_id);
    const theirs = caliperValues.has(key) ? (caliperValues.get(key) ?? null) : 'missing';
    if (theirs === 'missing' || !valuesAgree(d.metric, theirs, d.value)) {
      disagreements.push({ metric: d.metric, location_id: d.location_id, caliper: theirs, duckdb: d.value });
    }
  }
  return { compared: duckdb.length, agreeing: duckdb.length - disagreements.length, disagreements };
}
