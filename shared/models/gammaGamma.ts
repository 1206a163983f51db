import { logGamma } from './logGamma';
import { finishFit, type FitOptions, type ModelFit } from './modelFit';
import { minimize } from './optimize';

// Bound once: in jest's VM sandbox each global `Math.*` lookup costs ~0.3 µs (fits ran 4–10× slower).
const { exp, log } = Math;

/**
 * The Gamma-Gamma model of spend per transaction — Fader & Hardie (2013), "The Gamma-Gamma
 * Model of Monetary Value" (brucehardie.com note 025), after Colombo & Jiang (1999), "A
 * stochastic RFM model", Journal of Interactive Marketing 13(3).
 *
 * A customer's transaction amounts zᵢ are Gamma(p, ν) (shape p, rate ν), so their mean
 * spend is p/ν; across customers ν ~ Gamma(q, γ). Only the mean z̄ of a customer's x repeat
 * transactions is needed (the first purchase is left out, as in the published CDNOW fit), and
 * it is distributed as Gamma(px, νx). Integrating over ν, one customer's likelihood is
 *
 *   f(z̄ | p, q, γ, x) = Γ(px+q) / (Γ(px) Γ(q)) · γ^q · z̄^(px−1) · x^(px) / (γ + x z̄)^(px+q)
 *   ln f = lnΓ(px+q) − lnΓ(px) − lnΓ(q) + q ln γ + (px−1) ln z̄ + px ln x − (px+q) ln(γ + x z̄)
 *
 * fitted by maximum likelihood over the repeat buyers (x > 0, z̄ > 0) — Nelder–Mead on
 * (ln p, ln q, ln γ) as for the BG/NBD model.
 *
 * Expected spend per transaction of a customer with x repeat transactions of mean z̄ (the
 * posterior mean of p/ν): a weighted mean of the population mean and the customer's own,
 *
 *   E[M | p, q, γ, x, z̄] = p (γ + x z̄) / (px + q − 1)
 *                        = (q−1)/(px+q−1) · pγ/(q−1) + px/(px+q−1) · z̄,
 *
 * which for x = 0 is the population mean pγ/(q−1) (finite only when q > 1).
 *
 * The model assumes spend per transaction is independent of how often a customer buys; check
 * it with `frequencySpendCorrelation` (Fader & Hardie report 0.11 for CDNOW).
 */

export interface GammaGammaParams {
  p: number;
  q: number;
  gamma: number;
}

/** What the spend model needs of a customer: repeat transactions and their mean amount. */
export interface FrequencyMonetary {
  x: number;
  zbar: number;
}

/** ln f(z̄ | p, q, γ, x) of one repeat buyer. */
export function gammaGammaCustomerLogLikelihood(params: GammaGammaParams, c: FrequencyMonetary): number {
  const { p, q, gamma } = params;
  const { x, zbar } = c;
  const px = p * x;
  return (
    logGamma(px + q) -
    logGamma(px) -
    logGamma(q) +
    q * log(gamma) +
    (px - 1) * log(zbar) +
    px * log(x) -
    (px + q) * log(gamma + x * zbar)
  );
}

/** The customers the spend model is fitted to: repeat buyers with a positive mean spend. */
export function repeatBuyers<C extends FrequencyMonetary>(customers: readonly C[]): C[] {
  return customers.filter((c) => c.x > 0 && c.zbar > 0);
}

/**
 * Repeat buyers prepared for repeated likelihood evaluations: grouped by x (the log-gamma
 * terms depend on x only), with ln z̄ and ln x computed once.
 */
interface PreparedBuyers {
  groups: { x: number; lnX: number; buyers: { xz: number; lnZ: number }[] }[];
}

function prepare(customers: readonly FrequencyMonetary[]): PreparedBuyers {
  const byX = new Map<number, { xz: number; lnZ: number }[]>();
  for (const c of repeatBuyers(customers)) {
    let list = byX.get(c.x);
    if (list === undefined) byX.set(c.x, (list = []));
    list.push({ xz: c.x * c.zbar, lnZ: log(c.zbar) });
  }
  // Sorted by value, not left in the customers' order: the same buyers give the same sums, and
  // the same fit, however they are listed (see bgnbd.ts).
  return {
    groups: [...byX]
      .sort(([x1], [x2]) => x1 - x2)
      .map(([x, buyers]) => ({ x, lnX: log(x), buyers: buyers.sort((p, q) => p.xz - q.xz) })),
  };
}

