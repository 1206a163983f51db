import { ConnectionPool, ISOLATION_LEVEL, Transaction } from 'mssql';

import type { ActionStateRecord } from '../../shared/actions/actionState';
import {
  identitiesOf,
  LOCATION_COLUMNS,
  type LocationRecord,
  type LocationRow,
  normalizeLocationName,
} from '../../shared/connectors/locationIdentity';
import type { LocationAggregates, LocationFactsData } from '../../shared/engine/refresh';
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
import { allEntitySpecs, toCurrentRow } from '../../shared/store/storedColumns';
import type { ChangedRow, MetricDimensions } from '../../shared/store/storeHistory';
import { type CurrentVersion, planUpsert } from '../../shared/store/upsertPlan';
import { actionStates, setActionState } from '../sql/actionStates';
import * as sqlAggregates from '../sql/aggregates';
import { addApiKey, apiKeyTenant, listApiKeys, revokeApiKey } from '../sql/apiKeys';
import { AZURE_SQL_AGGREGATE_WRITER } from '../sql/azureSqlAggregateWriter';
import { AzureSqlDriver } from '../sql/azureSqlDriver';
import { AZURE_SQL_METRIC_READER } from '../sql/azureSqlMetricReader';
import { briefingOn, saveBriefing, tenants } from '../sql/briefings';
import { dataVersion } from '../sql/dataVersion';
import { changedRowsSince } from '../sql/history';
import { sourceRecords } from '../sql/lineage';
import { loadMetricData, loadMetricDimensions } from '../sql/metricData';
import { reportSources } from '../sql/reportSources';
import type { SqlDriver } from '../sql/sqlDriver';
import { buildEntityStatements, type EntityStatements } from './azureSql-upsertStatements';
import { type AzureSqlConfig, parseAzureSqlConnectionString, toMssqlConfig } from './azureSqlConfig';
import {
  col,
  execute,
  JsonParam,
  queryRows,
  rollbackQuietly,
  type SqlRunner,
  takeAppLock,
  toNumber,
  withNumbers,
} from './azureSqlQuery';
import { bigintColumnsOf, migrateAzureSql } from './migrations';

const REVENUE_KINDS_SQL = "('service','package','retail','membership_fee','other')";

/** Saves one alias (keyed by its normalized form: an alias that named another location moves). */
async function saveAlias(on: SqlRunner, tenant: string, locationId: string, alias: string): Promise<void> {
  await execute(
    on,
    `MERGE location_aliases WITH (HOLDLOCK) AS t
     USING (SELECT @tenant AS tenant_id, @aliasKey AS alias_key) AS s
     ON t.tenant_id = s.tenant_id AND t.alias_key = s.alias_key
     WHEN MATCHED THEN UPDATE SET alias = @alias, location_id = @locationId, created_at = @createdAt
     WHEN NOT MATCHED THEN INSERT (tenant_id, alias_key, alias, location_id, created_at)
       VALUES (@tenant, @aliasKey, @alias, @locationId, @createdAt);`,
    {
      tenant,
      aliasKey: normalizeLocationName(alias),
      alias: alias.trim(),
      locationId,
      createdAt: new Date().toISOString(),
    },
  );
}

/**
 * The Azure SQL store: the same schema and semantics as the SQLite file, on a tedious
 * connection pool (through mssql). Every statement is filtered by tenant; one ingest is one
 * transaction, and ingests of the same tenant are serialized by an application lock.
 */
export class AzureSqlStore implements CaliperStore {
  private readonly statements = new Map<string, EntityStatements>();
  /** The statements written once for both databases (store/sql/) run through this. */
  private readonly sql: SqlDriver;

  private constructor(readonly pool: ConnectionPool) {
    this.sql = new AzureSqlDriver(pool);
  }

  /** Connects and brings the schema forward (see migrations.ts). */
  static async open(config: AzureSqlConfig): Promise<AzureSqlStore> {
    const pool = new ConnectionPool(toMssqlConfig(config));
    await pool.connect();
    try {
      await migrateAzureSql(pool);
    } catch (error) {
      await pool.close();
      throw error;
    }
    return new AzureSqlStore(pool);
  }

