/* What the upload panel says about an ingest report: pure, so it is tested without a browser. */
import type { IssueExample, IssueGroup } from '../../shared/ingest/dataQuality';
import { formatShare } from '../../shared/ingest/rejectionThreshold';
import type { IngestReport } from '../api/caliperClient';
import { locationTitle, OPENING_DATE_CONSEQUENCE } from './locationFields';

/** 34571 → `34,571`, whatever the browser's locale: the pane's numbers read like the CLI's. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** `7,634 of 34,571 rows accepted, 26,937 rejected.` */
export function rowsSummary(report: IngestReport): string {
  const t = report.totals;
  return `${formatCount(t.rows_accepted)} of ${formatCount(t.rows_read)} rows accepted, ${formatCount(t.rows_rejected)} rejected.`;
}

/**
 * True when nothing was written only because files are over the rejected-row threshold and
 * some rows were accepted: the pane then offers to commit those rows anyway.
 */
export function needsAcceptance(report: IngestReport): boolean {
  const check = report.rejection;
  return (
    !report.committed &&
    check !== null &&
    check.files_over.length > 0 &&
    !check.accepted &&
    report.totals.rows_accepted > 0
  );
}

/** `7,634 of 34,571 rows accepted, 26,937 rejected. More than 5 % of the rows were rejected in:` */
export function overLimitText(report: IngestReport): string {
  const limit = formatShare(report.rejection?.max_share ?? 0);
  return `${rowsSummary(report)} More than ${limit} of the rows were rejected in:`;
}

/** The confirm button: `Commit the 7,634 accepted rows anyway`. */
export function acceptLabel(report: IngestReport): string {
  const n = report.totals.rows_accepted;
  return `Commit the ${formatCount(n)} accepted row${n === 1 ? '' : 's'} anyway`;
}

/** `sales.csv: 60 of 100 rows rejected (60 %)`, one per file over the threshold. */
export function filesOverLines(report: IngestReport): string[] {
  return (report.rejection?.files_over ?? []).map(
    (f) =>
      `${f.file}: ${formatCount(f.rows_rejected)} of ${formatCount(f.rows_read)} rows rejected (${formatShare(f.share)})`,
  );
}

/** `60 rejected · invalid_date` / `1 warning · invalid_email`. */
export function groupTitle(group: IssueGroup): string {
  const kind = group.severity === 'error' ? 'rejected' : group.count === 1 ? 'warning' : 'warnings';
  return `${formatCount(group.count)} ${kind} · ${group.code}`;
}

/** `row 3, gross: "$75.00" is not an amount…`; a file-wide issue has no row. */
export function exampleText(example: IssueExample): string {
  const where = [example.row === null ? null : `row ${example.row}`, example.column]
    .filter((part) => part !== null && part !== '')
    .join(', ');
  return where === '' ? example.message : `${where}: ${example.message}`;
}

/**
 * `Caliper created 1 location the exports named: Evolve Austin (evolve-austin). It is not in
 * same-store growth…`; null when the upload created none (or wrote nothing).
 */
export function createdLocationsText(report: IngestReport): string | null {
  const created = report.committed ? (report.created_locations ?? []) : [];
  if (created.length === 0) return null;
  const names = created.map(locationTitle).join(', ');
  return created.length === 1
    ? `Caliper created 1 location the exports named: ${names}. It is ${OPENING_DATE_CONSEQUENCE}.`
    : `Caliper created ${formatCount(created.length)} locations the exports named: ${names}. Each is ${OPENING_DATE_CONSEQUENCE}.`;
}
