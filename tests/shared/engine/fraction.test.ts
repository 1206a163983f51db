import { Fraction } from '../../../shared/engine/fraction';

describe('exact fractions', () => {
  it('keeps values reduced, so equal values are equal', () => {
    expect(Fraction.of(6, 4)).toEqual(Fraction.of(3, 2));
    expect(Fraction.of(3, -6)).toEqual(Fraction.of(-1, 2));
    expect(Fraction.of(0, 7)).toEqual(Fraction.ZERO);
    expect(Fraction.of(100_001, 2).toString()).toBe('100001/2');
  });

  it('adds thirds to a whole without a remainder, where doubles do not', () => {
    // 1/3 + 1/3 + 1/3 = 1 exactly; 0.1 + 0.2 is 3/10 only as fractions.
    expect(Fraction.of(1, 3).plus(Fraction.of(1, 3)).plus(Fraction.of(1, 3))).toEqual(Fraction.of(1));
    expect(Fraction.of(1, 10).plus(Fraction.of(2, 10))).toEqual(Fraction.of(3, 10));
    expect(Fraction.of(7, 2).minus(Fraction.of(1, 2))).toEqual(Fraction.of(3));
    expect(Fraction.of(2, 7).times(Fraction.of(7, 4))).toEqual(Fraction.of(1, 2));
    expect(Fraction.of(5).dividedBy(Fraction.of(2))).toEqual(Fraction.of(5, 2));
  });

  it('takes a double at its exact binary value, and a typed decimal at its decimal value', () => {
    // 0.5 is a binary fraction; 0.1 is not (3602879701896397 / 2^55).
    expect(Fraction.fromNumber(0.5)).toEqual(Fraction.of(1, 2));
    expect(Fraction.fromNumber(0.1)).toEqual(Fraction.of(3602879701896397n, 2n ** 55n));
    expect(Fraction.fromNumber(-2.25)).toEqual(Fraction.of(-9, 4));
    expect(Fraction.fromDecimal(0.065)).toEqual(Fraction.of(13, 200));
    expect(Fraction.fromDecimal(0.4)).toEqual(Fraction.of(2, 5));
    expect(Fraction.fromDecimal(72.5)).toEqual(Fraction.of(145, 2));
    expect(Fraction.fromDecimal(1e-7)).toEqual(Fraction.of(1, 10_000_000));
    expect(Fraction.fromDecimal(-3)).toEqual(Fraction.of(-3));
    // A non-integer passed to `of` is taken exactly, too.
    expect(Fraction.of(2.5, 5)).toEqual(Fraction.of(1, 2));
  });

  it('rounds a half away from zero, and everything else to the nearest integer', () => {
    expect(Fraction.of(5, 2).roundHalfAwayFromZero()).toBe(3);
    expect(Fraction.of(-5, 2).roundHalfAwayFromZero()).toBe(-3);
    expect(Fraction.of(7, 2).roundHalfAwayFromZero()).toBe(4);
    expect(Fraction.of(1, 2).roundHalfAwayFromZero()).toBe(1);
    expect(Fraction.of(-1, 2).roundHalfAwayFromZero()).toBe(-1);
    expect(Fraction.of(1, 3).roundHalfAwayFromZero()).toBe(0);
    expect(Fraction.of(2, 3).roundHalfAwayFromZero()).toBe(1);
    expect(Fraction.of(-2, 3).roundHalfAwayFromZero()).toBe(-1);
    expect(Fraction.of(-1, 3).roundHalfAwayFromZero()).toBe(0);
    expect(Fraction.of(12).roundHalfAwayFromZero()).toBe(12);
    // 11,891,583.5 cents exactly (the half cent a double sum showed as 11,891,583.499999968).
    expect(Fraction.of(23_783_167, 2).roundHalfAwayFromZero()).toBe(11_891_584);
    // One part in 2 × 10^12 below the half is below it.
    expect(
      Fraction.of(23_783_167n * 1_000_000_000_000n - 1n, 2_000_000_000_000n).roundHalfAwayFromZero(),
    ).toBe(11_891_583);
  });

  it('compares and converts', () => {
    expect(Fraction.of(1, 2).compareTo(Fraction.fromDecimal(0.5))).toBe(0);
    expect(Fraction.of(26, 50).compareTo(Fraction.of(1, 2))).toBe(1);
    expect(Fraction.of(-1, 3).sign()).toBe(-1);
    expect(Fraction.of(1, 4).toNumber()).toBe(0.25);
    expect(Fraction.of(10n ** 30n + 1n, 10n ** 10n).toNumber()).toBe(1e20);
    expect(() => Fraction.of(1, 0)).toThrow(RangeError);
    expect(() => Fraction.of(1).dividedBy(Fraction.ZERO)).toThrow(RangeError);
  });
});
