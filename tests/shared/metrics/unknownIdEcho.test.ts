import { benchmark } from '../../../shared/metrics/benchmarks';
import { computeMetric } from '../../../shared/metrics/computeMetric';
import { MetricContext } from '../../../shared/metrics/metricContext';
import { listMetricValues } from '../../../shared/metrics/metricListing';
import { MAX_ECHO_CHARS } from '../../../shared/privacy/redact';
import { location, metricData } from '../../support/metricData';

/*
 * An unknown id comes back in the error that names it, cut to its first MAX_ECHO_CHARS
 * characters and its length: `GET /api/metrics`, `/api/trace` and `/api/benchmarks` answer
 * with these messages, so a caller can never make an error as long as its request (issue 11).
 */

const ctx = new MetricContext(metricData([location('L1')], [], { first: '2025-01-01', last: '2025-12-31' }));
const LONG = 'x'.repeat(100_000);
const BOUND = MAX_ECHO_CHARS + 80;

function messageOf(answer: { ok: boolean; error?: { message: string } }): string {
  expect(answer.ok).toBe(false);
  return answer.error?.message ?? '';
}

describe('an unknown id in an error message', () => {
  it('is quoted by its head and its length, for a metric, a location and a provider', () => {
    const metric = messageOf(computeMetric(ctx, LONG, { kind: 'portfolio' }, '2025'));
    const site = messageOf(computeMetric(ctx, 'net_revenue', { kind: 'location', locationId: LONG }, '2025'));
    const provider = messageOf(
      computeMetric(ctx, 'net_revenue', { kind: 'provider', providerId: LONG, locationId: null }, '2025'),
    );
    for (const message of [metric, site, provider]) {
      expect(message.length).toBeLessThan(BOUND + 200);
      expect(message).toContain(`${'x'.repeat(MAX_ECHO_CHARS)}…(100,000 characters)`);
    }
    expect(site).toBe(`Unknown location "${'x'.repeat(MAX_ECHO_CHARS)}…(100,000 characters)"`);
  });

  it('is cut the same way by the metric listing and the benchmark', () => {
    const listing = listMetricValues(ctx, '2025', { locationId: LONG });
    expect(listing.ok).toBe(false);
    if (!listing.ok) expect(listing.error.message.length).toBeLessThan(BOUND);
    const ranked = benchmark(ctx, 'net_revenue', LONG, '2025', []);
    expect(ranked.ok).toBe(false);
    if (!ranked.ok) expect(ranked.error.message.length).toBeLessThan(BOUND);
  });

  it('is quoted whole when it is short', () => {
    expect(messageOf(computeMetric(ctx, 'net_revenue', { kind: 'location', locationId: 'L9' }, '2025'))).toBe(
      'Unknown location "L9"',
    );
  });
});
