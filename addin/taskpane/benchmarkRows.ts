/*
 * The Benchmarks sheet's rows, fetched location by location. There is no CALIPER function
 * for peer ranks, so these are values as of the fetch; a location the API cannot rank keeps
 * its row, with the reason as its note.
 */
import { CaliperApiError, type CaliperClient } from '../api/caliperClient';
import type { BenchmarkRow } from '../excel/boardPack';

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
        const note =
          b.reason ?? (b.shown ? `Cohort of ${b.cohort.size} locations` : 'Fewer than 5 peers: not ranked');
        return {
          locationId,
          value: b.value,
          p25: peers?.p25 ?? null,
          median: peers?.median ?? null,
          p75: peers?.p75 ?? null,
          percentile: b.shown ? b.percentile : null,
          note,
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
          note: error.message,
        };
      }
    }),
  );
}
