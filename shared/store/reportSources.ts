/*
 * What a board pack cites about where its numbers come from: the files each ingest read and
 * the data-quality issues found in them, grouped. Read by the store; nothing in it names a
 * patient (issue messages were redacted before they were stored, and a file is named by its
 * base name, never its folder).
 */

export interface ReportSourceFile {
  ingest_id: number;
  /** When the ingest that read the file committed. */
  ingested_at: string;
  /** The file's base name as the user gave it (`Zenoti_Sales_2025-11.csv`). */
  file: string;
  /** The canonical file it was read as (`sales.csv`). */
  canonical: string;
  bytes: number;
  sha256: string | null;
  rows_read: number | null;
  rows_accepted: number | null;
  rows_rejected: number | null;
}

export interface ReportIssueGroup {
  file: string;
  code: string;
  severity: string;
  count: number;
  /** The first rows it was found on (as Excel numbers them), at most ten. */
  rows: number[];
  /** One message of the group, as stored (already redacted). */
  example: string;
  /** The latest ingest that found it. */
  last_ingest_id: number;
}

export interface ReportSources {
  files: ReportSourceFile[];
  issues: ReportIssueGroup[];
}

export interface ReportSourcesPort {
  /** Every file every committed ingest of the tenant read, and their issues grouped by file, code and severity. */
  reportSources(tenant: string): Promise<ReportSources>;
}

/** The base name of a stored path, whichever separator the machine that ingested it used. */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] ?? path;
}

/** Groups issue rows in the order the query returns them (by file, code, severity, then row). */
export function groupIssues(
  rows: readonly {
    file: string;
    code: string;
    severity: string;
    row: number | null;
    message: string;
    ingest_id: number;
  }[],
): ReportIssueGroup[] {
  const groups = new Map<string, ReportIssueGroup>();
  for (const r of rows) {
    const key = `${r.file}\u0000${r.code}\u0000${r.severity}`;
    let group = groups.get(key);
    if (!group) {
      group = {
        file: r.file,
        code: r.code,
        severity: r.severity,
        count: 0,
        rows: [],
        example: r.message,
        last_ingest_id: r.ingest_id,
      };
      groups.set(key, group);
    }
    group.count += 1;
    if (r.row !== null && group.rows.length < 10) group.rows.push(r.row);
    if (r.ingest_id > group.last_ingest_id) group.last_ingest_id = r.ingest_id;
  }
  return [...groups.values()];
}
