import type { DataQualityIssue, IngestReport } from '../../shared/ingest/dataQuality';
import type { EntityName } from '../../shared/model/canonicalBundle';
import type {
  CurrentRow,
  IngestTransaction,
  KnownLocation,
  SourceFileInfo,
  SourceFileTotals,
  StoredRow,
  UpsertOutcome,
} from '../../shared/store/store.port';
import { allEntitySpecs, storedColumnsOf, toCurrentRow } from '../../shared/store/storedColumns';
import { markDirtyLocations, type RowWatermarks, rowWatermarks } from './aggregates';
import { saveLocationAlias } from './locations';
import type { SqlConnection, SqlDialect, SqlDriver, SqlTransaction } from './sqlDriver';

/** One batch of an entity's rows to upsert (see `IngestTransaction.upsert`). */
export interface IngestBatch {
  tenant: string;
  ingestId: number;
  entity: EntityName;
  sourceFileId: number;
  rows: readonly StoredRow[];
}

/**
 * How a database loads an ingest's rows in bulk inside its transaction: the part of the ingest
 * that stays per database, like the aggregate writer. Both make the same decisions
 * (`planUpsert`, shared/store/upsertPlan.ts); SQLite runs prepared statements per row, in
 * process (sqliteIngestWriter.ts), Azure SQL sends a batch as one JSON parameter read by
 * OPENJSON, a round trip per statement (azureSqlIngestWriter.ts).
 */
export interface IngestRowWriter {
  upsert(tx: SqlDriver, batch: IngestBatch): Promise<UpsertOutcome>;
  /** The current rows of the keys, by `JSON.stringify(key)` (the batch look-up of `upsert`). */
  currentRowsByKey(
    tx: SqlDriver,
    tenant: string,
    entity: EntityName,
    keys: readonly (readonly string[])[],
  ): Promise<Map<string, CurrentRow>>;
  /** Closes the current versions `rowIds` as of `ingestId`. */
  retire(
    tx: SqlDriver,
    tenant: string,
    ingestId: number,
    entity: EntityName,
    rowIds: readonly string[],
  ): Promise<void>;
  addIssues(
    tx: SqlDriver,
    tenant: string,
    ingestId: number,
    issues: readonly DataQualityIssue[],
  ): Promise<void>;
}

/** The SELECT of an entity's current rows whose `column` = @value, as `toCurrentRow` reads them. */
export function currentRowsWhere(dialect: SqlDialect, entity: string, column: string): string {
  const spec = allEntitySpecs().find((s) => s.entity === entity);
  if (!spec) throw new Error(`Unknown entity ${entity}`);
  if (!(column in spec.columns)) throw new Error(`${entity} has no column ${column}`);
  const q = dialect.quote;
  const columns = storedColumnsOf(spec).map((c) => q(c.name));
  return `SELECT row_id, ${columns.join(', ')}, extra_json, row_hash, source_file_id, source_row
      FROM ${entity} WHERE tenant_id = @tenant AND ${q(column)} = @value AND valid_to_ingest IS NULL
      ORDER BY row_id`;
}

/**
 * Opens one ingest: a transaction holding the tenant's write lock (SQLite: the file's), its
 * `ingests` row, and the row-id watermarks the commit marks dirty locations from.
 */
export async function beginSqlIngest(
  connection: SqlConnection,
  writer: IngestRowWriter,
  tenant: string,
  label: string,
): Promise<IngestTransaction> {
  const tx = await connection.begin(`caliper:ingest:${tenant}`);
  try {
    const row = await tx.get<{ ingest_id: unknown }>(
      tx.dialect.insertReturning(
        { table: 'ingests', values: { tenant_id: 'tenant', label: 'label', started_at: 'startedAt' } },
        'ingest_id',
      ),
      { tenant, label, startedAt: new Date().toISOString() },
    );
    if (!row) throw new Error('INSERT INTO ingests returned no ingest_id');
    // After the lock: the tenant's rows above these ids are this ingest's (row ids only grow).
    const watermarks = await rowWatermarks(tx);
    return new SqlIngest(tx, writer, tenant, tx.dialect.toNumber(row.ingest_id), watermarks);
  } catch (error) {
    await tx.rollback();
    throw error;
  }
}

/** One ingest, one transaction: written once for both databases, bulk loads through the writer. */
class SqlIngest implements IngestTransaction {
  private done = false;

  constructor(
    private readonly tx: SqlTransaction,
    private readonly writer: IngestRowWriter,
    private readonly tenant: string,
    readonly ingestId: number,
    private readonly watermarks: RowWatermarks,
  ) {}

