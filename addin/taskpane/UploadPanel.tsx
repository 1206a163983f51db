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

function contentTypeOf(file: File): string {
  return file.name.toLowerCase().endsWith('.csv') ? 'text/csv' : 'application/zip';
}

export interface UploadPanelProps {
  client: CaliperClient;
  onUploaded: (report: IngestReport) => void;
}

export function UploadPanel({ client, onUploaded }: UploadPanelProps) {
  const styles = usePanelStyles();
  const inputId = useId();
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<IngestJobProgress | null>(null);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<IngestReport | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function upload(chosen: File) {
    setBusy(true);
    setError(null);
    setReport(null);
    setProgress(null);
    try {
      const result = await client.ingest(chosen, contentTypeOf(chosen), setProgress, {
        filename: chosen.name,
      });
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
  const issues = report?.files.flatMap((f) => f.issues) ?? [];

  return (
    <section className={styles.panel} aria-label="Upload exports">
      <Text>Upload a bundle (.zip) or one canonical CSV. Nothing is written unless every file passes.</Text>
      <div>
        <label htmlFor={inputId}>Export file (.zip or .csv)</label>
        <input
          id={inputId}
          type="file"
          accept=".zip,.csv,application/zip,text/csv"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
      </div>
      <div className={styles.row}>
        <Button
          appearance="primary"
          disabled={file === null || busy}
          onClick={() => file && void upload(file)}
        >
          Upload
        </Button>
      </div>
      {busy ? (
        <Field
          label="Upload progress"
          validationState="none"
          validationMessage={progress?.progress.file ?? progress?.status ?? 'Sending…'}
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
