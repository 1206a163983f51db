import fc from 'fast-check';

import {
  apiAmountToCents,
  type CentsResult,
  centsToMoneyCell,
  MAX_ABS_CENTS,
  minorUnitsToCents,
  multiplyCents,
  ratioToCents,
  roundHalfAwayFromZero,
  scaleCents,
  sumCents,
  textToCents,
  textToMoneyCell,
} from '../../../shared/connectors/money';

const ROUND = { subCent: 'round_half_away_from_zero' } as const;

/** The cents of a result, or its problem: `1999`, `'out_of_range'`. */
const read = (result: CentsResult): number | string => (result.ok ? result.cents : result.problem);

describe('money.ts: vendor CSV money cells', () => {
  it.each([
    ['1,234.56', 123456],
    ['$1,234.50', 123450],
    ['1099', 109900],
    ['.5', 50],
    ['12.500', 1250],
    ['0', 0],
    ['+50', 5000],
    ['(50.00)', -5000],
    ['($45.00)', -4500],
    ['$(45.00)', -4500],
    ['-50', -5000],
    ['$-50', -5000],
    ['-$50', -5000],
    ['50.00-', -5000],
    ['\u221250', -5000],
    ['US$ 7.5', 750],
    ['CA$12', 1200],
    ['€45', 4500],
    ['45.00 EUR', 4500],
    ['1 234.50', 123450],
    ['1e2', 10000],
    ['1.5E+3', 150000],
    ['125e-2', 125],
    ['9999999999.99', 999_999_999_999],
    ['-9,999,999,999.99', -999_999_999_999],
  ])('reads %j as %d cents', (text, cents) => {
    expect(read(textToCents(text))).toBe(cents);
  });

  it.each([
    ['(-50)', 'not_a_number'],
    ['--50', 'not_a_number'],
    ['-50-', 'not_a_number'],
    ['about 108', 'not_a_number'],
    ['1,23.4', 'not_a_number'],
    ['12.', 'not_a_number'],
    ['$', 'not_a_number'],
    ['1,234e2', 'not_a_number'],
    ['1'.repeat(80), 'not_a_number'],
    ['12.345', 'too_many_decimals'],
    ['0.001', 'too_many_decimals'],
    ['1e-5', 'too_many_decimals'],
    ['1e25', 'out_of_range'],
    ['1E+10', 'out_of_range'],
    ['10000000000', 'out_of_range'],
    ['-10,000,000,000.00', 'out_of_range'],
    ['1e99999999999', 'out_of_range'],
    ['', 'empty'],
    ['   ', 'empty'],
  ])('rejects %j: %s', (text, problem) => {
    expect(read(textToCents(text))).toBe(problem);
  });

  it('says why it rejects, and an empty cell is null with a reason, never 0', () => {
    expect(textToCents('')).toEqual({ ok: false, cents: null, problem: 'empty', reason: 'empty' });
    expect(textToCents('1e25')).toMatchObject({
      cents: null,
      reason: expect.stringContaining('9,999,999,999.99'),
    });
    expect(textToCents('12.345')).toMatchObject({
      cents: null,
      reason: expect.stringContaining('3 decimals'),
    });
  });

  it('reads a decimal comma only when the file writes one', () => {
    expect(read(textToCents('1.234,50', { decimalComma: true }))).toBe(123450);
    expect(read(textToCents('0,45', { decimalComma: true }))).toBe(45);
    expect(read(textToCents('-15,05 €', { decimalComma: true }))).toBe(-1505);
    expect(read(textToCents('1,5E+3', { decimalComma: true }))).toBe(150000);
    expect(read(textToCents('1,234.50', { decimalComma: true }))).toBe('not_a_number');
    expect(read(textToCents('1,234', { decimalComma: true }))).toBe('too_many_decimals');
  });

  it('rounds below the cent half away from zero only when the call says the vendor does', () => {
    expect(read(textToCents('12.345', ROUND))).toBe(1235);
    expect(read(textToCents('-12.345', ROUND))).toBe(-1235);
    expect(read(textToCents('12.344999', ROUND))).toBe(1234);
    expect(read(textToCents('0.005', ROUND))).toBe(1);
    expect(read(textToCents('(0.005)', ROUND))).toBe(-1);
    expect(read(textToCents('0.0049', ROUND))).toBe(0);
    expect(read(textToCents('1e-999999', ROUND))).toBe(0);
    // Rounding up to 10 billion is out of range all the same.
    expect(read(textToCents('9999999999.995', ROUND))).toBe('out_of_range');
    expect(read(textToCents('9999999999.994', ROUND))).toBe(999_999_999_999);
  });

  it('keeps the sign, and rejects the sign a field never has instead of flipping it', () => {
    expect(read(textToCents('-50', { sign: 'non_negative' }))).toBe('wrong_sign');
    expect(read(textToCents('(50)', { sign: 'non_negative' }))).toBe('wrong_sign');
    expect(read(textToCents('50', { sign: 'non_positive' }))).toBe('wrong_sign');
    expect(read(textToCents('-50', { sign: 'non_positive' }))).toBe(-5000);
    expect(read(textToCents('-0.00', { sign: 'non_negative' }))).toBe(0);
    expect(Object.is(textToCents('-0.00').cents, 0)).toBe(true);
  });

  it('writes canonical cells, keeping an empty cell empty', () => {
    expect(textToMoneyCell('$1,234.5')).toEqual({ ok: true, cell: '1234.50' });
    expect(textToMoneyCell('  ')).toEqual({ ok: true, cell: '' });
    expect(textToMoneyCell('ten')).toMatchObject({ ok: false, problem: 'not_a_number' });
  });
});

