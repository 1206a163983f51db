import type { MetricData } from '../metrics/metricData';
import { CANONICAL_FILES, type EntityName } from '../model/canonicalBundle';

/*
 * The store's history, read back: every fact row keeps `valid_from_ingest` / `valid_to_ingest`
 * (docs/store.md), so what the store held after any committed ingest can be read again, and so
 * can every row an ingest after it inserted, superseded or closed. The board pack reads figures
 * "as reported" through this, and lists what restated them.
 */

/**
 * What the metrics read besides the aggregates: the same fields as MetricData, as the store held
 * them after one ingest. The aggregates of that moment are computed from the facts of then.
 */
export type MetricDimensions = Omit<MetricData, 'daily' | 'events' | 'revenue'>;

/** How a later ingest changed a natural key: a new key, a new version of it, or closed without one. */
export type RowChange = 'inserted' | 'updated' | 'closed';

/** One row version an ingest after the as-reported one wrote or closed, with its lineage. */
export interface ChangedRow {
  entity: EntityName;
  /** The canonical file of the entity, e.g. `sales.csv`. */
  file: string;
  /** The natural key, column → value, in the spec's key order. */
  key: Record<string, string>;
  change: RowChange;
  /** The ingest that made the change. */
  ingest_id: number;
  /** The row's location (its new version's; the closed version's when closed); null: none (services, patients, location-less payroll). */
  location_id: string | null;
  /** For an update, the superseded version's location (a location merge moves rows); else null. */
  previous_location_id: string | null;
  /** The source file the row came from, as ingested (path, or zip:entry); for `closed`, the closed version's. */
  source_file: string | null;
  /** The row in that file, as Excel numbers it. */
  source_row: number;
  /** For an update, where the superseded version came from. */
  previous: { source_file: string | null; source_row: number; ingest_id: number } | null;
}

/** Reads of the store's history; both adapters answer them from the same rows. */
export interface StoreHistory {
  /**
   * The tenant's locations, providers, patients, memberships, leads, spend and sales range as
   * they stood after ingest `asOfIngest` (rows with valid_from_ingest ≤ N and valid_to_ingest
   * null or > N); `version` is N.
   */
  loadMetricDimensions(tenant: string, asOfIngest: number): Promise<MetricDimensions>;
  /** Every row version inserted, superseding or closed by an ingest after `ingestId`, in `compareChangedRows` order. */
  changedRowsSince(tenant: string, ingestId: number): Promise<ChangedRow[]>;
}

const FILE_ORDER = new Map<string, number>(CANONICAL_FILES.map((spec, index) => [spec.entity, index]));

/** The order both adapters answer in: by ingest, canonical file order, source file, source row. */
export function compareChangedRows(a: ChangedRow, b: ChangedRow): number {
  return (
    a.ingest_id - b.ingest_id ||
    (FILE_ORDER.get(a.entity) ?? 0) - (FILE_ORDER.get(b.entity) ?? 0) ||
    compareText(a.source_file ?? '', b.source_file ?? '') ||
    a.source_row - b.source_row ||
    compareText(JSON.stringify(a.key), JSON.stringify(b.key)) ||
    compareText(a.change, b.change)
  );
}

/** Code-unit order, as both stores compare text (binary collation), never the locale's. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
