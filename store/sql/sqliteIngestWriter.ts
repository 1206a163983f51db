import type Database from 'better-sqlite3';

import type { DataQualityIssue } from '../../shared/ingest/dataQuality';
import type { CurrentRow, UpsertOutcome } from '../../shared/store/store.port';
import { allEntitySpecs, storedColumnsOf, toCurrentRow } from '../../shared/store/storedColumns';
import { type CurrentVersion, planUpsert } from '../../shared/store/upsertPlan';
import type { IngestBatch, IngestRowWriter } from './sqlIngest';

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

/**
 * SQLite's bulk load of an ingest's rows: statements prepared once per entity and run per row on
 * the connection the ingest's transaction is open on (better-sqlite3 is synchronous and in
 * process, so a loop of prepared statements is the fastest load there is). The `tx` handed in
 * is that same connection, so these run inside the ingest.
 */
export class SqliteIngestWriter implements IngestRowWriter {
  private readonly statements = new Map<string, EntityStatements>();

  constructor(private readonly db: Database.Database) {}

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

  upsert(_tx: unknown, batch: IngestBatch): Promise<UpsertOutcome> {
    const { tenant, ingestId, sourceFileId, rows } = batch;
    const s = this.entityStatements(batch.entity);
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
    return Promise.resolve(outcome);
  }

  currentRowsByKey(
    _tx: unknown,
    tenant: string,
    entity: string,
    keys: readonly (readonly string[])[],
  ): Promise<Map<string, CurrentRow>> {
    const spec = allEntitySpecs().find((s) => s.entity === entity);
    if (!spec) throw new Error(`Unknown entity ${entity}`);
    const statement = this.entityStatements(entity).findCurrentRow;
    const found = new Map<string, CurrentRow>();
    for (const key of keys) {
      const row = statement.get(tenant, ...key);
      if (row) found.set(JSON.stringify(key), toCurrentRow(spec, row));
    }
    return Promise.resolve(found);
  }

  retire(
    _tx: unknown,
    tenant: string,
    ingestId: number,
    entity: string,
    rowIds: readonly string[],
  ): Promise<void> {
    const close = this.db.prepare(
      `UPDATE ${entity} SET valid_to_ingest = ? WHERE row_id = ? AND tenant_id = ? AND valid_to_ingest IS NULL`,
    );
    for (const rowId of rowIds) close.run(ingestId, Number(rowId), tenant);
    return Promise.resolve();
  }

  addIssues(
    _tx: unknown,
    tenant: string,
    ingestId: number,
    issues: readonly DataQualityIssue[],
  ): Promise<void> {
    const insert = this.db.prepare(
      `INSERT INTO data_quality_issues (tenant_id, ingest_id, file, row, column_name, code, severity, message)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const i of issues) {
      insert.run(tenant, ingestId, i.file, i.row, i.column, i.code, i.severity, i.message);
    }
    return Promise.resolve();
  }
}
