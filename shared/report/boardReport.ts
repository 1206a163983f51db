/*
 * The board pack as a workbook spec: every sheet, in reading order. Pure: the adapters load
 * the context and the sources, and write the spec with exceljs (io/reportWorkbook.ts).
 */
import type { MetricContext } from '../metrics/metricContext';
import type { ReportSources } from '../store/reportSources';
import { BENCHMARK_METRICS, benchmarksSheet } from './benchmarksSheet';
import { dataQualitySheet } from './dataQualitySheet';
import { definitionsSheet } from './definitionsSheet';
import { membershipSheet, patientsSheet } from './locationGridSheets';
import { GAP_METRICS, moneyAtStakeSheet } from './moneyAtStakeSheet';
import { providersSheet } from './providersSheet';
import { reportContext, type ReportFailure } from './reportContext';
import type { ReportNamedCell, ReportSheet, ReportWorkbook } from './reportSpec';
import { sameStoreSheet } from './sameStoreSheet';
import { SUMMARY_METRICS, summarySheet } from './summarySheet';

export interface BoardReportInput {
  ctx: MetricContext;
  period: string;
  /** Narrow the pack to these locations (the portfolio figures stay the tenant's). */
  locationIds?: readonly string[];
  /** What the figures are as of, in words: `current data (ingest #12, 2026-11-30 18:02 UTC)`. */
  basis: string;
  sources: ReportSources;
  /** ISO time the pack was made. */
  generatedAt: string;
  /** Sheets appended after the others (the Restatements sheet of an as-reported pack). */
  extraSheets?: readonly ReportSheet[];
}

/** Every metric a sheet shows, for the Definitions sheet. */
export const REPORT_METRICS: readonly string[] = [
  ...new Set([
    ...SUMMARY_METRICS.flatMap((g) => g.metrics),
    'same_store_revenue_growth',
    'same_store_visits_growth',
    'provider_production',
    'provider_compensation',
    'comp_to_production_ratio',
    'provider_contribution',
    'provider_revenue_per_hour',
    'provider_comp_gap_dollars',
    'arpm',
    'membership_conversion_rate',
    'booked_utilization',
    'late_cancel_rate',
    'utilization_heatmap',
    ...BENCHMARK_METRICS,
    ...GAP_METRICS.map((g) => g.metric),
  ]),
];

export function boardReport(input: BoardReportInput): { ok: true; workbook: ReportWorkbook } | ReportFailure {
  const context = reportContext(input.ctx, input.period, input.locationIds);
  if (!context.ok) return context;
  const r = context.report;
  const named: ReportNamedCell[] = [];
  const sheets: ReportSheet[] = [
    summarySheet(r, input.basis, named),
    sameStoreSheet(r, named),
    providersSheet(r),
    membershipSheet(r),
    patientsSheet(r),
    benchmarksSheet(r),
    moneyAtStakeSheet(r),
    dataQualitySheet(r, input.sources),
    ...(input.extraSheets ?? []),
    definitionsSheet(REPORT_METRICS, input.sources),
  ];
  return {
    ok: true,
    workbook: {
      title: `Caliper board pack — ${r.period.label}`,
      createdAt: input.generatedAt,
      sheets,
      namedCells: named,
    },
  };
}
