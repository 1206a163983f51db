import { Random } from './random';

/**
 * Synthetic people: names, emails and phone numbers. Emails use the reserved example.*
 * domains. Every person has a number that is unique in the portfolio, and both the email and
 * the seven phone digits are derived from it one-to-one, so two different demo people never
 * share an email or a phone and matching by pseudonymized identity finds exactly the pairs
 * the generator meant (a patient who visits a sister location, a lead who converts).
 */

const FIRST_NAMES: readonly string[] = [
  'Jessica',
  'Ashley',
  'Emily',
  'Sarah',
  'Samantha',
  'Amanda',
  'Brittany',
  'Elizabeth',
  'Taylor',
  'Megan',
  'Hannah',
  'Kayla',
  'Lauren',
  'Stephanie',
  'Rachel',
  'Jennifer',
  'Nicole',
  'Alexis',
  'Victoria',
  'Amber',
  'Morgan',
  'Danielle',
  'Olivia',
  'Sophia',
  'Isabella',
  'Madison',
  'Chloe',
  'Grace',
  'Natalie',
  'Maria',
  'Camila',
  'Valeria',
  'Priya',
  'Aisha',
  'Mei',
  'Yuna',
  'Leah',
  'Rebecca',
  'Christina',
  'Laura',
  'Michelle',
  'Kimberly',
  'Melissa',
  'Heather',
  'Angela',
  'Tiffany',
  'Andrea',
  'Vanessa',
  'Diana',
  'Monica',
  'Michael',
  'David',
  'James',
  'Daniel',
  'Ryan',
  'Chris',
  'Kevin',
  'Jason',
  'Marcus',
  'Andre',
];

const LAST_NAMES: readonly string[] = [
  'Smith',
  'Johnson',
  'Williams',
  'Brown',
  'Jones',
  'Garcia',
  'Miller',
  'Davis',
  'Rodriguez',
  'Martinez',
  'Hernandez',
  'Lopez',
  'Gonzalez',
  'Wilson',
  'Anderson',
  'Thomas',
  'Taylor',
  'Moore',
  'Jackson',
  'Martin',
  'Lee',
  'Perez',
  'Thompson',
  'White',
  'Harris',
  'Sanchez',
  'Clark',
  'Ramirez',
  'Lewis',
  'Robinson',
  'Walker',
  'Young',
  'Allen',
  'King',
  'Wright',
  'Scott',
  'Torres',
  'Nguyen',
  'Hill',
  'Flores',
  'Green',
  'Adams',
  'Nelson',
  'Baker',
  'Hall',
  'Rivera',
  'Campbell',
  'Mitchell',
  'Carter',
  'Roberts',
  'Patel',
  'Kim',
  'Chen',
  'Shah',
  'Murphy',
  'Cook',
  'Rogers',
  'Morgan',
  'Cooper',
  'Reed',
  'Bailey',
  'Bell',
  'Gomez',
  'Kelly',
  'Howard',
  'Ward',
  'Cox',
  'Diaz',
  'Richardson',
  'Wood',
  'Brooks',
  'Bennett',
  'Gray',
  'James',
  'Reyes',
  'Cruz',
  'Hughes',
  'Price',
  'Myers',
  'Long',
];

const EMAIL_DOMAINS: readonly string[] = ['example.com', 'example.com', 'example.net', 'example.org'];

/** Central-office codes a phone may use: 200–999 without N11 service codes and 555. */
const EXCHANGES: readonly number[] = Array.from({ length: 800 }, (_, i) => 200 + i).filter(
  (code) => code % 100 !== 11 && code !== 555,
);

/** How many distinct seven-digit subscriber numbers the demo can hand out. */
export const PERSON_NUMBER_SPACE = EXCHANGES.length * 10_000;

// An affine map with a multiplier coprime to the space is a bijection, so distinct person
// numbers get distinct phone digits while consecutive patients do not get consecutive numbers.
const PHONE_MULTIPLIER = 4_585_761;
const PHONE_OFFSET = 1_234_567;

export interface Person {
  first: string;
  last: string;
  /** Canonical (lower-case, trimmed) email; presentEmail adds the quirks of a real export. */
  email: string;
  /** Ten digits, area code first. */
  phoneDigits: string;
}

/** The person numbered `personNumber` (0 ≤ n < PERSON_NUMBER_SPACE), living near one of `areaCodes`. */
export function personFor(seed: number, personNumber: number, areaCodes: readonly string[]): Person {
  const rng = Random.fromKey(seed, 'person', personNumber);
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  const f = first.toLowerCase();
  const l = last.toLowerCase();
  // The person number ends every local part, and names are letters only, so emails never collide.
  const styles = [`${f}.${l}`, `${f.charAt(0)}${l}`, `${f}${l.charAt(0)}`, `${f}_${l}`, `${f}.${l}`];
  const email = `${rng.pick(styles)}${personNumber}@${rng.pick(EMAIL_DOMAINS)}`;
  const subscriber = (personNumber * PHONE_MULTIPLIER + PHONE_OFFSET) % PERSON_NUMBER_SPACE;
  const exchange = EXCHANGES[Math.floor(subscriber / 10_000)]!;
  const line = String(subscriber % 10_000).padStart(4, '0');
  return { first, last, email, phoneDigits: `${rng.pick(areaCodes)}${exchange}${line}` };
}

/** The phone notations seen in EMR exports. */
export type PhoneStyle = 'parenthesized' | 'dashed' | 'international' | 'dotted' | 'digits';

export const PHONE_STYLES: readonly PhoneStyle[] = [
  'parenthesized',
  'dashed',
  'international',
  'dotted',
  'digits',
];

export function formatPhone(digits: string, style: PhoneStyle): string {
  const area = digits.slice(0, 3);
  const exchange = digits.slice(3, 6);
  const line = digits.slice(6);
  switch (style) {
    case 'parenthesized':
      return `(${area}) ${exchange}-${line}`;
    case 'dashed':
      return `${area}-${exchange}-${line}`;
    case 'international':
      return `+1 ${area} ${exchange} ${line}`;
    case 'dotted':
      return `${area}.${exchange}.${line}`;
    case 'digits':
      return digits;
  }
}

/**
 * The email as a front desk typed it: usually as given, sometimes capitalized, shouting, or
 * with stray spaces. Normalization at ingest (lower-case, trim) must undo every variant.
 */
export function presentEmail(email: string, rng: Random): string {
  const r = rng.next();
  if (r < 0.08) return email.charAt(0).toUpperCase() + email.slice(1);
  if (r < 0.1) return email.toUpperCase();
  if (r < 0.12) return ` ${email}`;
  if (r < 0.14) return `${email} `;
  return email;
}

/** A role as EMR and payroll exports print it: licences in capitals (`md` → `MD`), others as written. */
export function exportedRole(role: string): string {
  return role === 'aesthetician' || role === 'other' ? role : role.toUpperCase();
}

/** A provider's name as one EMR displays it ("Last, First" is common and needs CSV quoting). */
export function providerDisplayName(first: string, last: string, role: string, style: number): string {
  const credential = role === 'aesthetician' || role === 'other' ? '' : exportedRole(role);
  switch (style % 4) {
    case 0:
      return `${first} ${last}`;
    case 1:
      return credential ? `${first} ${last}, ${credential}` : `${first} ${last}`;
    case 2:
      return `${last}, ${first}`;
    default:
      return credential ? `${last}, ${first} ${credential}` : `${last}, ${first}`;
  }
}

export function randomName(rng: Random): { first: string; last: string } {
  return { first: rng.pick(FIRST_NAMES), last: rng.pick(LAST_NAMES) };
}
