import fc from 'fast-check';

/*
 * Generators of personal data for the privacy properties: emails and phone numbers in the forms
 * exports write them, and the needles a leak would show (as written, and as digits only).
 */

const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n });

/** A North American number with an area code and exchange that do not start with 0 or 1. */
const nanp = fc
  .tuple(fc.integer({ min: 2, max: 9 }), digits(2), fc.integer({ min: 2, max: 9 }), digits(6))
  .map(([a, b, c, d]) => `${a}${b.join('')}${c}${d.join('')}`);

/** Phone numbers as exports write them: `(214) 555-0101`, `214-555-0101`, `+1 214 555 0101`, `2145550101`… */
export const phoneNumber: fc.Arbitrary<string> = fc.oneof(
  nanp.map((d) => `(${d.slice(0, 3)}) ${d.slice(3, 6)}-${d.slice(6)}`),
  nanp.map((d) => `${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6)}`),
  nanp.map((d) => `${d.slice(0, 3)}.${d.slice(3, 6)}.${d.slice(6)}`),
  nanp.map((d) => `+1 ${d.slice(0, 3)} ${d.slice(3, 6)} ${d.slice(6)}`),
  nanp.map((d) => `+1${d}`),
  nanp,
  fc
    .tuple(fc.integer({ min: 20, max: 99 }), digits(8))
    .map(([country, d]) => `+${country} ${d.slice(0, 4).join('')} ${d.slice(4).join('')}`),
);

/** Email addresses, of every shape RFC 5322's dot-atom allows (fast-check's generator). */
export const emailAddress: fc.Arbitrary<string> = fc.emailAddress();

/** One piece of personal data to inject, and what would show that it leaked. */
export interface Injected {
  value: string;
  needles: string[];
}

export const personalValue: fc.Arbitrary<Injected> = fc.oneof(
  emailAddress.map((value) => ({ value, needles: [value.toLowerCase()] })),
  phoneNumber.map((value) => {
    const onlyDigits = value.replace(/\D/g, '');
    return { value, needles: [value.toLowerCase(), onlyDigits] };
  }),
);

/** The needles of `injected` found in `haystacks` (case-insensitively), as `needle in where`. */
export function leaksIn(injected: readonly Injected[], haystacks: Record<string, string>): string[] {
  const found: string[] = [];
  for (const [where, text] of Object.entries(haystacks)) {
    const lower = text.toLowerCase();
    for (const { needles } of injected) {
      for (const needle of needles) if (lower.includes(needle)) found.push(`${needle} in ${where}`);
    }
  }
  return found;
}

/** A CSV cell, quoted as RFC 4180 quotes it. */
export function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
