import {
  Button,
  Dropdown,
  Field,
  Input,
  makeStyles,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Option,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';

import type { CaliperClient, CallListBody, Portfolio } from '../api/caliperClient';
import { callListSheet } from '../excel/callListSheet';
import type { CaliperWorkbook } from '../excel/workbook';
import { errorText } from './errorText';
import { usePanelStyles } from './styles';

/** The portfolio's value in the location picker (no location id is empty). */
const PORTFOLIO = '';

/** Integer cents as dollars, for display only: 123456 → $1,234.56. */
export function dollars(cents: number): string {
  const abs = Math.abs(cents);
  return `${cents < 0 ? '-' : ''}$${Math.trunc(abs / 100).toLocaleString('en-US')}.${String(abs % 100).padStart(2, '0')}`;
}

const percent = (fraction: number) => `${Math.round(fraction * 100)}%`;

export interface CallListPanelProps {
  client: CaliperClient;
  portfolio: Portfolio;
  workbook: CaliperWorkbook;
}

/**
 * The patients to call, most money at stake first, for a location or the portfolio: the day
 * scored, what is at stake and every fallback of the model above the list, and a button that
 * writes it to a new sheet as values. Patients appear by the practice's own id only.
 */
export function CallListPanel({ client, portfolio, workbook }: CallListPanelProps) {
  const styles = usePanelStyles();
  const open = portfolio.locations.filter((l) => l.closed_on === null);
  const [location, setLocation] = useState(open.length === 1 ? open[0]!.location_id : PORTFOLIO);
  const [n, setN] = useState('25');
  const [list, setList] = useState<CallListBody | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ intent: 'success' | 'error'; text: string } | null>(null);
  const count = Number(n);
  const countOk = /^\d{1,3}$/.test(n.trim()) && count >= 1 && count <= 500;
  const label = (id: string) => {
    const l = portfolio.locations.find((x) => x.location_id === id);
    return l === undefined ? 'Portfolio (every open location)' : `${l.name} (${l.location_id})`;
  };

  async function show() {
    setBusy(true);
    setMessage(null);
    // Not the previous scope's list while this one is scored.
    setList(null);
    try {
      setList(await client.callList({ ...(location === PORTFOLIO ? {} : { location }), n: count }));
    } catch (e) {
      setList(null);
      setMessage({ intent: 'error', text: errorText(e) });
    } finally {
      setBusy(false);
    }
  }

  async function insert() {
    if (list === null) return;
    setMessage(null);
    try {
      const name = await workbook.addValuesSheet(callListSheet(list));
      setMessage({ intent: 'success', text: `Added the sheet ${name}` });
    } catch (e) {
      setMessage({ intent: 'error', text: errorText(e) });
    }
  }

  return (
    <section className={styles.panel} aria-label="Call list">
      <Text>
        Patients with nothing booked, seen in the last year, ranked by the revenue at risk if they do not come
        back. Each is named by the practice&apos;s own patient id: look them up in the EMR.
      </Text>
      <div className={styles.row}>
        <Field label="Location" className={styles.grow}>
          <Dropdown
            value={label(location)}
            selectedOptions={[location]}
            onOptionSelect={(_, d) => setLocation(d.optionValue ?? PORTFOLIO)}
          >
            <Option value={PORTFOLIO} text={label(PORTFOLIO)}>
              {label(PORTFOLIO)}
            </Option>
            {portfolio.locations.map((l) => (
              <Option key={l.location_id} value={l.location_id} text={label(l.location_id)}>
                {label(l.location_id)}
              </Option>
            ))}
          </Dropdown>
        </Field>
        <Field label="Patients" validationMessage={countOk ? undefined : '1 to 500'}>
          <Input value={n} onChange={(_, d) => setN(d.value)} inputMode="numeric" size="small" />
        </Field>
        <Button appearance="primary" disabled={busy || !countOk} onClick={() => void show()}>
          Show call list
        </Button>
        {busy ? <Spinner size="tiny" label="Scoring…" /> : null}
      </div>
      {message === null ? null : (
        <MessageBar intent={message.intent}>
          <MessageBarBody className={styles.wrapAnywhere}>{message.text}</MessageBarBody>
        </MessageBar>
      )}
      {list === null ? null : <CallListView list={list} onInsert={() => void insert()} />}
    </section>
  );
}

