import type { ActionStateRecord } from '../actions/actionState';
import type { LocationRecord } from '../connectors/locationIdentity';
import type { AggregateStore } from '../engine/refresh';
import type { DataQualityIssue, IngestReport } from '../ingest/dataQuality';
import type { SourceRecordsPort } from '../metrics/lineage';
import type { MetricData } from '../metrics/metricData';
import type { EntityName } from '../model/canonicalBundle';
import type { ReportSourcesPort } from './reportSources';
import type { StoreHistory } from './storeHistory';

/** One canonical row as the store keeps it: typed values keyed by stored column name. */
export interface StoredRow {
  /** Natural-key values in the spec's key order. */
  key: readonly string[];
  values: Record<string, string | number | null>;
  /** Columns of the file that the canonical format does not define, kept as attributes. */
  extra: Record<string, string> | null;
  /** Hash of values + extra: equal hashes mean the re-ingested row changes nothing. */
  hash: string;
  sourceRow: number;
  /**
   * The source file the row came from when it is not the batch's: a location merge moves a row
   * to another location and keeps the file and row it was read from, so lineage still names it.
   */
  sourceFileId?: number;
}

/** A current stored version as an ingest reads it back: the row, its id and its origin. */
export interface CurrentRow extends StoredRow {
  /** The store's row id as text (tedious returns BIGINT as a string). */
  rowId: string;
  sourceFileId: number;
}

export interface UpsertConflict {
  /** Index of the rejected row in the batch. */
  index: number;
  firstSourceFileId: number;
  firstSourceRow: number;
}

export interface UpsertOutcome {
  inserted: number;
  updated: number;
  unchanged: number;
  /**
   * Rows whose natural key already came with different values earlier in the same ingest:
   * they are not written (which of two versions is right cannot be known) and get reported.
   */
  conflicts: UpsertConflict[];
}

export interface SourceFileInfo {
  path: string;
  name: string;
  entity: string | null;
  bytes: number;
}

export interface SourceFileTotals {
  sha256: string;
  rowsRead: number;
  rowsAccepted: number;
  rowsRejected: number;
}

export interface KnownLocation {
  timezone: string | null;
}

/**
 * One ingest, all-or-nothing: nothing it wrote is visible to anyone until `commit`, and
 * `rollback` (or a crash) leaves the store exactly as it was.
 */
export interface IngestTransaction {
  readonly ingestId: number;
  /**
   * True when the transaction runs its calls one at a time in the order they were made, so a
   * caller may make the next before the last has answered (an ingest on a worker thread).
   */
  readonly ordersCalls?: boolean;
  knownLocations(): Promise<Map<string, KnownLocation>>;
  knownIds(entity: 'services' | 'providers', column: string): Promise<Set<string>>;
  addSourceFile(file: SourceFileInfo): Promise<number>;
  finishSourceFile(sourceFileId: number, totals: SourceFileTotals): Promise<void>;
  /**
   * Inserts new rows, supersedes the current version of rows whose content changed (the old
   * version stays, closed by this ingest) and leaves identical rows untouched.
   */
  upsert(entity: EntityName, sourceFileId: number, rows: readonly StoredRow[]): Promise<UpsertOutcome>;
  addIssues(issues: readonly DataQualityIssue[]): Promise<void>;
  /**
   * The current rows of an entity whose `column` (a location column) holds `value`, in row-id
   * order: what a location merge moves.
   */
  currentRows(entity: EntityName, column: string, value: string): Promise<CurrentRow[]>;
  /**
   * The current rows of these natural keys (JSON of the key → row; keys without one are
   * absent): what a row an export derives completes rather than blanks.
   */
  currentRowsByKey(
    entity: EntityName,
    keys: readonly (readonly string[])[],
  ): Promise<Map<string, CurrentRow>>;
  /**
   * Closes current versions without a successor (closed by this ingest, kept in history): a
   * merged location's row, and its rows that now stand under another natural key.
   */
  retire(entity: EntityName, rowIds: readonly string[]): Promise<void>;
  /** Saved aliases as written → the location each names (a merged location's id among them). */
  locationAliases(): Promise<Map<string, string>>;
  /**
   * Points every alias of `from` at `into`, then saves `aliases` for `into` (an alias that named
   * another location moves, as `saveLocationAlias` does) — inside this transaction.
   */
  moveLocationAliases(from: string, into: string, aliases: readonly string[]): Promise<void>;
  commit(report: IngestReport): Promise<void>;
  rollback(): Promise<void>;
}

export interface LocationSummary {
  location_id: string;
  name: string;
  region: string | null;
  emr_system: string | null;
  opened_on: string | null;
  closed_on: string | null;
  first_sale_on: string | null;
  last_sale_on: string | null;
  providers: number;
  patients: number;
  visits: number;
  /** Σ net (gross − discount) of revenue kinds, gift cards excluded (metrics.md). */
  net_revenue_cents: number;
}

export interface IngestRecord {
  ingest_id: number;
  label: string;
  started_at: string;
  finished_at: string;
  rows_inserted: number;
  rows_updated: number;
  rows_unchanged: number;
  rows_rejected: number;
}

/** An API key as the store keeps it: never the key itself, only its hash and what identifies it. */
export interface NewApiKey {
  tenant: string;
  /** The key's first characters, unique, shown by `keys list` and named by `keys revoke`. */
  prefix: string;
  /** Hex SHA-256 of the whole key. */
  hash: string;
  label: string | null;
}

