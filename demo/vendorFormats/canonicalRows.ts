import { type BundleSink, type CanonicalFileName, DEMO_COLUMNS } from '../bundle';

/**
 * One location's canonical rows held in memory, by file, as records keyed by column name: the
 * vendor renderers read a location's appointments, sales, patients… together (an export row
 * joins a sale to its patient's contact details), so they cannot work row by row as the
 * canonical writer does. One location at a time keeps memory bounded.
 */

export type CanonicalRow = Readonly<Record<string, string>>;

export class CanonicalRows implements BundleSink {
  readonly files = Object.fromEntries(
    (Object.keys(DEMO_COLUMNS) as CanonicalFileName[]).map((file) => [file, [] as CanonicalRow[]]),
  ) as Record<CanonicalFileName, CanonicalRow[]>;

  row(file: CanonicalFileName, values: readonly string[]): void {
    const columns = DEMO_COLUMNS[file];
    const record: Record<string, string> = {};
    for (let i = 0; i < columns.length; i++) record[columns[i]!] = values[i] ?? '';
    this.files[file].push(record);
  }
}

/** A canonical cell: the column's text, '' when the row has no such column. */
export function cell(row: CanonicalRow, column: string): string {
  return row[column] ?? '';
}
