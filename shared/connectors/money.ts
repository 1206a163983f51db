/*
 * Vendor money → integer cents: the ONE way a connector reads an amount. Every CSV cell
 * (`$1,234.50`, `(45.00)`, `1.234,50`), JSON amount (Mindbody `120.5`, Gusto `"1234.56"`) and
 * minor-unit integer (Stripe/Square `amount`, Google Ads micros) goes through this file, and so
 * does every amount a profile derives from them (a quantity × a price, a monthly equivalent, a
 * share, a sum). The canonical bundle's own `1234.50` notation is read by model/money.ts.
 *
 * The rules, one for every vendor:
 *
 * - Exact. An amount's decimal digits become a BigInt and a power of ten; no binary floating
 *   point ever touches an amount. A JSON number is read through its shortest round-trip decimal
 *   string (ECMAScript Number::toString: `19.99` → "19.99" → 1999 cents), i.e. the number the
 *   vendor wrote, never through `toFixed` or `* 100`.
 * - Sign kept as written: `-50`, `$-50`, `-$50`, `(50.00)` and `50.00-` are all −50.00; two signs
 *   (`(-50)`, `--50`) are unreadable, not a double negation. Where the vendor never sends a
 *   negative amount in a field (`sign: 'non_negative'`), a negative one is rejected (`wrong_sign`) — never
 *   flipped with an absolute value. A profile that changes a sign because the vendor's convention
 *   differs from the canonical one (Square's negative discounts, Mindbody's `Returned` items)
 *   does it in a named function that says which field and why.
 * - Decimals. Up to 2 decimals are read exactly; trailing zeros do not count (`12.500`). More
 *   than 2 are rejected (`too_many_decimals`), unless the caller passes
 *   `subCent: 'round_half_away_from_zero'` because the vendor's own unit is finer than the cent
 *   (Google Ads micros; Mindbody's `double` amounts); the call says which convention.
 * - Exponent notation (`1e2`, `1.5E+3`, `125e-2`) is accepted when it denotes an exact amount
 *   within range; `1e25` is out of range, `1e-5` has too many decimals.
 * - Range: |amount| < 10,000,000,000.00 (10 billion units of the currency, `MAX_ABS_CENTS` =
 *   10^12 hundredths, far inside Number.MAX_SAFE_INTEGER). No single sales line, payroll line or
 *   day of ad spend comes near it; anything at or above it is a corrupted export (`out_of_range`).
 *   Derived amounts and sums are held to the same range.
 * - Empty is absent: `{ cents: null, problem: 'empty' }`, never 0; the caller decides whether
 *   the field may be empty.
 * - Derived amounts (a decimal quantity × a unit price, a monthly equivalent of a yearly price,
 *   a split-commission share of the tax, a currency conversion) are computed exactly and rounded
 *   once, half away from zero, at the end.
 *
 * Every rejection comes back as `{ ok: false, cents: null, problem, reason }`; the profile turns
 * it into a per-record error issue naming the record (row or JSON path) and the column, so the
 * record is rejected and the ingest's rejected-row threshold decides — never a silent 0.
 */

/** Integer hundredths of a currency's major unit (cents for USD). */
export type Cents = number;

/** Exclusive bound on |cents|: 10,000,000,000.00 of a currency. */
export const MAX_ABS_CENTS = 1_000_000_000_000;
const MAX_ABS = BigInt(MAX_ABS_CENTS);
/** `9,999,999,999.99`, for messages. */
const MAX_SHOWN = '9,999,999,999.99';

export type MoneyProblem = 'empty' | 'not_a_number' | 'too_many_decimals' | 'out_of_range' | 'wrong_sign';

export type CentsResult =
  { ok: true; cents: Cents } | { ok: false; cents: null; problem: MoneyProblem; reason: string };

/** How a field's amounts are read; the defaults are the strict rules of the file comment. */
export interface AmountRules {
  /**
   * Digits below the cent: `reject` (default), or `round_half_away_from_zero` when the vendor's
   * own unit is finer than the cent — only with a comment at the call naming that convention.
   */
  subCent?: 'reject' | 'round_half_away_from_zero';
  /**
   * `any` (default): kept as written. `non_negative` / `non_positive`: the vendor never sends
   * the other sign in this field, so an amount of that sign is an error (`wrong_sign`).
   */
  sign?: 'any' | 'non_negative' | 'non_positive';
}

export interface TextRules extends AmountRules {
  /** `;` exports of localized spreadsheets write `1.234,50`. */
  decimalComma?: boolean;
}

