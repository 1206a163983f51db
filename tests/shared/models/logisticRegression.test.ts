import {
  fitLogisticRegression,
  logitContributions,
  predictLogistic,
  sigmoid,
} from '../../../shared/models/logisticRegression';

/**
 * The Challenger O-ring data (23 launches before 1986: launch temperature °F, 1 = O-ring
 * damage), the textbook example of logistic regression: Dalal, Fowlkes & Hoadley (1989),
 * JASA 84(408); the maximum-likelihood fit quoted in textbooks (e.g. Faraway, "Extending the
 * Linear Model with R", the `orings` data; R's glm) is logit p = 15.0429 − 0.2322 · temp,
 * residual deviance 20.315.
 */
const CHALLENGER_TEMP = [
  66, 70, 69, 68, 67, 72, 73, 70, 57, 63, 70, 78, 67, 53, 67, 75, 70, 81, 76, 79, 75, 76, 58,
];
const CHALLENGER_DAMAGE: (0 | 1)[] = [0, 1, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 1];

describe('fitLogisticRegression (Newton / IRLS, standardized features, ridge off the intercept)', () => {
  it('reproduces the published Challenger fit without a ridge', () => {
    const fit = fitLogisticRegression(
      ['temp'],
      CHALLENGER_TEMP.map((t) => [t]),
      CHALLENGER_DAMAGE,
      { ridge: 0 },
    );
    expect(fit.converged).toBe(true);
    expect(fit.intercept).toBeCloseTo(15.0429, 4);
    expect(fit.coefficients[0]).toBeCloseTo(-0.2322, 4);
    // Deviance = −2 ln L.
    expect(-2 * fit.logLikelihood).toBeCloseTo(20.315, 3);
    expect(fit.rows).toBe(23);
    expect(fit.positives).toBe(7);
  });

  it('matches the closed form of a saturated model: logits of the group rates', () => {
    // x = 0: 3 of 10 positive; x = 1: 7 of 10 positive.
    const rows = [...new Array<number>(10).fill(0), ...new Array<number>(10).fill(1)].map((x) => [x]);
    const y: (0 | 1)[] = [1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0];
    const fit = fitLogisticRegression(['x'], rows, y, { ridge: 0 });
    expect(fit.converged).toBe(true);
    expect(fit.intercept).toBeCloseTo(Math.log(3 / 7), 10);
    expect(fit.coefficients[0]).toBeCloseTo(2 * Math.log(7 / 3), 10);
    expect(predictLogistic(fit, [0])).toBeCloseTo(0.3, 10);
    expect(predictLogistic(fit, [1])).toBeCloseTo(0.7, 10);
  });

  it('gives the same fit, bit for bit, whatever order the rows are listed in', () => {
    // Fractional features, so the sums' order shows in the last bits when it matters.
    const rows = CHALLENGER_TEMP.map((t, i) => [t / 3, ((i * 7) % 5) / 7]);
    const fit = fitLogisticRegression(['temp', 'noise'], rows, CHALLENGER_DAMAGE);
    const order = rows.map((_, i) => (i * 10) % rows.length);
    const shuffled = fitLogisticRegression(
      ['temp', 'noise'],
      order.map((i) => rows[i]!),
      order.map((i) => CHALLENGER_DAMAGE[i]!),
    );
    expect(new Set(order).size).toBe(rows.length);
    expect(shuffled).toEqual(fit);
  });

  it('takes the hand-derived first Newton step from β = 0', () => {
    // x = (−1, −1, 1, 1) has mean 0 and sd 1, so z = x. At β = 0 every p = ½, w = ¼:
    // information = ¼·ZᵀZ + λ·diag(0, 1) = [[1, 0], [0, 1 + 1]], gradient = Zᵀ(y − ½) = (1, 1),
    // so the step is (1, ½).
    const fit = fitLogisticRegression(['x'], [[-1], [-1], [1], [1]], [0, 1, 1, 1], {
      ridge: 1,
      maxIterations: 1,
    });
    expect(fit.iterations).toBe(1);
    expect(fit.converged).toBe(false);
    expect(fit.standardized.intercept).toBeCloseTo(1, 12);
    expect(fit.standardized.coefficients[0]).toBeCloseTo(0.5, 12);
  });

  it('ends where the penalized score is zero: Zᵀ(y − p) = λ·β off the intercept', () => {
    const rows = CHALLENGER_TEMP.map((t, i) => [t, (i * 7) % 5]);
    const fit = fitLogisticRegression(['temp', 'noise'], rows, CHALLENGER_DAMAGE, { ridge: 2 });
    expect(fit.converged).toBe(true);
    const z = rows.map((r) => r.map((v, j) => (v - fit.means[j]!) / fit.sds[j]!));
    const residuals = rows.map((r, i) => CHALLENGER_DAMAGE[i]! - predictLogistic(fit, r));
    expect(residuals.reduce((s, e) => s + e, 0)).toBeCloseTo(0, 9);
    for (let j = 0; j < 2; j++) {
      const score = z.reduce((s, zi, i) => s + zi[j]! * residuals[i]!, 0);
      expect(score).toBeCloseTo(2 * fit.standardized.coefficients[j]!, 9);
    }
    // The original-scale model is the standardized one rewritten.
    const row = [65, 3];
    const eta =
      fit.standardized.intercept +
      fit.standardized.coefficients.reduce((s, b, j) => s + (b * (row[j]! - fit.means[j]!)) / fit.sds[j]!, 0);
    expect(predictLogistic(fit, row)).toBeCloseTo(sigmoid(eta), 12);
    const contributions = logitContributions(fit, row);
    expect(fit.standardized.intercept + contributions[0]! + contributions[1]!).toBeCloseTo(eta, 12);
  });

  it('stays finite on separable data thanks to the ridge, and says so without one', () => {
    const rows = [[1], [2], [3], [4], [5], [6]];
    const y: (0 | 1)[] = [0, 0, 0, 1, 1, 1];
    const ridged = fitLogisticRegression(['x'], rows, y);
    expect(ridged.converged).toBe(true);
    expect(Number.isFinite(ridged.coefficients[0])).toBe(true);
    expect(ridged.coefficients[0]).toBeGreaterThan(0);
    const plain = fitLogisticRegression(['x'], rows, y, { ridge: 0 });
    expect(plain.converged).toBe(false);
    expect(plain.reason).toMatch(/separable/);
  });

  it('gives a constant feature coefficient 0 and refuses one-class data', () => {
    const fit = fitLogisticRegression(
      ['temp', 'constant'],
      CHALLENGER_TEMP.map((t) => [t, 4]),
      CHALLENGER_DAMAGE,
      { ridge: 0 },
    );
    expect(fit.converged).toBe(true);
    expect(fit.coefficients[1]).toBe(0);
    expect(fit.coefficients[0]).toBeCloseTo(-0.2322, 4);
    const oneClass = fitLogisticRegression(['x'], [[1], [2]], [1, 1]);
    expect(oneClass.converged).toBe(false);
    expect(oneClass.reason).toMatch(/every training row has y = 1/);
    expect(fitLogisticRegression(['x'], [], []).reason).toBe('no training rows');
  });

  it('is deterministic and rejects malformed input', () => {
    const rows = CHALLENGER_TEMP.map((t, i) => [t, i % 3]);
    const a = fitLogisticRegression(['t', 'k'], rows, CHALLENGER_DAMAGE);
    const b = fitLogisticRegression(['t', 'k'], rows, CHALLENGER_DAMAGE);
    expect(a).toEqual(b);
    expect(() => fitLogisticRegression(['x'], [[1]], [1, 0])).toThrow(RangeError);
    expect(() => fitLogisticRegression(['x'], [[1, 2]], [1])).toThrow(RangeError);
    expect(() => fitLogisticRegression(['x'], [[Number.NaN]], [1])).toThrow(RangeError);
  });
});
