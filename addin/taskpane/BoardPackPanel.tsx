import {
  Button,
  Dropdown,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Option,
  Spinner,
  Text,
} from '@fluentui/react-components';
import { useState } from 'react';

import type { CaliperClient, CatalogEntry, Portfolio } from '../api/caliperClient';
import { boardPackSheets, type ColumnUnit } from '../excel/boardPack';
import type { CaliperWorkbook } from '../excel/workbook';
import { fetchBenchmarkRows } from './benchmarkRows';
import { errorText } from './errorText';
import { usePanelStyles } from './styles';

const DEFAULT_BENCHMARK = 'avg_ticket';

function unitOf(unit: string): ColumnUnit {
  return unit === 'usd' || unit === 'ratio' || unit === 'count' || unit === 'hours' || unit === 'minutes'
    ? unit
    : 'count';
}

export interface BoardPackPanelProps {
  client: CaliperClient;
  catalog: CatalogEntry[];
  portfolio: Portfolio;
  workbook: CaliperWorkbook;
  /** Today, as the Benchmarks sheet dates its values; a prop so tests can fix it. */
  today?: () => string;
}

export function BoardPackPanel({ client, catalog, portfolio, workbook, today }: BoardPackPanelProps) {
  const styles = usePanelStyles();
  const [period, setPeriod] = useState('LTM');
  const locationMetrics = catalog.filter((m) => m.scopes.includes('location'));
  const [benchmarkId, setBenchmarkId] = useState(
    locationMetrics.some((m) => m.id === DEFAULT_BENCHMARK)
      ? DEFAULT_BENCHMARK
      : (locationMetrics[0]?.id ?? ''),
  );
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ intent: 'success' | 'error'; text: string } | null>(null);
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

  async function build() {
    if (benchmark === undefined) return;
    setBusy(true);
    setMessage(null);
    try {
      const locations = portfolio.locations.map((l) => ({ id: l.location_id, name: l.name }));
      const rows = await fetchBenchmarkRows(
        client,
        benchmark.id,
        period.trim(),
        locations.map((l) => l.id),
      );
      const sheets = boardPackSheets({
        period: period.trim(),
        locations,
        providers: portfolio.providers.map((p) => ({
          id: p.provider_id,
          name: p.display_name,
          locationIds: p.location_ids,
        })),
        benchmarks: {
          metric: benchmark.id,
          label: benchmark.label,
          unit: unitOf(benchmark.unit),
          asOf: (today ?? (() => new Date().toISOString().slice(0, 10)))(),
          rows,
        },
      });
      const names = await workbook.buildBoardPack(sheets);
      setMessage({ intent: 'success', text: `Added ${names.join(', ')}` });
    } catch (e) {
      setMessage({ intent: 'error', text: errorText(e) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className={styles.panel} aria-label="Board pack">
      <Text>
        Adds the sheets Same-store, Provider P&amp;L, Membership and Benchmarks as Excel tables with charts,
        replacing earlier versions. Their CALIPER formulas read the period from cell B2. Download workbook
        saves the finished board pack as a file for readers without the add-in.
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
          disabled={busy || benchmark === undefined || period.trim() === ''}
          onClick={() => void build()}
        >
          Build board pack
        </Button>
        <Button disabled={busy || period.trim() === ''} onClick={() => void download()}>
          Download workbook
        </Button>
        {busy ? <Spinner size="tiny" label="Building…" /> : null}
      </div>
      {message === null ? null : (
        <MessageBar intent={message.intent}>
          <MessageBarBody>{message.text}</MessageBarBody>
        </MessageBar>
      )}
    </section>
  );
}
