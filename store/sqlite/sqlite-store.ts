import fs from 'node:fs';
import path from 'node:path';

import Database from 'better-sqlite3';

import type { ActionStateRecord } from '../../shared/actions/actionState';
import {
  identitiesOf,
  LOCATION_COLUMNS,
  type LocationRecord,
  type LocationRow,
  normalizeLocationName,
} from '../../shared/connectors/locationIdentity';
import type { AggregateStore, LocationAggregates, LocationFactsData } from '../../shared/engine/refresh';
import type { DataQualityIssue, IngestReport } from '../../shared/ingest/dataQuality';
import type { SourceQuery, SourceRecords } from '../../shared/metrics/lineage';
import type { MetricData } from '../../shared/metrics/metricData';
import type { EntityName } from '../../shared/model/canonicalBundle';
import type { ReportSources } from '../../shared/store/reportSources';
import type {
  ApiKeyRecord,
  CaliperStore,
  CurrentRow,
  IngestRecord,
  IngestTransaction,
  KnownLocation,
  LocationSummary,
  NewApiKey,
  SourceFileInfo,
  SourceFileTotals,
  StoredBriefing,
  StoredRow,
  UpsertOutcome,
} from '../../shared/store/store.port';
import { allEntitySpecs, storedColumnsOf, toCurrentRow } from '../../shared/store/storedColumns';
import type { ChangedRow, MetricDimensions } from '../../shared/store/storeHistory';
import { type CurrentVersion, planUpsert } from '../../shared/store/upsertPlan';
import { actionStates, setActionState } from '../sql/actionStates';
import * as sqlAggregates from '../sql/aggregates';
import { addApiKey, apiKeyTenant, listApiKeys, revokeApiKey } from '../sql/apiKeys';
import { briefingOn, saveBriefing, tenants } from '../sql/briefings';
import { dataVersion } from '../sql/dataVersion';
import { changedRowsSince } from '../sql/history';
import { sourceRecords } from '../sql/lineage';
import { loadMetricData, loadMetricDimensions } from '../sql/metricData';
import { reportSources } from '../sql/reportSources';
import type { SqlDriver } from '../sql/sqlDriver';
import { SqliteAggregateWriter } from '../sql/sqliteAggregateWriter';
import { SqliteDriver } from '../sql/sqliteDriver';
import { SqliteMetricReader } from '../sql/sqliteMetricReader';
import { migrate } from './migrations';

interface EntityStatements {
  /** The current versions of a batch's keys (a JSON array of key arrays), by batch index. */
  findCurrent: Database.Statement<
    { tenant: string; keys: string },
    {
      idx: number;
      row_id: number;
      row_hash: string;
      valid_from_ingest: number;
      source_file_id: number;
      source_row: number;
    }
  >;
  /** The whole current row of a key (its stored columns, extra_json, origin). */
  findCurrentRow: Database.Statement<unknown[], Record<string, unknown>>;
  close: Database.Statement<[number, number]>;
  insert: Database.Statement<unknown[]>;
  valueColumns: string[];
}

const REVENUE_KINDS_SQL = "('service','package','retail','membership_fee','other')";

/**
 * The embedded store: one SQLite file (WAL mode), opened by better-sqlite3. Its calls are
 * synchronous; the async port lets the Azure SQL adapter share the same contract.
 */
export class SqliteStore implements CaliperStore, AggregateStore {
  private readonly statements = new Map<string, EntityStatements>();
  private ingestOpen = false;
  /** The statements written once for both databases (store/sql/) run through this. */
  private readonly sql: SqlDriver;
  private readonly aggregateWriter: SqliteAggregateWriter;
  private readonly metricReader: SqliteMetricReader;

  private constructor(readonly db: Database.Database) {
    this.sql = new SqliteDriver(db);
    this.aggregateWriter = new SqliteAggregateWriter(db);
    this.metricReader = new SqliteMetricReader(db);
  }

