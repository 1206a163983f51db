import { type BgNbdParams, conditionalExpectedTransactions, type FrequencyRecency } from './bgnbd';
import { conditionalExpectedSpend, type GammaGammaParams } from './gammaGamma';

/**
 * Customer lifetime value over a finite horizon from the BG/NBD and Gamma-Gamma models —
 * the discounted expected-transactions approach (as the `lifetimes` package's
 * `customer_lifetime_value` computes it; the decomposition value = margin × expected spend ×
 * discounted expected transactions is that of Fader, Hardie & Lee 2005, "RFM and CLV: Using
 * Iso-Value Curves for Customer Base Analysis", JMR 42(4)):
 *
 *   CLV = margin · E[M | x, z̄] · Σᵢ₌₁ⁿ ( E[Y(iΔ) | x, tₓ, T] − E[Y((i−1)Δ) | x, tₓ, T] ) / (1 + d)ⁱ
 *
 * The horizon is n periods of length Δ (in the model's time unit: weeks for CDNOW, days for
 * Caliper); E[Y(t) | …] is the BG/NBD expected number of transactions in the next t time units,
 * so the difference is the expected transactions in period i; E[M | …] is the Gamma-Gamma
 * expected spend per transaction; each period's cash flow is discounted at the end of the
 * period by the per-period rate d (e.g. a monthly rate for monthly periods: 1 %/month ≈ 12.7 %/year).
 * `margin` (default 1) turns revenue into contribution. The two models are independent
 * (spend does not depend on frequency), so the expected value of the product is the product
 * of the expected values. (A closed-form DERT, the infinite-horizon continuously discounted
 * version, is not implemented.)
 */

export interface ClvOptions {
  /** Number of periods n in the horizon. */
  periods: number;
  /** Length Δ of each period, in the model's time unit. */
  periodLength: number;
  /** Discount rate d per period (0.01 = 1 % per period). */
  discountRate: number;
  /** Contribution margin applied to spend (default 1: revenue). */
  margin?: number;
}

export interface ClvCustomer extends FrequencyRecency {
  zbar: number;
}

export interface CustomerValue {
  /** Discounted value over the horizon. */
  clv: number;
  /** Undiscounted expected transactions over the horizon. */
  expectedTransactions: number;
  /** Expected spend per transaction. */
  expectedSpend: number;
}

export function customerLifetimeValue(
  models: { bgnbd: BgNbdParams; gammaGamma: GammaGammaParams },
  customer: ClvCustomer,
  options: ClvOptions,
): CustomerValue {
  const { periods, periodLength, discountRate } = options;
  const margin = options.margin ?? 1;
  if (!(Number.isInteger(periods) && periods >= 0)) throw new RangeError(`CLV: periods=${periods}`);
  if (!(periodLength > 0)) throw new RangeError(`CLV: period length ${periodLength} must be > 0`);
  if (!(discountRate > -1)) throw new RangeError(`CLV: discount rate ${discountRate} must be > −1`);
  const spend = conditionalExpectedSpend(models.gammaGamma, customer);
  let previous = 0;
  let discountedTransactions = 0;
  for (let i = 1; i <= periods; i++) {
    const cumulative = conditionalExpectedTransactions(models.bgnbd, i * periodLength, customer);
    discountedTransactions += (cumulative - previous) / (1 + discountRate) ** i;
    previous = cumulative;
  }
  return {
    clv: margin * spend * discountedTransactions,
    expectedTransactions: previous,
    expectedSpend: spend,
  };
}
