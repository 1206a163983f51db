import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
} from '@fluentui/react-components';

import type { IngestReport } from '../api/caliperClient';
import { IssueGroupList } from './IssueGroupList';
import { usePanelStyles } from './styles';
import {
  acceptLabel,
  createdLocationsText,
  filesOverLines,
  formatCount,
  needsAcceptance,
  overLimitText,
  rowsSummary,
} from './uploadReport';

export interface UploadReportViewProps {
  report: IngestReport;
  busy: boolean;
  /** The confirm step: send the same files again with the rejected rows accepted. */
  onAccept: () => void;
  /** Shows the Locations view, where the locations this upload created get their opening dates. */
  onSetOpeningDates?: () => void;
}

/**
 * An ingest report: what was written, the files, and the issues by reason. When files are over
 * the rejected-row threshold nothing was written, and the user may commit the accepted rows anyway.
 */
export function UploadReportView({ report, busy, onAccept, onSetOpeningDates }: UploadReportViewProps) {
  const styles = usePanelStyles();
  // Grouped by file and code, with the vendor conversion's findings (unmapped services, reconciliation).
  const groups = report.issue_groups;
  const issueCount = groups.reduce((sum, g) => sum + g.count, 0);
  const confirm = needsAcceptance(report);
  const recognized = report.vendor_files ?? [];
  const reconciled = report.reconciliation ?? [];
  const created = createdLocationsText(report);
  return (
    <>
      <MessageBar
        intent={report.committed ? (issueCount > 0 ? 'warning' : 'success') : confirm ? 'warning' : 'error'}
      >
        <MessageBarBody className={styles.wrapAnywhere}>
          <MessageBarTitle>
            {report.committed
              ? 'Data-quality report'
              : confirm
                ? 'Nothing was written: too many rejected rows'
                : 'Nothing was written'}
          </MessageBarTitle>
          {report.committed
            ? `${rowsSummary(report)} ${formatCount(issueCount)} issues.`
            : confirm
              ? overLimitText(report)
              : (report.failure ?? 'The upload did not pass.')}
        </MessageBarBody>
      </MessageBar>
      {confirm ? (
        <>
          <ul aria-label="Files over the rejected-row limit">
            {filesOverLines(report).map((line) => (
              <li key={line} className={styles.wrapAnywhere}>
                {line}
              </li>
            ))}
          </ul>
          <Text>
            Check the reasons below. Fix the files and upload again, or commit the accepted rows: the rejected
            rows are left out.
          </Text>
          <div className={styles.row}>
            <Button appearance="primary" disabled={busy} onClick={onAccept}>
              {acceptLabel(report)}
            </Button>
          </div>
        </>
      ) : null}
      {created === null ? null : (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody className={styles.wrapAnywhere}>
            <MessageBarTitle>New locations</MessageBarTitle>
            {created}
          </MessageBarBody>
          {onSetOpeningDates === undefined ? null : (
            <MessageBarActions>
              <Button appearance="primary" onClick={onSetOpeningDates}>
                Set opening dates
              </Button>
            </MessageBarActions>
          )}
        </MessageBar>
      )}
      {recognized.length === 0 ? null : (
        <ul aria-label="Recognized exports">
          {recognized.map((r) => (
            <li key={r.file} className={styles.wrapAnywhere}>
              {r.file}: {r.vendor} · {r.report}
            </li>
          ))}
        </ul>
      )}
      {reconciled.length === 0 ? null : (
        <Text>
          Sales reconciliation (POS against the EMR): {reconciled.length} location-months,{' '}
          {reconciled.filter((r) => r.flagged).length} more than 2 % apart.
        </Text>
      )}
      <div className={styles.scroll}>
        <Table size="small" aria-label="Files in the upload" className={styles.autoTable}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>File</TableHeaderCell>
              <TableHeaderCell>Accepted</TableHeaderCell>
              <TableHeaderCell>Rejected</TableHeaderCell>
              <TableHeaderCell>Issues</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {report.files.map((f) => (
              <TableRow key={f.file}>
                <TableCell className={styles.wrapAnywhere}>{f.file}</TableCell>
                <TableCell>{formatCount(f.rows_accepted)}</TableCell>
                <TableCell>{formatCount(f.rows_rejected)}</TableCell>
                <TableCell>{formatCount(f.issues.length)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
      <IssueGroupList groups={groups} />
    </>
  );
}
