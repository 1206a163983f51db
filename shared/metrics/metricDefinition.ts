import type { ResolvedPeriod } from '../periods/period';
import type { MetricContext } from './metricContext';
import type { MetricResult, MetricUnit } from './metricValue';
import type { DateWindow } from './patients/trailingWindow';
import type { Scope, ScopeKind } from './scope';

export type MetricFamily =
  'revenue' | 'same_store' | 'providers' | 'scheduling' | 'patients' | 'membership' | 'acquisition' | 'gaps';

/**
 * A metric as data (the catalog): what it is, in which unit, for which scopes, from which
 * canonical facts, which way is better, and how it is computed. docs/metrics.md is generated
 * from these definitions, so the documentation and the numbers cannot drift apart.
 */
export interface MetricDefinition {
  id: string;
  label: string;
  unit: MetricUnit;
  family: MetricFamily;
  scopes: readonly ScopeKind[];
  /** Canonical files the metric reads. */
  facts: readonly string[];
  /** Narrows the source rows a trace lists (e.g. only revenue kinds of sales.csv). */
  sourceFilter?: { saleKinds?: readonly string[]; appointmentStatuses?: readonly string[] };
  /** One line, as in metrics.md; choices the contract leaves open are stated here. */
  definition: string;
  /** For benchmarks: is a higher value better, a lower one, or neither. */
  direction: 'higher' | 'lower' | 'none';
  /** False for metrics that answer a grid or a set rather than one number (heatmap). */
  singleValue?: boolean;
  /**
   * The dates the metric reads for P when they are not P itself (trailing months, the prior
   * year, days after P): coverage and the trace cover them. See dataWindow.ts.
   */
  reads?: (ctx: MetricContext, period: ResolvedPeriod) => DateWindow;
  compute(ctx: MetricContext, scope: Scope, period: ResolvedPeriod): MetricResult;
}