  /** @internal used by AzureSqlIngest */
  entityStatements(entity: string): EntityStatements {
    const cached = this.statements.get(entity);
    if (cached) return cached;
    const spec = allEntitySpecs().find((s) => s.entity === entity);
    if (!spec) throw new Error(`Unknown entity ${entity}`);
    const built = buildEntityStatements(spec);
    this.statements.set(entity, built);
    return built;
  }

  async beginIngest(tenant: string, label: string): Promise<IngestTransaction> {
    const tx = new Transaction(this.pool);
    await tx.begin(ISOLATION_LEVEL.READ_COMMITTED);
    try {
      // The write lock SQLite takes with BEGIN IMMEDIATE, per tenant: a second ingest of the
      // same tenant waits here instead of interleaving its supersedes with this one's.
      // Waits at most 4 minutes, within the 5-minute request timeout (azureSqlConfig.ts).
      await takeAppLock(tx, `caliper:ingest:${tenant}`, 240_000);
      const [row] = await queryRows<{ ingest_id: unknown }>(
        tx,
        `INSERT INTO ingests (tenant_id, label, started_at) OUTPUT INSERTED.ingest_id
         VALUES (@tenant, @label, @startedAt)`,
        { tenant, label, startedAt: new Date().toISOString() },
      );
      if (!row) throw new Error('INSERT INTO ingests returned no ingest_id');
      // After the lock: the tenant's rows above these ids are this ingest's (an IDENTITY only grows).
      const watermarks = await sqlAggregates.rowWatermarks(new AzureSqlDriver(tx));
      return new AzureSqlIngest(this, tx, tenant, toNumber(row.ingest_id), watermarks);
    } catch (error) {
      await rollbackQuietly(tx);
      throw error;
    }
  }

  async rowCounts(tenant: string): Promise<Record<EntityName, number>> {
    const rows = await queryRows<{ entity: string; n: number }>(
      this.pool,
      allEntitySpecs()
        .map(
          (spec) =>
            `SELECT '${spec.entity}' AS entity, COUNT(*) AS n FROM ${spec.entity} WHERE tenant_id = @tenant AND valid_to_ingest IS NULL`,
        )
        .join('\nUNION ALL\n'),
      { tenant },
    );
    const counts: Record<string, number> = {};
    for (const spec of allEntitySpecs())
      counts[spec.entity] = rows.find((r) => r.entity === spec.entity)?.n ?? 0;
    return counts;
  }

  async locationIdentities(tenant: string): Promise<LocationRecord[]> {
    const rows = await queryRows<LocationRow>(
      this.pool,
      `SELECT ${LOCATION_COLUMNS.join(', ')} FROM locations WHERE tenant_id = @tenant AND valid_to_ingest IS NULL ORDER BY location_id`,
      { tenant },
    );
    const aliases = await queryRows<{ location_id: string; alias: string }>(
      this.pool,
      'SELECT location_id, alias FROM location_aliases WHERE tenant_id = @tenant ORDER BY alias_key',
      { tenant },
    );
    // BIGINT columns come back from mssql as strings.
    return identitiesOf(
      rows.map((r) => ({ ...r, rooms: r.rooms === null ? null : Number(r.rooms) })),
      aliases,
    );
  }

  saveLocationAlias(tenant: string, locationId: string, alias: string): Promise<void> {
    return saveAlias(this.pool, tenant, locationId, alias);
  }

  async salesDateRange(tenant: string): Promise<{ first: string; last: string } | null> {
    const [row] = await queryRows<{ first: string | null; last: string | null }>(
      this.pool,
      'SELECT MIN(sold_on) AS first, MAX(sold_on) AS last FROM sales WHERE tenant_id = @tenant AND valid_to_ingest IS NULL',
      { tenant },
    );
    return row?.first && row.last ? { first: row.first, last: row.last } : null;
  }

