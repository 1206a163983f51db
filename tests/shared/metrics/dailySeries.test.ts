import { Fraction } from '../../../shared/engine/fraction';
import type { DailyMeasure } from '../../../shared/engine/measures';
import { DailySeries } from '../../../shared/metrics/dailySeries';

function series(rows: Omit<DailyMeasure, 'providerId'>[], providerId = ''): DailySeries {
  const daily = new DailySeries('2026-01-01', '2026-01-31');
  for (const row of rows) daily.add({ ...row, providerId });
  return daily.finalize();
}

const row = (day: string, value: number, measure = 'net'): Omit<DailyMeasure, 'providerId'> => ({
  locationId: 'L1',
  measure,
  day,
  value,
});

describe('DailySeries keeps each measure from its first to its last non-zero day', () => {
  // A provider who worked 10–12 January: 500, 0, 250 cents.
  const daily = series([row('2026-01-10', 500), row('2026-01-11', 0), row('2026-01-12', 250)], 'P1');
  const sum = (from: string, to: string) => daily.sum('net', ['L1'], from, to, 'P1');

  it('sums to 0 before the first value and keeps the last total after the last', () => {
    expect(sum('2026-01-01', '2026-01-09')).toBe(0);
    expect(sum('2026-01-13', '2026-01-31')).toBe(0);
    expect(sum('2026-01-01', '2026-01-31')).toBe(750);
  });

  it('sums a range that starts before and ends inside, or starts inside and ends after', () => {
    expect(sum('2026-01-05', '2026-01-10')).toBe(500);
    expect(sum('2026-01-11', '2026-01-20')).toBe(250);
    expect(sum('2026-01-11', '2026-01-11')).toBe(0);
  });

  it('reports the span of non-zero days', () => {
    expect(daily.span('net', 'L1', 'P1')).toEqual({ first: '2026-01-10', last: '2026-01-12' });
  });

  it('answers 0 for a measure whose values were all 0, and for one never added', () => {
    const zeros = series([row('2026-01-03', 0), row('2026-01-04', 0)]);
    expect(zeros.sum('net', ['L1'], '2026-01-01', '2026-01-31')).toBe(0);
    expect(zeros.sum('visits', ['L1'], '2026-01-01', '2026-01-31')).toBe(0);
    expect(zeros.span('net', 'L1')).toBeNull();
  });

  it('keeps values that cancel out inside the span', () => {
    const refunds = series([row('2026-01-05', 1000), row('2026-01-07', -1000), row('2026-01-09', 300)]);
    expect(refunds.sum('net', ['L1'], '2026-01-05', '2026-01-07')).toBe(0);
    expect(refunds.sum('net', ['L1'], '2026-01-06', '2026-01-09')).toBe(-700);
    expect(refunds.sum('net', ['L1'], '2026-01-01', '2026-01-31')).toBe(300);
  });
});

describe('DailySeries settled a location at a time', () => {
  it('answers as one finalized at the end, and refuses a row for a series already settled', () => {
    const rows = [
      row('2026-01-10', 500),
      { ...row('2026-01-12', 250), locationId: 'L2' },
      row('2026-01-20', 70),
    ];
    const atOnce = new DailySeries('2026-01-01', '2026-01-31');
    for (const r of rows) atOnce.add({ ...r, providerId: '' });
    atOnce.finalize();
    const settled = new DailySeries('2026-01-01', '2026-01-31');
    settled.add({ ...rows[0]!, providerId: '' });
    settled.add({ ...rows[2]!, providerId: '' });
    settled.settle();
    settled.add({ ...rows[1]!, providerId: '' });
    settled.settle().finalize();
    for (const locations of [['L1'], ['L2'], ['L1', 'L2']]) {
      for (const [from, to] of [
        ['2026-01-01', '2026-01-31'],
        ['2026-01-11', '2026-01-20'],
        ['2026-01-13', '2026-01-19'],
      ] as const) {
        expect(settled.sum('net', locations, from, to)).toBe(atOnce.sum('net', locations, from, to));
      }
    }
    expect(settled.sum('net', ['L1', 'L2'], '2026-01-01', '2026-01-31')).toBe(820);

    const again = new DailySeries('2026-01-01', '2026-01-31');
    again.add({ ...rows[0]!, providerId: '' });
    again.settle();
    expect(() => again.add({ ...rows[2]!, providerId: '' })).toThrow(/after it was settled/);
  });
});