/** The repeat buyers in value order (x, then z̄): sums over them do not depend on their listing. */
function inValueOrder<C extends FrequencyMonetary>(buyers: C[]): C[] {
  return buyers.sort((p, q) => p.x - q.x || p.zbar - q.zbar);
}

/** The same sum as Σ gammaGammaCustomerLogLikelihood, with the x-only terms computed once per x. */
function preparedLogLikelihood(params: GammaGammaParams, prepared: PreparedBuyers): number {
  const { p, q, gamma } = params;
  const base = q * log(gamma) - logGamma(q);
  let sum = 0;
  for (const { x, lnX, buyers } of prepared.groups) {
    const px = p * x;
    const perBuyer = logGamma(px + q) - logGamma(px) + base + px * lnX;
    let groupSum = 0;
    for (const b of buyers) groupSum += (px - 1) * b.lnZ - (px + q) * log(gamma + b.xz);
    sum += buyers.length * perBuyer + groupSum;
  }
  return sum;
}

/** Log-likelihood of the Gamma-Gamma model over the repeat buyers among `customers`. */
export function gammaGammaLogLikelihood(
  params: GammaGammaParams,
  customers: readonly FrequencyMonetary[],
): number {
  return preparedLogLikelihood(params, prepare(customers));
}

const fromLogs = (v: number[]): GammaGammaParams => ({
  p: exp(v[0] as number),
  q: exp(v[1] as number),
  gamma: exp(v[2] as number),
});

/**
 * Maximum-likelihood Gamma-Gamma parameters from the repeat buyers among `customers`
 * (others are ignored). A fit with `converged: false` is not to be used.
 */
export function fitGammaGamma(
  customers: readonly FrequencyMonetary[],
  options: FitOptions = {},
): ModelFit<GammaGammaParams> {
  const buyers = inValueOrder(repeatBuyers(customers));
  if (buyers.length === 0) throw new RangeError('Gamma-Gamma: no repeat buyers to fit');
  const prepared = prepare(buyers);
  // γ is in currency units: start it from the mean spend so the starts do not depend on them.
  const meanSpend = buyers.reduce((s, c) => s + c.zbar, 0) / buyers.length;
  const starts = options.starts ?? [
    [1, 2, meanSpend],
    [5, 5, meanSpend],
    [0.5, 1.5, meanSpend / 4],
  ];
  const result = minimize(
    (v) => -preparedLogLikelihood(fromLogs(v), prepared),
    starts.map((s) => s.map(Math.log)),
    options,
  );
  return finishFit(fromLogs(result.x), result, buyers.length, ['p', 'q', 'gamma']);
}

/** E[M | x, z̄]: expected spend per future transaction (the population mean when x = 0). */
export function conditionalExpectedSpend(params: GammaGammaParams, c: FrequencyMonetary): number {
  const { p, q, gamma } = params;
  const x = c.x > 0 ? c.x : 0;
  const zbar = x > 0 ? c.zbar : 0;
  const denominator = p * x + q - 1;
  if (!(denominator > 0)) {
    throw new RangeError(`Gamma-Gamma: expected spend is infinite for q=${q} (needs q > 1 when x = 0)`);
  }
  return (p * (gamma + x * zbar)) / denominator;
}

/** Pearson correlation of x and z̄ over the repeat buyers (the model assumes it is near 0). */
export function frequencySpendCorrelation(customers: readonly FrequencyMonetary[]): number {
  const buyers = inValueOrder(repeatBuyers(customers));
  const n = buyers.length;
  if (n < 2) return NaN;
  const mx = buyers.reduce((s, c) => s + c.x, 0) / n;
  const mz = buyers.reduce((s, c) => s + c.zbar, 0) / n;
  let sxz = 0;
  let sxx = 0;
  let szz = 0;
  for (const c of buyers) {
    sxz += (c.x - mx) * (c.zbar - mz);
    sxx += (c.x - mx) ** 2;
    szz += (c.zbar - mz) ** 2;
  }
  return sxz / Math.sqrt(sxx * szz);
}
