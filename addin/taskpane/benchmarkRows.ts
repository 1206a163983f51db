/*
 * The Benchmarks sheet's rows, fetched location by location. There is no CALIPER function
 * for peer ranks, so these are values as of the fetch; a location the API cannot rank keeps
 * its row, with the reason as its note. The cohort is the API's default, the same as the
 * CLI's and the server workbook's (shared/metrics/benchmarks.ts, DEFAULT_COHORT): locations
 * of the same size band and region, or the next wider cohort when that one is too small.
 */
import { type BenchmarkBody, CaliperApiError, type CaliperClient } from '../api/caliperClient';
import type { BenchmarkRow } from '../excel/boardPack';

/** `size band M, region South` (as the server workbook writes it); no attribute: the whole portfolio. */
export function cohortText(cohort: BenchmarkBody['cohort']): string {
  const parts = Object.entries(cohort.attributes).map(([k, v]) => `${k.replace('_', ' ')} ${v}`);
  return parts.length === 0 ? 'the whole portfolio' : parts.join(', ');
}

export async function fetchBenchmarkRows(
  client: Pick<CaliperClient, 'benchmarks'>,
  metric: string,
  period: string,
  locationIds: readonly string[],
): Promise<BenchmarkRow[]> {
  return Promise.all(
    locationIds.map(async (locationId): Promise<BenchmarkRow> => {
      try {
        const b = await client.benchmarks({ metric, period, location: locationId });
        const peers = b.shown ? b.peers : null;
        return {
          locationId,
          value: b.value,
          p25: peers?.p25 ?? null,
          median: peers?.median ?? null,
          p75: peers?.p75 ?? null,
          percentile: b.shown ? b.percentile : null,
          cohort: b.shown ? cohortText(b.cohort) : '',
          cohortSize: b.shown ? b.cohort.size : null,
          note: b.shown ? (b.reason ?? '') : (b.reason ?? 'Fewer than 5 peers: not ranked'),
        };
      } catch (error) {
        if (!(error instanceof CaliperApiError) || error.status === 0 || error.status === 401) throw error;
        return {
          locationId,
          value: null,
          p25: null,
          median: null,
          p75: null,
          percentile: null,
          cohort: '',
          cohortSize: null,
          note: error.message,
        };
      }
    }),
  );
}
