import type { AnyFileSpec } from '../../shared/model/canonicalBundle';
import { type StoredColumn, storedColumnsOf } from '../../shared/store/storedColumns';
import { BIN2, col } from '../sql/sqlValues';
import { tsqlTypeOf } from './migrations';

/** The statements of one fact table, built once from the canonical spec. */
export interface EntityStatements {
  /** Current versions of the batch's keys: one row per batch index that has one. */
  findCurrent: string;
  /** The whole current rows of the batch's keys (stored columns, extra_json, origin), by batch index. */
  findCurrentRows: string;
  close: string;
  insert: string;
  valueColumns: string[];
}

/**
 * How OPENJSON reads a stored column out of a batch. Text is read unbounded, so a value longer
 * than its column fails the INSERT (string would be truncated) instead of being cut silently.
 */
function jsonTypeOf(column: StoredColumn): string {
  if (column.type === 'INTEGER') return 'BIGINT';
  if (column.type === 'REAL') return 'FLOAT';
  return 'NVARCHAR(MAX)';
}

export function buildEntityStatements(spec: AnyFileSpec): EntityStatements {
  const stored = storedColumnsOf(spec);
  const valueColumns = stored.map((c) => c.name);
  const entity = spec.entity;
  // OPENJSON … WITH reads the batch as typed rows; its text takes the database collation, hence
  // the explicit binary collation wherever it meets a stored column.
  const keyWith = spec.naturalKey
    .map((k) => {
      const column = stored.find((c) => c.name === k);
      if (!column) throw new Error(`Natural key ${k} of ${entity} is not a stored column`);
      // The key columns' own types, so the look-up can seek the `_current` index.
      return `${col(k)} ${tsqlTypeOf(spec, column).replace(` ${BIN2}`, '')} '$.${k}'`;
    })
    .join(', ');
  const keyJoin = spec.naturalKey.map((k) => `t.${col(k)} = b.${col(k)} ${BIN2}`).join(' AND ');
  const valueWith = stored.map((c) => `${col(c.name)} ${jsonTypeOf(c)} '$.${c.name}'`).join(', ');
  const insertColumns = [
    'tenant_id',
    ...valueColumns.map(col),
    'extra_json',
    'row_hash',
    'source_file_id',
    'source_row',
    'valid_from_ingest',
  ];
  return {
    findCurrent: `SELECT b.batch_index, t.row_id, t.row_hash, t.valid_from_ingest, t.source_file_id, t.source_row
      FROM OPENJSON(@batch) WITH (batch_index INT '$.batch_index', ${keyWith}) AS b
      JOIN ${entity} AS t ON t.tenant_id = @tenant AND ${keyJoin} AND t.valid_to_ingest IS NULL`,
    findCurrentRows: `SELECT b.batch_index, t.row_id, ${valueColumns.map((c) => `t.${col(c)}`).join(', ')},
        t.extra_json, t.row_hash, t.source_file_id, t.source_row
      FROM OPENJSON(@batch) WITH (batch_index INT '$.batch_index', ${keyWith}) AS b
      JOIN ${entity} AS t ON t.tenant_id = @tenant AND ${keyJoin} AND t.valid_to_ingest IS NULL`,
    close: `UPDATE ${entity} SET valid_to_ingest = @ingest
      WHERE tenant_id = @tenant AND valid_to_ingest IS NULL
        AND row_id IN (SELECT CAST(value AS BIGINT) FROM OPENJSON(@rowIds))`,
    // ORDER BY makes the identity values follow the file's row order, as SQLite's rowids do.
    insert: `INSERT INTO ${entity} (${insertColumns.join(', ')})
      SELECT @tenant, ${valueColumns.map((c) => `b.${col(c)}`).join(', ')}, b.extra_json, b.row_hash,
             COALESCE(b.source_file_id, @sourceFile), b.source_row, @ingest
      FROM OPENJSON(@rows) WITH (batch_index INT '$.batch_index', ${valueWith},
        extra_json NVARCHAR(MAX) '$.extra_json', row_hash NVARCHAR(MAX) '$.row_hash',
        source_file_id BIGINT '$.source_file_id', source_row BIGINT '$.source_row') AS b
      ORDER BY b.batch_index`,
    valueColumns,
  };
}
