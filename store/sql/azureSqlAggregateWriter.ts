import { BIN2, JsonParam } from '../azuresql/azureSqlQuery';
import type { AggregateChanges, AggregateRowWriter } from './aggregates';
import type { SqlDriver } from './sqlDriver';

/**
 * Rows per statement: bounds the size of one JSON document. OPENJSON reads text as
 * NVARCHAR(MAX) so an over-long value fails the insert instead of being truncated.
 */
const CHUNK = 5000;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/** One aggregate table's bulk statements: its key and its columns as OPENJSON reads them. */
interface TableShape {
  table: string;
  /** column → `TYPE '$.jsonField'`, the key columns first. */
  columns: Readonly<Record<string, string>>;
  key: readonly string[];
}

const DAILY: TableShape = {
  table: 'agg_daily',
  columns: {
    provider_id: "NVARCHAR(MAX) '$.providerId'",
    measure: "NVARCHAR(MAX) '$.measure'",
    day: "NVARCHAR(MAX) '$.day'",
    value: "FLOAT '$.value'",
  },
  key: ['provider_id', 'measure', 'day'],
};

const q = (column: string) => `[${column}]`;

function withClause(shape: TableShape, columns: readonly string[]): string {
  return `WITH (${columns.map((c) => `${q(c)} ${shape.columns[c]}`).join(', ')}) AS j`;
}

/**
 * Written rows replace stored ones of the same key: the keys of both the written and the
 * removed rows are deleted, then the written rows inserted (MERGE would compare every column
 * again for rows already known to differ).
 */
async function replaceRows(
  tx: SqlDriver,
  shape: TableShape,
  args: { tenant: string; location: string },
  write: readonly object[],
  remove: readonly object[],
): Promise<void> {
  const columns = Object.keys(shape.columns);
  const sameKey = shape.key.map((c) => `a.${q(c)} = j.${q(c)} ${BIN2}`).join(' AND ');
  for (const batch of chunks([...write, ...remove])) {
    await tx.run(
      `DELETE a FROM ${shape.table} a JOIN OPENJSON(@rows) ${withClause(shape, shape.key)} ON ${sameKey}
       WHERE a.tenant_id = @tenant AND a.location_id = @location`,
      { ...args, rows: new JsonParam(batch) },
    );
  }
  for (const batch of chunks(write)) {
    await tx.run(
      `INSERT INTO ${shape.table} (tenant_id, location_id, ${columns.map(q).join(', ')})
       SELECT @tenant, @location, ${columns.map((c) => `j.${q(c)}`).join(', ')} FROM OPENJSON(@rows)
       ${withClause(shape, columns)}`,
      { ...args, rows: new JsonParam(batch) },
    );
  }
}

/**
 * Azure SQL's bulk write of aggregate rows: batches of JSON read by OPENJSON, as the ingest
 * loads its rows (a statement per row would be a network round trip per row).
 */
export const AZURE_SQL_AGGREGATE_WRITER: AggregateRowWriter = {
  async write(tx: SqlDriver, changes: AggregateChanges): Promise<void> {
    const args = { tenant: changes.tenant, location: changes.locationId };
    await replaceRows(tx, DAILY, args, changes.daily.write, changes.daily.remove);
  },
};
