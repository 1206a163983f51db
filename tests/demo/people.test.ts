import { formatPhone, PERSON_NUMBER_SPACE, personFor } from '../../demo/people';

describe('demo people', () => {
  it('never gives two person numbers the same email or the same phone digits', () => {
    const emails = new Set<string>();
    const phones = new Set<string>();
    const numbers = [
      ...Array.from({ length: 20_000 }, (_, i) => i),
      ...Array.from({ length: 20_000 }, (_, i) => PERSON_NUMBER_SPACE - 1 - i),
    ];
    for (const n of numbers) {
      const person = personFor(42, n, ['512']);
      emails.add(person.email);
      phones.add(person.phoneDigits);
    }
    expect(emails.size).toBe(numbers.length);
    expect(phones.size).toBe(numbers.length);
  });

  it('writes reserved example domains and ten-digit US numbers without N11 or 555 exchanges', () => {
    for (let n = 0; n < 1000; n++) {
      const person = personFor(1, n, ['512', '737']);
      expect(person.email).toMatch(/^[a-z._]+\d+@example\.(com|net|org)$/);
      expect(person.phoneDigits).toMatch(/^(512|737)[2-9]\d{2}\d{4}$/);
      const exchange = person.phoneDigits.slice(3, 6);
      expect(exchange.endsWith('11') || exchange === '555').toBe(false);
    }
  });

  it('formats a phone in the notations EMR exports use', () => {
    expect(formatPhone('5125550134', 'parenthesized')).toBe('(512) 555-0134');
    expect(formatPhone('5125550134', 'dashed')).toBe('512-555-0134');
    expect(formatPhone('5125550134', 'international')).toBe('+1 512 555 0134');
    expect(formatPhone('5125550134', 'dotted')).toBe('512.555.0134');
    expect(formatPhone('5125550134', 'digits')).toBe('5125550134');
  });
});
