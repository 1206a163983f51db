import { summarizeTransactions, type Transaction } from '../../../shared/models/transactionSummary';
import { cdnowSummary, publishedCsv } from './cdnowData';

describe('the CDNOW summary from the raw log (39-week calibration to 1997-09-30)', () => {
  const summary = cdnowSummary();
  const byId = new Map(summary.customers.map((c) => [Number(c.customerId), c]));

  it('has the 2,357 customers and 946 repeat buyers of the published summary', () => {
    expect(summary.customers).toHaveLength(2357);
    expect(summary.repeatBuyers).toBe(946);
    expect(summary.transactionsRead).toBe(6919);
    expect(summary.timeUnit).toBe('week');
  });

  it('equals cdnow_customers_summary.csv row for row: frequency exactly, recency and T to its rounding', () => {
    const published = publishedCsv('cdnow_customers_summary.csv');
    expect(published).toHaveLength(2357);
    for (const row of published) {
      const ours = byId.get(Number(row.ID));
      expect(ours).toBeDefined();
      expect(ours!.x).toBe(Number(row.frequency));
      expect(Math.abs(ours!.tx - Number(row.recency))).toBeLessThanOrEqual(0.005 + 1e-9);
      expect(Math.abs(ours!.T - Number(row.T))).toBeLessThanOrEqual(0.005 + 1e-9);
    }
  });

  it('gives the zbar of cdnow_customers_summary_with_transactions.csv: mean of the repeat purchase days, same-day purchases summed', () => {
    const published = publishedCsv('cdnow_customers_summary_with_transactions.csv');
    for (const row of published) {
      const ours = byId.get(Number(row.ID))!;
      expect(ours.x).toBe(Number(row.x));
      expect(Math.abs(ours.zbar - Number(row.zbar))).toBeLessThanOrEqual(0.005 + 1e-9);
    }
    // Customer 1: first purchase 1997-01-01 excluded; repeats of $29.73 and $14.96.
    expect(byId.get(1)).toMatchObject({ x: 2, firstPurchase: '1997-01-01' });
    expect(byId.get(1)!.zbar).toBeCloseTo((29.73 + 14.96) / 2, 10);
    expect(byId.get(1)!.T).toBeCloseTo(272 / 7, 12);
  });
});

describe('summarizeTransactions', () => {
  const t = (customerId: string, date: string, amount: number): Transaction => ({ customerId, date, amount });
  const log = [
    t('A', '2024-01-01', 100),
    t('A', '2024-01-01', 20), // same day: one transaction of 120, the first purchase
    t('A', '2024-01-15', 50),
    t('A', '2024-01-15', 10), // same day: one repeat transaction of 60
    t('A', '2024-01-29', 30),
    t('A', '2024-02-12', 999), // the calibration end itself: inside
    t('A', '2024-03-01', 500), // after the calibration end: not used
    t('B', '2024-02-05', 0), // a $0.00 purchase is still a purchase (as in CDNOW)
    t('C', '2024-02-20', 80), // first buys after the calibration end: not a customer yet
  ];

  it('counts purchase days, excludes the first from zbar, and includes the calibration end day', () => {
    const summary = summarizeTransactions(log, { calibrationEnd: '2024-02-12', timeUnit: 'day' });
    expect(summary.customers).toEqual([
      { customerId: 'A', x: 3, tx: 42, T: 42, zbar: (60 + 30 + 999) / 3, firstPurchase: '2024-01-01' },
      { customerId: 'B', x: 0, tx: 0, T: 7, zbar: 0, firstPurchase: '2024-02-05' },
    ]);
    expect(summary.repeatBuyers).toBe(1);
    expect(summary.calibrationPurchaseDays).toBe(5);
    expect(summary.rowsAfterCalibration).toBe(2);
    expect(summary.transactionsRead).toBe(log.length);
  });

  it('measures time in the unit asked for: a week is seven days', () => {
    const days = summarizeTransactions(log, { calibrationEnd: '2024-02-11', timeUnit: 'day' });
    const weeks = summarizeTransactions(log, { calibrationEnd: '2024-02-11', timeUnit: 'week' });
    days.customers.forEach((d, i) => {
      expect(weeks.customers[i]!.T).toBeCloseTo(d.T / 7, 14);
      expect(weeks.customers[i]!.tx).toBeCloseTo(d.tx / 7, 14);
      expect(weeks.customers[i]!.x).toBe(d.x);
    });
    expect(days.customers[0]).toMatchObject({ x: 2, tx: 28, T: 41, zbar: 45 });
  });

  it('refuses a calibration end that is not a date, and a row without a date or amount', () => {
    expect(() => summarizeTransactions(log, { calibrationEnd: '2024-02-30', timeUnit: 'day' })).toThrow(
      RangeError,
    );
    expect(() =>
      summarizeTransactions([t('A', '2024-13-01', 1)], { calibrationEnd: '2024-02-01', timeUnit: 'day' }),
    ).toThrow(/bad date/);
    expect(() =>
      summarizeTransactions([t('A', '2024-01-01', NaN)], { calibrationEnd: '2024-02-01', timeUnit: 'day' }),
    ).toThrow(/no amount/);
  });
});