const useFactStyles = makeStyles({
  list: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS, margin: 0 },
  fact: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  term: { color: tokens.colorNeutralForeground3 },
  value: { margin: 0, fontWeight: tokens.fontWeightSemibold },
  /** Reasons are sentences: wide enough to read in two or three lines, the table scrolls sideways. */
  reasons: { minWidth: '240px' },
});

function CallListView({ list, onInsert }: { list: CallListBody; onInsert: () => void }) {
  const styles = usePanelStyles();
  const facts = useFactStyles();
  const portfolio = list.scope === 'portfolio';
  const asOf =
    list.as_of ?? list.locations.map((l) => `${l.location_id} ${l.as_of ?? 'not scored'}`).join(', ');
  return (
    <>
      <dl aria-label="Call list facts" className={facts.list}>
        {[
          ['As of', asOf],
          ['Patients scored', list.patients_scored.toLocaleString('en-US')],
          ['With nothing booked, seen in the last year', list.eligible.toLocaleString('en-US')],
          ['Total at risk', dollars(list.eligible_value_at_risk_cents)],
          [`At risk in the ${list.rows.length} listed`, dollars(list.shown_value_at_risk_cents)],
        ].map(([term, value]) => (
          <div key={term} className={facts.fact}>
            <dt className={facts.term}>{term}</dt>
            <dd className={facts.value}>{value}</dd>
          </div>
        ))}
      </dl>
      {list.fallbacks.length === 0 ? null : (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody className={styles.wrapAnywhere}>
            <MessageBarTitle>The model stepped down</MessageBarTitle>
            <ul aria-label="Fallbacks">
              {list.fallbacks.map((f) => (
                <li key={f}>{f}</li>
              ))}
            </ul>
          </MessageBarBody>
        </MessageBar>
      )}
      {list.rows.length === 0 ? (
        <Text>No patient to call.</Text>
      ) : (
        <div className={styles.scroll}>
          <Table size="small" aria-label="Patients to call" className={styles.autoTable}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell>#</TableHeaderCell>
                {portfolio ? <TableHeaderCell>Location</TableHeaderCell> : null}
                <TableHeaderCell>Patient ID</TableHeaderCell>
                <TableHeaderCell>Last treatment</TableHeaderCell>
                <TableHeaderCell>Last visit</TableHeaderCell>
                <TableHeaderCell>Provider</TableHeaderCell>
                <TableHeaderCell>Days overdue</TableHeaderCell>
                <TableHeaderCell>Churn risk</TableHeaderCell>
                <TableHeaderCell>Value at risk</TableHeaderCell>
                <TableHeaderCell>Reasons</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {list.rows.map((r) => (
                <TableRow key={`${r.location_id} ${r.patient_id}`} data-patient={r.patient_id}>
                  <TableCell>{r.rank}</TableCell>
                  {portfolio ? <TableCell>{r.location_id}</TableCell> : null}
                  <TableCell className={styles.noWrap}>{r.patient_id}</TableCell>
                  <TableCell className={styles.noWrap}>{r.last_treatment ?? '—'}</TableCell>
                  <TableCell className={styles.noWrap}>{r.last_visit_on}</TableCell>
                  <TableCell className={styles.noWrap}>{r.provider_name ?? '—'}</TableCell>
                  <TableCell>{r.days_overdue}</TableCell>
                  <TableCell>{percent(r.churn_risk)}</TableCell>
                  <TableCell className={styles.noWrap}>{dollars(r.value_at_risk_cents)}</TableCell>
                  <TableCell className={facts.reasons}>{r.reasons === '' ? '—' : r.reasons}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
      <div className={styles.row}>
        <Button disabled={list.rows.length === 0} onClick={onInsert}>
          Insert into sheet
        </Button>
      </div>
    </>
  );
}
