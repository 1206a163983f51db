import type { DailyMeasure } from '../../../shared/engine/measures';
import {
  benchmark,
  benchmarkOrWider,
  DEFAULT_COHORT,
  locationAttributes,
  percentileRank,
} from '../../../shared/metrics/benchmarks';
import { MetricContext } from '../../../shared/metrics/metricContext';
import { location, metricData } from '../../support/metricData';

// Seven locations with one visit each in 2025-06 and net revenue (service, neurotoxin) as below.
// West: W1..W5, East: E1, E2. Net revenue in 2025-06 = average ticket (one visit each).
const revenue: Record<string, number> = { W1: 100, W2: 200, W3: 300, W4: 400, W5: 500, E1: 250, E2: 350 };

function dataset(): MetricContext {
  const daily: DailyMeasure[] = [];
  for (const [id, dollars] of Object.entries(revenue)) {
    const at = (measure: string, value: number) => ({
      locationId: id,
      providerId: '',
      day: '2025-06-10',
      measure,
      value,
    });
    daily.push(
      at('net.service', dollars * 100),
      at('service_net.neurotoxin', dollars * 100),
      at('visits', 1),
    );
  }
  const locations = Object.keys(revenue).map((id) =>
    location(id, {
      region: id.startsWith('W') ? 'West' : 'East',
      opened_on: id === 'W5' ? '2024-09-01' : '2018-01-01',
    }),
  );
  return new MetricContext(metricData(locations, daily, { first: '2025-01-01', last: '2025-06-30' }));
}

describe('peer cohorts', () => {
  it('derives size band, region, dominant category and age band for each location', () => {
    const ctx = dataset();
    const attributes = locationAttributes(ctx, {
      label: '2025-06',
      start: '2025-06-01',
      end: '2025-06-30',
      months: 1,
    });
    expect(attributes.get('W5')).toEqual({
      size_band: '<$1M',
      region: 'West',
      dominant_category: 'neurotoxin',
      // Opened 2024-09-01, 0.8 years before 2025-06-30.
      age_band: '<2 years',
    });
    expect(attributes.get('E1')?.age_band).toBe('5+ years');
  });

  it('ranks a location inclusively, 0 for the worst and 100 for the best of the cohort', () => {
    // Ascending values 100, 200, 300, 400, 500: 300 has 2 worse values of n − 1 = 4 → 50.
    expect(percentileRank(300, [100, 200, 300, 400, 500], 'higher')).toBe(50);
    expect(percentileRank(100, [100, 200, 300, 400, 500], 'higher')).toBe(0);
    expect(percentileRank(500, [100, 200, 300, 400, 500], 'higher')).toBe(100);
    // Lower is better (no-show rate): the smallest value is the best.
    expect(percentileRank(0.05, [0.05, 0.1, 0.2, 0.3, 0.4], 'lower')).toBe(100);
    // Ties share a rank: two 200s each have one worse value of 4 → 25.
    expect(percentileRank(200, [100, 200, 200, 400, 500], 'higher')).toBe(25);
  });

  it('shows a benchmark among the five West locations with quartiles', () => {
    const answer = benchmark(dataset(), 'avg_ticket', 'W2', '2025-06', ['region']);
    expect(answer.ok && answer.value).toEqual({
      metric: 'avg_ticket',
      location_id: 'W2',
      period: '2025-06',
      value: 200,
      cohort: { attributes: { region: 'West' }, size: 5 },
      shown: true,
      // W2's 200 is better than W1's 100 only: 1 / 4 → 25.
      percentile: 25,
      // Sorted 100, 200, 300, 400, 500: Q1 at position 1 = 200, median 300, Q3 at position 3 = 400.
      peers: { p25: 200, median: 300, p75: 400 },
    });
  });

  it('never shows a cohort under five locations and offers the next wider one', () => {
    // East has 2 locations; dropping region leaves the whole portfolio of 7.
    const answer = benchmark(dataset(), 'avg_ticket', 'E1', '2025-06', ['region']);
    expect(answer.ok && answer.value).toMatchObject({
      cohort: { attributes: { region: 'East' }, size: 2 },
      shown: false,
      percentile: null,
      peers: null,
      reason: 'the cohort has 2 locations with a value, fewer than the 5 needed to show a benchmark',
      wider_cohort: { attributes: {}, size: 7 },
    });
  });

  it('falls back to the labelled reference range when the whole portfolio is too small', () => {
    const daily: DailyMeasure[] = [
      { locationId: 'A', providerId: '', day: '2025-06-10', measure: 'visits', value: 10 },
      { locationId: 'A', providerId: '', day: '2025-06-10', measure: 'no_show', value: 1 },
    ];
    const ctx = new MetricContext(
      metricData([location('A'), location('B')], daily, { first: '2025-06-01', last: '2025-06-30' }),
    );
    const answer = benchmark(ctx, 'no_show_rate', 'A', '2025-06', ['region']);
    // A: 1 no-show / (10 completed + 1 no-show) = 1/11; B has no appointments, so no value: 1 peer.
    expect(answer.ok && answer.value).toEqual({
      metric: 'no_show_rate',
      location_id: 'A',
      period: '2025-06',
      value: 1 / 11,
      cohort: { attributes: { region: 'unknown' }, size: 1 },
      shown: false,
      percentile: null,
      peers: null,
      reason: 'the cohort has 1 location with a value, fewer than the 5 needed to show a benchmark',
      reference: { label: 'reference range (unsourced)', average: [0.15, 0.2], top: [0.05, 0.08] },
    });
  });

  it('ranks in the next wider cohort when the one asked for is too small, naming both', () => {
    // E1 (250) among East's 2 is not shown; among the whole portfolio of 7 it beats 100 and 200:
    // 2 worse values of n − 1 = 6 → 33.33…; sorted 100, 200, 250, 300, 350, 400, 500 →
    // Q1 at position 1.5 = 225, median 300, Q3 at position 4.5 = 375.
    const answer = benchmarkOrWider(dataset(), 'avg_ticket', 'E1', '2025-06', ['region']);
    expect(answer.ok && answer.value).toEqual({
      metric: 'avg_ticket',
      location_id: 'E1',
      period: '2025-06',
      value: 250,
      cohort: { attributes: {}, size: 7 },
      asked_cohort: { attributes: { region: 'East' }, size: 2 },
      shown: true,
      percentile: (100 * 2) / 6,
      peers: { p25: 225, median: 300, p75: 375 },
    });
  });

  it('answers as asked when the cohort is large enough, with no asked_cohort', () => {
    const asked = benchmark(dataset(), 'avg_ticket', 'W2', '2025-06', ['region']);
    expect(benchmarkOrWider(dataset(), 'avg_ticket', 'W2', '2025-06', ['region'])).toEqual(asked);
  });

  it('ranks among the same size band and region by default, the one default of API, CLI and packs', () => {
    expect(DEFAULT_COHORT).toEqual(['size_band', 'region']);
    // Every location is under $1M: size band and region together are West's five for W3.
    const answer = benchmarkOrWider(dataset(), 'avg_ticket', 'W3', '2025-06');
    expect(answer.ok && answer.value.cohort).toEqual({
      attributes: { size_band: '<$1M', region: 'West' },
      size: 5,
    });
    expect(answer.ok && answer.value.percentile).toBe(50);
  });
});
