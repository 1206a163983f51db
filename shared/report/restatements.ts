import { computeMetric, type MetricError } from '../metrics/computeMetric';
import { MetricContext } from '../metrics/metricContext';
import type { MetricUnit } from '../metrics/metricValue';
import type { Scope } from '../metrics/scope';
import type { ChangedRow } from '../store/storeHistory';

/*
 * The Restatements sheet's content: every figure the board saw (as reported at an ingest) that
 * the store now answers differently, with both values and the rows that changed it. Pure: the
 * two contexts and the changed rows are read by the caller (asReported.ts, StoreHistory).
 */

export interface RestatementsInput {
  /** The figures as reported (loadMetricContextAsOf). */
  reported: MetricContext;
  /** The figures now. */
  current: MetricContext;
  metrics: readonly string[];
  /** Resolved in the reported context; a relative period (LTM, FY0…) keeps the dates it had then. */
  period: string;
  /** The store's changedRowsSince(tenant, reported ingest). */
  changes: readonly ChangedRow[];
  /** The portfolio and every location of either context when absent. */
  scopes?: readonly Scope[];
  /** Rows cited per figure (the count says how many there are in all); 20 when absent. */
  maxRowsPerFigure?: number;
}

export interface Restatement {
  metric: string;
  scope: Scope;
  period: { label: string; start: string; end: string };
  unit: MetricUnit;
  reported: number | null;
  current: number | null;
  /** Why a side has no value (a location that did not exist yet, no visits…). */
  reported_reason?: string;
  current_reason?: string;
  /** current − reported, null when either side has none. */
  difference: number | null;
  /** The locations whose rows changed that this figure reads. */
  changed_locations: string[];
  changed_rows: ChangedRow[];
  /** How many rows changed in all, of which `changed_rows` lists the first. */
  changed_rows_total: number;
}

export type RestatementsResult =
  { ok: true; restatements: Restatement[] } | { ok: false; error: MetricError };

/** Money to the cent; any other unit exactly, up to floating-point noise. */
export function figuresDiffer(unit: MetricUnit, a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a !== b;
  if (unit === 'usd') return Math.round(a * 100) !== Math.round(b * 100);
  return Math.abs(a - b) > 1e-12;
}

/** current − reported; money to the cent, so 1,664.50 − 1,579.00 reads 85.50 and never 85.49999…. */
function differenceOf(unit: MetricUnit, reported: number | null, current: number | null): number | null {
  if (reported === null || current === null) return null;
  return unit === 'usd' ? Math.round((current - reported) * 100) / 100 : current - reported;
}

interface Side {
  value: number | null;
  reason?: string;
  unit?: MetricUnit;
  period?: Restatement['period'];
}

/** A request error (unknown metric, bad period) stops everything; a scope one side lacks is a null there. */
function sideOf(ctx: MetricContext, metric: string, scope: Scope, period: string): Side | MetricError | null {
  const answer = computeMetric(ctx, metric, scope, period);
  if (answer.ok) {
    const v = answer.value;
    return {
      value: v.value,
      ...(v.reason === undefined ? {} : { reason: v.reason }),
      unit: v.unit,
      period: { label: v.period.label, start: v.period.start, end: v.period.end },
    };
  }
  const { code, message } = answer.error;
  if (code === 'unknown_metric' || code === 'invalid_period') return answer.error;
  if (code === 'scope_not_supported') return null;
  return { value: null, reason: message };
}

const isError = (s: Side | MetricError | null): s is MetricError => s !== null && 'code' in s;

/** Changed rows (in the store's order) by the locations they touch; rows of no location (services, patients) apart. */
function indexChanges(changes: readonly ChangedRow[]) {
  const byLocation = new Map<string, ChangedRow[]>();
  const tenantWide: ChangedRow[] = [];
  for (const row of changes) {
    const locations = [...new Set([row.location_id, row.previous_location_id])].filter(
      (l): l is string => l !== null,
    );
    if (locations.length === 0) tenantWide.push(row);
    for (const l of locations) {
      const rows = byLocation.get(l);
      if (rows) rows.push(row);
      else byLocation.set(l, [row]);
    }
  }
  return { all: changes, byLocation, tenantWide, locations: [...byLocation.keys()].sort() };
}

export function restatements(input: RestatementsInput): RestatementsResult {
  const { reported, metrics, period } = input;
  // The same dates and as-of month as the board saw: LTM then is not LTM now.
  const asOf = reported.asOfMonth();
  const current =
    asOf === null || input.current.asOfMonth() === asOf
      ? input.current
      : new MetricContext(input.current.data, { ...input.current.settings, asOfMonth: asOf });
  const locationIds = [...new Set([...reported.allLocationIds(), ...current.allLocationIds()])].sort();
  const scopes: readonly Scope[] = input.scopes ?? [
    { kind: 'portfolio' },
    ...locationIds.map((locationId): Scope => ({ kind: 'location', locationId })),
  ];
  const changes = indexChanges(input.changes);
  const cap = input.maxRowsPerFigure ?? 20;
  const out: Restatement[] = [];
  for (const metric of metrics) {
    for (const scope of scopes) {
      const before = sideOf(reported, metric, scope, period);
      const after = sideOf(current, metric, scope, period);
      if (isError(before)) return { ok: false, error: before };
      if (isError(after)) return { ok: false, error: after };
      if (before === null || after === null) continue;
      const unit = before.unit ?? after.unit;
      const figurePeriod = before.period ?? after.period;
      // Neither side answered (e.g. a location that exists on neither): no figure to restate.
      if (unit === undefined || figurePeriod === undefined) continue;
      if (!figuresDiffer(unit, before.value, after.value)) continue;
      const cited = citedRows(scope, changes);
      out.push({
        metric,
        scope,
        period: figurePeriod,
        unit,
        reported: before.value,
        current: after.value,
        ...(before.reason === undefined ? {} : { reported_reason: before.reason }),
        ...(after.reason === undefined ? {} : { current_reason: after.reason }),
        difference: differenceOf(unit, before.value, after.value),
        changed_locations: cited.locations,
        changed_rows: cited.rows.slice(0, cap),
        changed_rows_total: cited.rows.length,
      });
    }
  }
  return { ok: true, restatements: out };
}

/**
 * A location's figure cites the location's changed rows, then those of no location (a service's
 * category, a patient's identity) which any location's figures read. When none of those changed,
 * the change came through another location (a provider's payroll is split by production at every
 * location they work at): every changed row is cited. The portfolio (and a provider across all
 * their locations) cites every changed row.
 */
function citedRows(scope: Scope, changes: ReturnType<typeof indexChanges>) {
  // A provider at one location reads that location's rows, as the location does.
  const locationId = scope.kind === 'portfolio' ? null : scope.locationId;
  if (locationId !== null) {
    const own = changes.byLocation.get(locationId) ?? [];
    if (own.length + changes.tenantWide.length > 0) {
      return { locations: own.length > 0 ? [locationId] : [], rows: [...own, ...changes.tenantWide] };
    }
  }
  return { locations: changes.locations, rows: [...changes.all] };
}