  private ensureOpen(): void {
    if (this.done) throw new Error(`Ingest ${this.ingestId} is already finished`);
  }

  async knownLocations(): Promise<Map<string, KnownLocation>> {
    const rows = await this.tx.all<{ location_id: string; timezone: string | null }>(
      'SELECT location_id, timezone FROM locations WHERE tenant_id = @tenant AND valid_to_ingest IS NULL',
      { tenant: this.tenant },
    );
    return new Map(rows.map((r) => [r.location_id, { timezone: r.timezone }]));
  }

  async knownIds(entity: 'services' | 'providers', column: string): Promise<Set<string>> {
    const rows = await this.tx.all<{ id: string | null }>(
      `SELECT DISTINCT ${this.tx.dialect.quote(column)} AS id FROM ${entity} WHERE tenant_id = @tenant AND valid_to_ingest IS NULL`,
      { tenant: this.tenant },
    );
    return new Set(rows.flatMap((r) => (r.id === null ? [] : [r.id])));
  }

  async addSourceFile(file: SourceFileInfo): Promise<number> {
    this.ensureOpen();
    const row = await this.tx.get<{ source_file_id: unknown }>(
      this.tx.dialect.insertReturning(
        {
          table: 'source_files',
          values: {
            tenant_id: 'tenant',
            ingest_id: 'ingest',
            path: 'path',
            name: 'name',
            entity: 'entity',
            bytes: 'bytes',
          },
        },
        'source_file_id',
      ),
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
    return this.tx.dialect.toNumber(row.source_file_id);
  }

  async finishSourceFile(sourceFileId: number, totals: SourceFileTotals): Promise<void> {
    this.ensureOpen();
    await this.tx.run(
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

  upsert(entity: EntityName, sourceFileId: number, rows: readonly StoredRow[]): Promise<UpsertOutcome> {
    this.ensureOpen();
    return this.writer.upsert(this.tx, {
      tenant: this.tenant,
      ingestId: this.ingestId,
      entity,
      sourceFileId,
      rows,
    });
  }

  async currentRows(entity: EntityName, column: string, value: string): Promise<CurrentRow[]> {
    this.ensureOpen();
    const spec = allEntitySpecs().find((s) => s.entity === entity);
    if (!spec) throw new Error(`Unknown entity ${entity}`);
    const rows = await this.tx.all<Record<string, unknown>>(
      currentRowsWhere(this.tx.dialect, entity, column),
      {
        tenant: this.tenant,
        value,
      },
    );
    const numeric = storedColumnsOf(spec)
      .filter((c) => c.type === 'INTEGER')
      .map((c) => c.name);
    this.tx.dialect.numbersIn(rows, [...numeric, 'source_file_id', 'source_row']);
    return rows.map((r) => toCurrentRow(spec, r));
  }

  currentRowsByKey(
    entity: EntityName,
    keys: readonly (readonly string[])[],
  ): Promise<Map<string, CurrentRow>> {
    this.ensureOpen();
    return this.writer.currentRowsByKey(this.tx, this.tenant, entity, keys);
  }

  retire(entity: EntityName, rowIds: readonly string[]): Promise<void> {
    this.ensureOpen();
    return this.writer.retire(this.tx, this.tenant, this.ingestId, entity, rowIds);
  }

  async locationAliases(): Promise<Map<string, string>> {
    const rows = await this.tx.all<{ alias: string; location_id: string }>(
      'SELECT alias, location_id FROM location_aliases WHERE tenant_id = @tenant',
      { tenant: this.tenant },
    );
    return new Map(rows.map((r) => [r.alias, r.location_id]));
  }

  async moveLocationAliases(from: string, into: string, aliases: readonly string[]): Promise<void> {
    this.ensureOpen();
    await this.tx.run(
      'UPDATE location_aliases SET location_id = @into WHERE tenant_id = @tenant AND location_id = @from',
      { tenant: this.tenant, from, into },
    );
    for (const alias of aliases) await saveLocationAlias(this.tx, this.tenant, into, alias);
  }

  addIssues(issues: readonly DataQualityIssue[]): Promise<void> {
    this.ensureOpen();
    return this.writer.addIssues(this.tx, this.tenant, this.ingestId, issues);
  }

  async commit(report: IngestReport): Promise<void> {
    this.ensureOpen();
    const { files: _files, ...summary } = report;
    await markDirtyLocations(this.tx, this.tenant, this.ingestId, this.watermarks);
    await this.tx.run(
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
    await this.tx.rollback();
  }
}
