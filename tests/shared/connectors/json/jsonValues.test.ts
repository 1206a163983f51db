import {
  centsCell,
  datetimeCell,
  dollarsToCents,
  minutesBetween,
  unixToUtcDatetime,
} from '../../../../shared/connectors/json/jsonValues';

describe('vendor values to canonical cells', () => {
  it('reads dollar numbers and decimal strings into exact cents, rounding half away from zero', () => {
    expect(dollarsToCents(19.99)).toBe(1999);
    expect(dollarsToCents(0.1 + 0.2)).toBe(30);
    expect(dollarsToCents('1234.56')).toBe(123456);
    expect(dollarsToCents('12.3')).toBe(1230);
    expect(dollarsToCents('0.005')).toBe(1);
    expect(dollarsToCents('-45.005')).toBe(-4501);
    expect(dollarsToCents(-89.99)).toBe(-8999);
    expect(dollarsToCents('1,234.00')).toBeNull();
    expect(dollarsToCents('abc')).toBeNull();
  });

  it('writes cents as canonical money without separators, negative zero as zero', () => {
    expect(centsCell(123450)).toBe('1234.50');
    expect(centsCell(-4500)).toBe('-45.00');
    expect(centsCell(7)).toBe('0.07');
    expect(centsCell(-0)).toBe('0.00');
  });

  it('keeps local datetimes local and offsets as given, dropping fractional seconds', () => {
    expect(datetimeCell('2026-10-05T09:30:00')).toBe('2026-10-05T09:30:00');
    expect(datetimeCell('2026-10-05T09:30')).toBe('2026-10-05T09:30:00');
    expect(datetimeCell('2026-10-05T16:30:00.000Z')).toBe('2026-10-05T16:30:00Z');
    expect(datetimeCell('2026-10-06T15:00:00-05:00')).toBe('2026-10-06T15:00:00-05:00');
    expect(datetimeCell('10/05/2026 9:30')).toBeNull();
    expect(unixToUtcDatetime(1791237600)).toBe('2026-10-05T22:00:00Z');
  });

  it('measures minutes between two datetimes of the same form', () => {
    expect(minutesBetween('2026-10-06T14:00:00', '2026-10-06T14:45:00')).toBe(45);
    expect(minutesBetween('2026-10-06T15:00:00-05:00', '2026-10-06T21:00:00Z')).toBe(60);
    expect(minutesBetween('2026-10-06T15:00:00', '2026-10-06T14:00:00')).toBeNull();
  });
});