  async locationSummaries(tenant: string, from: string, to: string): Promise<LocationSummary[]> {
    const rows = await queryRows<Record<string, unknown>>(
      this.pool,
      `SELECT l.location_id, l.name, l.region, l.emr_system, l.opened_on, l.closed_on,
         s.first_sale_on, s.last_sale_on,
         COALESCE(p.providers, 0) AS providers,
         COALESCE(pt.patients, 0) AS patients,
         COALESCE(a.visits, 0) AS visits,
         COALESCE(s.net_revenue_cents, 0) AS net_revenue_cents
       FROM locations l
       LEFT JOIN (
         SELECT location_id, MIN(sold_on) AS first_sale_on, MAX(sold_on) AS last_sale_on,
           SUM(CASE WHEN kind IN ${REVENUE_KINDS_SQL} AND sold_on BETWEEN @from AND @to
               THEN gross - COALESCE(discount, 0) ELSE 0 END) AS net_revenue_cents
         FROM sales WHERE tenant_id = @tenant AND valid_to_ingest IS NULL GROUP BY location_id
       ) s ON s.location_id = l.location_id
       LEFT JOIN (
         SELECT location_id, COUNT(DISTINCT provider_id) AS providers
         FROM providers WHERE tenant_id = @tenant AND valid_to_ingest IS NULL GROUP BY location_id
       ) p ON p.location_id = l.location_id
       LEFT JOIN (
         SELECT home_location_id AS location_id, COUNT(*) AS patients
         FROM patients WHERE tenant_id = @tenant AND valid_to_ingest IS NULL GROUP BY home_location_id
       ) pt ON pt.location_id = l.location_id
       LEFT JOIN (
         SELECT location_id, COUNT(*) AS visits FROM appointments
         WHERE tenant_id = @tenant AND valid_to_ingest IS NULL AND status = 'completed'
           AND LEFT(start_at, 10) BETWEEN @from AND @to
         GROUP BY location_id
       ) a ON a.location_id = l.location_id
       WHERE l.tenant_id = @tenant AND l.valid_to_ingest IS NULL
       ORDER BY l.location_id`,
      { tenant, from, to },
    );
    return rows.map((r) => withNumbers<LocationSummary>(r, ['net_revenue_cents']));
  }

  async ingests(tenant: string): Promise<IngestRecord[]> {
    const rows = await queryRows<{
      ingest_id: unknown;
      label: string;
      started_at: string;
      finished_at: string;
      report_json: string;
    }>(
      this.pool,
      `SELECT ingest_id, label, started_at, finished_at, report_json FROM ingests
       WHERE tenant_id = @tenant ORDER BY ingest_id`,
      { tenant },
    );
    return rows.map((r) => {
      const totals = (JSON.parse(r.report_json) as IngestReport).totals;
      return {
        ingest_id: toNumber(r.ingest_id),
        label: r.label,
        started_at: r.started_at,
        finished_at: r.finished_at,
        rows_inserted: totals.rows_inserted,
        rows_updated: totals.rows_updated,
        rows_unchanged: totals.rows_unchanged,
        rows_rejected: totals.rows_rejected,
      };
    });
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
      AZURE_SQL_AGGREGATE_WRITER,
      tenant,
      locationId,
      aggregates,
      from,
    );
  }

  loadMetricData(tenant: string): Promise<MetricData> {
    return loadMetricData(this.sql, AZURE_SQL_METRIC_READER, tenant);
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

  async close(): Promise<void> {
    if (this.pool.connected) await this.pool.close();
  }
}

/** Opens the store named by an ADO.NET-style connection string (see azureSqlConfig.ts). */
export function openAzureSqlStore(connectionString: string): Promise<AzureSqlStore> {
  return AzureSqlStore.open(parseAzureSqlConnectionString(connectionString));
}

class AzureSqlIngest implements IngestTransaction {
  private done = false;

  constructor(
    private readonly store: AzureSqlStore,
    private readonly tx: Transaction,
    private readonly tenant: string,
    readonly ingestId: number,
    private readonly watermarks: sqlAggregates.RowWatermarks,
  ) {}

  private ensureOpen(): void {
    if (this.done) throw new Error(`Ingest ${this.ingestId} is already finished`);
  }

  async knownLocations(): Promise<Map<string, KnownLocation>> {
    const rows = await queryRows<{ location_id: string; timezone: string | null }>(
      this.tx,
      'SELECT location_id, timezone FROM locations WHERE tenant_id = @tenant AND valid_to_ingest IS NULL',
      { tenant: this.tenant },
    );
    return new Map(rows.map((r) => [r.location_id, { timezone: r.timezone }]));
  }

  async knownIds(entity: 'services' | 'providers', column: string): Promise<Set<string>> {
    const rows = await queryRows<{ id: string | null }>(
      this.tx,
      `SELECT DISTINCT ${col(column)} AS id FROM ${entity} WHERE tenant_id = @tenant AND valid_to_ingest IS NULL`,
      { tenant: this.tenant },
    );
    return new Set(rows.flatMap((r) => (r.id === null ? [] : [r.id])));
  }

