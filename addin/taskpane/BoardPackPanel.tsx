import {
  Button,
  Dropdown,
  Field,
  Input,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Option,
  Spinner,
  Text,
} from '@fluentui/react-components';
import { useState } from 'react';

import type { CaliperClient, CatalogEntry, Portfolio } from '../api/caliperClient';
import {
  BOARD_PACK_SHEET_NAMES,
  boardPackSheets,
  boardPackSummary,
  type ColumnUnit,
  periodHeading,
} from '../excel/boardPack';
import type { CaliperWorkbook } from '../excel/workbook';
import { loadBoardPackInput } from './boardPackData';
import { errorText } from './errorText';
import { usePanelStyles } from './styles';

const DEFAULT_BENCHMARK = 'avg_ticket';

function unitOf(unit: string): ColumnUnit {
  return unit === 'usd' || unit === 'ratio' || unit === 'count' || unit === 'hours' || unit === 'minutes'
    ? unit
    : 'count';
}

/** `A`, `A and B`, `A, B and C`. */
function listText(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''}`;
}

export interface BoardPackPanelProps {
  client: CaliperClient;
  catalog: CatalogEntry[];
  portfolio: Portfolio;
  workbook: CaliperWorkbook;
}

export function BoardPackPanel({ client, catalog, portfolio, workbook }: BoardPackPanelProps) {
  const styles = usePanelStyles();
  const [period, setPeriod] = useState('LTM');
  const locationMetrics = catalog.filter((m) => m.scopes.includes('location'));
  const [benchmarkId, setBenchmarkId] = useState(
    locationMetrics.some((m) => m.id === DEFAULT_BENCHMARK)
      ? DEFAULT_BENCHMARK
      : (locationMetrics[0]?.id ?? ''),
  );
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ intent: 'success' | 'error' | 'info'; text: string } | null>(null);
  /** Sheets of an earlier pack the build would replace, while the user decides. */
  const [toReplace, setToReplace] = useState<string[] | null>(null);
  const benchmark = locationMetrics.find((m) => m.id === benchmarkId);

  /** The finished workbook from the API (for readers without the add-in), saved by the browser. */
  async function download() {
    setBusy(true);
    setMessage(null);
    try {
      const blob = await client.reportWorkbook({ period: period.trim() });
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = `board-pack-${period.trim().replace(/[^A-Za-z0-9@._-]+/g, '_')}.xlsx`;
      document.body.appendChild(link);
      link.click();
      link.remove();
      // Revoked after the click has been handled, not before the download starts.
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      setMessage({ intent: 'success', text: `Downloaded ${link.download}` });
    } catch (e) {
      setMessage({ intent: 'error', text: errorText(e) });
    } finally {
      setBusy(false);
    }
  }

  /** Writes the pack; reached directly when no sheet is in the way, else through Replace. */
  async function write() {
    if (benchmark === undefined) return;
    setBusy(true);
    setMessage(null);
    setToReplace(null);
    try {
      const input = await loadBoardPackInput(client, portfolio, {
        period: period.trim(),
        benchmark: { metric: benchmark.id, label: benchmark.label, unit: unitOf(benchmark.unit) },
      });
      const names = await workbook.buildBoardPack(boardPackSheets(input));
      setMessage({
        intent: 'success',
        text: `Added ${listText(names)} for ${periodHeading(input.period, input.asOfMonth)}. ${boardPackSummary(input)}`,
      });
    } catch (e) {
      setMessage({ intent: 'error', text: errorText(e) });
    } finally {
      setBusy(false);
    }
  }

  /** Asks first when sheets of an earlier pack (or the user's own sheets of those names) exist. */
  async function build() {
    setBusy(true);
    setMessage(null);
    try {
      const existing = await workbook.existingSheets(BOARD_PACK_SHEET_NAMES);
      if (existing.length > 0) {
        setToReplace(existing);
        setBusy(false);
        return;
      }
    } catch (e) {
      setMessage({ intent: 'error', text: errorText(e) });
      setBusy(false);
      return;
    }
    await write();
  }

  function cancel() {
    setToReplace(null);
    setMessage({ intent: 'info', text: 'Board pack cancelled: nothing was written.' });
  }

  return (
    <section className={styles.panel} aria-label="Board pack">
      <Text>
        Adds the sheets Same-store, Provider P&amp;L, Membership and Benchmarks as Excel tables with charts,
        asking before it replaces earlier ones. Their CALIPER formulas read the period from cell B2, pinned to
        the dates the pack was built for. Download workbook saves the finished board pack as a file for
        readers without the add-in.
      </Text>
      <Field label="Period" required hint="LTM, YTD, 2024, 2024-Q4…">
        <Input value={period} onChange={(_, d) => setPeriod(d.value)} />
      </Field>
      <Field label="Benchmark metric" required>
        <Dropdown
          value={benchmark?.label ?? ''}
          selectedOptions={benchmark === undefined ? [] : [benchmark.id]}
          onOptionSelect={(_, d) => setBenchmarkId(d.optionValue ?? '')}
        >
          {locationMetrics.map((m) => (
            <Option key={m.id} value={m.id} text={m.label}>
              {m.label}
            </Option>
          ))}
        </Dropdown>
      </Field>
      <div className={styles.row}>
        <Button
          appearance="primary"
          disabled={busy || toReplace !== null || benchmark === undefined || period.trim() === ''}
          onClick={() => void build()}
        >
          Build board pack
        </Button>
        <Button disabled={busy || period.trim() === ''} onClick={() => void download()}>
          Download workbook
        </Button>
        {busy ? <Spinner size="tiny" label="Building…" /> : null}
      </div>
      {toReplace === null ? null : (
        <MessageBar intent="warning" layout="multiline" aria-label="Replace sheets?">
          <MessageBarBody>
            <MessageBarTitle>
              Replace {toReplace.length === 1 ? 'a sheet' : `${toReplace.length} sheets`}?
            </MessageBarTitle>
            This workbook already has {listText(toReplace)}. Building the pack deletes{' '}
            {toReplace.length === 1 ? 'it' : 'them'} and writes new ones; edits made there are lost.
          </MessageBarBody>
          <MessageBarActions>
            <Button appearance="primary" onClick={() => void write()}>
              Replace
            </Button>
            <Button onClick={cancel}>Cancel</Button>
          </MessageBarActions>
        </MessageBar>
      )}
      {message === null ? null : (
        <MessageBar intent={message.intent}>
          <MessageBarBody>{message.text}</MessageBarBody>
        </MessageBar>
      )}
    </section>
  );
}
