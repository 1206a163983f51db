/**
 * Exact rational numbers (BigInt numerator and denominator) for money: a pay period spread
 * over its days, a payroll line split across locations by production, a month of marketing
 * spend counted for part of the month all carry fractions of a cent. Carried as fractions
 * they add up exactly, so the one rounding to the cent (ROUNDING_RULE) decides on the true
 * value — $118,915.835 is a half cent, never 11,891,583.499999968 cents.
 */
export class Fraction {
  static readonly ZERO = new Fraction(0n, 1n);

  /** Always reduced, with a positive denominator: equal values have equal fields. */
  private constructor(
    readonly numerator: bigint,
    readonly denominator: bigint,
  ) {}

  /**
   * numerator / denominator, exactly. Integers are the usual case (whole cents, counts); a
   * number that is not one is taken at its exact value as a double (see fromNumber).
   */
  static of(numerator: number | bigint, denominator: number | bigint = 1n): Fraction {
    if (typeof numerator === 'number' && !Number.isInteger(numerator)) {
      return Fraction.fromNumber(numerator).dividedBy(Fraction.of(denominator));
    }
    if (typeof denominator === 'number' && !Number.isInteger(denominator)) {
      return Fraction.of(numerator).dividedBy(Fraction.fromNumber(denominator));
    }
    const n = toBigInt(numerator);
    const d = toBigInt(denominator);
    if (d === 0n) throw new RangeError('Fraction with a zero denominator');
    return Fraction.reduced(n, d);
  }

  /** The exact value of a double (an integer is itself; 0.1 is 3602879701896397 / 2^55). */
  static fromNumber(value: number): Fraction {
    if (!Number.isFinite(value)) throw new RangeError(`${value} is not a finite number`);
    if (Number.isInteger(value)) return new Fraction(BigInt(value), 1n);
    // Doubling a double is exact, and at most 1074 doublings make any finite double an integer.
    let scaled = value;
    let exponent = 0n;
    while (!Number.isInteger(scaled)) {
      scaled *= 2;
      exponent += 1n;
    }
    return Fraction.reduced(BigInt(scaled), 1n << exponent);
  }

  /**
   * The decimal a double was written as: the shortest decimal that reads back as the same
   * double (0.065 → 13/200, not the binary value 0.06500000000000000222…). For settings and
   * inputs typed as decimals (targets, payroll hours).
   */
  static fromDecimal(value: number): Fraction {
    if (!Number.isFinite(value)) throw new RangeError(`${value} is not a finite number`);
    const match = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(value));
    if (!match) return Fraction.fromNumber(value);
    const [, sign = '', whole = '0', decimals = '', exponentText = '0'] = match;
    let numerator = BigInt(`${whole}${decimals}`);
    let denominator = 10n ** BigInt(decimals.length);
    const exponent = Number(exponentText);
    if (exponent > 0) numerator *= 10n ** BigInt(exponent);
    if (exponent < 0) denominator *= 10n ** BigInt(-exponent);
    return Fraction.reduced(sign === '-' ? -numerator : numerator, denominator);
  }

  private static reduced(numerator: bigint, denominator: bigint): Fraction {
    if (denominator < 0n) {
      numerator = -numerator;
      denominator = -denominator;
    }
    if (numerator === 0n) return Fraction.ZERO;
    const divisor = gcd(numerator < 0n ? -numerator : numerator, denominator);
    return divisor === 1n
      ? new Fraction(numerator, denominator)
      : new Fraction(numerator / divisor, denominator / divisor);
  }

  plus(other: Fraction | number): Fraction {
    const o = asFraction(other);
    if (o.numerator === 0n) return this;
    if (this.numerator === 0n) return o;
    if (this.denominator === o.denominator) {
      return Fraction.reduced(this.numerator + o.numerator, this.denominator);
    }
    return Fraction.reduced(
      this.numerator * o.denominator + o.numerator * this.denominator,
      this.denominator * o.denominator,
    );
  }

  minus(other: Fraction | number): Fraction {
    return this.plus(asFraction(other).negated());
  }

  times(other: Fraction | number): Fraction {
    const o = asFraction(other);
    return Fraction.reduced(this.numerator * o.numerator, this.denominator * o.denominator);
  }

  dividedBy(other: Fraction | number): Fraction {
    const o = asFraction(other);
    if (o.numerator === 0n) throw new RangeError('division by zero');
    return Fraction.reduced(this.numerator * o.denominator, this.denominator * o.numerator);
  }

  negated(): Fraction {
    return new Fraction(-this.numerator, this.denominator);
  }

  sign(): -1 | 0 | 1 {
    return this.numerator === 0n ? 0 : this.numerator < 0n ? -1 : 1;
  }

  isZero(): boolean {
    return this.numerator === 0n;
  }

  compareTo(other: Fraction | number): -1 | 0 | 1 {
    return this.minus(other).sign();
  }

  /**
   * The nearest integer, a half rounded away from zero (2.5 → 3, −2.5 → −3): the rule of
   * Excel's ROUND and of a finance team's "round to the cent".
   */
  roundHalfAwayFromZero(): number {
    const magnitude = this.numerator < 0n ? -this.numerator : this.numerator;
    const rounded = (2n * magnitude + this.denominator) / (2n * this.denominator);
    return Number(this.numerator < 0n ? -rounded : rounded);
  }

  /** The nearest double (for ratios and display; never for money before it is rounded). */
  toNumber(): number {
    if (this.denominator === 1n) return Number(this.numerator);
    const whole = this.numerator / this.denominator;
    const rest = this.numerator - whole * this.denominator;
    // Splitting off the integer part keeps large values precise where Number(n) / Number(d) would not.
    return Number(whole) + scaledRatio(rest, this.denominator);
  }

  toString(): string {
    return this.denominator === 1n ? `${this.numerator}` : `${this.numerator}/${this.denominator}`;
  }
}

function toBigInt(value: number | bigint): bigint {
  if (typeof value === 'bigint') return value;
  if (!Number.isFinite(value)) throw new RangeError(`${value} is not a finite number`);
  return BigInt(value);
}

function asFraction(value: Fraction | number): Fraction {
  return typeof value === 'number' ? Fraction.fromNumber(value) : value;
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** n / d for |n| < d, as a double, without overflowing when both are huge. */
function scaledRatio(n: bigint, d: bigint): number {
  const bits = d.toString(2).length;
  if (bits <= 1000) return Number(n) / Number(d);
  const shift = BigInt(bits - 1000);
  return Number(n >> shift) / Number(d >> shift);
}
