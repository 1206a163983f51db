import {
  addMinutes,
  cents,
  csvText,
  groupedDollars,
  longDate,
  splitCents,
  usDate,
  usDateTime,
  usDollars,
} from '../../../demo/vendorFormats/exportText';

describe('vendor export notations', () => {
  it('writes money the way vendors do, from exact cents', () => {
    expect(cents('1234.50')).toBe(123450);
    expect(cents('-45.00')).toBe(-4500);
    expect(cents('')).toBe(0);
    expect(usDollars(123450)).toBe('$1,234.50');
    expect(usDollars(-4500)).toBe('-$45.00');
    expect(groupedDollars(109900)).toBe('1,099.00');
  });

  it('writes US dates and 12-hour times', () => {
    expect(usDate('2025-01-02')).toBe('01/02/2025');
    expect(usDateTime('2025-01-02T14:05:00')).toBe('01/02/2025 02:05 PM');
    expect(usDateTime('2025-01-02T00:30:00')).toBe('01/02/2025 12:30 AM');
    expect(usDateTime('2025-01-02T12:00:00')).toBe('01/02/2025 12:00 PM');
    expect(longDate('2025-03-09')).toBe('March 9, 2025');
    expect(addMinutes('2025-12-31T23:30:00', 45)).toBe('2026-01-01T00:15:00');
  });

  it('splits cents into shares that add up exactly', () => {
    expect(splitCents(101, [60, 40])).toEqual([61, 40]);
    expect(splitCents(1, [70, 30])).toEqual([1, 0]);
    expect(splitCents(-101, [50, 50])).toEqual([-51, -50]);
  });

  it('writes CSV with the quoting, BOM, line ends and preamble asked for', () => {
    expect(csvText(['a', 'b'], [['1,5', 'x']])).toBe('a,b\n"1,5",x\n');
    expect(csvText(['a'], [['x']], { quoteAll: true, bom: true, crlf: true })).toBe('\uFEFF"a"\r\n"x"\r\n');
    expect(csvText(['a'], [], { preamble: ['Campaign report'] })).toBe('Campaign report\na\n');
  });
});
