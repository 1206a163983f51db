import type { DataQualityIssue } from '../../shared/ingest/dataQuality';
import type { EntityName } from '../../shared/model/canonicalBundle';
import type { CurrentRow, UpsertOutcome } from '../../shared/store/store.port';
import { allEntitySpecs, toCurrentRow } from '../../shared/store/storedColumns';
import { type CurrentVersion, planUpsert } from '../../shared/store/upsertPlan';
import { buildEntityStatements, type EntityStatements } from '../azuresql/azureSql-upsertStatements';
import { bigintColumnsOf } from '../azuresql/migrations';
import type { SqlDriver } from './sqlDriver';
import type { IngestBatch, IngestRowWriter } from './sqlIngest';
import { JsonParam, toNumber, withNumbers } from './sqlValues';

/**
 * Azure SQL's bulk load of an ingest's rows: each batch is one JSON parameter read by OPENJSON
 * (no 2100-parameter limit, a round trip per statement rather than per row), on the ingest's
 * transaction handed in as `tx`.
 */
export class AzureSqlIngestWriter implements IngestRowWriter {
  private readonly statements = new Map<string, EntityStatements>();

  private entityStatements(entity: string): EntityStatements {
    const cached = this.statements.get(entity);
    if (cached) return cached;
    const spec = allEntitySpecs().find((s) => s.entity === entity);
    if (!spec) throw new Error(`Unknown entity ${entity}`);
    const built = buildEntityStatements(spec);
    this.statements.set(entity, built);
    return built;
  }

  /**
   * One query finds the batch's current versions, planUpsert makes SQLite's row-by-row
   * decisions in memory, then one UPDATE closes the superseded versions and one INSERT adds the
   * new ones.
   */
  async upsert(tx: SqlDriver, batch: IngestBatch): Promise<UpsertOutcome> {
    const { tenant, ingestId, entity, sourceFileId, rows } = batch;
    const s = this.entityStatements(entity);
    const spec = allEntitySpecs().find((x) => x.entity === entity);
    if (!spec) throw new Error(`Unknown entity ${entity}`);
    if (rows.length === 0) return { inserted: 0, updated: 0, unchanged: 0, conflicts: [] };
    const args = { tenant, ingest: ingestId };

    const keys = rows.map((row, index) => ({
      batch_index: index,
      ...Object.fromEntries(spec.naturalKey.map((k, i) => [k, row.key[i] ?? null])),
    }));
    const found = await tx.all<Record<string, unknown>>(s.findCurrent, {
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

    const { outcome, toClose, toInsert } = planUpsert(rows, currentByIndex, ingestId, sourceFileId);
    // Close before insert: the filtered unique index allows one current version per key.
    if (toClose.length > 0) {
      await tx.run(s.close, { ...args, rowIds: new JsonParam(toClose) });
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
      await tx.run(s.insert, { ...args, sourceFile: sourceFileId, rows: new JsonParam(inserted) });
    }
    return outcome;
  }

  async currentRowsByKey(
    tx: SqlDriver,
    tenant: string,
    entity: EntityName,
    keys: readonly (readonly string[])[],
  ): Promise<Map<string, CurrentRow>> {
    const spec = allEntitySpecs().find((x) => x.entity === entity);
    if (!spec) throw new Error(`Unknown entity ${entity}`);
    const found = new Map<string, CurrentRow>();
    if (keys.length === 0) return found;
    const batch = keys.map((key, index) => ({
      batch_index: index,
      ...Object.fromEntries(spec.naturalKey.map((k, i) => [k, key[i] ?? null])),
    }));
    const rows = await tx.all<Record<string, unknown>>(this.entityStatements(entity).findCurrentRows, {
      tenant,
      batch: new JsonParam(batch),
    });
    const numeric = [...bigintColumnsOf(spec), 'source_file_id', 'source_row'];
    for (const r of rows) {
      const key = keys[toNumber(r.batch_index)];
      if (key)
        found.set(JSON.stringify(key), toCurrentRow(spec, withNumbers<Record<string, unknown>>(r, numeric)));
    }
    return found;
  }

  async retire(
    tx: SqlDriver,
    tenant: string,
    ingestId: number,
    entity: EntityName,
    rowIds: readonly string[],
  ): Promise<void> {
    if (rowIds.length === 0) return;
    await tx.run(this.entityStatements(entity).close, {
      tenant,
      ingest: ingestId,
      rowIds: new JsonParam(rowIds),
    });
  }

  async addIssues(
    tx: SqlDriver,
    tenant: string,
    ingestId: number,
    issues: readonly DataQualityIssue[],
  ): Promise<void> {
    if (issues.length === 0) return;
    await tx.run(
      `INSERT INTO data_quality_issues (tenant_id, ingest_id, [file], [row], column_name, code, severity, message)
       SELECT @tenant, @ingest, j.[file], j.[row], j.column_name, j.code, j.severity, j.message
       FROM OPENJSON(@issues) WITH ([file] NVARCHAR(MAX) '$.file', [row] BIGINT '$.row',
         column_name NVARCHAR(MAX) '$.column', code NVARCHAR(MAX) '$.code', severity NVARCHAR(MAX) '$.severity',
         message NVARCHAR(MAX) '$.message') AS j`,
      {
        tenant,
        ingest: ingestId,
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
}
