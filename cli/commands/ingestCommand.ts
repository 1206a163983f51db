import { BundleOpenError, openBundle } from '../../io/bundleFiles';
import { loadTenantSecret } from '../../io/tenantSecrets';
import type { FileReport, IngestReport } from '../../shared/ingest/dataQuality';
import { ingestBundles } from '../../shared/ingest/ingestBundles';
import { createPseudonymizer } from '../../shared/privacy/pseudonymize';
import { SqliteStore } from '../../store/sqlite/sqlite-store';
import type { CliConfig } from '../config';
import { createProgress } from '../progress';

export interface IngestCommandOptions {
  json: boolean;
  progress?: boolean;
}

/** Exit codes of `caliper ingest`: committed (even with rejected rows) / nothing written. */
export const EXIT_COMMITTED = 0;
export const EXIT_NOTHING_WRITTEN = 1;

export async function runIngest(
  paths: string[],
  config: CliConfig,
  options: IngestCommandOptions,
  out: (text: string) => void,
): Promise<{ exitCode: number; report: IngestReport | null }> {
  const bundles = [];
  for (const p of paths) {
    try {
      bundles.push(await openBundle(p));
    } catch (error) {
      if (!(error instanceof BundleOpenError)) throw error;
      const failure = `${error.message}; nothing was written`;
      out(
        options.json
          ? JSON.stringify({ committed: false, failure, files: [] }, null, 2)
          : `Error: ${failure}`,
      );
      return { exitCode: EXIT_NOTHING_WRITTEN, report: null };
    }
  }
  const store = SqliteStore.open(config.storeFile);
  try {
    const pseudonymizer = createPseudonymizer(loadTenantSecret(config.storeFile, config.tenant));
    const progress = createProgress(
      'Ingesting',
      'bytes',
      options.progress ?? (!options.json && process.stderr.isTTY),
    );
    let report: IngestReport;
    try {
      report = await ingestBundles(bundles, {
        store,
        tenant: config.tenant,
        pseudonymizer,
        onProgress: (p) => progress.update(p.bytesDone, p.bytesTotal, p.file),
      });
    } finally {
      progress.stop();
    }
    out(options.json ? JSON.stringify(report, null, 2) : formatIngestReport(report, config));
    return { exitCode: report.committed ? EXIT_COMMITTED : EXIT_NOTHING_WRITTEN, report };
  } finally {
    await store.close();
  }
}

const ISSUES_SHOWN_PER_FILE = 10;

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

export function formatIngestReport(report: IngestReport, config: CliConfig): string {
  const lines: string[] = [];
  const width = Math.max(4, ...report.files.map((f) => f.file.length));
  const n = (x: number) => x.toLocaleString('en-US');
  lines.push(
    `${pad('file', width)}  ${pad('read', 9, true)}  ${pad('accepted', 9, true)}  ${pad('rejected', 9, true)}  ${pad('new', 9, true)}  ${pad('changed', 9, true)}  ${pad('same', 9, true)}`,
  );
  for (const f of report.files) {
    lines.push(
      `${pad(f.file, width)}  ${pad(n(f.rows_read), 9, true)}  ${pad(n(f.rows_accepted), 9, true)}  ${pad(n(f.rows_rejected), 9, true)}  ${pad(n(f.rows_inserted), 9, true)}  ${pad(n(f.rows_updated), 9, true)}  ${pad(n(f.rows_unchanged), 9, true)}`,
    );
  }
  const issues = report.files.flatMap((f) => f.issues);
  if (issues.length > 0) {
    lines.push('', `Data-quality report: ${n(issues.length)} issue${issues.length === 1 ? '' : 's'}`);
    for (const f of report.files) lines.push(...formatFileIssues(f));
  }
  lines.push('');
  const t = report.totals;
  if (report.committed) {
    lines.push(
      `Committed ingest #${report.ingest_id} for tenant "${report.tenant}" into ${config.storeFile}: ` +
        `${n(t.rows_accepted)} rows accepted (${n(t.rows_inserted)} new, ${n(t.rows_updated)} changed, ` +
        `${n(t.rows_unchanged)} unchanged), ${n(t.rows_rejected)} rejected.`,
    );
  } else {
    lines.push(`Nothing was written: ${report.failure ?? 'unknown reason'}`);
  }
  return lines.join('\n');
}

function formatFileIssues(file: FileReport): string[] {
  if (file.issues.length === 0) return [];
  const lines = [`  ${file.file}`];
  for (const issue of file.issues.slice(0, ISSUES_SHOWN_PER_FILE)) {
    const where = [issue.row === null ? null : `row ${issue.row}`, issue.column].filter(Boolean).join(', ');
    lines.push(
      `    ${issue.severity === 'error' ? 'rejected' : 'warning '} ${where ? `${where}: ` : ''}${issue.message} [${issue.code}]`,
    );
  }
  const rest = file.issues.length - ISSUES_SHOWN_PER_FILE;
  if (rest > 0) {
    const byCode = new Map<string, number>();
    for (const issue of file.issues.slice(ISSUES_SHOWN_PER_FILE))
      byCode.set(issue.code, (byCode.get(issue.code) ?? 0) + 1);
    const codes = [...byCode].map(([code, count]) => `${count} ${code}`).join(', ');
    lines.push(`    … and ${rest} more (${codes}); use --json for the full list`);
  }
  return lines;
}
