import type Database from 'better-sqlite3';

import { baseName, groupIssues, type ReportSources } from '../../shared/store/reportSources';

export function reportSources(db: Database.Database, tenant: string): ReportSources {
  const files = db
    .prepare<
      [string],
      {
        ingest_id: number;
        ingested_at: string;
        path: string;
        name: string;
        bytes: number;
        sha256: string | null;
        rows_read: number | null;
        rows_accepted: number | null;
        rows_rejected: number | null;
      }
    >(
      `SELECT f.ingest_id, i.finished_at AS ingested_at, f.path, f.name, f.bytes, f.sha256,
              f.rows_read, f.rows_accepted, f.rows_rejected
       FROM source_files f JOIN ingests i ON i.ingest_id = f.ingest_id
       WHERE f.tenant_id = ? ORDER BY f.ingest_id, f.source_file_id`,
    )
    .all(tenant);
  const issues = db
    .prepare<
      [string],
      { file: string; code: string; severity: string; row: number | null; message: string; ingest_id: number }
    >(
      `SELECT file, code, severity, row, message, ingest_id FROM data_quality_issues
       WHERE tenant_id = ? ORDER BY file, code, severity, ingest_id, row, issue_id`,
    )
    .all(tenant);
  return {
    files: files.map((f) => ({
      ingest_id: f.ingest_id,
      ingested_at: f.ingested_at,
      file: baseName(f.path),
      canonical: f.name,
      bytes: f.bytes,
      sha256: f.sha256,
      rows_read: f.rows_read,
      rows_accepted: f.rows_accepted,
      rows_rejected: f.rows_rejected,
    })),
    issues: groupIssues(issues),
  };
}
