import { logBeta, logGamma, logSumExp } from '../../../shared/models/logGamma';

/** C's lgamma (Python math.lgamma), correctly rounded to double. */
const REFERENCE: [number, number][] = [
  [1e-8, 18.42068073818021],
  [0.001, 6.907178885383854],
  [0.1, 2.2527126517342055],
  [0.243, 1.3180435846996699],
  [0.5, 0.5723649429247004],
  [0.9, 0.0663762397347431],
  [1.1, -0.04987244125984036],
  [1.5, -0.12078223763524543],
  [1.0000001, -5.772155869943063e-8],
  [1.9999999, -4.227843031223699e-8],
  [2.1, 0.04543773854448463],
  [2.5, 0.2846828704729196],
  [3, 0.693147180559945],
  [3.7, 1.4280723266653883],
  [7.25, 7.0521854507385395],
  [10, 12.801827480081467],
  [33.3, 82.60372358165495],
  [100, 359.1342053695754],
  [1000, 5905.220423209181],
  [1e6, 12815504.569147611],
];

describe('logGamma (Lanczos, Numerical Recipes coefficients)', () => {
  it.each(REFERENCE)('agrees with C lgamma at %p to 14 digits or better', (x, expected) => {
    expect(Math.abs(logGamma(x) - expected)).toBeLessThan(1e-14 * Math.max(1, Math.abs(expected)));
  });

  it('is exactly 0 at 1 and 2, and ln((n−1)!) at the integers', () => {
    expect(logGamma(1)).toBe(0);
    expect(logGamma(2)).toBe(0);
    let factorial = 1;
    for (let n = 2; n <= 25; n++) {
      factorial *= n - 1;
      expect(logGamma(n)).toBeCloseTo(Math.log(factorial), 12);
    }
  });

  it('satisfies the recurrence ln Γ(x + 1) = ln Γ(x) + ln x', () => {
    for (const x of [0.013, 0.2425945, 0.79, 2.4258881, 6.25, 44.1, 987.6]) {
      expect(Math.abs(logGamma(x + 1) - logGamma(x) - Math.log(x))).toBeLessThan(
        2e-14 * Math.max(1, logGamma(x + 1)),
      );
    }
  });

  it('gives Γ(½) = √π', () => {
    expect(Math.exp(logGamma(0.5))).toBeCloseTo(Math.sqrt(Math.PI), 14);
  });

  it('is NaN outside x > 0', () => {
    expect(logGamma(0)).toBeNaN();
    expect(logGamma(-1.5)).toBeNaN();
    expect(logGamma(NaN)).toBeNaN();
  });

  it('builds ln B(a, b), symmetric and exact for small integers', () => {
    expect(logBeta(2.5, 0.7)).toBeCloseTo(logBeta(0.7, 2.5), 14);
    // B(2, 3) = 1!·2!/4! = 1/12
    expect(logBeta(2, 3)).toBeCloseTo(-Math.log(12), 14);
  });

  it('adds in log space without overflow', () => {
    expect(logSumExp(1000, 1000)).toBeCloseTo(1000 + Math.LN2, 12);
    expect(logSumExp(-Infinity, 3)).toBe(3);
    expect(logSumExp(Math.log(2), Math.log(3))).toBeCloseTo(Math.log(5), 15);
  });
});
