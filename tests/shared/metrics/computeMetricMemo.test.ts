import { computeMetric } from '../../../shared/metrics/computeMetric';
import { MetricContext } from '../../../shared/metrics/metricContext';
import { location, metricData } from '../../support/metricData';

/*
 * A context remembers its answers for the next question (a workbook recalculating), unless the
 * caller asks each cell once (`caliper precompute`: 506 k cells at 200 locations), which would
 * only fill the memo.
 */

const data = () => metricData([location('L1')], [], { first: '2025-01-01', last: '2025-12-31' });
const site = { kind: 'location', locationId: 'L1' } as const;

describe("a context's memo of answers", () => {
  it('answers a question asked again with the answer it remembered', () => {
    const ctx = new MetricContext(data());
    const first = computeMetric(ctx, 'net_revenue', site, '2025');
    expect(computeMetric(ctx, 'net_revenue', site, '2025')).toBe(first);
    // Not remembering does not forget: a remembered answer is still read.
    expect(computeMetric(ctx, 'net_revenue', site, '2025', { remember: false })).toBe(first);
  });

  it('keeps nothing of a question asked with remember: false, and answers it the same', () => {
    const ctx = new MetricContext(data());
    const once = computeMetric(ctx, 'net_revenue', site, '2025', { remember: false });
    const again = computeMetric(ctx, 'net_revenue', site, '2025');
    expect(again).not.toBe(once);
    expect(again).toEqual(once);
    expect(computeMetric(ctx, 'net_revenue', site, '2025')).toBe(again);
  });
});
