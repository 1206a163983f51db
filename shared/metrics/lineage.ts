import type { ResolvedPeriod } from '../periods/period';
import { readPeriodOf } from './dataWindow';
import type { MetricContext } from './metricContext';
import type { MetricDefinition } from './metricDefinition';
import type { Scope } from './scope';

/**
 * "Where did this come from?" (metrics.md, last section): the canonical rows behind a value,
 * found by the metric's facts, the scope's locations (and provider) and the period's dates.
 */
export interface SourceQuery {
  /** Canonical file, e.g. `sales.csv`. */
  fact: string;
  locationIds: readonly string[] | null;
  providerId: string | null;
  from: string;
  to: string;
  saleKinds?: readonly string[];
  appointmentStatuses?: readonly string[];
}

/** The source rows of one ingested file that a value rests on. */
export interface SourceRecords {
  fact: string;
  /** The file as it was ingested (path, or zip:entry). */
  file: string;
  ingest_id: number;
  /** How many of its rows count. */
  rows: number;
  /** The first row numbers (as Excel numbers them), to open the file at. */
  sample_rows: number[];
}

export interface SourceRecordsPort {
  sourceRecords(tenant: string, query: SourceQuery): Promise<SourceRecords[]>;
}

export function sourceQueriesFor(
  ctx: MetricContext,
  definition: MetricDefinition,
  scope: Scope,
  period: ResolvedPeriod,
): SourceQuery[] {
  const locationIds = scope.kind === 'portfolio' ? null : ctx.locationIdsOf(scope);
  const providerId = scope.kind === 'provider' ? scope.providerId : null;
  // The rows behind a value are those of every date it reads (trailing months, prior year…).
  const read = readPeriodOf(definition, ctx, period);
  return definition.facts.map((fact) => ({
    fact,
    locationIds,
    providerId,
    from: read.start,
    to: read.end,
    ...(fact === 'sales.csv' && definition.sourceFilter?.saleKinds
      ? { saleKinds: definition.sourceFilter.saleKinds }
      : {}),
    ...(fact === 'appointments.csv' && definition.sourceFilter?.appointmentStatuses
      ? { appointmentStatuses: definition.sourceFilter.appointmentStatuses }
      : {}),
  }));
}