describe('money.ts: JSON amounts in major units', () => {
  it('reads JSON numbers through their shortest round-trip decimal, never through float arithmetic', () => {
    expect(read(apiAmountToCents(19.99))).toBe(1999);
    expect(read(apiAmountToCents(89.99))).toBe(8999);
    expect(read(apiAmountToCents(-89.99))).toBe(-8999);
    expect(read(apiAmountToCents(1.005))).toBe('too_many_decimals');
    expect(read(apiAmountToCents(1.005, ROUND))).toBe(101);
    expect(read(apiAmountToCents(149))).toBe(14900);
    expect(read(apiAmountToCents(0.07))).toBe(7);
    expect(read(apiAmountToCents(-0))).toBe(0);
    // 0.1 + 0.2 is 0.30000000000000004: a fraction of a cent, not 30 cents, unless rounding is the vendor's.
    expect(read(apiAmountToCents(0.1 + 0.2))).toBe('too_many_decimals');
    expect(read(apiAmountToCents(0.1 + 0.2, ROUND))).toBe(30);
    expect(read(apiAmountToCents(1e2))).toBe(10000);
    expect(read(apiAmountToCents(1e-7))).toBe('too_many_decimals');
  });

  it('rejects what is beyond range instead of reading it as 0 (toFixed gave "1e+25")', () => {
    expect(read(apiAmountToCents(1e25))).toBe('out_of_range');
    expect(read(apiAmountToCents(1e21))).toBe('out_of_range');
    expect(read(apiAmountToCents(-1e25))).toBe('out_of_range');
    expect(read(apiAmountToCents(Infinity))).toBe('out_of_range');
    expect(read(apiAmountToCents(NaN))).toBe('not_a_number');
    expect(read(apiAmountToCents(9_999_999_999.99))).toBe(999_999_999_999);
    expect(read(apiAmountToCents(10_000_000_000))).toBe('out_of_range');
    expect(read(apiAmountToCents(Number.MAX_SAFE_INTEGER))).toBe('out_of_range');
  });

  it('reads decimal strings strictly: digits, a point, an exponent', () => {
    expect(read(apiAmountToCents('1234.56'))).toBe(123456);
    expect(read(apiAmountToCents(' 12.3 '))).toBe(1230);
    expect(read(apiAmountToCents('-45.00'))).toBe(-4500);
    expect(read(apiAmountToCents('1e2'))).toBe(10000);
    expect(read(apiAmountToCents('1e25'))).toBe('out_of_range');
    expect(read(apiAmountToCents('1,234.00'))).toBe('not_a_number');
    expect(read(apiAmountToCents('$5'))).toBe('not_a_number');
    expect(read(apiAmountToCents('0.005'))).toBe('too_many_decimals');
    expect(read(apiAmountToCents('-45.005', ROUND))).toBe(-4501);
    expect(read(apiAmountToCents(''))).toBe('empty');
    expect(read(apiAmountToCents(null))).toBe('empty');
    expect(read(apiAmountToCents(undefined))).toBe('empty');
    expect(read(apiAmountToCents('-50', { sign: 'non_negative' }))).toBe('wrong_sign');
  });

  it('reads every amount up to $1,000.00 written as a JSON number exactly', () => {
    for (let cents = 0; cents <= 100_000; cents += 1) {
      const result = apiAmountToCents(cents / 100);
      if (!result.ok || result.cents !== cents)
        throw new Error(`${cents / 100} read as ${JSON.stringify(result)}`);
      const negative = apiAmountToCents(-cents / 100);
      if (!negative.ok || negative.cents !== -cents) throw new Error(`${-cents / 100} misread`);
    }
  });

  it('reads any in-range amount written as a JSON number with 2 decimals exactly (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(MAX_ABS_CENTS - 1), max: MAX_ABS_CENTS - 1 }), (cents) => {
        expect(apiAmountToCents(cents / 100)).toEqual({ ok: true, cents: cents === 0 ? 0 : cents });
      }),
    );
  });
});

