import { conditionalExpectedTransactions, fitBgNbd } from '../../../shared/models/bgnbd';
import { customerLifetimeValue } from '../../../shared/models/clv';
import { conditionalExpectedSpend, fitGammaGamma } from '../../../shared/models/gammaGamma';
import { cdnowSummary } from './cdnowData';

const summary = cdnowSummary();
const models = {
  bgnbd: fitBgNbd(summary.customers).params,
  gammaGamma: fitGammaGamma(summary.customers).params,
};
const customer = { x: 2, tx: 30.43, T: 38.86, zbar: 22.35 };
/** 52 weeks in 13 four-week periods at 1 % per period. */
const YEAR = { periods: 13, periodLength: 4, discountRate: 0.01 };

describe('customerLifetimeValue (discounted expected transactions × expected spend)', () => {
  it('without discounting is expected spend × expected transactions over the horizon', () => {
    const value = customerLifetimeValue(models, customer, { ...YEAR, discountRate: 0 });
    const transactions = conditionalExpectedTransactions(models.bgnbd, 52, customer);
    const spend = conditionalExpectedSpend(models.gammaGamma, customer);
    expect(value.expectedTransactions).toBeCloseTo(transactions, 12);
    expect(value.expectedSpend).toBeCloseTo(spend, 12);
    expect(value.clv).toBeCloseTo(transactions * spend, 10);
  });

  it("discounts each period's expected transactions at the end of the period", () => {
    const value = customerLifetimeValue(models, customer, YEAR);
    let expected = 0;
    for (let i = 1; i <= 13; i++) {
      const inPeriod =
        conditionalExpectedTransactions(models.bgnbd, 4 * i, customer) -
        conditionalExpectedTransactions(models.bgnbd, 4 * (i - 1), customer);
      expected += (inPeriod * value.expectedSpend) / 1.01 ** i;
    }
    expect(value.clv).toBeCloseTo(expected, 10);
    expect(value.clv).toBeLessThan(customerLifetimeValue(models, customer, { ...YEAR, discountRate: 0 }).clv);
  });

  it('grows with the horizon, scales with the margin, and is 0 over no period', () => {
    const oneYear = customerLifetimeValue(models, customer, YEAR).clv;
    const twoYears = customerLifetimeValue(models, customer, { ...YEAR, periods: 26 }).clv;
    expect(twoYears).toBeGreaterThan(oneYear);
    expect(customerLifetimeValue(models, customer, { ...YEAR, margin: 0.3 }).clv).toBeCloseTo(
      0.3 * oneYear,
      10,
    );
    expect(customerLifetimeValue(models, customer, { ...YEAR, periods: 0 }).clv).toBe(0);
  });

  it('values a one-time buyer at the population spend', () => {
    const oneTime = customerLifetimeValue(models, { x: 0, tx: 0, T: 38.86, zbar: 0 }, YEAR);
    expect(oneTime.expectedSpend).toBeCloseTo(
      conditionalExpectedSpend(models.gammaGamma, { x: 0, zbar: 0 }),
      12,
    );
    expect(oneTime.clv).toBeGreaterThan(0);
  });

  it('refuses a horizon or rate that makes no sense', () => {
    expect(() => customerLifetimeValue(models, customer, { ...YEAR, periods: 1.5 })).toThrow(RangeError);
    expect(() => customerLifetimeValue(models, customer, { ...YEAR, periodLength: 0 })).toThrow(RangeError);
    expect(() => customerLifetimeValue(models, customer, { ...YEAR, discountRate: -1 })).toThrow(RangeError);
  });
});
