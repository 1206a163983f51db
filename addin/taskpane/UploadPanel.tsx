import { Button, Field, MessageBar, MessageBarBody, ProgressBar, Text } from '@fluentui/react-components';
import { useId, useState } from 'react';

import type { CaliperClient, IngestJobProgress, IngestReport } from '../api/caliperClient';
import { errorText } from './errorText';
import { showPanel } from './navigation';
import { usePanelStyles } from './styles';
import { UploadReportView } from './UploadReportView';

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
  /** The files the report is about: the confirm step sends exactly these again. */
  const [sent, setSent] = useState<File[]>([]);
  const [error, setError] = useState<string | null>(null);

  async function upload(chosen: File[], acceptRejected = false) {
    setBusy(true);
    setError(null);
    setReport(null);
    setProgress(null);
    setSent(chosen);
    try {
      const result = await client.ingestFiles(chosen, setProgress, { acceptRejected });
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
        <UploadReportView
          report={report}
          busy={busy}
          onAccept={() => void upload(sent, true)}
          onSetOpeningDates={() => showPanel('locations')}
        />
      )}
    </section>
  );
}