describe("DailySeries from a location's stored columns", () => {
  it('adds them as it adds the rows one by one, 1/d units and days out of range included', () => {
    const texts = ['', 'P1', 'net', 'comp.wages/14', '2026-01-03', '2026-01-04', '2025-12-31', '2026-02-01'];
    const rows: [number, number, number, number][] = [
      [0, 2, 4, 500],
      [0, 2, 5, -120],
      [1, 2, 4, 70],
      [1, 3, 4, 14],
      [1, 3, 5, 3],
      [0, 2, 6, 999],
      [0, 2, 7, 999],
    ];
    const columns = {
      texts,
      providers: Int32Array.from(rows, (r) => r[0]),
      measures: Int32Array.from(rows, (r) => r[1]),
      days: Int32Array.from(rows, (r) => r[2]),
      values: Float64Array.from(rows, (r) => r[3]),
    };
    const byColumns = new DailySeries('2026-01-01', '2026-01-31');
    byColumns.addColumns('L1', columns);
    byColumns.finalize();
    const byRows = new DailySeries('2026-01-01', '2026-01-31');
    for (const [provider, measure, day, value] of rows)
      byRows.add({
        locationId: 'L1',
        providerId: texts[provider]!,
        measure: texts[measure]!,
        day: texts[day]!,
        value,
      });
    byRows.finalize();
    for (const providerId of ['', 'P1']) {
      for (const measure of ['net', 'comp.wages']) {
        const sums = (daily: DailySeries) => [
          daily.sum(measure, ['L1'], '2026-01-01', '2026-01-31', providerId),
          daily.exactSum(measure, ['L1'], '2026-01-01', '2026-01-31', providerId).toString(),
          daily.sum(measure, ['L1'], '2026-01-04', '2026-01-04', providerId),
        ];
        expect(sums(byColumns)).toEqual(sums(byRows));
      }
    }
    expect(byColumns.sum('net', ['L1'], '2026-01-01', '2026-01-31')).toBe(380);
  });
});

describe('DailySeries adds measures held in 1/d units exactly', () => {
  it('adds 1/14 units as a fraction over 14', () => {
    // Two pay periods of $1,000.00 and $100.01 spread over 14 days each: 100000/14 and 10001/14 cents a day.
    const rows = [
      ...Array.from({ length: 14 }, (_, i) =>
        row(`2026-01-${String(i + 1).padStart(2, '0')}`, 100000, 'comp.wages/14'),
      ),
      ...Array.from({ length: 14 }, (_, i) =>
        row(`2026-01-${String(i + 15).padStart(2, '0')}`, 10001, 'comp.wages/14'),
      ),
    ];
    const daily = series(rows, 'P1');
    // 3 days of the first period: 300000/14 = 150000/7 cents.
    expect(daily.exactSum('comp.wages', ['L1'], '2026-01-01', '2026-01-03', 'P1')).toEqual(
      Fraction.of(150000, 7),
    );
    // Both periods whole: 100000 + 10001 cents.
    expect(daily.exactSum('comp.wages', ['L1'], '2026-01-01', '2026-01-31', 'P1')).toEqual(
      Fraction.of(110001),
    );
    // 1 day of each: (100000 + 10001) / 14.
    expect(daily.exactSum('comp.wages', ['L1'], '2026-01-14', '2026-01-15', 'P1')).toEqual(
      Fraction.of(110001, 14),
    );
  });

  it('stays exact when the running total passes 2^53 units', () => {
    const big = 2 ** 52;
    const daily = series([
      row('2026-01-02', big, 'm/3'),
      row('2026-01-03', big, 'm/3'),
      row('2026-01-04', 3, 'm/3'),
    ]);
    // 2^53 + 3 units of 1/3 is not a safe integer: the total must still be exact.
    expect(daily.exactSum('m', ['L1'], '2026-01-01', '2026-01-31')).toEqual(Fraction.of(2n ** 53n + 3n, 3n));
    expect(daily.exactSum('m', ['L1'], '2026-01-04', '2026-01-04')).toEqual(Fraction.of(1));
  });
});

describe('DailySeries reads every total back as the number it was, whatever it keeps it in', () => {
  it('sums totals past 32 bits, below -2^31 and fractions exactly', () => {
    const daily = series([
      // Past 2^31 − 1 on the second day: $21,474,836.48 in cents.
      row('2026-01-01', 2 ** 31 - 1, 'big'),
      row('2026-01-02', 1, 'big'),
      row('2026-01-01', -(2 ** 31), 'low'),
      row('2026-01-02', -1, 'low'),
      row('2026-01-01', 7, 'frac'),
      row('2026-01-02', 0.25, 'frac'),
      row('2026-01-01', 5, 'small'),
      row('2026-01-03', -5, 'small'),
    ]);
    const sum = (measure: string, from: string, to: string) => daily.sum(measure, ['L1'], from, to);
    expect([sum('big', '2026-01-01', '2026-01-01'), sum('big', '2026-01-01', '2026-01-31')]).toEqual([
      2 ** 31 - 1,
      2 ** 31,
    ]);
    expect([sum('low', '2026-01-02', '2026-01-02'), sum('low', '2026-01-01', '2026-01-31')]).toEqual([
      -1,
      -(2 ** 31) - 1,
    ]);
    expect([sum('frac', '2026-01-02', '2026-01-31'), sum('frac', '2026-01-01', '2026-01-31')]).toEqual([
      0.25, 7.25,
    ]);
    expect([sum('small', '2026-01-01', '2026-01-02'), sum('small', '2026-01-01', '2026-01-31')]).toEqual([
      5, 0,
    ]);
    expect(daily.exactSum('big', ['L1'], '2026-01-01', '2026-01-31')).toEqual(Fraction.fromNumber(2 ** 31));
  });
});
