import { addDays, fromDayNumber, makeDate, toDayNumber } from '../../../shared/model/localDate';

/** The definitions the fast paths replace: through Date, field by field. */
function dayNumberByDate(date: string): number {
  const [year, month, day] = [date.slice(0, 4), date.slice(5, 7), date.slice(8, 10)].map(Number);
  return Math.round(Date.UTC(year!, month! - 1, day) / 86_400_000);
}

function dateByDate(dayNumber: number): string {
  const d = new Date(dayNumber * 86_400_000);
  return makeDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

describe('day numbers', () => {
  it('are those of Date.UTC for every day of 1600–2999, and of each start time', () => {
    const first = dayNumberByDate('1600-01-01');
    const last = dayNumberByDate('2999-12-31');
    const wrong: string[] = [];
    for (let n = first; n <= last; n += 1) {
      const date = dateByDate(n);
      if (toDayNumber(date) !== n || toDayNumber(`${date}T23:59:59`) !== n) wrong.push(date);
    }
    expect(wrong).toEqual([]);
  });

  it('count a day past the month end on into the next month, as Date.UTC does', () => {
    for (const date of ['2025-02-29', '2025-02-30', '2024-02-30', '2025-04-31', '2025-12-32', '2025-01-00']) {
      expect(toDayNumber(date)).toBe(dayNumberByDate(date));
    }
  });

  it('read anything else as Date.UTC reads it', () => {
    for (const text of ['', '2025', '2025-1-01', '0050-01-01', '2025-13-01', '2025-00-10', 'abcd-ef-gh', '2025/01/01']) {
      expect(toDayNumber(text)).toEqual(dayNumberByDate(text));
    }
  });

  it('turn back into the same dates, one text per day', () => {
    const first = dayNumberByDate('1890-01-01');
    const last = dayNumberByDate('2210-12-31');
    const wrong: number[] = [];
    for (let n = first; n <= last; n += 1) if (fromDayNumber(n) !== dateByDate(n)) wrong.push(n);
    expect(wrong).toEqual([]);
    expect(fromDayNumber(20_000)).toBe(fromDayNumber(20_000));
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2025-03-01', -1)).toBe('2025-02-28');
  });
});