  static open(file: string): SqliteStore {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 10000');
    // 64 MB of page cache instead of 2 MB: an ingest's index inserts and a refresh's reads stay
    // in memory (6 % off a 10-location ingest; more as the indexes outgrow the default).
    db.pragma('cache_size = -65536');
    migrate(db);
    return new SqliteStore(db);
  }

  private entityStatements(entity: string): EntityStatements {
    const cached = this.statements.get(entity);
    if (cached) return cached;
    const spec = allEntitySpecs().find((s) => s.entity === entity);
    if (!spec) throw new Error(`Unknown entity ${entity}`);
    const valueColumns = storedColumnsOf(spec).map((c) => c.name);
    const keyWhere = spec.naturalKey.map((k) => `${k} = ?`).join(' AND ');
    const insertColumns = [
      'tenant_id',
      ...valueColumns,
      'extra_json',
      'row_hash',
      'source_file_id',
      'source_row',
      'valid_from_ingest',
    ];
    const built: EntityStatements = {
      // One statement per batch, not one per row: the keys arrive as one JSON array and each is
      // an index seek (7× faster than a statement per row for a first load, where none is found).
      findCurrent: this.db.prepare(
        `SELECT j.key AS idx, t.row_id, t.row_hash, t.valid_from_ingest, t.source_file_id, t.source_row
         FROM json_each(@keys) AS j CROSS JOIN ${entity} AS t
         WHERE t.tenant_id = @tenant AND ${spec.naturalKey.map((k, i) => `t.${k} = j.value ->> ${i}`).join(' AND ')}
           AND t.valid_to_ingest IS NULL`,
      ),
      findCurrentRow: this.db.prepare(
        `SELECT row_id, ${valueColumns.join(', ')}, extra_json, row_hash, source_file_id, source_row FROM ${entity} WHERE tenant_id = ? AND ${keyWhere} AND valid_to_ingest IS NULL`,
      ),
      close: this.db.prepare(`UPDATE ${entity} SET valid_to_ingest = ? WHERE row_id = ?`),
      insert: this.db.prepare(
        `INSERT INTO ${entity} (${insertColumns.join(', ')}) VALUES (${insertColumns.map(() => '?').join(', ')})`,
      ),
      valueColumns,
    };
    this.statements.set(entity, built);
    return built;
  }

  beginIngest(tenant: string, label: string): Promise<IngestTransaction> {
    if (this.ingestOpen) throw new Error('An ingest is already open on this store connection');
    // IMMEDIATE takes the write lock now, so a second writer waits instead of failing midway.
    this.db.exec('BEGIN IMMEDIATE');
    this.ingestOpen = true;
    try {
      const startedAt = new Date().toISOString();
      const ingestId = Number(
        this.db
          .prepare('INSERT INTO ingests (tenant_id, label, started_at) VALUES (?, ?, ?)')
          .run(tenant, label, startedAt).lastInsertRowid,
      );
      return sqlAggregates.rowWatermarks(this.sql).then(
        (watermarks) => new SqliteIngest(this, tenant, ingestId, this.sql, watermarks),
        (error: unknown) => {
          this.endIngest('ROLLBACK');
          throw error;
        },
      );
    } catch (error) {
      this.endIngest('ROLLBACK');
      throw error;
    }
  }

  /** @internal used by SqliteIngest */
  endIngest(command: 'COMMIT' | 'ROLLBACK'): void {
    try {
      if (this.db.inTransaction) this.db.exec(command);
    } finally {
      this.ingestOpen = false;
    }
  }

  /** @internal used by SqliteIngest */
  upsertRows(
    tenant: string,
    ingestId: number,
    entity: string,
    sourceFileId: number,
    rows: readonly StoredRow[],
  ) {
    const s = this.entityStatements(entity);
    const current = new Map<number, CurrentVersion>();
    for (const { idx, ...found } of s.findCurrent.all({
      tenant,
      keys: JSON.stringify(rows.map((r) => r.key)),
    })) {
      current.set(idx, { ...found, row_id: String(found.row_id) });
    }
    const { outcome, toClose, toInsert } = planUpsert(rows, current, ingestId, sourceFileId);
    for (const rowId of toClose) s.close.run(ingestId, Number(rowId));
    for (const index of toInsert) {
      const row = rows[index]!;
      s.insert.run(
        tenant,
        ...s.valueColumns.map((c) => row.values[c] ?? null),
        row.extra === null ? null : JSON.stringify(row.extra),
        row.hash,
        row.sourceFileId ?? sourceFileId,
        row.sourceRow,
        ingestId,
      );
    }
    return outcome;
  }