const ok = (cents: bigint): CentsResult => ({ ok: true, cents: cents === 0n ? 0 : Number(cents) });
const fail = (problem: MoneyProblem, reason: string): CentsResult => ({
  ok: false,
  cents: null,
  problem,
  reason,
});

/** Texts longer than this are not amounts (and are never turned into huge BigInts). */
const MAX_TEXT = 64;

/**
 * An exact decimal: (−1)^negative × digits × 10^−scale. `digits` has no leading zeros ('' for
 * zero); `scale` may be negative (`1e5` is digits "1", scale −5).
 */
interface Decimal {
  negative: boolean;
  digits: string;
  scale: number;
}

type Parsed = { ok: true; value: Decimal } | { ok: false; result: CentsResult };

/** Whole and fraction digits plus an exponent → a Decimal without leading or trailing zeros. */
function decimalOf(
  negative: boolean,
  whole: string,
  fraction: string,
  exponent: string | undefined,
): Decimal {
  // `1e99999999999999999999` is clamped: far out of range (or far below the cent) all the same,
  // and the scale stays an exact integer; no power of ten is ever built from it (decimalToCents).
  const exp = exponent === undefined ? 0 : Math.max(-1e15, Math.min(1e15, Number(exponent)));
  let digits = `${whole}${fraction}`.replace(/^0+/, '');
  let scale = fraction.length - exp;
  while (digits.endsWith('0')) {
    digits = digits.slice(0, -1);
    scale -= 1;
  }
  if (digits === '') scale = 0;
  return { negative, digits, scale };
}

const outOfRange = (): CentsResult =>
  fail('out_of_range', `beyond ±${MAX_SHOWN}, the largest amount Caliper reads on one line`);

/** |n| / |d| rounded half away from zero, the sign of n/d kept. */
export function roundHalfAwayFromZero(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError('division by zero');
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  let q = n / d;
  if (2n * (n % d) >= d) q += 1n;
  return negative ? -q : q;
}

/** A Decimal in the currency's major unit → cents (hundredths) by the rules. */
function decimalToCents(value: Decimal, rules: AmountRules): CentsResult {
  const { negative, digits } = value;
  if (digits === '') return ok(0n);
  if (negative && rules.sign === 'non_negative') {
    return fail('wrong_sign', 'negative, and this field is never negative in this export');
  }
  if (!negative && rules.sign === 'non_positive') {
    return fail('wrong_sign', 'positive, and this field is never positive in this export');
  }
  // value × 100 = digits × 10^(2 − scale) cents.
  const power = 2 - value.scale;
  // Integer digits of the amount in cents: more than 12 is ≥ 10^12 cents, out of range.
  if (digits.length + power > 12) return outOfRange();
  let cents: bigint;
  if (power >= 0) {
    cents = BigInt(digits) * 10n ** BigInt(power);
  } else {
    if (rules.subCent !== 'round_half_away_from_zero') {
      return fail(
        'too_many_decimals',
        `${value.scale > 99 ? 'more than 99' : value.scale} decimals: this export's amounts are whole cents, and a fraction of a cent is not rounded away`,
      );
    }
    // Less than a tenth of a cent rounds to 0 without building 10^huge.
    cents = digits.length + power < 0 ? 0n : roundHalfAwayFromZero(BigInt(digits), 10n ** BigInt(-power));
  }
  if (cents >= MAX_ABS) return outOfRange();
  return ok(negative ? -cents : cents);
}

const STRICT_RE = /^(-)?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/** `-1234.5`, `1e2`, `125E-2`: the plain decimal notation APIs send as text. */
function parseStrict(text: string): Parsed {
  if (text.length > MAX_TEXT) return { ok: false, result: fail('not_a_number', 'too long to be an amount') };
  const m = STRICT_RE.exec(text);
  if (!m) return { ok: false, result: fail('not_a_number', 'not a number') };
  return { ok: true, value: decimalOf(m[1] !== undefined, m[2] ?? '', m[3] ?? '', m[4]) };
}

/**
 * An amount in the currency's major unit as an API sends it: a JSON number (Mindbody `120.5`)
 * or a decimal string (Gusto `"1234.56"`, Meta `"12.3"`, ADP `amountValue`). Strings are plain
 * decimals, optionally with an exponent: no symbols, separators or spaces.
 */
