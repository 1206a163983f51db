import { EventRows } from '../engine/eventRows';
import type { DailyMeasure } from '../engine/measures';
import { inPersonOrder, type LocationPatientFacts } from '../engine/personOrder';
import { type AggregateStore, computeLocationAggregates, type LocationAggregates } from '../engine/refresh';
import { RevenueRows } from '../engine/revenueRows';
import type { IngestRecord } from '../store/store.port';
import type { MetricDimensions, StoreHistory } from '../store/storeHistory';
import { type AsReportedRefusal, type ReportedIngest, resolveAsReportedAt } from './asReportedAt';
import { DailySeries } from './dailySeries';
import { DEFAULT_SETTINGS, type MetricContext, type MetricSettings } from './metricContext';
import type { MetricData } from './metricData';
import { metricContextOf } from './openMetrics';

/*
 * Figures "as reported": the metrics as they would have answered right after ingest N. The
 * stored aggregates are only ever the current ones, so the aggregates of then are computed again
 * from the facts that stood after N, by the same computeLocationAggregates the refresh runs, and
 * assembled into the same MetricData the store loads. No metric rule is restated here, and the
 * stored aggregates are never touched.
 */

/** The store reads the as-reported figures need. */
export type AsReportedStore = Pick<AggregateStore, 'loadLocationFacts'> &
  Pick<StoreHistory, 'loadMetricDimensions'>;

/**
 * MetricData from the dimensions and each location's aggregates, shaped as the store's
 * loadMetricData answers: the daily measures over the span they cover, the events ordered by
 * person, start and appointment, the revenue by person and day.
 */
export function assembleMetricData(
  dimensions: MetricDimensions,
  aggregates: Iterable<readonly [string, LocationAggregates]>,
): MetricData {
  const dailyRows: DailyMeasure[] = [];
  const facts: LocationPatientFacts[] = [];
  let first: string | null = null;
  let last: string | null = null;
  for (const [locationId, a] of aggregates) {
    // Stored under the location they were computed for, as replaceLocationAggregates writes them.
    for (const d of a.daily) {
      dailyRows.push({ ...d, locationId });
      if (first === null || d.day < first) first = d.day;
      if (last === null || d.day > last) last = d.day;
    }
    facts.push({
      events: EventRows.from(a.events.map((e) => ({ ...e, locationId }))),
      revenue: RevenueRows.from(a.revenue.map((r) => ({ ...r, locationId }))),
    });
  }
  const daily = new DailySeries(first ?? '2000-01-01', last ?? '1999-12-31');
  for (const d of dailyRows) daily.add(d);
  daily.finalize();
  return { ...dimensions, daily, ...inPersonOrder(facts) };
}

/**
 * The tenant's MetricData as it stood after ingest `ingestId`: its dimensions then, and each of
 * its locations' aggregates computed from that location's facts then, one location at a time.
 */
export async function loadMetricDataAsOf(
  store: AsReportedStore,
  tenant: string,
  ingestId: number,
): Promise<MetricData> {
  const dimensions = await store.loadMetricDimensions(tenant, ingestId);
  const perLocation: [string, LocationAggregates][] = [];
  for (const { location_id: locationId } of dimensions.locations) {
    const facts = await store.loadLocationFacts(tenant, locationId, ingestId);
    perLocation.push([locationId, computeLocationAggregates(facts)]);
  }
  return assembleMetricData(dimensions, perLocation);
}

/** The MetricContext the metrics would have answered from right after ingest `ingestId`. */
export async function loadMetricContextAsOf(
  store: AsReportedStore,
  tenant: string,
  ingestId: number,
  settings: MetricSettings = DEFAULT_SETTINGS,
): Promise<MetricContext> {
  return metricContextOf(await loadMetricDataAsOf(store, tenant, ingestId), settings);
}

export type AsReportedContext = { ok: true; ctx: MetricContext; ingest: ReportedIngest } | AsReportedRefusal;

/**
 * The figures as reported at `asReportedAt` (an ingest id or a date, see asReportedAt.ts) for
 * the CLI and the API alike: the ingest it names, and the context as of it; or why it names none.
 */
export async function openMetricsAsReported(
  store: AsReportedStore & { ingests(tenant: string): Promise<IngestRecord[]> },
  tenant: string,
  asReportedAt: string,
  settings: MetricSettings = DEFAULT_SETTINGS,
): Promise<AsReportedContext> {
  const resolved = resolveAsReportedAt(asReportedAt, await store.ingests(tenant));
  if (!resolved.ok) return resolved;
  const ctx = await loadMetricContextAsOf(store, tenant, resolved.ingest.ingest_id, settings);
  return { ok: true, ctx, ingest: resolved.ingest };
}
