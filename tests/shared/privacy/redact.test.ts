import fc from 'fast-check';

import {
  describeValue,
  EMAIL_MASK,
  looksLikePersonName,
  NUMBER_MASK,
  PHONE_MASK,
  quoteValue,
  redactIssue,
  redactMessage,
} from '../../../shared/privacy/redact';
import { emailAddress, leaksIn, personalValue, phoneNumber } from '../../support/personalData';

describe('redactMessage', () => {
  it.each([
    [
      'Invalid Opening Quote: a quote is found on field 2 at line 2, value is "nina.ochre@example.net"',
      `Invalid Opening Quote: a quote is found on field 2 at line 2, value is "${EMAIL_MASK}"`,
    ],
    ['call (214) 555-0101 today', `call ${PHONE_MASK} today`],
    ['+44 20 7946 0321, 214.555.0101 or 214-555-0101.', `${PHONE_MASK}, ${PHONE_MASK} or ${PHONE_MASK}.`],
    ['ids 5125550101 and zenoti:0012345678', `ids ${NUMBER_MASK} and zenoti:${NUMBER_MASK}`],
    ['+15125550101', PHONE_MASK],
    ['card 4242 4242 4242 4242', `card ${NUMBER_MASK}`],
    ['ssn 123-45-6789', `ssn ${PHONE_MASK}`],
  ])('masks contact details and long numbers: %s', (text, expected) => {
    expect(redactMessage(text)).toBe(expected);
  });

  it.each([
    'row 1234567: 2024-06-01 is before 2024-05-01T09:30:00-05:00',
    '"10/05/2026 09:30 AM" is not a date and time; shift 9:00 AM - 5:00 PM',
    'difference -1,471.00 (-76.7 %), amount 1500000.00, rate 0.0000615',
    'more than 5 % of the rows were rejected in 1 file: sales.csv 1 of 7 rows (14.3 %)',
    'LTM@2026-10 · INV-000101 · guest 001001 · "about 108" is not an amount of money',
    '! Evolve Austin 2026-10  zenoti 1,917.00  square 446.00  difference -1,471.00 (-76.7 %)',
  ])('leaves dates, times, amounts, row numbers and codes as written: %s', (text) => {
    expect(redactMessage(text)).toBe(text);
  });

  it('masks every generated email and phone wherever it sits in a message, and is idempotent', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string(), fc.constantFrom('row 12: ', '"', ' is not a date', ', ', '(')), {
          maxLength: 4,
        }),
        fc.array(personalValue, { minLength: 1, maxLength: 3 }),
        fc.array(fc.nat(), { minLength: 3, maxLength: 3 }),
        (pieces, injected, positions) => {
          const parts = [...pieces];
          for (const [i, { value }] of injected.entries()) {
            const quoted = positions[i]! % 2 === 0 ? JSON.stringify(value) : ` ${value} `;
            parts.splice(positions[i]! % (parts.length + 1), 0, quoted);
          }
          const text = parts.join('');
          const once = redactMessage(text);
          expect(leaksIn(injected, { message: once })).toEqual([]);
          expect(redactMessage(once)).toBe(once);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('masks emails and phones alone, the way a parser quotes a cell', () => {
    fc.assert(
      fc.property(emailAddress, phoneNumber, (email, phone) => {
        expect(redactMessage(email)).toBe(EMAIL_MASK);
        expect(redactMessage(`value is "${email}"`)).toBe(`value is "${EMAIL_MASK}"`);
        expect(redactMessage(phone)).not.toContain(phone.replace(/\D/g, '').slice(-7));
      }),
      { numRuns: 300 },
    );
  });
});

describe('redactIssue', () => {
  it('redacts the message and the column, and returns the same object when there is nothing to mask', () => {
    const clean = { file: 'a.csv', row: 2, column: 'email', code: 'x', severity: 'error', message: 'ok' };
    expect(redactIssue(clean)).toBe(clean);
    expect(
      redactIssue({ ...clean, column: 'jane@example.com', message: 'value is jane@example.com' }),
    ).toEqual({ ...clean, column: EMAIL_MASK, message: `value is ${EMAIL_MASK}` });
  });
});

describe('quoteValue and describeValue', () => {
  it('quotes a value that looks like no personal data, and describes one that does', () => {
    expect(quoteValue('about 108')).toBe('"about 108"');
    expect(quoteValue('Room "A", upstairs')).toBe('"Room \\"A\\", upstairs"');
    expect(quoteValue('Checked In')).toBe('"Checked In"');
    expect(quoteValue('x'.repeat(70), 60)).toBe(describeValue('x'.repeat(70)));
    for (const personal of [
      'Olivia Quartz',
      'OLIVIA QUARTZ',
      'Quartz, Olivia',
      'K. Sample',
      'olivia.quartz@example.net',
      '(469) 555-0143',
      'Husband picks her up; do not call the home number',
    ]) {
      expect(quoteValue(personal)).toBe(describeValue(personal));
    }
    expect(describeValue('Olivia Quartz')).toBe('a value of 13 characters');
    expect(describeValue('é')).toBe('a value of 1 character');
  });

  it('reads names as exports write them, and not the categories that look like them', () => {
    for (const name of ['Alice Example', 'Doe, Jane', 'Jane Doe, RN', "Mary-Jane O'Brien", 'K. Sample'])
      expect({ name, name_like: looksLikePersonName(name) }).toEqual({ name, name_like: true });
    for (const other of ['In Center', 'Front Desk', 'Mobile App', 'Botox - per unit', 'Gold', 'Room 2'])
      expect({ other, name_like: looksLikePersonName(other) }).toEqual({ other, name_like: false });
  });
});