export function apiAmountToCents(
  value: number | string | null | undefined,
  rules: AmountRules = {},
): CentsResult {
  if (value === null || value === undefined) return fail('empty', 'no amount');
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return fail('not_a_number', 'not a number');
    // JSON.parse turns `1e400` into Infinity.
    if (!Number.isFinite(value)) return outOfRange();
    const parsed = parseStrict(String(value));
    return parsed.ok ? decimalToCents(parsed.value, rules) : parsed.result;
  }
  const text = value.trim();
  if (text === '') return fail('empty', 'empty');
  const parsed = parseStrict(text);
  return parsed.ok ? decimalToCents(parsed.value, rules) : parsed.result;
}

/**
 * An integer count of minor units (Stripe `amount`, Square `Money.amount`: `minorDigits` is the
 * currency's, see currency.ts; Google Ads micros: 6) → hundredths of the major unit. A
 * zero-decimal currency's ¥1000 is 100000 hundredths; a three-decimal currency's 1.500 KWD
 * (1500) is 150, and 1.234 KWD has a digit cents cannot carry (Stripe only takes multiples of
 * 10 in those currencies). A number must be an exact (safe) integer: a JSON integer beyond
 * 2^53 was already rounded by JSON.parse, so its digits are not the vendor's.
 */
export function minorUnitsToCents(
  value: number | string | bigint | null | undefined,
  minorDigits: number,
  rules: AmountRules = {},
): CentsResult {
  if (value === null || value === undefined) return fail('empty', 'no amount');
  let text: string;
  if (typeof value === 'bigint') {
    text = String(value);
  } else if (typeof value === 'number') {
    if (Number.isNaN(value)) return fail('not_a_number', 'not a number');
    if (!Number.isFinite(value)) return outOfRange();
    if (!Number.isInteger(value)) return fail('not_a_number', 'not a whole number of minor units');
    if (!Number.isSafeInteger(value)) {
      return Math.abs(value) / 10 ** minorDigits >= MAX_ABS_CENTS / 100
        ? outOfRange()
        : fail('not_a_number', 'a JSON integer too large to be read exactly');
    }
    text = String(value);
  } else {
    text = value.trim();
    if (text === '') return fail('empty', 'empty');
  }
  if (text.length > MAX_TEXT) return fail('not_a_number', 'too long to be an amount');
  const m = /^(-)?(\d+)$/.exec(text);
  if (!m) return fail('not_a_number', 'not a whole number of minor units');
  return decimalToCents(decimalOf(m[1] !== undefined, m[2] ?? '', '', String(-minorDigits)), rules);
}

const CURRENCY_PREFIX = /^(?:US\$|CA\$|A\$|USD|EUR|GBP|CAD|AUD|[$€£])/i;
const CURRENCY_SUFFIX = /(?:USD|EUR|GBP|CAD|AUD|[$€£])$/i;

/**
 * A money cell of a vendor CSV as people and spreadsheets write it: `$1,234.50`, `-$45.00`,
 * `$-45.00`, `($45.00)`, `45.00-`, `US$ 7.5`, `€45`, `45.00 EUR`, `1.234,50` (decimal comma),
 * `1.5E+3`. The currency sign or code is dropped here; which currency it names is currency.ts's
 * to read (currencyOfCell). Thousands separators must group by three.
 */
export function textToCents(text: string, rules: TextRules = {}): CentsResult {
  let t = text.replace(/\s/g, '').replace(/\u2212/g, '-');
  if (t === '') return fail('empty', 'empty');
  if (t.length > MAX_TEXT) return fail('not_a_number', 'too long to be an amount');
  let signs = 0;
  const strip = (re: RegExp): boolean => {
    const before = t;
    t = t.replace(re, '');
    return t !== before;
  };
  // Accounting parentheses and a minus before or after the number, around or inside the
  // currency sign: `($45.00)`, `$(45.00)`, `-$45.00`, `$-45.00`, `45.00-`. Exactly one of them.
  const signsAround = (): void => {
    if (/^\(.*\)$/.test(t)) {
      signs += 1;
      t = t.slice(1, -1);
    }
    if (strip(/^-/)) signs += 1;
    if (strip(/-$/)) signs += 1;
  };
  strip(/^\+/);
  signsAround();
  const prefixed = strip(CURRENCY_PREFIX);
  const suffixed = strip(CURRENCY_SUFFIX);
  if (prefixed || suffixed) signsAround();
  if (signs > 1) return fail('not_a_number', 'more than one minus sign or pair of parentheses');
  if (signs === 0) strip(/^\+/);
  const [thousands, point] = rules.decimalComma ? ['.', ','] : [',', '.'];
  const grouped = new RegExp(`^(\\d{1,3}(?:\\${thousands}\\d{3})+|\\d+)?(?:\\${point}(\\d+))?$`).exec(t);
  if (grouped && (grouped[1] !== undefined || grouped[2] !== undefined)) {
    const whole = (grouped[1] ?? '').split(thousands).join('');
    return decimalToCents(decimalOf(signs === 1, whole, grouped[2] ?? '', undefined), rules);
  }
  // Spreadsheets write large or tiny numbers as `1.5E+07` (never with thousands separators).
  const exponent = new RegExp(`^(\\d+)(?:\\${point}(\\d+))?[eE]([+-]?\\d+)$`).exec(t);
  if (exponent) {
    return decimalToCents(decimalOf(signs === 1, exponent[1] ?? '', exponent[2] ?? '', exponent[3]), rules);
  }
  return fail('not_a_number', 'not an amount of money');
}

