import {
  bgnbdCustomerLogLikelihood,
  bgnbdLogLikelihood,
  conditionalExpectedTransactions,
  expectedTransactions,
  fitBgNbd,
  probabilityAlive,
} from '../../../shared/models/bgnbd';
import { logBeta } from '../../../shared/models/logGamma';
import { cdnowSummary, PUBLISHED_BGNBD, PUBLISHED_BGNBD_LL } from './cdnowData';

const summary = cdnowSummary();
const fit = fitBgNbd(summary.customers);
/** The customer of FHL 2005's worked example (and of the lifetimes docs): x = 2, tₓ = 30.43, T = 38.86. */
const EXAMPLE = { x: 2, tx: 30.43, T: 38.86 };

describe('the BG/NBD fit to the raw CDNOW log reproduces Fader, Hardie & Lee (2005)', () => {
  it('converges from every start to one optimum', () => {
    expect(fit.converged).toBe(true);
    expect(fit.reason).toBeUndefined();
    expect(fit.startsAtBest).toBe(fit.starts);
    expect(fit.customers).toBe(2357);
  });

  it('gives r = 0.243, α = 4.414, a = 0.793, b = 2.426 and LL = −9582.4', () => {
    expect(fit.params.r.toFixed(3)).toBe('0.243');
    expect(fit.params.alpha.toFixed(3)).toBe('4.414');
    expect(fit.params.a.toFixed(3)).toBe('0.793');
    expect(fit.params.b.toFixed(3)).toBe('2.426');
    expect(fit.logLikelihood.toFixed(1)).toBe('-9582.4');
  });

  it('agrees with the tighter reference values to 4 decimals and LL −9582.429 to 3', () => {
    expect(fit.params.r).toBeCloseTo(PUBLISHED_BGNBD.r, 4);
    expect(fit.params.alpha).toBeCloseTo(PUBLISHED_BGNBD.alpha, 4);
    expect(fit.params.a).toBeCloseTo(PUBLISHED_BGNBD.a, 4);
    expect(fit.params.b).toBeCloseTo(PUBLISHED_BGNBD.b, 4);
    expect(fit.logLikelihood).toBeCloseTo(PUBLISHED_BGNBD_LL, 3);
    // The published point is on the same optimum: its likelihood is ours to 1e-6.
    expect(bgnbdLogLikelihood(PUBLISHED_BGNBD, summary.customers)).toBeCloseTo(fit.logLikelihood, 6);
  });

  it('expects 1.226 purchases in the next 39 weeks of a customer with x = 2, tₓ = 30.43, T = 38.86', () => {
    expect(conditionalExpectedTransactions(fit.params, 39, EXAMPLE).toFixed(3)).toBe('1.226');
    expect(conditionalExpectedTransactions(PUBLISHED_BGNBD, 39, EXAMPLE).toFixed(3)).toBe('1.226');
  });

  it('is the same model in days: α seven times larger, r, a, b unchanged, LL lower by Σx·ln 7', () => {
    const daily = cdnowSummary('day');
    const dayFit = fitBgNbd(daily.customers);
    expect(dayFit.converged).toBe(true);
    expect(dayFit.params.alpha / fit.params.alpha).toBeCloseTo(7, 4);
    expect(dayFit.params.r).toBeCloseTo(fit.params.r, 5);
    expect(dayFit.params.a).toBeCloseTo(fit.params.a, 4);
    expect(dayFit.params.b).toBeCloseTo(fit.params.b, 4);
    const repeats = daily.customers.reduce((s, c) => s + c.x, 0);
    expect(dayFit.logLikelihood).toBeCloseTo(fit.logLikelihood - repeats * Math.log(7), 5);
  });
});

describe('the BG/NBD fit does not depend on the order the customers are listed in', () => {
  // A tenant's patients come in the order of their pseudonyms, which its secret decides: the
  // same patients must give the same fit to the last bit (a fit near a degenerate edge once
  // ended "did not converge" in one store and "alpha ran to the edge" in another).
  it('gives the same parameters and likelihood, bit for bit, for the customers reversed or rotated', () => {
    const reversed = fitBgNbd([...summary.customers].reverse());
    const rotated = fitBgNbd([...summary.customers.slice(1000), ...summary.customers.slice(0, 1000)]);
    for (const other of [reversed, rotated]) {
      expect(other.params).toEqual(fit.params);
      expect(other.logLikelihood).toBe(fit.logLikelihood);
      expect(other.iterations).toBe(fit.iterations);
    }
  });
});

describe('bgnbdLogLikelihood', () => {
  it('is the sum of the per-customer log-likelihoods (customers grouped only for speed)', () => {
    const some = summary.customers.slice(0, 300);
    const sum = some.reduce((s, c) => s + bgnbdCustomerLogLikelihood(PUBLISHED_BGNBD, c), 0);
    expect(bgnbdLogLikelihood(PUBLISHED_BGNBD, some)).toBeCloseTo(sum, 9);
  });

  it('refuses a summary that is not one (T before tₓ, a fractional x)', () => {
    expect(() => bgnbdLogLikelihood(PUBLISHED_BGNBD, [{ x: 1, tx: 5, T: 4 }])).toThrow(RangeError);
    expect(() => bgnbdLogLikelihood(PUBLISHED_BGNBD, [{ x: 1.5, tx: 1, T: 4 }])).toThrow(RangeError);
  });
});