describe('money.ts: minor units (Stripe, Square, Google micros)', () => {
  it('reads integers in the currency minor unit as hundredths of its major unit', () => {
    expect(read(minorUnitsToCents(1999, 2))).toBe(1999);
    expect(read(minorUnitsToCents('1999', 2))).toBe(1999);
    expect(read(minorUnitsToCents(-150, 2))).toBe(-150);
    // Zero-decimal currencies (JPY): ¥1000 is 100000 hundredths.
    expect(read(minorUnitsToCents(1000, 0))).toBe(100000);
    // Three-decimal currencies (KWD): 1.500 is exact, 1.234 has a digit below the cent.
    expect(read(minorUnitsToCents(1500, 3))).toBe(150);
    expect(read(minorUnitsToCents(1234, 3))).toBe('too_many_decimals');
    expect(read(minorUnitsToCents(1235, 3, ROUND))).toBe(124);
    // Micros round only where the vendor's convention is to.
    expect(read(minorUnitsToCents('12345678', 6))).toBe('too_many_decimals');
    expect(read(minorUnitsToCents('12345678', 6, ROUND))).toBe(1235);
    expect(read(minorUnitsToCents(9_007_199_254_740_993n, 6, ROUND))).toBe(900_719_925_474);
    expect(read(minorUnitsToCents(0, 2))).toBe(0);
  });

  it('rejects fractions, unsafe JSON integers, out-of-range amounts and the wrong sign', () => {
    expect(read(minorUnitsToCents(1.5, 2))).toBe('not_a_number');
    expect(read(minorUnitsToCents('15x', 2))).toBe('not_a_number');
    expect(read(minorUnitsToCents(1e25, 2))).toBe('out_of_range');
    expect(read(minorUnitsToCents(999_999_999_999, 2))).toBe(999_999_999_999);
    expect(read(minorUnitsToCents(1_000_000_000_000, 2))).toBe('out_of_range');
    expect(read(minorUnitsToCents(100_000_000_000, 0))).toBe('out_of_range');
    // 2^53 + 2 micros is $9.007 billion, within range, but a JSON integer beyond 2^53 is no
    // longer sure to be the digits the vendor sent.
    expect(read(minorUnitsToCents(2 ** 53 + 2, 6, ROUND))).toBe('not_a_number');
    expect(read(minorUnitsToCents(String(2n ** 53n + 1n), 6, ROUND))).toBe(900_719_925_474);
    expect(read(minorUnitsToCents(-1, 2, { sign: 'non_negative' }))).toBe('wrong_sign');
    expect(read(minorUnitsToCents(5, 2, { sign: 'non_positive' }))).toBe('wrong_sign');
    expect(read(minorUnitsToCents(null, 2))).toBe('empty');
  });
});

