/*
 * The board pack from a store: the one path the CLI (`caliper report`) and the API
 * (`GET /api/report.xlsx`) share, so both write the same workbook for the same data.
 */
import { openMetricsAsReported } from '../metrics/asReported';
import { metricById } from '../metrics/catalog';
import type { MetricContext } from '../metrics/metricContext';
import { openMetrics } from '../metrics/openMetrics';
import type { CaliperStore, IngestRecord } from '../store/store.port';
import { boardReport, REPORT_METRICS } from './boardReport';
import type { ReportFailure } from './reportContext';
import type { ReportWorkbook } from './reportSpec';
import { restatements } from './restatements';
import { restatementsSheet } from './restatementsSheet';

export interface BoardReportRequest {
  period: string;
  locationIds?: readonly string[];
  /** An ingest id or a date: the figures as they were then, with a Restatements sheet. */
  asReportedAt?: string;
  /** The time the pack is made (ISO); a parameter so tests are repeatable. */
  now: string;
}

export type BoardReportResult = { ok: true; workbook: ReportWorkbook } | ReportFailure;

/** `ingest #12 of 2026-11-30 18:02 UTC`. */
export function ingestText(ingest: Pick<IngestRecord, 'ingest_id' | 'finished_at'>): string {
  return `ingest #${ingest.ingest_id} of ${ingest.finished_at.replace('T', ' ').slice(0, 16)} UTC`;
}

/**
 * `current`: the tenant's context at its latest data version when the caller holds one (the
 * API's metrics cache); opened (refreshing the aggregates) otherwise.
 */
export async function loadBoardReport(
  store: CaliperStore,
  tenant: string,
  request: BoardReportRequest,
  current?: () => Promise<MetricContext>,
): Promise<BoardReportResult> {
  const ingests = await store.ingests(tenant);
  const latest = ingests[ingests.length - 1];
  if (!latest)
    return { ok: false, code: 'no_data', message: 'The tenant has no data yet: ingest a bundle first' };
  const ctx = current ? await current() : await openMetrics(store, tenant);
  const common = {
    period: request.period,
    ...(request.locationIds === undefined ? {} : { locationIds: request.locationIds }),
    sources: await store.reportSources(tenant),
    generatedAt: request.now,
  };
  if (request.asReportedAt === undefined) {
    return boardReport({ ...common, ctx, basis: `current data, as of ${ingestText(latest)}` });
  }
  const reported = await openMetricsAsReported(store, tenant, request.asReportedAt);
  if (!reported.ok) {
    return {
      ok: false,
      code: reported.code === 'no_ingest' ? 'no_data' : 'bad_request',
      message: `as reported at ${JSON.stringify(request.asReportedAt.slice(0, 40))}: ${reported.message}`,
    };
  }
  const reportedAs = `as reported at ${ingestText(reported.ingest)}`;
  const changed = restatements({
    reported: reported.ctx,
    current: ctx,
    metrics: REPORT_METRICS.filter((id) => metricById(id)?.singleValue !== false),
    period: request.period,
    changes: await store.changedRowsSince(tenant, reported.ingest.ingest_id),
  });
  if (!changed.ok)
    return {
      ok: false,
      code: changed.error.code === 'invalid_period' ? 'invalid_period' : 'no_data',
      message: changed.error.message,
    };
  return boardReport({
    ...common,
    ctx: reported.ctx,
    basis: `${reportedAs}; ${changed.restatements.length} figure${changed.restatements.length === 1 ? '' : 's'} restated since (Restatements sheet), latest data ${ingestText(latest)}`,
    extraSheets: [restatementsSheet(changed.restatements, reportedAs, request.period)],
  });
}
