import type { IngestReport, IssueGroup } from '../../shared/ingest/dataQuality';
import {
  blocksCommit,
  formatShare,
  MAX_REJECTED_FORMS,
  parseMaxRejected,
} from '../../shared/ingest/rejectionThreshold';
import { UsageError } from '../config';

/** `--max-rejected 10%` / `0.1` and `--accept-rejected` as the ingest's options; a usage error otherwise. */
export function rejectionOptions(
  maxRejected: string | undefined,
  acceptRejected: boolean | undefined,
): { maxRejected?: number; acceptRejected: boolean } {
  if (maxRejected === undefined) return { acceptRejected: acceptRejected === true };
  const share = parseMaxRejected(maxRejected);
  if (share === null) {
    throw new UsageError(`--max-rejected ${JSON.stringify(maxRejected)}: use ${MAX_REJECTED_FORMS}`);
  }
  return { maxRejected: share, acceptRejected: acceptRejected === true };
}

const n = (x: number) => x.toLocaleString('en-US');

/**
 * The data-quality report as groups, file by file: each reason once with its count, two example
 * rows and how to fix it, instead of the same line for every row.
 */
export function formatIssueGroups(groups: readonly IssueGroup[]): string[] {
  const lines: string[] = [];
  let file: string | null = null;
  for (const group of groups) {
    if (group.file !== file) {
      file = group.file;
      lines.push(`  ${file}`);
    }
    const kind = group.severity === 'error' ? 'rejected' : 'warning ';
    lines.push(`    ${kind} ${n(group.count)} × ${group.code}`);
    for (const example of group.examples) {
      const where = [example.row === null ? null : `row ${example.row}`, example.column]
        .filter(Boolean)
        .join(', ');
      lines.push(`      ${where ? `${where}: ` : ''}${example.message}`);
    }
    const more = group.count - group.examples.length;
    if (more > 0) lines.push(`      … and ${n(more)} more like these (--json lists every row)`);
    if (group.hint !== null) lines.push(`      fix: ${group.hint}`);
  }
  return lines;
}

/** After the failure line: how to commit anyway, when the rejection threshold is what stopped the ingest. */
export function acceptAdvice(report: IngestReport): string[] {
  const check = report.rejection;
  if (report.committed || check === null || !blocksCommit(check) || report.totals.rows_accepted === 0)
    return [];
  return [
    `To commit the ${n(report.totals.rows_accepted)} accepted rows anyway, run the same command with ` +
      `--accept-rejected (the limit is ${formatShare(check.max_share)} of a file's rows; --max-rejected sets it).`,
  ];
}

/** After the committed line: the files above the limit whose rejected rows were accepted. */
export function acceptedNote(report: IngestReport): string[] {
  const check = report.rejection;
  if (!report.committed || check === null || check.files_over.length === 0) return [];
  const files = check.files_over.map((f) => `${f.file} (${formatShare(f.share)})`).join(', ');
  return [`Accepted above the ${formatShare(check.max_share)} limit with --accept-rejected: ${files}.`];
}