  async addSourceFile(file: SourceFileInfo): Promise<number> {
    this.ensureOpen();
    const [row] = await queryRows<{ source_file_id: unknown }>(
      this.tx,
      `INSERT INTO source_files (tenant_id, ingest_id, path, name, entity, bytes) OUTPUT INSERTED.source_file_id
       VALUES (@tenant, @ingest, @path, @name, @entity, @bytes)`,
      {
        tenant: this.tenant,
        ingest: this.ingestId,
        path: file.path,
        name: file.name,
        entity: file.entity,
        bytes: file.bytes,
      },
    );
    if (!row) throw new Error('INSERT INTO source_files returned no source_file_id');
    return toNumber(row.source_file_id);
  }

  async finishSourceFile(sourceFileId: number, totals: SourceFileTotals): Promise<void> {
    this.ensureOpen();
    await execute(
      this.tx,
      `UPDATE source_files SET sha256 = @sha256, rows_read = @rowsRead, rows_accepted = @rowsAccepted,
         rows_rejected = @rowsRejected
       WHERE source_file_id = @sourceFile AND tenant_id = @tenant`,
      {
        sha256: totals.sha256,
        rowsRead: totals.rowsRead,
        rowsAccepted: totals.rowsAccepted,
        rowsRejected: totals.rowsRejected,
        sourceFile: sourceFileId,
        tenant: this.tenant,
      },
    );
  }

  /**
   * One query finds the batch's current versions, planUpsert makes SQLite's row-by-row
   * decisions in memory, then one UPDATE closes the superseded versions and one INSERT adds the
   * new ones.
   */
  async upsert(entity: EntityName, sourceFileId: number, rows: readonly StoredRow[]): Promise<UpsertOutcome> {
    this.ensureOpen();
    const s = this.store.entityStatements(entity);
    const spec = allEntitySpecs().find((x) => x.entity === entity);
    if (!spec) throw new Error(`Unknown entity ${entity}`);
    if (rows.length === 0) return { inserted: 0, updated: 0, unchanged: 0, conflicts: [] };
    const args = { tenant: this.tenant, ingest: this.ingestId };

    const keys = rows.map((row, index) => ({
      batch_index: index,
      ...Object.fromEntries(spec.naturalKey.map((k, i) => [k, row.key[i] ?? null])),
    }));
    const found = await queryRows<Record<string, unknown>>(this.tx, s.findCurrent, {
      ...args,
      batch: new JsonParam(keys),
    });
    const currentByIndex = new Map<number, CurrentVersion>();
    for (const r of found) {
      currentByIndex.set(
        toNumber(r.batch_index),
        withNumbers<CurrentVersion>(r, ['valid_from_ingest', 'source_file_id', 'source_row']),
      );
    }

    const { outcome, toClose, toInsert } = planUpsert(rows, currentByIndex, this.ingestId, sourceFileId);
    // Close before insert: the filtered unique index allows one current version per key.
    if (toClose.length > 0) {
      await execute(this.tx, s.close, { ...args, rowIds: new JsonParam(toClose) });
    }
    if (toInsert.length > 0) {
      const inserted = toInsert.map((index) => {
        const row = rows[index]!;
        return {
          batch_index: index,
          ...Object.fromEntries(s.valueColumns.map((c) => [c, row.values[c] ?? null])),
          extra_json: row.extra === null ? null : JSON.stringify(row.extra),
          row_hash: row.hash,
          source_file_id: row.sourceFileId ?? null,
          source_row: row.sourceRow,
        };
      });
      await execute(this.tx, s.insert, { ...args, sourceFile: sourceFileId, rows: new JsonParam(inserted) });
    }
    return outcome;
  }

  async currentRows(entity: EntityName, column: string, value: string): Promise<CurrentRow[]> {
    this.ensureOpen();
    const spec = allEntitySpecs().find((x) => x.entity === entity);
    if (!spec) throw new Error(`Unknown entity ${entity}`);
    const rows = await queryRows<Record<string, unknown>>(
      this.tx,
      this.store.entityStatements(entity).currentWhere(column),
      { tenant: this.tenant, value },
    );
    const numeric = [...bigintColumnsOf(spec), 'source_file_id', 'source_row'];
    return rows.map((r) => toCurrentRow(spec, withNumbers<Record<string, unknown>>(r, numeric)));
  }

