import {
  Button,
  Field,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  ProgressBar,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
} from '@fluentui/react-components';
import { useId, useState } from 'react';

import type { CaliperClient, IngestJobProgress, IngestReport } from '../api/caliperClient';
import { errorText } from './errorText';
import { usePanelStyles } from './styles';

/** How many row-level issues the pane lists; the full report stays with the API. */
const ISSUES_SHOWN = 20;

export interface UploadPanelProps {
  client: CaliperClient;
  onUploaded: (report: IngestReport) => void;
}

export function UploadPanel({ client, onUploaded }: UploadPanelProps) {
  const styles = usePanelStyles();
  const inputId = useId();
  const [files, setFiles] = useState<File[]>([]);
  const [progress, setProgress] = useState<IngestJobProgress | null>(null);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<IngestReport | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function upload(chosen: File[]) {
    setBusy(true);
    setError(null);
    setReport(null);
    setProgress(null);
    try {
      const result = await client.ingestFiles(chosen, setProgress);
      setReport(result);
      onUploaded(result);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  const fraction =
    progress === null || progress.progress.bytes_total === 0
      ? undefined
      : progress.progress.bytes_done / progress.progress.bytes_total;
  // Findings of the vendor conversion (unmapped services, reconciliation) read like any other issue.
  const issues = [...(report?.conversion_issues ?? []), ...(report?.files.flatMap((f) => f.issues) ?? [])];
  const recognized = report?.vendor_files ?? [];
  const reconciled = report?.reconciliation ?? [];

  return (
    <section className={styles.panel} aria-label="Upload exports">
      <Text>
        Upload a bundle (.zip), or canonical files and system exports (Zenoti, Square, Stripe, Mindbody,
        Boulevard, Gusto, ADP, Google Ads, Meta…) together. Nothing is written unless every file passes.
      </Text>
      <div>
        <label htmlFor={inputId}>Export files (.zip, .csv or .json)</label>
        <input
          id={inputId}
          type="file"
          multiple
          accept=".zip,.csv,.json,application/zip,text/csv,application/json"
          onChange={(e) => setFiles(Array.from(e.target.files ?? []))}
        />
      </div>
      <div className={styles.row}>
        <Button appearance="primary" disabled={files.length === 0 || busy} onClick={() => void upload(files)}>
          Upload
        </Button>
      </div>
      {busy ? (
        <Field
          label="Upload progress"
          validationState="none"
          validationMessage={
            progress === null
              ? 'Sending…'
              : `${progress.progress.phase === 'converting' ? 'Converting' : 'Reading'} ${progress.progress.file ?? progress.status}`
          }
        >
          <ProgressBar value={fraction} />
        </Field>
      ) : null}
      {error === null ? null : (
        <MessageBar intent="error">
          <MessageBarBody>{error}</MessageBarBody>
        </MessageBar>
      )}
      {report === null ? null : (
        <>
          <MessageBar intent={report.committed ? (issues.length > 0 ? 'warning' : 'success') : 'error'}>
            <MessageBarBody>
              <MessageBarTitle>
                {report.committed ? 'Data-quality report' : 'Nothing was written'}
              </MessageBarTitle>
              {report.committed
                ? `${report.totals.rows_accepted} of ${report.totals.rows_read} rows accepted, ` +
                  `${report.totals.rows_rejected} rejected, ${issues.length} issues.`
                : (report.failure ?? 'The upload did not pass.')}
            </MessageBarBody>
          </MessageBar>
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
                    <TableCell>{f.rows_accepted}</TableCell>
                    <TableCell>{f.rows_rejected}</TableCell>
                    <TableCell>{f.issues.length}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
          {issues.length === 0 ? null : (
            <ul aria-label="Data-quality issues">
              {issues.slice(0, ISSUES_SHOWN).map((issue, i) => (
                <li key={i}>
                  {issue.severity}: {issue.file}
                  {issue.row === null ? '' : ` row ${issue.row}`}
                  {issue.column === null ? '' : ` (${issue.column})`}: {issue.message}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
