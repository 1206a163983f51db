import {
  Button,
  Field,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Radio,
  RadioGroup,
  Text,
} from '@fluentui/react-components';
import { useState } from 'react';

import type { CaliperWorkbook, RefreshScope, SnapshotScope } from '../excel/workbook';
import { errorText } from './errorText';
import { usePanelStyles } from './styles';

const REFRESH_LABELS: Record<RefreshScope, string> = {
  selection: 'Refresh selection',
  sheet: 'Refresh sheet',
  workbook: 'Refresh workbook',
};

export interface RefreshPanelProps {
  workbook: CaliperWorkbook;
}

export function RefreshPanel({ workbook }: RefreshPanelProps) {
  const styles = usePanelStyles();
  const [snapshotScope, setSnapshotScope] = useState<SnapshotScope>('sheet');
  const [confirming, setConfirming] = useState(false);
  const [message, setMessage] = useState<{ intent: 'success' | 'error'; text: string } | null>(null);

  async function run(work: () => Promise<string>) {
    setMessage(null);
    try {
      setMessage({ intent: 'success', text: await work() });
    } catch (e) {
      setMessage({ intent: 'error', text: errorText(e) });
    }
  }

  return (
    <section className={styles.panel} aria-label="Refresh and snapshot">
      <Text weight="semibold">Refresh</Text>
      <div className={styles.row} role="group" aria-label="Refresh CALIPER formulas">
        {(Object.keys(REFRESH_LABELS) as RefreshScope[]).map((scope) => (
          <Button
            key={scope}
            onClick={() =>
              void run(async () => {
                await workbook.refresh(scope);
                return `${REFRESH_LABELS[scope]}: done`;
              })
            }
          >
            {REFRESH_LABELS[scope]}
          </Button>
        ))}
      </div>
      <Text weight="semibold">Snapshot to values</Text>
      <Text className={styles.muted}>
        For people without the add-in: CALIPER formulas become their current values; number formats stay. Save
        a copy of the workbook first if you want to keep the live formulas.
      </Text>
      <Field label="Snapshot scope">
        <RadioGroup
          layout="horizontal"
          value={snapshotScope}
          onChange={(_, d) => setSnapshotScope(d.value as SnapshotScope)}
        >
          <Radio value="sheet" label="This sheet" />
          <Radio value="workbook" label="Whole workbook" />
        </RadioGroup>
      </Field>
      <div className={styles.row}>
        <Button
          appearance="primary"
          onClick={() => {
            setMessage(null);
            setConfirming(true);
          }}
          disabled={confirming}
        >
          Snapshot to values
        </Button>
      </div>
      {confirming ? (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>Replace formulas?</MessageBarTitle>
            Every CALIPER formula in {snapshotScope === 'sheet' ? 'this sheet' : 'the workbook'} will be
            replaced by its value. This cannot be refreshed afterwards.
          </MessageBarBody>
          <MessageBarActions>
            <Button
              appearance="primary"
              onClick={() => {
                setConfirming(false);
                void run(async () => {
                  const result = await workbook.snapshotToValues(snapshotScope);
                  return `Replaced ${result.cells} CALIPER formulas with values in ${result.sheets} sheet${result.sheets === 1 ? '' : 's'}.`;
                });
              }}
            >
              Replace with values
            </Button>
            <Button onClick={() => setConfirming(false)}>Cancel</Button>
          </MessageBarActions>
        </MessageBar>
      ) : null}
      {message === null ? null : (
        <MessageBar intent={message.intent} role="status">
          <MessageBarBody>{message.text}</MessageBarBody>
        </MessageBar>
      )}
    </section>
  );
}
