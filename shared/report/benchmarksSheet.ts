import {
  benchmarkOrWider,
  type CohortSummary,
  DEFAULT_COHORT,
} from '../metrics/benchmarks';
import { metricById } from '../metrics/catalog';
import type { ReferenceRange } from '../metrics/referenceRanges';
import { locationLabel, periodWithDates, type ReportContext } from './reportContext';
import type { ReportCell, ReportSheet, ReportTable } from './reportSpec';

export const BENCHMARK_METRICS: readonly string[] = [
  'rebooking_rate',
  'patient_retention_12m',
  'capacity_utilization',
  'no_show_rate',
  'comp_to_production_ratio',
  'avg_ticket',
  'vip_revenue_share',
];

export function cohortText(c: CohortSummary): string {
  const parts = Object.entries(c.attributes).map(([k, v]) => `${k.replace('_', ' ')} ${v ?? '?'}`);
  return parts.length === 0 ? 'the whole portfolio' : parts.join(', ');
}

function referenceText(ref: ReferenceRange | undefined, unit: string): string {
  if (!ref) return '';
  const fmt = (n: number) => (unit === 'ratio' ? `${Math.round(n * 100)}%` : String(n));
  const range = (r: readonly [number, number]) => `${fmt(r[0])}–${fmt(r[1])}`;
  const parts = [
    ...(ref.average ? [`average ${range(ref.average)}`] : []),
    ...(ref.top ? [`top ${range(ref.top)}`] : []),
    ...(ref.healthy ? [`healthy ${range(ref.healthy)}`] : []),
  ];
  return `${parts.join(', ')} — ${ref.label}`;
}

function metricTable(r: ReportContext, metric: string): ReportTable {
  const definition = metricById(metric);
  const unit = definition?.unit ?? 'ratio';
  const rows: ReportCell[][] = r.locations.map((l) => {
    const ranked = benchmarkOrWider(r.ctx, metric, l.location_id, r.periodText);
    const answer = ranked.ok ? ranked.value : null;
    if (!answer) return [locationLabel(l), null, '', null, null, null, null, null, 'no answer'];
    return [
      locationLabel(l),
      answer.value,
      answer.shown ? cohortText(answer.cohort) : '',
      answer.shown ? answer.cohort.size : null,
      answer.percentile,
      answer.peers?.p25 ?? null,
      answer.peers?.median ?? null,
      answer.peers?.p75 ?? null,
      answer.shown
        ? ''
        : [answer.reason ?? '', referenceText(answer.reference, unit)].filter((t) => t !== '').join('; '),
    ];
  });
  return {
    name: `Benchmarks_${metric.replace(/[^A-Za-z0-9]/g, '_')}`,
    caption: `${definition?.label ?? metric} (${definition?.direction === 'lower' ? 'lower is better' : 'higher is better'})`,
    columns: [
      { key: 'location', header: 'Location', unit: 'text', width: 36 },
      { key: 'value', header: definition?.label ?? metric, unit },
      { key: 'cohort', header: 'Peer cohort', unit: 'text', width: 30 },
      { key: 'size', header: 'Cohort size', unit: 'count' },
      { key: 'percentile', header: 'Percentile (100 = best)', unit: 'percentile' },
      { key: 'p25', header: 'Peer 25th', unit },
      { key: 'median', header: 'Peer median', unit },
      { key: 'p75', header: 'Peer 75th', unit },
      { key: 'note', header: 'Note', unit: 'text', width: 60 },
    ],
    rows,
  };
}

export function benchmarksSheet(r: ReportContext): ReportSheet {
  return {
    name: 'Benchmarks',
    title: 'Benchmarks against peers in the portfolio',
    subtitle: [
      `Period: ${periodWithDates(r.period)}; data as of ${r.asOfMonth ?? '—'}`,
      `Cohort: locations of the same ${DEFAULT_COHORT.join(' and ').replace(/_/g, ' ')}; when fewer than 5 have a value, the next wider cohort is used and named`,
    ],
    tables: BENCHMARK_METRICS.map((m) => metricTable(r, m)),
    notes: [
      'A cohort of fewer than 5 locations is never shown (k-anonymity). Reference ranges are industry rules of thumb with no public survey behind them, labelled unsourced.',
    ],
    orientation: 'landscape',
  };
}
