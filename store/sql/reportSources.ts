import { baseName, groupIssues, type ReportSources } from '../../shared/store/reportSources';
import type { SqlDriver } from './sqlDriver';

/** Integer columns as either driver delivers them (tedious: BIGINT as text). */
type DbInteger = number | string;

export async function reportSources(sql: SqlDriver, tenant: string): Promise<ReportSources> {
  const { quote: q, toNumber, toNumberOrNull } = sql.dialect;
  const files = await sql.all<{
    ingest_id: DbInteger;
    ingested_at: string;
    path: string;
    name: string;
    bytes: DbInteger;
    sha256: string | null;
    rows_read: DbInteger | null;
    rows_accepted: DbInteger | null;
    rows_rejected: DbInteger | null;
  }>(
    `SELECT f.ingest_id, i.finished_at AS ingested_at, f.path, f.${q('name')}, f.bytes, f.sha256,
            f.rows_read, f.rows_accepted, f.rows_rejected
     FROM source_files f JOIN ingests i ON i.ingest_id = f.ingest_id
     WHERE f.tenant_id = @tenant ORDER BY f.ingest_id, f.source_file_id`,
    { tenant },
  );
  const issues = await sql.all<{
    file: string;
    code: string;
    severity: string;
    row: DbInteger | null;
    message: string;
    ingest_id: DbInteger;
  }>(
    `SELECT ${q('file')}, code, severity, ${q('row')}, message, ingest_id FROM data_quality_issues
     WHERE tenant_id = @tenant ORDER BY ${q('file')}, code, severity, ingest_id, ${q('row')}, issue_id`,
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
      rows_read: toNumberOrNull(f.rows_read),
      rows_accepted: toNumberOrNull(f.rows_accepted),
      rows_rejected: toNumberOrNull(f.rows_rejected),
    })),
    issues: groupIssues(
      issues.map((i) => ({ ...i, row: toNumberOrNull(i.row), ingest_id: toNumber(i.ingest_id) })),
    ),
  };
}
