import { DayTotals } from '../../../shared/metrics/dayTotals';
import { MetricContext } from '../../../shared/metrics/metricContext';
import { location, metricData } from '../../support/metricData';

describe('amounts by location and day', () => {
  it('adds up any day range and set of locations, both ends included, exactly', () => {
    const totals = new DayTotals();
    totals.add('L1', 'visits', '2025-01-01');
    totals.add('L1', 'visits', '2025-01-01');
    totals.add('L1', 'visits', '2025-01-05');
    totals.add('L2', 'visits', '2025-01-05');
    totals.add('L2', 'visits', '2025-01-10');
    totals.add('L2', 'cents', '2025-01-10', 2 ** 52);
    totals.add('L2', 'cents', '2025-01-03', 1);
    totals.finish();

    expect(totals.sum('visits', ['L1'], '2025-01-01', '2025-01-01')).toBe(2);
    expect(totals.sum('visits', ['L1', 'L2'], '2025-01-02', '2025-01-05')).toBe(2);
    expect(totals.sum('visits', ['L1', 'L2'], '2024-12-01', '2025-02-01')).toBe(5); // beyond the days held
    expect(totals.sum('visits', ['L2'], '2025-01-06', '2025-01-09')).toBe(0);
    expect(totals.sum('visits', ['L1'], '2025-01-05', '2025-01-04')).toBe(0); // an empty range
    expect(totals.sum('visits', ['L1'], '2025-02-01', '2025-03-01')).toBe(0); // after the days held
    expect(totals.sum('returned', ['L1'], '2025-01-01', '2025-01-10')).toBe(0); // a measure never added
    expect(totals.sum('visits', ['L9'], '2025-01-01', '2025-01-10')).toBe(0);
    expect(totals.sum('cents', ['L2'], '2025-01-01', '2025-01-31')).toBe(2 ** 52 + 1);
  });

  it('answers 0 when nothing was added, and refuses to be read before it is finished', () => {
    expect(new DayTotals().finish().sum('visits', ['L1'], '2025-01-01', '2025-12-31')).toBe(0);
    expect(() => new DayTotals().sum('visits', ['L1'], '2025-01-01', '2025-12-31')).toThrow('finish');
  });
});

describe('when a context counts ahead', () => {
  it('walks until its walks have cost what counting costs, then counts, and keeps counting once it has', () => {
    const ctx = new MetricContext(
      metricData([location('L1')], [], { first: '2024-01-01', last: '2024-12-31' }),
    );
    expect(ctx.countsAhead('k', 100, 250)).toBe(false);
    expect(ctx.countsAhead('k', 100, 250)).toBe(false); // 200 walked
    expect(ctx.countsAhead('k', 100, 250)).toBe(true); // 300 ≥ 250
    expect(ctx.countsAhead('other', 100, 250)).toBe(false); // each figure on its own
    ctx.once('counted', () => 1);
    expect(ctx.countsAhead('counted', 1, 1_000_000)).toBe(true);
    expect(ctx.historyDays()).toBe(366); // 2024 is a leap year
  });
});
