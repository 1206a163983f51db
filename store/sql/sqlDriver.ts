/**
 * The seam between the store's statements and the two databases. A statement module in
 * store/sql/ is written once against `SqlDriver` (how a statement runs) and `SqlDialect` (the
 * few places where SQLite and T-SQL spell the same thing differently). The aim: only
 * migrations, drivers, configuration and bulk loading stay per database (docs/store.md says
 * which statements have moved so far).
 *
 * Parameters are named, written `@name` in the SQL and passed as an object: better-sqlite3
 * binds `@name` from an object's keys and mssql from its request inputs.
 */

import type { JsonParam } from './sqlValues';

/**
 * A parameter value: a string, number or null, which both drivers bind as they are, bytes (a
 * BLOB / VARBINARY, read back as a Buffer), or a `JsonParam`, bound as one JSON text (what
 * `SqlDialect.inJsonList` reads back as rows).
 */
export type SqlValue = string | number | null | Uint8Array | JsonParam;

export type SqlParams = Readonly<Record<string, SqlValue>>;

/** Where statements run: a database connection (autocommit) or an open transaction. */
export interface SqlDriver {
  readonly dialect: SqlDialect;
  /** The rows of a query, as the database delivers them (BIGINT may be text: see `SqlDialect.toNumber`). */
  all<T>(sql: string, params?: SqlParams): Promise<T[]>;
  /**
   * The rows of a query handed to `onRow` one at a time, in the order `all` would list them;
   * answers how many. For the large reads (900 k patients at 200 locations) that the caller
   * turns into its own rows: SQLite never holds them as a list of the driver's rows first.
   */
  each<T>(sql: string, params: SqlParams, onRow: (row: T) => void): Promise<number>;
  /** The first row of a query, or undefined. */
  get<T>(sql: string, params?: SqlParams): Promise<T | undefined>;
  /** Runs a statement that returns no rows; answers how many rows it changed. */
  run(sql: string, params?: SqlParams): Promise<number>;
  /**
   * Runs `work` in one transaction: committed when it resolves, rolled back when it rejects.
   * Its statements must go through the driver it is handed, not through this one.
   */
  transaction<T>(work: (tx: SqlDriver) => Promise<T>): Promise<T>;
  /**
   * Gives back what the connection keeps of the pages it read (SQLite's page cache: up to
   * 64 MB, and the C heap that holds it), for after a large read whose rows are the caller's
   * now: a metric load. Azure SQL keeps nothing here (the server caches).
   */
  releaseMemory(): Promise<void>;
}

/**
 * A transaction begun by `SqlConnection.begin` that outlives the call: the ingest's, which its
 * caller commits or rolls back later. Its statements run through it, as a `SqlDriver`.
 */
export interface SqlTransaction extends SqlDriver {
  commit(): Promise<void>;
  /** Rolls back, unless the transaction has already ended (a failed statement may end it). */
  rollback(): Promise<void>;
}

/** A database connection (SQLite) or pool (Azure SQL): statements in autocommit, and transactions. */
export interface SqlConnection extends SqlDriver {
  /**
   * Begins a transaction holding the write lock named `lockKey` until it ends, so a second writer
   * waits instead of interleaving: SQLite's BEGIN IMMEDIATE (the whole file, so the key is not
   * needed), Azure SQL's exclusive sp_getapplock on the key.
   */
  begin(lockKey: string): Promise<SqlTransaction>;
}

/** A single-row insert (see `SqlDialect.insertReturning`). */
export interface Insert {
  table: string;
  /** Each inserted column → the named parameter (without `@`) holding its value, in insert order. */
  values: Readonly<Record<string, string>>;
}

/** A single-row write keyed by a primary or unique key (see `SqlDialect.upsert`). */
export interface KeyedInsert extends Insert {
  /** The key columns a second write of the same row collides on; each must be in `values`. */
  key: readonly string[];
}

export interface Upsert extends KeyedInsert {
  /** The columns a second write replaces; the others keep what the first write stored. */
  replace: readonly string[];
}

/**
 * What differs in the SQL text between SQLite and Azure SQL (T-SQL). Plain functions (no
 * `this`), so a statement module may take them out of the dialect by name.
 */
export interface SqlDialect {
  readonly name: 'sqlite' | 'azuresql';
  /** An identifier quoted: spec column names include reserved words (`file`, `row`, `date`). */
  quote: (identifier: string) => string;
  /** The clause after ORDER BY that keeps the first `count` rows (LIMIT, or OFFSET … FETCH NEXT). */
  limit: (count: number) => string;
  /** Inserts the row, or leaves the stored one as it is when the key is taken. One statement. */
  insertOrIgnore: (insert: KeyedInsert) => string;
  /** Inserts the row, or replaces `replace` columns of the stored one. One statement. */
  upsert: (upsert: Upsert) => string;
  /**
   * Inserts the row and answers one row holding its `returned` column (an IDENTITY or
   * AUTOINCREMENT id): `RETURNING` / `OUTPUT INSERTED`.
   */
  insertReturning: (insert: Insert, returned: string) => string;
  /** Text expressions joined end to end (`||` / `+`); null if any is null, in both. */
  concat: (...expressions: string[]) => string;
  /** The first `count` characters of a text expression (`substr` / `LEFT`). */
  left: (expression: string, count: number) => string;
  /** The length of a text expression in characters (`length` / `LEN`). */
  length: (expression: string) => string;
  /**
   * `expression IN (…)` over the strings of a JSON array held by one parameter (a `JsonParam`):
   * a list of any length in one parameter, clear of SQL Server's 2100-parameter limit.
   */
  inJsonList: (expression: string, param: string) => string;
  /**
   * A table `alias` of two text columns, `pair_key` and `pair_value`, from the `[key, value]` pairs
   * of a JSON array held by one parameter (a `JsonParam`): many rows written by one statement,
   * clear of SQL Server's 2100-parameter limit and of a round trip per row.
   */
  jsonPairs: (param: string, alias: string) => string;
  /**
   * The expression, kept from choosing an index: SQLite's unary `+` (its planner would
   * otherwise pick the tenant index, the tenant's whole history, over a row-id range). T-SQL
   * has no such hint for text and needs none here: the expression as it is.
   */
  unindexed: (expression: string) => string;
  /** An aggregate: a group's integers as comma-separated text, in ascending order. */
  joinedIntegers: (column: string) => string;
  /** A BIGINT (or COUNT/SUM) read back as a number: tedious delivers BIGINT as a decimal string. */
  toNumber: (value: unknown) => number;
  toNumberOrNull: (value: unknown) => number | null;
  /**
   * The named BIGINT columns of rows just read, as numbers (null stays null), in place: the
   * rows are fresh objects, and copying thousands of them costs. On SQLite nothing to do
   * (better-sqlite3 returns INTEGER as a number), so a hot load pays nothing per row there.
   */
  numbersIn: <T extends object>(rows: readonly T[], columns: readonly (keyof T & string)[]) => void;
}
