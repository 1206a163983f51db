import type { ConnectionPool } from 'mssql';

import { baseName, groupIssues, type ReportSources } from '../../shared/store/reportSources';
import { queryRows, toNumber } from './azureSqlQuery';

/** The T-SQL twin of store/sqlite/sqlite-reportSources.ts: same rows, same order. */
export async function reportSources(pool: ConnectionPool, tenant: string): Promise<ReportSources> {
  const files = await queryRows<{
    ingest_id: number | string;
    ingested_at: string;
    path: string;
    name: string;
    bytes: number | string;
    sha256: string | null;
    rows_read: number | null;
    rows_accepted: number | null;
    rows_rejected: number | null;
  }>(
    pool,
    `SELECT f.ingest_id, i.finished_at AS ingested_at, f.path, f.[name], f.bytes, f.sha256,
            f.rows_read, f.rows_accepted, f.rows_rejected
     FROM source_files f JOIN ingests i ON i.ingest_id = f.ingest_id
     WHERE f.tenant_id = @tenant ORDER BY f.ingest_id, f.source_file_id`,
    { tenant },
  );
  const issues = await queryRows<{
    file: string;
    code: string;
    severity: string;
    row: number | null;
    message: string;
    ingest_id: number | string;
  }>(
    pool,
    `SELECT [file], code, severity, [row], message, ingest_id FROM data_quality_issues
     WHERE tenant_id = @tenant ORDER BY [file], code, severity, ingest_id, [row], issue_id`,
    { tenant },
  );
  return {
    files: files.map((f) => ({
      ingest_id: toNumber(f.ingest_id),
      ingested_at: f.ingested_at,
      file: baseName(f.path),
      canonical: f.name,
      bytes: toNumber(f.bytes),
      sha256: f.sha256,
      rows_read: f.rows_read,
      rows_accepted: f.rows_accepted,
      rows_rejected: f.rows_rejected,
    })),
    // BIGINT columns arrive as strings from mssql.
    issues: groupIssues(issues.map((i) => ({ ...i, ingest_id: toNumber(i.ingest_id) }))),
  };
}
