import {
  conditionalExpectedSpend,
  fitGammaGamma,
  frequencySpendCorrelation,
  gammaGammaCustomerLogLikelihood,
  gammaGammaLogLikelihood,
  repeatBuyers,
} from '../../../shared/models/gammaGamma';
import { cdnowSummary, PUBLISHED_GAMMA_GAMMA, PUBLISHED_GAMMA_GAMMA_LL } from './cdnowData';

const summary = cdnowSummary();
const fit = fitGammaGamma(summary.customers);

describe('the Gamma-Gamma fit to the raw CDNOW log reproduces Fader & Hardie (2013)', () => {
  it('is fitted to the 946 repeat buyers and converges from every start to one optimum', () => {
    expect(fit.customers).toBe(946);
    expect(fit.converged).toBe(true);
    expect(fit.startsAtBest).toBe(fit.starts);
  });

  it('gives p = 6.25, q = 3.74, γ = 15.44 and LL = −4055.9177', () => {
    expect(fit.params.p.toFixed(2)).toBe(PUBLISHED_GAMMA_GAMMA.p.toFixed(2));
    expect(fit.params.q.toFixed(2)).toBe(PUBLISHED_GAMMA_GAMMA.q.toFixed(2));
    expect(fit.params.gamma.toFixed(2)).toBe(PUBLISHED_GAMMA_GAMMA.gamma.toFixed(2));
    expect(fit.logLikelihood).toBeCloseTo(PUBLISHED_GAMMA_GAMMA_LL, 4);
  });

  it('needs the unrounded zbar for the last digit of the LL: the published 2-decimal zbar gives −4055.9179', () => {
    const rounded = summary.customers.map((c) => ({ ...c, zbar: Math.round(c.zbar * 100) / 100 }));
    expect(fitGammaGamma(rounded).logLikelihood.toFixed(4)).toBe('-4055.9179');
  });

  it('finds spend nearly independent of frequency, as the model assumes (Fader & Hardie: 0.11)', () => {
    expect(frequencySpendCorrelation(summary.customers).toFixed(2)).toBe('0.11');
  });
});

describe('the Gamma-Gamma fit does not depend on the order the customers are listed in', () => {
  it('gives the same parameters, likelihood and correlation, bit for bit, for the customers reversed', () => {
    const reversed = [...summary.customers].reverse();
    const other = fitGammaGamma(reversed);
    expect(other.params).toEqual(fit.params);
    expect(other.logLikelihood).toBe(fit.logLikelihood);
    expect(frequencySpendCorrelation(reversed)).toBe(frequencySpendCorrelation(summary.customers));
  });
});

describe('gammaGammaLogLikelihood', () => {
  it('is the sum over repeat buyers of the per-customer log-likelihoods (one-time buyers are ignored)', () => {
    const some = summary.customers.slice(0, 400);
    const sum = repeatBuyers(some).reduce((s, c) => s + gammaGammaCustomerLogLikelihood(fit.params, c), 0);
    expect(gammaGammaLogLikelihood(fit.params, some)).toBeCloseTo(sum, 9);
    expect(repeatBuyers(some).length).toBeLessThan(some.length);
  });
});

describe('conditionalExpectedSpend', () => {
  const { p, q, gamma } = fit.params;
  const populationMean = (p * gamma) / (q - 1);

  it('is the population mean pγ/(q−1) for a customer with no repeat purchase', () => {
    expect(conditionalExpectedSpend(fit.params, { x: 0, zbar: 0 })).toBeCloseTo(populationMean, 12);
  });

  it("weighs the customer's own mean against the population's by p·x : q−1", () => {
    const c = { x: 4, zbar: 80 };
    const weight = (p * c.x) / (p * c.x + q - 1);
    expect(conditionalExpectedSpend(fit.params, c)).toBeCloseTo(
      (1 - weight) * populationMean + weight * c.zbar,
      10,
    );
    expect(conditionalExpectedSpend(fit.params, { x: 10000, zbar: 80 })).toBeCloseTo(80, 1);
  });

  it('refuses a population mean that does not exist (q ≤ 1)', () => {
    expect(() => conditionalExpectedSpend({ p: 2, q: 0.8, gamma: 10 }, { x: 0, zbar: 0 })).toThrow(
      RangeError,
    );
  });
});

describe('a Gamma-Gamma fit that is not to be used', () => {
  it('is refused when every repeat buyer spends the same (the likelihood has no maximum)', () => {
    const refused = fitGammaGamma([
      { x: 2, zbar: 10 },
      { x: 3, zbar: 10 },
    ]);
    expect(refused.converged).toBe(false);
    expect(refused.reason).toBeDefined();
  });

  it('cannot be fitted without a repeat buyer', () => {
    expect(() => fitGammaGamma([{ x: 0, zbar: 0 }])).toThrow(/no repeat buyers/);
  });
});
