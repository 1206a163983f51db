import { locationsFile, salesFile } from '../../../shared/model/canonicalBundle';
import { normalizeEmail, normalizePhone } from '../../../shared/model/cellTypes';
import { formatCents, parseDollarsToCents } from '../../../shared/model/money';

describe('money', () => {
  it('parses dollars with up to two decimals into integer cents', () => {
    expect(parseDollarsToCents('1234.50')).toBe(123450);
    expect(parseDollarsToCents('1234.5')).toBe(123450);
    expect(parseDollarsToCents('0.07')).toBe(7);
    expect(parseDollarsToCents('520')).toBe(52000);
    expect(parseDollarsToCents('-45.00')).toBe(-4500);
    // 0.1 + 0.2 style float error cannot creep in: 19.99 is exactly 1999 cents.
    expect(parseDollarsToCents('19.99')).toBe(1999);
  });

  it('refuses currency symbols, thousands separators, three decimals and words', () => {
    for (const text of ['$12.00', '1,234.50', '12.345', 'twelve', '', '-', '1e3', ' 12']) {
      expect({ text, cents: parseDollarsToCents(text) }).toEqual({ text, cents: null });
    }
  });

  it('formats cents back to dollars with two decimals', () => {
    expect(formatCents(123450)).toBe('1,234.50');
    expect(formatCents(-4500)).toBe('-45.00');
    expect(formatCents(7)).toBe('0.07');
  });
});

describe('personal data normalization', () => {
  it('lower-cases and trims emails, and refuses what is not an address', () => {
    expect(normalizeEmail('  Jane.Doe@Example.COM ')).toBe('jane.doe@example.com');
    expect(normalizeEmail('not-an-email')).toBeNull();
    expect(normalizeEmail('a b@example.com')).toBeNull();
  });

  it('reduces North American and international phones to E.164', () => {
    expect(normalizePhone('(214) 555-0101')).toBe('+12145550101');
    expect(normalizePhone('214.555.0101')).toBe('+12145550101');
    expect(normalizePhone('1-214-555-0101')).toBe('+12145550101');
    expect(normalizePhone('+1 (512) 555-0177')).toBe('+15125550177');
    expect(normalizePhone('+44 20 7946 0958')).toBe('+442079460958');
    expect(normalizePhone('12')).toBeNull();
    expect(normalizePhone('555-CALL-NOW')).toBeNull();
  });
});

describe('row schemas', () => {
  it('types a valid sale line and treats empty cells as unknown', () => {
    const parsed = salesFile.schema.safeParse({
      line_id: 'S1',
      location_id: 'L1',
      sold_on: '2024-02-29',
      kind: 'Service',
      gross: '-100.00',
      discount: '',
    });
    expect(parsed.success && parsed.data).toEqual({
      line_id: 'S1',
      location_id: 'L1',
      sold_on: '2024-02-29',
      patient_id: null,
      provider_id: null,
      appointment_id: null,
      kind: 'service',
      service_code: null,
      gross: -10000,
      discount: null,
      tax: null,
      tip: null,
    });
  });

  it('refuses dates that are not on the calendar', () => {
    const parsed = locationsFile.schema.safeParse({ location_id: 'L1', name: 'x', opened_on: '2023-02-29' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({
      path: ['opened_on'],
      message: '"2023-02-29" is not a calendar date in YYYY-MM-DD form',
    });
  });
});
