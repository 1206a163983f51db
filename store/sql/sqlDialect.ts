import type { Insert, KeyedInsert, SqlDialect, Upsert } from './sqlDriver';
import { BIN2, col, toNumber as bigintToNumber } from './sqlValues';

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** `"name"`: SQLite's standard quoting (T-SQL's `[name]` is `col` in azureSqlQuery.ts). */
function quoteSqlite(identifier: string): string {
  if (!IDENTIFIER.test(identifier)) throw new Error(`Bad identifier ${identifier}`);
  return `"${identifier}"`;
}

function checkedCount(count: number): number {
  if (!Number.isSafeInteger(count) || count < 0) throw new Error(`Bad row count ${count}`);
  return count;
}

/** The key columns must be inserted too: the collision is decided on their inserted values. */
function keyParams(insert: KeyedInsert): string[] {
  return insert.key.map((column) => {
    const param = insert.values[column];
    if (param === undefined) throw new Error(`Key column ${column} of ${insert.table} is not inserted`);
    return param;
  });
}

/**
 * SQLite: INSERT … ON CONFLICT on the named key (not INSERT OR IGNORE/REPLACE, which would
 * also swallow a NOT NULL or CHECK failure, or delete and re-insert the row).
 */
function sqliteKeyedInsert(insert: KeyedInsert, replace: readonly string[]): string {
  const q = quoteSqlite;
  keyParams(insert); // only checks: ON CONFLICT names the key columns, not their parameters
  const columns = Object.keys(insert.values);
  const onConflict =
    replace.length === 0
      ? 'DO NOTHING'
      : `DO UPDATE SET ${replace.map((c) => `${q(c)} = excluded.${q(c)}`).join(', ')}`;
  return `INSERT INTO ${q(insert.table)} (${columns.map(q).join(', ')})
VALUES (${columns.map((c) => `@${insert.values[c]}`).join(', ')})
ON CONFLICT (${insert.key.map(q).join(', ')}) ${onConflict}`;
}

/**
 * T-SQL has no ON CONFLICT: one MERGE statement, with HOLDLOCK so two writers of the same key
 * cannot both find it missing and both insert it.
 */
function tsqlKeyedInsert(insert: KeyedInsert, replace: readonly string[]): string {
  const q = col;
  const params = keyParams(insert);
  const columns = Object.keys(insert.values);
  const matched =
    replace.length === 0
      ? ''
      : `WHEN MATCHED THEN UPDATE SET ${replace.map((c) => `${q(c)} = @${insert.values[c]}`).join(', ')}\n`;
  return `MERGE ${q(insert.table)} WITH (HOLDLOCK) AS target
USING (SELECT ${insert.key.map((c, i) => `@${params[i]} AS ${q(c)}`).join(', ')}) AS source
ON ${insert.key.map((c) => `target.${q(c)} = source.${q(c)}`).join(' AND ')}
${matched}WHEN NOT MATCHED THEN INSERT (${columns.map(q).join(', ')})
  VALUES (${columns.map((c) => `@${insert.values[c]}`).join(', ')});`;
}

/** The column list and VALUES of a single-row insert, quoted by `q`. */
function insertParts(insert: Insert, q: (identifier: string) => string): { columns: string; values: string } {
  const columns = Object.keys(insert.values);
  return {
    columns: columns.map(q).join(', '),
    values: columns.map((c) => `@${insert.values[c]}`).join(', '),
  };
}

function replacedColumns(upsert: Upsert): readonly string[] {
  for (const c of upsert.replace) {
    if (upsert.values[c] === undefined)
      throw new Error(`Replaced column ${c} of ${upsert.table} is not inserted`);
  }
  return upsert.replace;
}

/** better-sqlite3 returns INTEGER as a number (safeIntegers is off): anything else is a bug. */
function sqliteNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  throw new Error(`Expected a number from SQLite, got ${typeof value}`);
}

export const SQLITE_DIALECT: SqlDialect = {
  name: 'sqlite',
  quote: quoteSqlite,
  limit: (count) => `LIMIT ${checkedCount(count)}`,
  insertOrIgnore: (insert) => sqliteKeyedInsert(insert, []),
  upsert: (upsert) => sqliteKeyedInsert(upsert, replacedColumns(upsert)),
  insertReturning: (insert, returned) => {
    const { columns, values } = insertParts(insert, quoteSqlite);
    return `INSERT INTO ${quoteSqlite(insert.table)} (${columns}) VALUES (${values}) RETURNING ${quoteSqlite(returned)}`;
  },
  concat: (...expressions) => `(${expressions.join(' || ')})`,
  left: (expression, count) => `substr(${expression}, 1, ${checkedCount(count)})`,
  length: (expression) => `length(${expression})`,
  inJsonList: (expression, param) => `${expression} IN (SELECT value FROM json_each(@${param}))`,
  jsonPairs: (param, alias) =>
    `(SELECT json_extract(value, '$[0]') AS pair_key, json_extract(value, '$[1]') AS pair_value FROM json_each(@${param})) AS ${alias}`,
  unindexed: (expression) => `+${expression}`,
  // An ordered aggregate (SQLite 3.44+): the order is stated, not left to a subquery's.
  joinedIntegers: (column) => `group_concat(${column}, ',' ORDER BY ${column})`,
  toNumber: sqliteNumber,
  toNumberOrNull: (value) => (value === null || value === undefined ? null : sqliteNumber(value)),
  numbersIn: () => undefined,
};

export const AZURE_SQL_DIALECT: SqlDialect = {
  name: 'azuresql',
  quote: col,
  // OFFSET … FETCH rather than TOP: it goes where LIMIT goes, after the ORDER BY it needs anyway.
  limit: (count) => `OFFSET 0 ROWS FETCH NEXT ${checkedCount(count)} ROWS ONLY`,
  insertOrIgnore: (insert) => tsqlKeyedInsert(insert, []),
  upsert: (upsert) => tsqlKeyedInsert(upsert, replacedColumns(upsert)),
  insertReturning: (insert, returned) => {
    const { columns, values } = insertParts(insert, col);
    return `INSERT INTO ${col(insert.table)} (${columns}) OUTPUT INSERTED.${col(returned)} VALUES (${values})`;
  },
  concat: (...expressions) => `(${expressions.join(' + ')})`,
  left: (expression, count) => `LEFT(${expression}, ${checkedCount(count)})`,
  // LEN ignores trailing spaces; the texts measured here (dates, months) have none.
  length: (expression) => `LEN(${expression})`,
  // OPENJSON's text has the database's collation: compared in binary, as the columns are.
  inJsonList: (expression, param) => `${expression} IN (SELECT value ${BIN2} FROM OPENJSON(@${param}))`,
  jsonPairs: (param, alias) =>
    `OPENJSON(@${param}) WITH (pair_key NVARCHAR(MAX) '$[0]', pair_value NVARCHAR(MAX) '$[1]') AS ${alias}`,
  unindexed: (expression) => expression,
  joinedIntegers: (column) =>
    `STRING_AGG(CAST(${column} AS NVARCHAR(20)), ',') WITHIN GROUP (ORDER BY ${column})`,
  toNumber: bigintToNumber,
  toNumberOrNull: (value) => (value === null || value === undefined ? null : bigintToNumber(value)),
  numbersIn: (rows, columns) => {
    for (const row of rows as readonly Record<string, unknown>[]) {
      for (const c of columns)
        row[c] = row[c] === null || row[c] === undefined ? null : bigintToNumber(row[c]);
    }
  },
};
