import { DayText, formatCents, formatTime } from '../../demo/cells';
import { toDayNumber } from '../../shared/model/localDate';

describe('canonical cells', () => {
  it('writes money as dollars with exactly two decimals, refunds negative', () => {
    expect(formatCents(0)).toBe('0.00');
    expect(formatCents(5)).toBe('0.05');
    expect(formatCents(12345)).toBe('123.45');
    expect(formatCents(-4500)).toBe('-45.00');
    expect(formatCents(123456789)).toBe('1234567.89');
  });

  it('writes times as HH:MM and datetimes in local time without an offset', () => {
    expect(formatTime(9 * 60)).toBe('09:00');
    expect(formatTime(19 * 60 + 45)).toBe('19:45');
    const days = new DayText(toDayNumber('2025-01-01'));
    expect(days.date(toDayNumber('2025-03-01'))).toBe('2025-03-01');
    expect(days.date(toDayNumber('2024-12-31'))).toBe('2024-12-31');
    expect(days.dateTime(toDayNumber('2025-02-28'), 13 * 60 + 5)).toBe('2025-02-28T13:05:00');
  });
});
