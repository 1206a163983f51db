import { hyp2f1, logHyp2f1 } from '../../../shared/models/hypergeometric';

/** Reference values from mpmath.hyp2f1 at 30 digits: [a, b, c, z, ln|2F1|, sign]. */
const REFERENCE: [number, number, number, number, number, number][] = [
  [1, 1, 2, 0.5, 0.326634259978281, 1],
  [0.5, 0.5, 1.5, 0.25, 0.046117597181290486, 1],
  // The BG/NBD term for x = 2 at the CDNOW parameters, and for x = 0 near z = 1
  [2.2425945, 4.4258881, 4.218808, 0.5014, 1.6476858232377773, 1],
  [0.2425945, 2.4258881, 2.218808, 0.9, 0.6655766668068158, 1],
  // Many transactions: the direct series climbs past 1e300 before it converges
  [50.24, 52.43, 51.22, 0.47, 32.65356719152253, 1],
  [500.24, 502.43, 501.22, 0.47, 318.3585973722261, 1],
  [1000.24, 1002.43, 1001.22, 0.9, 2305.922775090168, 1],
  // Mixed signs, a terminating series, a negative c, a negative z, z near 1
  [0.3, -0.2, 0.1, 0.7, -1.2139437516973404, 1],
  [-3, 2.5, 1.5, 0.6, -2.05572501506252, -1],
  [1.5, 2.5, -0.5, 0.3, 3.165284915967624, -1],
  [0.2425945, 2.4258881, 2.218808, -0.8, -0.15352167013986184, 1],
  [2, 3, 4, 0.999, 7.99545622172681, 1],
];

describe('logHyp2f1', () => {
  it.each(REFERENCE)('2F1(%p, %p; %p; %p) agrees with mpmath to 12 digits', (a, b, c, z, logAbs, sign) => {
    const result = logHyp2f1(a, b, c, z);
    expect(result.sign).toBe(sign);
    expect(Math.abs(result.logAbs - logAbs)).toBeLessThan(1e-12 * Math.max(1, Math.abs(logAbs)));
  });

  it('matches the closed forms −ln(1−z)/z, (1−z)^−a and arcsin(√z)/√z to 13 digits', () => {
    const relativeError = (actual: number, expected: number) => Math.abs(actual / expected - 1);
    for (const z of [-0.9, -0.3, 0.01, 0.3, 0.75, 0.95]) {
      expect(relativeError(hyp2f1(1, 1, 2, z), -Math.log1p(-z) / z)).toBeLessThan(1e-13);
      expect(relativeError(hyp2f1(2.7, 1.3, 1.3, z), (1 - z) ** -2.7)).toBeLessThan(1e-13);
      if (z > 0) {
        expect(relativeError(hyp2f1(0.5, 0.5, 1.5, z), Math.asin(Math.sqrt(z)) / Math.sqrt(z))).toBeLessThan(
          1e-13,
        );
      }
    }
  });

  it("gives the same value by Euler's transformation and by the direct series", () => {
    for (const [a, b, c, z] of [
      [12.2, 14.4, 13.2, 0.4],
      [0.7, 3.1, 5.5, 0.8],
      [40.24, 42.43, 41.22, 0.6],
    ] as const) {
      const euler = logHyp2f1(c - a, c - b, c, z).logAbs + (c - a - b) * Math.log1p(-z);
      expect(logHyp2f1(a, b, c, z).logAbs).toBeCloseTo(euler, 11);
    }
  });

  it('uses the transformation when it shrinks the parameters, so many transactions need few terms', () => {
    const result = logHyp2f1(1000.24, 1002.43, 1001.22, 0.9);
    expect(result.transformed).toBe(true);
    expect(result.terms).toBeLessThan(100);
  });

  it('is 1 at z = 0 and a polynomial when a is a non-positive integer', () => {
    expect(hyp2f1(3, 4, 5, 0)).toBe(1);
    // 2F1(−2, b; c; z) = 1 − 2bz/c + b(b+1)z²/(c(c+1))
    expect(hyp2f1(-2, 1.5, 2.5, 0.4)).toBeCloseTo(
      1 - (2 * 1.5 * 0.4) / 2.5 + (1.5 * 2.5 * 0.16) / (2.5 * 3.5),
      15,
    );
  });

  it('refuses z outside (−1, 1), a non-positive integer c, and a series it cannot finish', () => {
    expect(() => logHyp2f1(1, 1, 2, 1)).toThrow(RangeError);
    expect(() => logHyp2f1(1, 1, 2, -1.2)).toThrow(RangeError);
    expect(() => logHyp2f1(1, 1, -2, 0.5)).toThrow(/non-positive integer/);
    expect(() => logHyp2f1(1, 1, 2, 0.999, { maxTerms: 100 })).toThrow(/did not converge/);
  });
});
