/**
 * The values and names the statements of both stores share, without a database driver: the
 * SQLite store (and every CLI command over it) must not load tedious to build a statement
 * (0.3 s of each command's start).
 */

/**
 * A value handed to SQL Server as one JSON document (OPENJSON reads it back as rows): batches
 * and IN lists of any length in a single parameter, well clear of the 2100-parameter limit.
 */
export class JsonParam {
  constructor(readonly value: unknown) {}
}

/** Binary collation for comparisons against JSON-derived text, whose collation is the database's. */
export const BIN2 = 'COLLATE Latin1_General_100_BIN2';

/** `[name]`: spec column names include T-SQL reserved words (`plan`, `file`). */
export function col(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Bad column name ${name}`);
  return `[${name}]`;
}

/** tedious hands BIGINT (and SUM over BIGINT) over as a decimal string; the port wants numbers. */
export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value !== '') return Number(value);
  throw new Error(`Expected a number from SQL Server, got ${typeof value}`);
}

export function toNumberOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : toNumber(value);
}

/** The row with the named BIGINT columns turned back into numbers (null stays null). */
export function withNumbers<T>(row: Record<string, unknown>, columns: readonly string[]): T {
  const copy: Record<string, unknown> = { ...row };
  for (const c of columns) copy[c] = toNumberOrNull(copy[c]);
  return copy as T;
}
