import {
  type BgNbdParams,
  conditionalExpectedTransactions,
  expectedTransactions,
} from '../../../shared/models/bgnbd';

/**
 * A BG/NBD fit with a + b < 1 (a location of the 3-location demo, seed 5, fitted on its last day:
 * r 1.43, α 166, a 0.100, b 0.850) makes the ₂F₁ of the expected-transactions formula negative
 * at x = 0, since its third parameter a + b + x − 1 is. The formula still holds; it used to
 * throw ("the hypergeometric term is not positive"), which took the location's churn score and
 * call list with it.
 */
const SMALL_SHAPE: BgNbdParams = { r: 1.43, alpha: 166.15, a: 0.1, b: 0.85 };

/**
 * FHL 2005 eq. 10 (and eq. 9 at x = tₓ = T = 0) evaluated with mpmath 1.3 at 30 digits, whose
 * ₂F₁ is independent of ours: `hyp2f1(r+x, b+x, a+b+x-1, t/(α+T+t))`.
 */
const REFERENCE = {
  x30: 0.252846522047389,
  x365: 2.737479395553497,
  x1000: 6.888039491167906,
  y365: { 0: 1.310444185241609, 1: 1.951396762127256, 2: 2.975641109240062, 5: 5.814638161105739 },
};

describe('expected transactions when a + b < 1', () => {
  it('E[X(t)] matches an independent evaluation', () => {
    expect(expectedTransactions(SMALL_SHAPE, 30)).toBeCloseTo(REFERENCE.x30, 10);
    expect(expectedTransactions(SMALL_SHAPE, 365)).toBeCloseTo(REFERENCE.x365, 9);
    expect(expectedTransactions(SMALL_SHAPE, 1000)).toBeCloseTo(REFERENCE.x1000, 9);
  });

  it('E[Y(t) | x, tₓ, T] matches it too, and is continuous through a + b = 1', () => {
    // 400,000 simulated customers with no transaction in (0, 200] made 1.306 on average in the
    // next 365 days (standard error about 0.006).
    expect(conditionalExpectedTransactions(SMALL_SHAPE, 365, { x: 0, tx: 0, T: 200 })).toBeCloseTo(
      REFERENCE.y365[0],
      9,
    );
    for (const x of [1, 2, 5] as const) {
      expect(conditionalExpectedTransactions(SMALL_SHAPE, 365, { x, tx: 150, T: 200 })).toBeCloseTo(
        REFERENCE.y365[x],
        9,
      );
    }
    const at = (b: number) =>
      conditionalExpectedTransactions({ ...SMALL_SHAPE, b }, 365, { x: 0, tx: 0, T: 200 });
    expect(at(0.8999)).toBeCloseTo(at(0.9001), 4);
  });
});