  async currentRowsByKey(
    entity: EntityName,
    keys: readonly (readonly string[])[],
  ): Promise<Map<string, CurrentRow>> {
    this.ensureOpen();
    const spec = allEntitySpecs().find((x) => x.entity === entity);
    if (!spec) throw new Error(`Unknown entity ${entity}`);
    const found = new Map<string, CurrentRow>();
    if (keys.length === 0) return found;
    const batch = keys.map((key, index) => ({
      batch_index: index,
      ...Object.fromEntries(spec.naturalKey.map((k, i) => [k, key[i] ?? null])),
    }));
    const rows = await queryRows<Record<string, unknown>>(
      this.tx,
      this.store.entityStatements(entity).findCurrentRows,
      {
        tenant: this.tenant,
        batch: new JsonParam(batch),
      },
    );
    const numeric = [...bigintColumnsOf(spec), 'source_file_id', 'source_row'];
    for (const r of rows) {
      const key = keys[toNumber(r.batch_index)];
      if (key)
        found.set(JSON.stringify(key), toCurrentRow(spec, withNumbers<Record<string, unknown>>(r, numeric)));
    }
    return found;
  }

  async retire(entity: EntityName, rowIds: readonly string[]): Promise<void> {
    this.ensureOpen();
    if (rowIds.length === 0) return;
    await execute(this.tx, this.store.entityStatements(entity).close, {
      tenant: this.tenant,
      ingest: this.ingestId,
      rowIds: new JsonParam(rowIds),
    });
  }

  async locationAliases(): Promise<Map<string, string>> {
    const rows = await queryRows<{ alias: string; location_id: string }>(
      this.tx,
      'SELECT alias, location_id FROM location_aliases WHERE tenant_id = @tenant',
      { tenant: this.tenant },
    );
    return new Map(rows.map((r) => [r.alias, r.location_id]));
  }

  async moveLocationAliases(from: string, into: string, aliases: readonly string[]): Promise<void> {
    this.ensureOpen();
    await execute(
      this.tx,
      'UPDATE location_aliases SET location_id = @into WHERE tenant_id = @tenant AND location_id = @from',
      { tenant: this.tenant, from, into },
    );
    for (const alias of aliases) await saveAlias(this.tx, this.tenant, into, alias);
  }

  async addIssues(issues: readonly DataQualityIssue[]): Promise<void> {
    this.ensureOpen();
    if (issues.length === 0) return;
    await execute(
      this.tx,
      `INSERT INTO data_quality_issues (tenant_id, ingest_id, [file], [row], column_name, code, severity, message)
       SELECT @tenant, @ingest, j.[file], j.[row], j.column_name, j.code, j.severity, j.message
       FROM OPENJSON(@issues) WITH ([file] NVARCHAR(MAX) '$.file', [row] BIGINT '$.row',
         column_name NVARCHAR(MAX) '$.column', code NVARCHAR(MAX) '$.code', severity NVARCHAR(MAX) '$.severity',
         message NVARCHAR(MAX) '$.message') AS j`,
      {
        tenant: this.tenant,
        ingest: this.ingestId,
        issues: new JsonParam(
          issues.map((i) => ({
            file: i.file,
            row: i.row,
            column: i.column,
            code: i.code,
            severity: i.severity,
            message: i.message,
          })),
        ),
      },
    );
  }

  async commit(report: IngestReport): Promise<void> {
    this.ensureOpen();
    const { files: _files, ...summary } = report;
    await sqlAggregates.markDirtyLocations(
      new AzureSqlDriver(this.tx),
      this.tenant,
      this.ingestId,
      this.watermarks,
    );
    await execute(
      this.tx,
      'UPDATE ingests SET finished_at = @finishedAt, report_json = @report WHERE ingest_id = @ingest AND tenant_id = @tenant',
      {
        finishedAt: new Date().toISOString(),
        report: JSON.stringify(summary),
        ingest: this.ingestId,
        tenant: this.tenant,
      },
    );
    this.done = true;
    await this.tx.commit();
  }

  async rollback(): Promise<void> {
    if (this.done) return;
    this.done = true;
    await rollbackQuietly(this.tx);
  }
}