describe('money.ts: derived amounts, rounded once', () => {
  it('multiplies a unit price by a quantity exactly', () => {
    expect(read(multiplyCents(1400, 20))).toBe(28000);
    expect(read(multiplyCents(8999, 2))).toBe(17998);
    expect(read(multiplyCents(4100, '0.5'))).toBe(2050);
    expect(read(multiplyCents(333, '0.5'))).toBe(167);
    expect(read(multiplyCents(-333, '0.5'))).toBe(-167);
    expect(read(multiplyCents(2333, 7.5))).toBe(17498);
    expect(read(multiplyCents(100, 0))).toBe(0);
    expect(read(multiplyCents(100_000_000_000, 100))).toBe('out_of_range');
    expect(read(multiplyCents(100, 1e300))).toBe('out_of_range');
    expect(read(multiplyCents(100, 'abc'))).toBe('not_a_number');
  });

  it('scales, divides and sums exactly within range', () => {
    expect(read(scaleCents(1000, 365, 12))).toBe(30417);
    expect(read(scaleCents(14900, 1, 12))).toBe(1242);
    expect(read(scaleCents(-5, 1, 2))).toBe(-3);
    expect(read(scaleCents(5, 1, 0))).toBe('not_a_number');
    expect(read(ratioToCents(1n, 2n))).toBe(1);
    expect(read(ratioToCents(-1n, 2n))).toBe(-1);
    expect(read(ratioToCents(10n ** 30n, 1n))).toBe('out_of_range');
    expect(read(sumCents([]))).toBe(0);
    expect(read(sumCents([1, 2, -4]))).toBe(-1);
    expect(read(sumCents([999_999_999_999, 1]))).toBe('out_of_range');
    expect(roundHalfAwayFromZero(5n, 2n)).toBe(3n);
    expect(roundHalfAwayFromZero(-5n, 2n)).toBe(-3n);
    expect(roundHalfAwayFromZero(5n, -2n)).toBe(-3n);
    expect(roundHalfAwayFromZero(4n, 3n)).toBe(1n);
  });
});

describe('money.ts: canonical cells', () => {
  it('writes integer cents without separators, negative zero as zero', () => {
    expect(centsToMoneyCell(123450)).toBe('1234.50');
    expect(centsToMoneyCell(-4500)).toBe('-45.00');
    expect(centsToMoneyCell(7)).toBe('0.07');
    expect(centsToMoneyCell(-7)).toBe('-0.07');
    expect(centsToMoneyCell(-0)).toBe('0.00');
    expect(centsToMoneyCell(999_999_999_999)).toBe('9999999999.99');
    expect(() => centsToMoneyCell(1.5)).toThrow(RangeError);
  });

  it('round-trips any in-range amount: parse(format(cents)) = cents (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(MAX_ABS_CENTS - 1), max: MAX_ABS_CENTS - 1 }), (cents) => {
        const cell = centsToMoneyCell(cents);
        expect(read(textToCents(cell))).toBe(cents);
        expect(read(apiAmountToCents(cell))).toBe(cents);
      }),
    );
  });

  it('reads any decimal string with at most 2 decimals within range exactly (property)', () => {
    const decimalText = fc
      .tuple(
        fc.boolean(),
        fc.bigInt({ min: 0n, max: 9_999_999_999n }),
        fc.constantFrom(0, 1, 2),
        fc.integer({ min: 0, max: 99 }),
      )
      .map(([negative, whole, decimals, fraction]) => {
        const digits = String(fraction).padStart(2, '0').slice(0, decimals);
        const text = `${negative ? '-' : ''}${whole}${decimals === 0 ? '' : `.${digits}`}`;
        const cents = whole * 100n + BigInt(digits.padEnd(2, '0') || '0');
        return { text, cents: Number(negative ? -cents : cents) };
      });
    fc.assert(
      fc.property(decimalText, ({ text, cents }) => {
        const result = textToCents(text);
        expect(read(result)).toBe(cents === 0 ? 0 : cents);
        // format(parse(text)) is the same amount written canonically, and it reads back the same.
        if (result.ok) expect(read(textToCents(centsToMoneyCell(result.cents)))).toBe(result.cents);
      }),
    );
  });
});

describe('money.ts: hostile exponents stay cheap and never become 0 silently', () => {
  it('clamps huge exponents instead of building huge powers of ten', () => {
    expect(read(textToCents(`1e${'9'.repeat(40)}`))).toBe('out_of_range');
    expect(read(textToCents(`1e-${'9'.repeat(40)}`))).toBe('too_many_decimals');
    expect(read(textToCents(`1e-${'9'.repeat(40)}`, ROUND))).toBe(0);
    expect(read(apiAmountToCents('0e99999999999'))).toBe(0);
    expect(read(multiplyCents(100, '1e-999999'))).toBe(0);
  });
});
