import {
  vendorDate,
  vendorDateTime,
  vendorMinutes,
  vendorMoney,
} from '../../../shared/connectors/vendorValues';

describe('vendor value notations', () => {
  it.each([
    ['$1,234.50', false, '1234.50'],
    ['-$45.00', false, '-45.00'],
    ['$-45.00', false, '-45.00'],
    ['($45.00)', false, '-45.00'],
    ['1099', false, '1099.00'],
    ['12.345', false, '12.35'],
    ['US$ 7.5', false, '7.50'],
    ['1.234,50', true, '1234.50'],
    ['0,45', true, '0.45'],
    ['-15,05 €', true, '-15.05'],
    ['', false, ''],
    ['about 108', false, null],
    ['1,234.50', true, null],
  ])('reads money %j (decimal comma: %s) as %j', (text, decimalComma, expected) => {
    expect(vendorMoney(text, decimalComma)).toBe(expected);
  });

  it.each([
    ['2026-10-05', '2026-10-05'],
    ['10/05/2026', '2026-10-05'],
    ['10/5/26', '2026-10-05'],
    ['05.10.2026', '2026-10-05'],
    ['Oct 5, 2026', '2026-10-05'],
    ['October 31, 2026', '2026-10-31'],
    ['5-Oct-2026', '2026-10-05'],
    ['2026/10/05 14:30', '2026-10-05'],
    ['02/30/2026', null],
    ['next week', null],
  ])('reads the date %j as %j', (text, expected) => {
    expect(vendorDate(text)).toBe(expected);
  });

  it('reads datetimes in one cell or as a date and a time cell', () => {
    expect(vendorDateTime('10/05/2026 09:30 AM')).toBe('2026-10-05T09:30:00');
    expect(vendorDateTime('2026-10-05T14:30')).toBe('2026-10-05T14:30:00');
    expect(vendorDateTime('10/05/2026 12:15 AM')).toBe('2026-10-05T00:15:00');
    expect(vendorDateTime('10/05/2026', '2:30:00 PM')).toBe('2026-10-05T14:30:00');
    expect(vendorDateTime('10/05/2026 13:30 PM')).toBeNull();
  });

  it('reads durations as minutes', () => {
    expect([
      vendorMinutes('45'),
      vendorMinutes('45 min'),
      vendorMinutes('1:30'),
      vendorMinutes('1h 15m'),
    ]).toEqual([45, 45, 90, 75]);
  });
});