describe('probabilityAlive', () => {
  it('is 1 for a customer with no repeat purchase, whatever T', () => {
    for (const T of [0, 1, 38.86, 1000]) expect(probabilityAlive(fit.params, { x: 0, tx: 0, T })).toBe(1);
  });

  it('falls the longer a repeat buyer has been silent, and rises with a later last purchase', () => {
    const early = probabilityAlive(fit.params, { x: 2, tx: 5, T: 38.86 });
    const late = probabilityAlive(fit.params, EXAMPLE);
    const recent = probabilityAlive(fit.params, { x: 2, tx: 38.86, T: 38.86 });
    expect(early).toBeLessThan(late);
    expect(late).toBeLessThan(recent);
    expect(recent).toBeLessThan(1);
    expect(probabilityAlive(fit.params, { x: 2, tx: 5, T: 80 })).toBeLessThan(early);
  });

  it('matches the closed form 1 / (1 + a/(b+x−1) · ((α+T)/(α+tₓ))^(r+x))', () => {
    const { r, alpha, a, b } = PUBLISHED_BGNBD;
    const expected = 1 / (1 + (a / (b + 1)) * ((alpha + 38.86) / (alpha + 30.43)) ** (r + 2));
    expect(probabilityAlive(PUBLISHED_BGNBD, EXAMPLE)).toBeCloseTo(expected, 14);
  });
});

describe('expected transactions', () => {
  /**
   * E[X(t)] by its definition, independently of ₂F₁: a customer with rate λ and dropout p
   * makes (1 − e^(−λpt))/p transactions on average; averaged over λ ~ Gamma(r, α) that is
   * (1 − (α/(α+pt))^r)/p, then over p ~ Beta(a, b) by Simpson's rule (in u = p^a, which
   * removes the p^(a−1) singularity at 0).
   */
  function expectedByQuadrature(t: number): number {
    const { r, alpha, a, b } = fit.params;
    const h = (p: number) => (p === 0 ? (r * t) / alpha : (1 - (alpha / (alpha + p * t)) ** r) / p);
    const g = (u: number) => {
      const p = u ** (1 / a);
      return h(p) * (1 - p) ** (b - 1);
    };
    const n = 20000;
    let sum = g(0) + g(1);
    for (let i = 1; i < n; i++) sum += (i % 2 === 1 ? 4 : 2) * g(i / n);
    return ((sum / (3 * n)) * 1) / a / Math.exp(logBeta(a, b));
  }

  it('E[X(t)] equals its definition integrated numerically', () => {
    for (const t of [1, 10, 39, 78, 500]) {
      expect(expectedTransactions(fit.params, t)).toBeCloseTo(expectedByQuadrature(t), 7);
    }
  });

  it('is 0 over no time, grows with the horizon, and stays finite for hundreds of transactions', () => {
    expect(conditionalExpectedTransactions(fit.params, 0, EXAMPLE)).toBe(0);
    const horizons = [1, 13, 39, 78, 520].map((t) => conditionalExpectedTransactions(fit.params, t, EXAMPLE));
    horizons.slice(1).forEach((v, i) => expect(v).toBeGreaterThan(horizons[i]!));
    const heavy = conditionalExpectedTransactions(fit.params, 39, { x: 500, tx: 38, T: 38.86 });
    expect(Number.isFinite(heavy)).toBe(true);
    expect(heavy).toBeGreaterThan(5);
  });

  it('is smooth through a = 1, where the formula is 0/0', () => {
    const at = (a: number) => conditionalExpectedTransactions({ ...PUBLISHED_BGNBD, a }, 39, EXAMPLE);
    // The parabola through a = 1 − h, 1 + h, 1 + 2h (error ~h³) predicts the values near 1.
    const h = 1e-3;
    const [y0, y1, y2] = [at(1 - h), at(1 + h), at(1 + 2 * h)];
    const parabola = (a: number) => {
      const [u0, u1, u2] = [1 - h, 1 + h, 1 + 2 * h];
      return (
        (y0 * (a - u1) * (a - u2)) / ((u0 - u1) * (u0 - u2)) +
        (y1 * (a - u0) * (a - u2)) / ((u1 - u0) * (u1 - u2)) +
        (y2 * (a - u0) * (a - u1)) / ((u2 - u0) * (u2 - u1))
      );
    };
    for (const a of [1, 1 - 1e-9, 1 + 3e-6, 1 - 2e-5]) expect(at(a)).toBeCloseTo(parabola(a), 8);
  });
});

describe('a fit that is not to be used', () => {
  it('is refused when no customer ever came back (a parameter runs off to the edge of its domain)', () => {
    const customers = Array.from({ length: 50 }, (_, i) => ({ x: 0, tx: 0, T: 10 + i }));
    const refused = fitBgNbd(customers);
    expect(refused.converged).toBe(false);
    expect(refused.reason).toMatch(/edge of its domain/);
  });

  it('is refused when Nelder–Mead runs out of iterations', () => {
    const refused = fitBgNbd(summary.customers, { maxIterations: 20 });
    expect(refused.converged).toBe(false);
    expect(refused.reason).toMatch(/did not converge: stopped after 20 iterations/);
  });
});