  rowCounts(tenant: string): Promise<Record<EntityName, number>> {
    const counts: Record<string, number> = {};
    for (const spec of allEntitySpecs()) {
      const row = this.db
        .prepare<[string], { n: number }>(
          `SELECT COUNT(*) AS n FROM ${spec.entity} WHERE tenant_id = ? AND valid_to_ingest IS NULL`,
        )
        .get(tenant);
      counts[spec.entity] = row?.n ?? 0;
    }
    return Promise.resolve(counts);
  }

  locationIdentities(tenant: string): Promise<LocationRecord[]> {
    const rows = this.db
      .prepare<[string], LocationRow>(
        `SELECT ${LOCATION_COLUMNS.join(', ')} FROM locations WHERE tenant_id = ? AND valid_to_ingest IS NULL ORDER BY location_id`,
      )
      .all(tenant);
    const aliases = this.db
      .prepare<[string], { location_id: string; alias: string }>(
        'SELECT location_id, alias FROM location_aliases WHERE tenant_id = ? ORDER BY alias_key',
      )
      .all(tenant);
    return Promise.resolve(identitiesOf(rows, aliases));
  }

  saveLocationAlias(tenant: string, locationId: string, alias: string): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO location_aliases (tenant_id, alias_key, alias, location_id, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (tenant_id, alias_key) DO UPDATE SET alias = excluded.alias, location_id = excluded.location_id, created_at = excluded.created_at`,
      )
      .run(tenant, normalizeLocationName(alias), alias.trim(), locationId, new Date().toISOString());
    return Promise.resolve();
  }

  /** @internal used by SqliteIngest: the current rows of an entity with `column` = `value`. */
  currentRowsOf(tenant: string, entity: string, column: string, value: string): CurrentRow[] {
    const spec = allEntitySpecs().find((s) => s.entity === entity);
    if (!spec) throw new Error(`Unknown entity ${entity}`);
    if (!(column in spec.columns)) throw new Error(`${entity} has no column ${column}`);
    const columns = storedColumnsOf(spec).map((c) => c.name);
    return this.db
      .prepare<[string, string], Record<string, unknown>>(
        `SELECT row_id, ${columns.join(', ')}, extra_json, row_hash, source_file_id, source_row FROM ${entity}
         WHERE tenant_id = ? AND ${column} = ? AND valid_to_ingest IS NULL ORDER BY row_id`,
      )
      .all(tenant, value)
      .map((r) => toCurrentRow(spec, r));
  }

  currentRowsByKeyOf(
    tenant: string,
    entity: string,
    keys: readonly (readonly string[])[],
  ): Map<string, CurrentRow> {
    const spec = allEntitySpecs().find((s) => s.entity === entity);
    if (!spec) throw new Error(`Unknown entity ${entity}`);
    const statement = this.entityStatements(entity).findCurrentRow;
    const found = new Map<string, CurrentRow>();
    for (const key of keys) {
      const row = statement.get(tenant, ...key);
      if (row) found.set(JSON.stringify(key), toCurrentRow(spec, row));
    }
    return found;
  }

  salesDateRange(tenant: string): Promise<{ first: string; last: string } | null> {
    const row = this.db
      .prepare<[string], { first: string | null; last: string | null }>(
        'SELECT MIN(sold_on) AS first, MAX(sold_on) AS last FROM sales WHERE tenant_id = ? AND valid_to_ingest IS NULL',
      )
      .get(tenant);
    return Promise.resolve(row?.first && row.last ? { first: row.first, last: row.last } : null);
  }

  locationSummaries(tenant: string, from: string, to: string): Promise<LocationSummary[]> {
    const rows = this.db
      .prepare<[string, string, string, string, string, string, string, string, string], LocationSummary>(
        `SELECT l.location_id, l.name, l.region, l.emr_system, l.opened_on, l.closed_on,
           s.first_sale_on, s.last_sale_on,
           COALESCE(p.providers, 0) AS providers,
           COALESCE(pt.patients, 0) AS patients,
           COALESCE(a.visits, 0) AS visits,
           COALESCE(s.net_revenue_cents, 0) AS net_revenue_cents
         FROM locations l
         LEFT JOIN (
           SELECT location_id, MIN(sold_on) AS first_sale_on, MAX(sold_on) AS last_sale_on,
             SUM(CASE WHEN kind IN ${REVENUE_KINDS_SQL} AND sold_on BETWEEN ? AND ?
                 THEN gross - COALESCE(discount, 0) ELSE 0 END) AS net_revenue_cents
           FROM sales WHERE tenant_id = ? AND valid_to_ingest IS NULL GROUP BY location_id
         ) s ON s.location_id = l.location_id
         LEFT JOIN (
           SELECT location_id, COUNT(DISTINCT provider_id) AS providers
           FROM providers WHERE tenant_id = ? AND valid_to_ingest IS NULL GROUP BY location_id
         ) p ON p.location_id = l.location_id
         LEFT JOIN (
           SELECT home_location_id AS location_id, COUNT(*) AS patients
           FROM patients WHERE tenant_id = ? AND valid_to_ingest IS NULL GROUP BY home_location_id
         ) pt ON pt.location_id = l.location_id
         LEFT JOIN (
           SELECT location_id, COUNT(*) AS visits FROM appointments
           WHERE tenant_id = ? AND valid_to_ingest IS NULL AND status = 'completed'
             AND substr(start_at, 1, 10) BETWEEN ? AND ?
           GROUP BY location_id
         ) a ON a.location_id = l.location_id
         WHERE l.tenant_id = ? AND l.valid_to_ingest IS NULL
         ORDER BY l.location_id`,
      )
      .all(from, to, tenant, tenant, tenant, tenant, from, to, tenant);
    return Promise.resolve(rows);
  }

  ingests(tenant: string): Promise<IngestRecord[]> {
    const rows = this.db
      .prepare<
        [string],
        { ingest_id: number; label: string; started_at: string; finished_at: string; report_json: string }
      >(
        `SELECT ingest_id, label, started_at, finished_at, report_json FROM ingests
         WHERE tenant_id = ? ORDER BY ingest_id`,
      )
      .all(tenant);
    return Promise.resolve(
      rows.map((r) => {
        const totals = (JSON.parse(r.report_json) as IngestReport).totals;
        return {
          ingest_id: r.ingest_id,
          label: r.label,
          started_at: r.started_at,
          finished_at: r.finished_at,
          rows_inserted: totals.rows_inserted,
          rows_updated: totals.rows_updated,
          rows_unchanged: totals.rows_unchanged,
          rows_rejected: totals.rows_rejected,
        };
      }),
    );
  }

  dirtyLocations(tenant: string): Promise<string[]> {
    return sqlAggregates.dirtyLocations(this.sql, tenant);
  }

  dirtyFrom(tenant: string, locationId: string): Promise<string | null> {
    return sqlAggregates.dirtyFrom(this.sql, tenant, locationId);
  }

  loadLocationFacts(tenant: string, locationId: string, asOfIngest?: number): Promise<LocationFactsData> {
    return sqlAggregates.loadLocationFacts(this.sql, tenant, locationId, asOfIngest);
  }

  loadLocationFactsFrom(tenant: string, locationId: string, from: string): Promise<LocationFactsData> {
    return sqlAggregates.loadLocationFactsFrom(this.sql, tenant, locationId, from);
  }

  replaceLocationAggregates(
    tenant: string,
    locationId: string,
    aggregates: LocationAggregates,
    from?: string,
  ): Promise<void> {
    return sqlAggregates.replaceLocationAggregates(
      this.sql,
      this.aggregateWriter,
      tenant,
      locationId,
      aggregates,
      from,
    );
  }

  loadMetricData(tenant: string): Promise<MetricData> {
    return loadMetricData(this.sql, this.metricReader, tenant);
  }

  sourceRecords(tenant: string, query: SourceQuery): Promise<SourceRecords[]> {
    return sourceRecords(this.sql, tenant, query);
  }

  loadMetricDimensions(tenant: string, asOfIngest: number): Promise<MetricDimensions> {
    return loadMetricDimensions(this.sql, tenant, asOfIngest);
  }

  changedRowsSince(tenant: string, ingestId: number): Promise<ChangedRow[]> {
    return changedRowsSince(this.sql, tenant, ingestId);
  }

  dataVersion(tenant: string): Promise<number> {
    return dataVersion(this.sql, tenant);
  }

  addApiKey(key: NewApiKey): Promise<void> {
    return addApiKey(this.sql, key);
  }

  apiKeyTenant(hash: string): Promise<string | null> {
    return apiKeyTenant(this.sql, hash);
  }

  listApiKeys(tenant?: string): Promise<ApiKeyRecord[]> {
    return listApiKeys(this.sql, tenant);
  }

  revokeApiKey(prefix: string): Promise<boolean> {
    return revokeApiKey(this.sql, prefix);
  }

  setActionState(tenant: string, state: ActionStateRecord): Promise<void> {
    return setActionState(this.sql, tenant, state);
  }

  actionStates(tenant: string): Promise<ActionStateRecord[]> {
    return actionStates(this.sql, tenant);
  }

  reportSources(tenant: string): Promise<ReportSources> {
    return reportSources(this.sql, tenant);
  }

  saveBriefing(tenant: string, briefing: StoredBriefing): Promise<void> {
    return saveBriefing(this.sql, tenant, briefing);
  }

  briefingOn(tenant: string, date: string): Promise<StoredBriefing | null> {
    return briefingOn(this.sql, tenant, date);
  }

  tenants(): Promise<string[]> {
    return tenants(this.sql);
  }

  close(): Promise<void> {
    if (this.db.open) {
      // Keeps the planner's statistics current for the next connection (SQLite's advice).
      this.db.pragma('optimize');
      this.db.close();
    }
    return Promise.resolve();
  }
}

class SqliteIngest implements IngestTransaction {
  private done = false;

  constructor(
    private readonly store: SqliteStore,
    private readonly tenant: string,
    readonly ingestId: number,
    /** The store's driver: the same connection, so inside this ingest's transaction. */
    private readonly sql: SqlDriver,
    private readonly watermarks: sqlAggregates.RowWatermarks,
  ) {}

  private ensureOpen(): void {
    if (this.done) throw new Error(`Ingest ${this.ingestId} is already finished`);
  }

  knownLocations(): Promise<Map<string, KnownLocation>> {
    const rows = this.store.db
      .prepare<[string], { location_id: string; timezone: string | null }>(
        'SELECT location_id, timezone FROM locations WHERE tenant_id = ? AND valid_to_ingest IS NULL',
      )
      .all(this.tenant);
    return Promise.resolve(new Map(rows.map((r) => [r.location_id, { timezone: r.timezone }])));
  }

  knownIds(entity: 'services' | 'providers', column: string): Promise<Set<string>> {
    if (!/^[a-z_]+$/.test(column)) throw new Error(`Bad column name ${column}`);
    const rows = this.store.db
      .prepare<[string], { id: string | null }>(
        `SELECT DISTINCT ${column} AS id FROM ${entity} WHERE tenant_id = ? AND valid_to_ingest IS NULL`,
      )
      .all(this.tenant);
    return Promise.resolve(new Set(rows.flatMap((r) => (r.id === null ? [] : [r.id]))));
  }

  addSourceFile(file: SourceFileInfo): Promise<number> {
    this.ensureOpen();
    const result = this.store.db
      .prepare(
        'INSERT INTO source_files (tenant_id, ingest_id, path, name, entity, bytes) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(this.tenant, this.ingestId, file.path, file.name, file.entity, file.bytes);
    return Promise.resolve(Number(result.lastInsertRowid));
  }

  finishSourceFile(sourceFileId: number, totals: SourceFileTotals): Promise<void> {
    this.ensureOpen();
    this.store.db
      .prepare(
        `UPDATE source_files SET sha256 = ?, rows_read = ?, rows_accepted = ?, rows_rejected = ?
         WHERE source_file_id = ? AND tenant_id = ?`,
      )
      .run(
        totals.sha256,
        totals.rowsRead,
        totals.rowsAccepted,
        totals.rowsRejected,
        sourceFileId,
        this.tenant,
      );
    return Promise.resolve();
  }

  upsert(entity: EntityName, sourceFileId: number, rows: readonly StoredRow[]): Promise<UpsertOutcome> {
    this.ensureOpen();
    return Promise.resolve(this.store.upsertRows(this.tenant, this.ingestId, entity, sourceFileId, rows));
  }

  currentRows(entity: EntityName, column: string, value: string): Promise<CurrentRow[]> {
    this.ensureOpen();
    return Promise.resolve(this.store.currentRowsOf(this.tenant, entity, column, value));
  }

  currentRowsByKey(
    entity: EntityName,
    keys: readonly (readonly string[])[],
  ): Promise<Map<string, CurrentRow>> {
    this.ensureOpen();
    return Promise.resolve(this.store.currentRowsByKeyOf(this.tenant, entity, keys));
  }

  retire(entity: EntityName, rowIds: readonly string[]): Promise<void> {
    this.ensureOpen();
    const close = this.store.db.prepare(
      `UPDATE ${entity} SET valid_to_ingest = ? WHERE row_id = ? AND tenant_id = ? AND valid_to_ingest IS NULL`,
    );
    for (const rowId of rowIds) close.run(this.ingestId, Number(rowId), this.tenant);
    return Promise.resolve();
  }

  locationAliases(): Promise<Map<string, string>> {
    const rows = this.store.db
      .prepare<[string], { alias: string; location_id: string }>(
        'SELECT alias, location_id FROM location_aliases WHERE tenant_id = ?',
      )
      .all(this.tenant);
    return Promise.resolve(new Map(rows.map((r) => [r.alias, r.location_id])));
  }

  async moveLocationAliases(from: string, into: string, aliases: readonly string[]): Promise<void> {
    this.ensureOpen();
    this.store.db
      .prepare('UPDATE location_aliases SET location_id = ? WHERE tenant_id = ? AND location_id = ?')
      .run(into, this.tenant, from);
    // The same connection, so inside this ingest's transaction.
    for (const alias of aliases) await this.store.saveLocationAlias(this.tenant, into, alias);
  }

  addIssues(issues: readonly DataQualityIssue[]): Promise<void> {
    this.ensureOpen();
    const insert = this.store.db.prepare(
      `INSERT INTO data_quality_issues (tenant_id, ingest_id, file, row, column_name, code, severity, message)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const i of issues) {
      insert.run(this.tenant, this.ingestId, i.file, i.row, i.column, i.code, i.severity, i.message);
    }
    return Promise.resolve();
  }

  commit(report: IngestReport): Promise<void> {
    this.ensureOpen();
    const { files: _files, ...summary } = report;
    return sqlAggregates
      .markDirtyLocations(this.sql, this.tenant, this.ingestId, this.watermarks)
      .then(() => {
        this.store.db
          .prepare('UPDATE ingests SET finished_at = ?, report_json = ? WHERE ingest_id = ?')
          .run(new Date().toISOString(), JSON.stringify(summary), this.ingestId);
        this.done = true;
        this.store.endIngest('COMMIT');
      });
  }

  rollback(): Promise<void> {
    if (this.done) return Promise.resolve();
    this.done = true;
    this.store.endIngest('ROLLBACK');
    return Promise.resolve();
  }
}
