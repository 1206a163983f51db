/*
 * Everything the board pack needs from the API, gathered before anything is written:
 * - the period's dates and the same-store comparable set with each exclusion's reason, from
 *   the trace of the portfolio's same-store growth (what CALIPER.SAMESTORESET reads);
 * - the data's as-of month, from the portfolio (what CALIPER.ASOF reads);
 * - each provider line's production, compensation and contribution, to rank the top 15 and
 *   total the rest;
 * - the benchmark rows, ranked in their cohort.
 * Every figure is asked for the pinned period, so the sheets and their heading agree.
 */
import type { CaliperClient, MetricRequest, Portfolio } from '../api/caliperClient';
import { type BoardPackInput, type ColumnUnit, pinnedPeriod, type ProviderLine } from '../excel/boardPack';
import { fetchBenchmarkRows } from './benchmarkRows';

const PROVIDER_METRICS = ['provider_production', 'provider_compensation', 'provider_contribution'] as const;

export interface BoardPackRequest {
  /** The period as typed (`LTM`, `2025-Q3`). */
  period: string;
  benchmark: { metric: string; label: string; unit: ColumnUnit };
}

interface SameStoreDetails {
  comparable?: string[];
  excluded?: { location_id: string; reason: string }[];
}

async function providerLines(
  client: Pick<CaliperClient, 'metricsBatch'>,
  portfolio: Portfolio,
  period: string,
): Promise<ProviderLine[]> {
  const pairs = portfolio.providers.flatMap((p) => p.location_ids.map((locationId) => ({ p, locationId })));
  if (pairs.length === 0) return [];
  const requests: MetricRequest[] = pairs.flatMap(({ p, locationId }) =>
    PROVIDER_METRICS.map((metric) => ({ metric, period, location: locationId, provider: p.provider_id })),
  );
  const { results } = await client.metricsBatch(requests);
  const valueAt = (index: number): number | null => {
    const result = results[index];
    return result === undefined || 'error' in result ? null : result.value;
  };
  return pairs.map(({ p, locationId }, i) => ({
    providerId: p.provider_id,
    name: p.display_name,
    locationId,
    production: valueAt(i * PROVIDER_METRICS.length),
    compensation: valueAt(i * PROVIDER_METRICS.length + 1),
    contribution: valueAt(i * PROVIDER_METRICS.length + 2),
  }));
}

export async function loadBoardPackInput(
  client: Pick<CaliperClient, 'trace' | 'metricsBatch' | 'benchmarks'>,
  portfolio: Portfolio,
  request: BoardPackRequest,
): Promise<BoardPackInput> {
  const trace = await client.trace({ metric: 'same_store_revenue_growth', period: request.period });
  const { label, start, end } = trace.period;
  const cell = pinnedPeriod(label, start, end);
  const details = (trace.details ?? {}) as SameStoreDetails;
  const locations = portfolio.locations.map((l) => ({ id: l.location_id, name: l.name }));
  const [lines, benchmarkRows] = await Promise.all([
    providerLines(client, portfolio, cell),
    fetchBenchmarkRows(
      client,
      request.benchmark.metric,
      cell,
      locations.map((l) => l.id),
    ),
  ]);
  return {
    period: { typed: request.period, cell, start, end },
    asOfMonth: portfolio.periods.as_of_month,
    locations,
    sameStore: {
      comparable: details.comparable ?? [],
      excluded: (details.excluded ?? []).map((e) => ({ locationId: e.location_id, reason: e.reason })),
    },
    providerLines: lines,
    benchmarks: { ...request.benchmark, rows: benchmarkRows },
  };
}
