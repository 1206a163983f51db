import {
  Button,
  Dropdown,
  Field,
  Input,
  makeStyles,
  MessageBar,
  MessageBarBody,
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

import type { BriefingBody, CaliperClient, Portfolio } from '../api/caliperClient';
import { dollars } from './CallListPanel';
import { errorText } from './errorText';
import { usePanelStyles } from './styles';

/** The portfolio's value in the scope picker (no location id is empty). */
const PORTFOLIO = '';

type BriefingItem = BriefingBody['items'][number];
type BriefingFigure = BriefingItem['trace'][number];

/** Integer cents as whole dollars, as the briefing's sentences say them: 123456 → $1,235, −$1,235. */
export function wholeDollars(cents: number): string {
  const whole = Math.round(Math.abs(cents) / 100);
  return `${cents < 0 && whole > 0 ? '\u2212' : ''}$${whole.toLocaleString('en-US')}`;
}

/** An item's dollars as the pane shows them; none: a dash and the reason. */
export function itemDollars(item: Pick<BriefingItem, 'dollars_cents' | 'dollars_basis'>): string {
  return item.dollars_cents === null ? `— ${item.dollars_basis}` : wholeDollars(item.dollars_cents);
}

/** Today by the pane's own calendar, YYYY-MM-DD. */
function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export interface BriefingPanelProps {
  client: CaliperClient;
  portfolio: Portfolio;
}

/**
 * The daily briefing of the portfolio or a location: what changed and what to do, largest
 * dollars first, each item with the figures behind it (each answered by the trace) and the notes
 * (what was left out and why) below.
 */
export function BriefingPanel({ client, portfolio }: BriefingPanelProps) {
  const styles = usePanelStyles();
  const [location, setLocation] = useState(PORTFOLIO);
  const [date, setDate] = useState(today);
  const [body, setBody] = useState<BriefingBody | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const dateOk = /^\d{4}-\d{2}-\d{2}$/.test(date);
  const label = (id: string) => {
    const l = portfolio.locations.find((x) => x.location_id === id);
    return l === undefined ? 'Portfolio' : `${l.name} (${l.location_id})`;
  };

  async function show() {
    setBusy(true);
    setError(null);
    // Not the previous scope's briefing while this one is made.
    setBody(null);
    try {
      setBody(await client.briefing({ ...(location === PORTFOLIO ? {} : { location }), date }));
    } catch (e) {
      setBody(null);
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className={styles.panel} aria-label="Briefing">
      <Text>
        What changed and what to do, largest dollars first. Every item rests on the figures in its trace;
        patients are only counted and summed.
      </Text>
      <div className={styles.row}>
        <Field label="Scope" className={styles.grow}>
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
        <Field label="Date" validationMessage={dateOk ? undefined : 'A day, YYYY-MM-DD'}>
          <Input type="date" value={date} onChange={(_, d) => setDate(d.value)} size="small" />
        </Field>
        <Button appearance="primary" disabled={busy || !dateOk} onClick={() => void show()}>
          Show briefing
        </Button>
        {busy ? <Spinner size="tiny" label="Making the briefing…" /> : null}
      </div>
      {error === null ? null : (
        <MessageBar intent="error">
          <MessageBarBody className={styles.wrapAnywhere}>{error}</MessageBarBody>
        </MessageBar>
      )}
      {body === null ? null : <BriefingView body={body} />}
    </section>
  );
}

const useBriefingStyles = makeStyles({
  facts: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS, margin: 0 },
  fact: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  term: { color: tokens.colorNeutralForeground3 },
  value: { margin: 0, fontWeight: tokens.fontWeightSemibold },
  items: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    margin: 0,
    paddingLeft: tokens.spacingHorizontalL,
  },
  item: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  dollars: { fontWeight: tokens.fontWeightSemibold },
  /** Why an item has no dollars: a sentence, read after the dash, not shouted. */
  reason: { fontWeight: tokens.fontWeightRegular, color: tokens.colorNeutralForeground3 },
  summary: { cursor: 'pointer', color: tokens.colorBrandForeground1 },
});

function BriefingView({ body }: { body: BriefingBody }) {
  const styles = usePanelStyles();
  const b = useBriefingStyles();
  const scope =
    body.scope.kind === 'portfolio'
      ? 'The portfolio'
      : `${body.scope.name ?? ''} (${body.scope.location_id ?? ''})`;
  return (
    <>
      <dl aria-label="Briefing facts" className={b.facts}>
        {[
          ['Scope', scope],
          ['Date', body.date],
          ['Month', body.as_of_month ?? '— no complete month'],
        ].map(([term, value]) => (
          <div key={term} className={b.fact}>
            <dt className={b.term}>{term}</dt>
            <dd className={b.value}>{value}</dd>
          </div>
        ))}
      </dl>
      {body.items.length === 0 ? (
        <Text>Nothing to report.</Text>
      ) : (
        <ol aria-label="Briefing items" className={b.items}>
          {body.items.map((item, i) => (
            <li key={i} className={b.item} data-kind={item.kind}>
              <span className={b.dollars} data-role="dollars">
                {item.dollars_cents === null ? (
                  <>
                    —<span className={b.reason}> {item.dollars_basis}</span>
                  </>
                ) : (
                  itemDollars(item)
                )}
              </span>
              <Text className={styles.wrapAnywhere} data-role="sentence">
                {item.sentence}
              </Text>
              <details>
                <summary className={b.summary}>Trace</summary>
                <TraceTable figures={item.trace} />
              </details>
            </li>
          ))}
        </ol>
      )}
      {body.notes.length === 0 ? null : (
        <div>
          <Text weight="semibold">Notes</Text>
          <ul aria-label="Notes">
            {body.notes.map((note, i) => (
              <li key={i} className={styles.wrapAnywhere}>
                {note}
              </li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}

/** A figure's scope in words: the kind and its ids. */
function figureScope(f: BriefingFigure): string {
  if (f.scope !== undefined) {
    const ids = [f.scope.location_id, f.scope.provider_id].filter((x) => typeof x === 'string');
    return [String(f.scope.kind), ...ids].join(' ');
  }
  return f.location_id ?? '—';
}

/** A figure's value in its unit; none: a dash and the reason. */
function figureValue(f: BriefingFigure): string {
  if (f.value === null) return f.reason === undefined ? '—' : `— ${f.reason}`;
  switch (f.unit) {
    case 'cents':
      return dollars(f.value);
    case 'ratio':
      return `${(f.value * 100).toFixed(1)}%`;
    default:
      return f.value.toLocaleString('en-US');
  }
}

function TraceTable({ figures }: { figures: BriefingFigure[] }) {
  const styles = usePanelStyles();
  return (
    <div className={styles.scroll}>
      <Table size="extra-small" aria-label="Trace" className={styles.autoTable}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell>Metric</TableHeaderCell>
            <TableHeaderCell>Scope</TableHeaderCell>
            <TableHeaderCell>Period</TableHeaderCell>
            <TableHeaderCell>Value</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {figures.map((f, i) => (
            <TableRow key={i} title={f.trace.api}>
              <TableCell className={styles.wrapAnywhere}>{f.metric ?? f.name}</TableCell>
              <TableCell className={styles.noWrap}>{figureScope(f)}</TableCell>
              <TableCell className={styles.noWrap}>{f.period ?? f.as_of ?? f.month ?? '—'}</TableCell>
              <TableCell className={styles.wrapAnywhere}>{figureValue(f)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
