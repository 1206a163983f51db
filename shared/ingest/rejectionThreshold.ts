import type { FileOverThreshold, FileReport, RejectionCheck } from './dataQuality';

/**
 * The one rule for rejected rows, checked by the ingest before it commits, for the CLI, the API
 * and the task pane alike: a file with more than a small share of its data rows rejected is
 * more likely a wrong export (another location, another date format) than a few bad rows, so
 * nothing is written unless the caller accepts the rejected rows.
 */

/** A file may have up to 5 % of its data rows rejected and still be committed. */
export const DEFAULT_MAX_REJECTED_SHARE = 0.05;

/** How `--max-rejected` / `?max_rejected=` is written, for error messages. */
export const MAX_REJECTED_FORMS = 'a percentage from 0% to 100% (e.g. 10%) or a share from 0 to 1 (e.g. 0.1)';

/** `10%`, `10 %` and `0.1` → 0.1; `100%` and `1` → 1. A bare number is a share from 0 to 1; null when neither. */
export function parseMaxRejected(text: string): number | null {
  const trimmed = text.trim();
  const percent = /^(\d{1,3}(?:\.\d+)?)\s*%$/.exec(trimmed);
  const share = percent ? Number(percent[1]) / 100 : /^\d*\.?\d+$/.test(trimmed) ? Number(trimmed) : NaN;
  return isShare(share) ? share : null;
}

export function isShare(value: number): boolean {
  return Number.isFinite(value) && value >= 0 && value <= 1;
}

/** 0.05 → `5 %`, 0.7792 → `77.9 %`. */
export function formatShare(share: number, decimals = 1): string {
  return `${Number((share * 100).toFixed(decimals))} %`;
}

/** The files whose rejected share of their data rows is above `maxShare`, in report order. */
export function checkRejections(
  files: readonly Pick<FileReport, 'file' | 'rows_read' | 'rows_rejected'>[],
  maxShare: number,
  accepted: boolean,
): RejectionCheck {
  const over: FileOverThreshold[] = [];
  for (const f of files) {
    if (f.rows_read === 0) continue;
    const share = f.rows_rejected / f.rows_read;
    if (share > maxShare) {
      over.push({ file: f.file, rows_read: f.rows_read, rows_rejected: f.rows_rejected, share });
    }
  }
  return { max_share: maxShare, accepted, files_over: over };
}

/** True when the check stops the commit: files over the threshold that the caller did not accept. */
export function blocksCommit(check: RejectionCheck): boolean {
  return check.files_over.length > 0 && !check.accepted;
}

/**
 * Why nothing was written, naming each file over the threshold with its share:
 * `more than 5 % of the rows were rejected in 1 file: sales.csv 60 of 100 rows (60 %); nothing
 * was written …`.
 */
export function describeRejections(check: RejectionCheck, rowsAccepted: number): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const limit = formatShare(check.max_share);
  const files = check.files_over.map((f) => {
    // A share that rounds to the limit is shown with one more decimal, so it reads as above it.
    const share = formatShare(f.share) === limit ? formatShare(f.share, 2) : formatShare(f.share);
    return `${f.file} ${n(f.rows_rejected)} of ${n(f.rows_read)} row${f.rows_read === 1 ? '' : 's'} (${share})`;
  });
  const count = check.files_over.length;
  return (
    `more than ${limit} of the rows were rejected in ${count} file${count === 1 ? '' : 's'}: ${files.join(', ')}; ` +
    `nothing was written. Fix those rows and ingest again, or accept the rejected rows to commit ` +
    `the ${n(rowsAccepted)} accepted row${rowsAccepted === 1 ? '' : 's'} anyway`
  );
}
