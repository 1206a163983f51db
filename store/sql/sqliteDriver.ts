import type Database from 'better-sqlite3';

import { SQLITE_DIALECT } from './sqlDialect';
import type { SqlConnection, SqlDriver, SqlParams, SqlTransaction } from './sqlDriver';
import { JsonParam } from './sqlValues';

type SqliteValue = string | number | null | Buffer;

/** A JsonParam is bound as its JSON text, which json_each reads back as rows; bytes as a BLOB. */
function bindable(params: SqlParams): Record<string, SqliteValue> {
  const bound: Record<string, SqliteValue> = {};
  for (const [name, value] of Object.entries(params)) {
    bound[name] =
      value instanceof JsonParam
        ? JSON.stringify(value.value)
        : value instanceof Uint8Array
          ? asBuffer(value)
          : value;
  }
  return bound;
}

/** better-sqlite3 binds a Buffer as a BLOB (a plain Uint8Array it refuses): a view, not a copy. */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Runs a synchronous better-sqlite3 call as a promise: a throw (a constraint, a syntax error)
 * becomes a rejection, as it is on Azure SQL, rather than escaping the caller's `await`.
 */
function settled<T>(work: () => T): Promise<T> {
  return new Promise((resolve) => resolve(work()));
}

type RowBuilder = (values: unknown[]) => unknown;

/** One builder per column list (the statements are the code's own, so the lists are few). */
const rowBuilders = new Map<string, RowBuilder | null>();

/**
 * An object literal of the columns, compiled once per column list: better-sqlite3 builds a row
 * object one property at a time through V8's C++ API, which was half of reading 0.9 M patients;
 * a row read as an array and handed to a literal is built in half the time, with the same
 * properties in the same order (a repeated name keeps its last value, as there). None for a
 * column named `__proto__`, which a literal would take for the prototype.
 */
function rowBuilder(columns: readonly string[]): RowBuilder | null {
  const key = JSON.stringify(columns);
  let build = rowBuilders.get(key);
  if (build === undefined) {
    const fields = columns.map((name, index) => `${JSON.stringify(name)}: values[${index}]`);
    build = columns.includes('__proto__')
      ? null
      : // The source is the column names as JSON strings, never a value: nothing from a row is evaluated.
        // eslint-disable-next-line @typescript-eslint/no-implied-eval
        (new Function('values', `return { ${fields.join(', ')} };`) as RowBuilder);
    rowBuilders.set(key, build);
  }
  return build;
}

/** The driver over one better-sqlite3 connection; its statements bind `@name` from the params object. */
export class SqliteDriver implements SqlConnection {
  readonly dialect = SQLITE_DIALECT;

  constructor(protected readonly db: Database.Database) {}

  async all<T>(sql: string, params: SqlParams = {}): Promise<T[]> {
    const rows: T[] = [];
    await this.each<T>(sql, params, (row) => rows.push(row));
    return rows;
  }

  each<T>(sql: string, params: SqlParams, onRow: (row: T) => void): Promise<number> {
    return settled(() => {
      const statement = this.db.prepare<Record<string, SqliteValue>, T>(sql);
      // A statement returning no rows fails here with better-sqlite3's own message.
      const build = statement.reader ? rowBuilder(statement.columns().map((c) => c.name)) : null;
      let count = 0;
      if (build === null) {
        for (const row of statement.iterate(bindable(params))) {
          onRow(row);
          count += 1;
        }
        return count;
      }
      for (const values of statement.raw().iterate(bindable(params))) {
        onRow(build(values as unknown[]) as T);
        count += 1;
      }
      return count;
    });
  }

  get<T>(sql: string, params: SqlParams = {}): Promise<T | undefined> {
    return settled(() => this.db.prepare<Record<string, SqliteValue>, T>(sql).get(bindable(params)));
  }

  run(sql: string, params: SqlParams = {}): Promise<number> {
    return settled(() => this.db.prepare<Record<string, SqliteValue>>(sql).run(bindable(params)).changes);
  }

  releaseMemory(): Promise<void> {
    return settled(() => {
      this.db.pragma('shrink_memory');
    });
  }

  /**
   * BEGIN IMMEDIATE takes the write lock up front, so a second writer waits instead of failing
   * midway. A SQLite connection has one transaction at a time and every statement on it joins
   * it, so this refuses to nest and the caller must not run other work on the connection
   * while the transaction is open (SqliteStore's ingest keeps the same rule).
   */
  private beginImmediate(): void {
    if (this.db.inTransaction) throw new Error('A transaction is already open on this SQLite connection');
    this.db.exec('BEGIN IMMEDIATE');
  }

  /** A transaction its caller ends later (the ingest's). The lock is the whole file's: `lockKey` is not needed. */
  begin(_lockKey: string): Promise<SqlTransaction> {
    return settled(() => {
      this.beginImmediate();
      return new SqliteTransaction(this.db);
    });
  }

  async transaction<T>(work: (tx: SqlDriver) => Promise<T>): Promise<T> {
    this.beginImmediate();
    try {
      const result = await work(this);
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      // A failed COMMIT or a statement error may already have ended the transaction.
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw error;
    }
  }
}

/**
 * The transaction `begin` opened: statements on the same connection (SQLite has one transaction
 * per connection, so every statement on it joins), ended by COMMIT or ROLLBACK.
 */
class SqliteTransaction extends SqliteDriver implements SqlTransaction {
  commit(): Promise<void> {
    return settled(() => this.end('COMMIT'));
  }

  rollback(): Promise<void> {
    return settled(() => this.end('ROLLBACK'));
  }

  /** A failed statement (SQLITE_FULL, an interrupt) may have ended the transaction already. */
  private end(command: 'COMMIT' | 'ROLLBACK'): void {
    if (this.db.inTransaction) this.db.exec(command);
  }
}