/** A decimal quantity as vendors send it: a JSON number or a plain decimal string. */
function quantityOf(quantity: number | string): Decimal | null {
  if (typeof quantity === 'number' && !Number.isFinite(quantity)) return null;
  const parsed = parseStrict(typeof quantity === 'number' ? String(quantity) : quantity.trim());
  return parsed.ok ? parsed.value : null;
}

function checked(cents: bigint): CentsResult {
  return (cents < 0n ? -cents : cents) >= MAX_ABS ? outOfRange() : ok(cents);
}

/**
 * A unit price × a quantity (`2`, `1.5`, Square's `"0.25"`): exact, rounded once to the cent,
 * half away from zero — a derived amount, not a vendor amount with too many decimals.
 */
export function multiplyCents(cents: Cents, quantity: number | string): CentsResult {
  const q = quantityOf(quantity);
  if (q === null) return fail('not_a_number', 'the quantity is not a number');
  if (q.digits === '') return ok(0n);
  if (q.digits.length - q.scale > 15) return outOfRange();
  // |cents| < 2^53 < 10^16: a quantity below 10^-17 makes less than a tenth of a cent.
  if (q.scale - q.digits.length > 17) return ok(0n);
  const product = BigInt(cents) * BigInt(q.digits) * (q.negative ? -1n : 1n);
  if (q.scale <= 0) return checked(product * 10n ** BigInt(-q.scale));
  return checked(roundHalfAwayFromZero(product, 10n ** BigInt(q.scale)));
}

/**
 * cents × numerator / denominator, exact, rounded once half away from zero: a monthly
 * equivalent (a yearly price × 1/12), a share (tax × this employee's part of the sale).
 */
export function scaleCents(
  cents: Cents,
  numerator: bigint | number,
  denominator: bigint | number,
): CentsResult {
  const d = BigInt(denominator);
  if (d === 0n) return fail('not_a_number', 'a share of nothing (division by zero)');
  return checked(roundHalfAwayFromZero(BigInt(cents) * BigInt(numerator), d));
}

/** An exact fraction of cents (numerator / denominator) rounded once, half away from zero. */
export function ratioToCents(numerator: bigint, denominator: bigint): CentsResult {
  if (denominator === 0n) return fail('not_a_number', 'a share of nothing (division by zero)');
  return checked(roundHalfAwayFromZero(numerator, denominator));
}

/** Exact sum of amounts, held to the same range as one amount. */
export function sumCents(values: readonly Cents[]): CentsResult {
  let total = 0n;
  for (const v of values) total += BigInt(v);
  return checked(total);
}

/** Integer cents → the canonical money cell (`1234.50`, `-45.00`), no separators; −0 is `0.00`. */
export function centsToMoneyCell(cents: Cents): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`${cents} is not a whole number of cents`);
  const big = BigInt(cents);
  const abs = big < 0n ? -big : big;
  const fraction = String(abs % 100n).padStart(2, '0');
  return `${big < 0n ? '-' : ''}${abs / 100n}.${fraction}`;
}

/** A vendor CSV money cell → the canonical cell text; '' stays '' (absent). */
export function textToMoneyCell(
  text: string,
  rules: TextRules = {},
): { ok: true; cell: string } | Extract<CentsResult, { ok: false }> {
  if (text.trim() === '') return { ok: true, cell: '' };
  const read = textToCents(text, rules);
  return read.ok ? { ok: true, cell: centsToMoneyCell(read.cents) } : read;
}
