import {
  datetimeCell,
  minutesBetween,
  unixToUtcDatetime,
} from '../../../../shared/connectors/json/jsonValues';

describe('vendor values to canonical cells', () => {
  // Money is money.ts's: tests/shared/connectors/money.test.ts.

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
