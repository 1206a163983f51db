import {
  vendorDate,
  vendorDateTime,
  vendorMinutes,
  vendorTime,
  vendorTimeRange,
} from '../../../shared/connectors/vendorValues';

describe('vendor value notations', () => {
  // Money cells are money.ts's: tests/shared/connectors/money.test.ts.

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

  it.each([
    // Mindbody payroll reports print the weekday; it must agree with the date.
    ['Wednesday, March 06, 2019', '2019-03-06'],
    ['Wed, Mar 6, 2019', '2019-03-06'],
    ['Wed 03/06/2019', '2019-03-06'],
    ['March 6, 2019', '2019-03-06'],
    ['March 6th, 2019', '2019-03-06'],
    ['Mar. 6, 2019', '2019-03-06'],
    ['Sept 30, 2019', '2019-09-30'],
    ['06-Mar-2019', '2019-03-06'],
    ['6-Mar-19', '2019-03-06'],
    ['6 Mar 2019', '2019-03-06'],
    ['6 March 2019 3:45 PM', '2019-03-06'],
  ])('reads the long or weekday date %j as %j', (text, expected) => {
    expect(vendorDate(text)).toBe(expected);
  });

  it.each([
    ['Tuesday, March 06, 2019'], // the 6th was a Wednesday: a misread, not a date
    ['Mayday 6, 2019'], // not a month name
    ['Marchy 6, 2019'],
    ['March 32, 2019'],
    ['Mar 2019'],
    ['6 Mar'],
    ['Wednesday'],
    ['31-Feb-2019'],
    ['9:30 AM'],
  ])('rejects the ambiguous or impossible date %j', (text) => {
    expect(vendorDate(text)).toBeNull();
  });

  it('reads long datetimes in one cell or as a date and a time cell', () => {
    expect(vendorDateTime('6 Mar 2019 3:45 PM')).toBe('2019-03-06T15:45:00');
    expect(vendorDateTime('Wednesday, March 06, 2019 6:30 PM')).toBe('2019-03-06T18:30:00');
    expect(vendorDateTime('March 6, 2019 at 3:45 PM')).toBe('2019-03-06T15:45:00');
    expect(vendorDateTime('Mar 6, 2019, 3:45 PM')).toBe('2019-03-06T15:45:00');
    expect(vendorDateTime('06-Mar-2019 15:45')).toBe('2019-03-06T15:45:00');
    expect(vendorDateTime('Wednesday, March 06, 2019', '6:30 PM')).toBe('2019-03-06T18:30:00');
    expect(vendorDateTime('6 Mar 2019 25:45')).toBeNull();
    expect(vendorDateTime('Tuesday, March 06, 2019 6:30 PM')).toBeNull();
  });

  it('reads times with or without minutes when a meridiem says which half of the day', () => {
    expect([
      vendorTime('9 AM'),
      vendorTime('9:30 a.m.'),
      vendorTime('2:05pm'),
      vendorTime('12:00 AM'),
    ]).toEqual(['09:00:00', '09:30:00', '14:05:00', '00:00:00']);
    expect([vendorTime('9'), vendorTime('0:30 AM'), vendorTime('13:00 PM')]).toEqual([null, null, null]);
  });

  it('reads a time interval from one cell, leaving overnight judgement to the caller', () => {
    expect(vendorTimeRange('9:00 AM - 5:00 PM')).toEqual({ start: '09:00:00', end: '17:00:00' });
    expect(vendorTimeRange('09:00-17:30')).toEqual({ start: '09:00:00', end: '17:30:00' });
    expect(vendorTimeRange('9am to 5pm')).toEqual({ start: '09:00:00', end: '17:00:00' });
    expect(vendorTimeRange('10:00 PM - 6:00 AM')).toEqual({ start: '22:00:00', end: '06:00:00' });
    expect([vendorTimeRange('9 - 5'), vendorTimeRange('9:00 AM'), vendorTimeRange('all day')]).toEqual([
      null,
      null,
      null,
    ]);
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