export interface ApiKeyRecord {
  tenant: string;
  prefix: string;
  label: string | null;
  created_at: string;
  revoked_at: string | null;
}

/** API keys of the local (non-Entra) mode; a key belongs to exactly one tenant. */
export interface ApiKeyStore {
  addApiKey(key: NewApiKey): Promise<void>;
  /** The tenant of the active key with this hash, or null for an unknown or revoked key. */
  apiKeyTenant(hash: string): Promise<string | null>;
  /** Every key (revoked ones too) in creation order, of one tenant when given. */
  listApiKeys(tenant?: string): Promise<ApiKeyRecord[]>;
  /** Revokes the active key with this prefix; false when there is none. */
  revokeApiKey(prefix: string): Promise<boolean>;
}

/**
 * What was done with an action (shared/actions/actionState.ts), per tenant: one state per action
 * id, a later one replacing an earlier one. Nothing in it names a patient but the action id.
 */
export interface ActionStateStore {
  /** Saves the state of an action of the tenant, replacing any earlier state of the same id. */
  setActionState(tenant: string, state: ActionStateRecord): Promise<void>;
  /** Every saved state of the tenant's actions, ordered by action id. */
  actionStates(tenant: string): Promise<ActionStateRecord[]>;
}

/** A briefing as the daily timer saved it (shared/actions/briefing.ts; body: its JSON). */
export interface StoredBriefing {
  date: string;
  body_json: string;
  created_at: string;
}

/** The daily briefings (migration 7), one per tenant and day; they hold no patient identifier. */
export interface BriefingStore {
  /** Saves the tenant's briefing of `date`, replacing one saved earlier for the same day. */
  saveBriefing(tenant: string, briefing: StoredBriefing): Promise<void>;
  /** The tenant's saved briefing of `date`, or null. */
  briefingOn(tenant: string, date: string): Promise<StoredBriefing | null>;
  /** Every tenant with an ingest, sorted: whom the timer writes a briefing for. */
  tenants(): Promise<string[]>;
}

/**
 * A stored answer's key (shared/metrics/cellAnswers.ts `storedCellKey`): the `group` it is kept
 * with — a scope and period under one basis, the cells a sheet's row or column asks together —
 * and the `cell` within it. A store keeps a group's answers side by side, so reading a
 * workbook's cells reads a few pages per group, not one page per cell.
 */
export interface StoredKey {
  group: string;
  cell: string;
}

/** One cell's answer to keep: its stored key and answer as JSON text. */
export interface StoredAnswer {
  key: StoredKey;
  answer: string;
}

/**
 * Answers computed ahead (migration 13) and kept per tenant and data version, so the first
 * question after an ingest, in any process, reads what was computed once. They hold metric
 * values, units and reasons: no patient identifier.
 */
export interface StoredAnswerStore {
  /** The answers stored for `keys` for the tenant at `version`, in the keys' order; undefined: none stored. */
  storedAnswers(tenant: string, version: number, keys: readonly StoredKey[]): Promise<(string | undefined)[]>;
  /**
   * Stores answers for the tenant at `version` and removes those of its earlier versions (never
   * a later one's: data versions only grow); a key stored already keeps its answer (the same
   * question at the same version has the same one).
   */
  saveAnswers(tenant: string, version: number, answers: readonly StoredAnswer[]): Promise<void>;
}

/** The store port: the embedded SQLite file and Azure SQL implement the same contract. */
export interface CaliperStore
  extends
    AggregateStore,
    StoredAnswerStore,
    SourceRecordsPort,
    ReportSourcesPort,
    ApiKeyStore,
    ActionStateStore,
    BriefingStore,
    StoreHistory {
  /** Everything the metrics read for a tenant; call after refreshing its aggregates. */
  loadMetricData(tenant: string): Promise<MetricData>;
  /**
   * Opens an ingest. `bytes`: how much it will read, when known, so a store can choose how to
   * run it (SQLite: a large one on a worker thread, whose start-up a small one does not earn back).
   */
  beginIngest(tenant: string, label: string, size?: { bytes: number }): Promise<IngestTransaction>;
  /** Current (not superseded) rows per entity for a tenant. */
  rowCounts(tenant: string): Promise<Record<EntityName, number>>;
  locationSummaries(tenant: string, from: string, to: string): Promise<LocationSummary[]>;
  /** The first and last sale dates across the tenant, or null when it has no sales. */
  salesDateRange(tenant: string): Promise<{ first: string; last: string } | null>;
  /** The tenant's current locations with their saved aliases: what the exports' location names resolve to. */
  locationIdentities(tenant: string): Promise<LocationRecord[]>;
  /**
   * Saves another name (or vendor id) of a location; the alias then resolves to it in every
   * later ingest. An alias that named another location is moved to this one.
   */
  saveLocationAlias(tenant: string, locationId: string, alias: string): Promise<void>;
  ingests(tenant: string): Promise<IngestRecord[]>;
  /**
   * The tenant's latest ingest id, 0 before its first ingest. Every change to a tenant's facts
   * goes through an ingest, so a cache of its metrics is stale exactly when this moves.
   */
  dataVersion(tenant: string): Promise<number>;
  close(): Promise<void>;
}
