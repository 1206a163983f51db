import { VisitCounts } from '../../../../shared/metrics/patients/visitCounts';

describe('visit counts by location and day', () => {
  it('adds up the visits of any day range and set of locations, both ends included', () => {
    const counts = new VisitCounts('2025-01-01', '2025-01-10');
    for (const [location, day] of [
      ['L1', '2025-01-01'],
      ['L1', '2025-01-01'],
      ['L1', '2025-01-05'],
      ['L2', '2025-01-05'],
      ['L2', '2025-01-10'],
    ] as const) {
      counts.add(location, 'visits', counts.indexOf(day));
    }
    counts.finish();

    expect(counts.count('visits', ['L1'], '2025-01-01', '2025-01-01')).toBe(2);
    expect(counts.count('visits', ['L1', 'L2'], '2025-01-02', '2025-01-05')).toBe(2);
    expect(counts.count('visits', ['L1', 'L2'], '2024-12-01', '2025-02-01')).toBe(5); // clipped to the days held
    expect(counts.count('visits', ['L2'], '2025-01-06', '2025-01-09')).toBe(0);
    expect(counts.count('visits', ['L1'], '2025-01-05', '2025-01-04')).toBe(0); // an empty range
    expect(counts.count('returned', ['L1'], '2025-01-01', '2025-01-10')).toBe(0); // a measure never added
    expect(counts.count('visits', ['L9'], '2025-01-01', '2025-01-10')).toBe(0);
  });

  it('refuses a day outside the days it was made for rather than dropping the visit', () => {
    const counts = new VisitCounts('2025-01-01', '2025-01-10');
    expect(() => counts.indexOf('2025-01-11')).toThrow('outside');
  });
});
