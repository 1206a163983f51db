import { logHyp2f1 } from './hypergeometric';
import { logGamma, logSumExp } from './logGamma';
import { finishFit, type FitOptions, type ModelFit } from './modelFit';
import { minimize } from './optimize';

// Bound once: in jest's VM sandbox each global `Math.*` lookup costs ~0.3 µs (fits ran 4–10× slower).
const { abs, exp, expm1, log, log1p, max } = Math;
const NEGATIVE_INFINITY = Number.NEGATIVE_INFINITY;

/**
 * The BG/NBD ("beta-geometric / negative binomial distribution") model of repeat buying —
 * Fader, Hardie & Lee (2005), "'Counting Your Customers' the Easy Way: An Alternative to the
 * Pareto/NBD Model", Marketing Science 24(2):275–284 ("FHL 2005"); the likelihood in the log
 * form of Fader, Hardie & Lee, "Implementing the BG/NBD Model for Customer Base Analysis in
 * Excel" (brucehardie.com note 004), P(alive) from "Computing P(alive) Using the BG/NBD
 * Model" (note 021).
 *
 * While active, a customer buys as a Poisson process with rate λ; after each transaction they
 * become inactive with probability p. Across customers λ ~ Gamma(r, α) (shape r, rate α) and
 * p ~ Beta(a, b). A customer's calibration data are x (repeat transactions), tₓ (time of the
 * last one) and T (time observed since the first purchase) — `transactionSummary.ts`.
 *
 * Likelihood of one customer (FHL 2005 §3, taken to logs as in note 004):
 *
 *   L = Γ(r+x) αʳ / Γ(r) · [ B(a, b+x)/B(a, b) · (α+T)^−(r+x)
 *                           + 1{x>0} · B(a+1, b+x−1)/B(a, b) · (α+tₓ)^−(r+x) ]
 *   ln L = ln A₁ + ln A₂ + ln( e^{ln A₃} + 1{x>0} e^{ln A₄} )
 *   ln A₁ = lnΓ(r+x) − lnΓ(r) + r ln α
 *   ln A₂ = lnΓ(a+b) + lnΓ(b+x) − lnΓ(b) − lnΓ(a+b+x)
 *   ln A₃ = −(r+x) ln(α+T)
 *   ln A₄ = ln a − ln(b+x−1) − (r+x) ln(α+tₓ)
 *
 * Parameters are fitted by maximum likelihood: Nelder–Mead on (ln r, ln α, ln a, ln b) from
 * several starts with restarts (`optimize.ts`); the log-gamma terms are computed once per
 * distinct x and customers with the same (x, tₓ, T) once, weighted.
 *
 * P(alive) (note 021):
 *
 *   P(alive | x, tₓ, T) = 1 / (1 + 1{x>0} · a/(b+x−1) · ((α+T)/(α+tₓ))^(r+x))        — 1 when x = 0
 *
 * Expected transactions in (T, T+t] for a customer (FHL 2005 eq. 10):
 *
 *   E[Y(t) | x, tₓ, T] = (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) · ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))]
 *                        · P(alive | x, tₓ, T)
 *
 * computed as P(alive) · (a+b+x−1)/(a−1) · (−expm1(ln F)) with ln F = (r+x)·ln(1−z) + ln ₂F₁(…; z),
 * z = t/(α+T+t), ₂F₁ by `hypergeometric.ts` (scaled series with a convergence check, Euler's
 * transformation for large x). The formula holds for a < 1 as well (both factors change
 * sign); at a = 1 it is a removable 0/0, and within 1e-5 of it the value is interpolated
 * between a = 1 ± 1e-5.
 * The unconditional E[X(t)] of a new customer (FHL 2005 eq. 9) is the same with x = tₓ = T = 0.
 */

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/** What the model needs of a customer (a `CustomerSummary` has it). */
export interface FrequencyRecency {
  x: number;
  tx: number;
  T: number;
}

/** ln L of one customer. */
export function bgnbdCustomerLogLikelihood(params: BgNbdParams, c: FrequencyRecency): number {
  const { r, alpha, a, b } = params;
  const { x, tx, T } = c;
  const lnA1 = logGamma(r + x) - logGamma(r) + r * log(alpha);
  const lnA2 = logGamma(a + b) + logGamma(b + x) - logGamma(b) - logGamma(a + b + x);
  const lnA3 = -(r + x) * log(alpha + T);
  const lnA4 = x > 0 ? log(a) - log(b + x - 1) - (r + x) * log(alpha + tx) : NEGATIVE_INFINITY;
  return lnA1 + lnA2 + logSumExp(lnA3, lnA4);
}

/**
 * The customers prepared for repeated likelihood evaluations: grouped by x (the log-gamma
 * terms depend on x only, so they are computed once per distinct x), and within a group by
 * (tₓ, T) with a weight (how many customers share them).
 */
interface PreparedCustomers {
  groups: { x: number; weight: number; rows: { tx: number; T: number; weight: number }[] }[];
}

function prepare(customers: readonly FrequencyRecency[]): PreparedCustomers {
  const byX = new Map<number, Map<string, { tx: number; T: number; weight: number }>>();
  for (const c of customers) {
    if (!(c.x >= 0 && Number.isInteger(c.x) && c.tx >= 0 && c.T >= c.tx)) {
      throw new RangeError(`BG/NBD: a customer with x=${c.x}, tx=${c.tx}, T=${c.T} is not a valid summary`);
    }
    let rows = byX.get(c.x);
    if (rows === undefined) {
      rows = new Map<string, { tx: number; T: number; weight: number }>();
      byX.set(c.x, rows);
    }
    const key = `${c.tx}|${c.T}`;
    const row = rows.get(key);
    if (row) row.weight++;
    else rows.set(key, { tx: c.tx, T: c.T, weight: 1 });
  }
  // Sorted by value, not left in the customers' order: the sums then run in one order for the
  // same customers however they are listed (a tenant's patients come in pseudonym order, which
  // its secret decides), and a fit near a degenerate edge ends the same way every time.
  return {
    groups: [...byX]
      .sort(([x1], [x2]) => x1 - x2)
      .map(([x, rows]) => {
        const list = [...rows.values()].sort((p, q) => p.tx - q.tx || p.T - q.T);
        return { x, weight: list.reduce((s, r) => s + r.weight, 0), rows: list };
      }),
  };
}

/** The customers' mean T, summed in the prepared (value) order. */
function meanObservationTime(prepared: PreparedCustomers): number {
  let sum = 0;
  let count = 0;
  for (const group of prepared.groups) {
    for (const row of group.rows) sum += row.weight * row.T;
    count += group.weight;
  }
  return sum / count;
}

/** The same sum as Σ bgnbdCustomerLogLikelihood, with the x-only terms computed once per x. */
function preparedLogLikelihood(params: BgNbdParams, prepared: PreparedCustomers): number {
  const { r, alpha, a, b } = params;
  const lnAlpha = log(alpha);
  const lnA = log(a);
  const lgR = logGamma(r);
  const lgB = logGamma(b);
  const lgAB = logGamma(a + b);
  let sum = 0;
  for (const { x, weight, rows } of prepared.groups) {
    const lnA1A2 = logGamma(r + x) - lgR + r * lnAlpha + lgAB + logGamma(b + x) - lgB - logGamma(a + b + x);
    const lnA4Base = x > 0 ? lnA - log(b + x - 1) : NEGATIVE_INFINITY;
    let groupSum = 0;
    for (const row of rows) {
      const lnA3 = -(r + x) * log(alpha + row.T);
      const lnA4 = x > 0 ? lnA4Base - (r + x) * log(alpha + row.tx) : NEGATIVE_INFINITY;
      groupSum += row.weight * logSumExp(lnA3, lnA4);
    }
    sum += weight * lnA1A2 + groupSum;
  }
  return sum;
}

/** Log-likelihood of the BG/NBD model over the customers. */
export function bgnbdLogLikelihood(params: BgNbdParams, customers: readonly FrequencyRecency[]): number {
  return preparedLogLikelihood(params, prepare(customers));
}

const fromLogs = (v: number[]): BgNbdParams => ({
  r: exp(v[0] as number),
  alpha: exp(v[1] as number),
  a: exp(v[2] as number),
  b: exp(v[3] as number),
});

/** Maximum-likelihood BG/NBD parameters. A fit with `converged: false` is not to be used. */
export function fitBgNbd(
  customers: readonly FrequencyRecency[],
  options: FitOptions = {},
): ModelFit<BgNbdParams> {
  if (customers.length === 0) throw new RangeError('BG/NBD: no customers to fit');
  const prepared = prepare(customers);
  // α is a time scale: start it at fractions of the mean observation time, so the starts do
  // not depend on the time unit.
  const meanT = max(meanObservationTime(prepared), 1e-9);
  const starts = options.starts ?? [
    [1, meanT / 4, 1, 1],
    [0.5, meanT / 10, 0.5, 2],
    [2, meanT, 2, 5],
  ];
  const result = minimize(
    (v) => -preparedLogLikelihood(fromLogs(v), prepared),
    starts.map((s) => s.map(Math.log)),
    options,
  );
  return finishFit(fromLogs(result.x), result, customers.length, ['r', 'alpha', 'a', 'b']);
}

/** ln of the x > 0 term ratio a/(b+x−1) · ((α+T)/(α+tₓ))^(r+x); −∞ when x = 0. */
function logOddsDead(params: BgNbdParams, c: FrequencyRecency): number {
  const { r, alpha, a, b } = params;
  if (c.x === 0) return NEGATIVE_INFINITY;
  return log(a) - log(b + c.x - 1) + (r + c.x) * (log(alpha + c.T) - log(alpha + c.tx));
}

/** P(alive | x, tₓ, T): the probability the customer is still active at T (1 when x = 0). */
export function probabilityAlive(params: BgNbdParams, c: FrequencyRecency): number {
  const l = logOddsDead(params, c);
  return l > 0 ? exp(-l) / (1 + exp(-l)) : 1 / (1 + exp(l));
}

/**
 * Within 1e-5 of a = 1 the factor 1/(a−1) amplifies rounding (relative error ~1e-16/|a−1|), so
 * the value there is interpolated linearly between a = 1 ± 1e-5 (error ~1e-10).
 */
const NEAR_ONE = 1e-5;

/** E[Y(t) | x, tₓ, T]: expected transactions in the next `t` time units after T. */
export function conditionalExpectedTransactions(params: BgNbdParams, t: number, c: FrequencyRecency): number {
  if (!(t >= 0)) throw new RangeError(`BG/NBD: horizon t=${t} must be ≥ 0`);
  if (t === 0) return 0;
  if (abs(params.a - 1) < NEAR_ONE) {
    const below = expectedByFormula({ ...params, a: 1 - NEAR_ONE }, t, c);
    const above = expectedByFormula({ ...params, a: 1 + NEAR_ONE }, t, c);
    return below + ((params.a - (1 - NEAR_ONE)) / (2 * NEAR_ONE)) * (above - below);
  }
  return expectedByFormula(params, t, c);
}

function expectedByFormula(params: BgNbdParams, t: number, c: FrequencyRecency): number {
  const { r, alpha, a, b } = params;
  const { x, T } = c;
  const z = t / (alpha + T + t);
  const f = logHyp2f1(r + x, b + x, a + b + x - 1, z);
  // 1 − (1−z)^(r+x)·₂F₁. The ₂F₁ is negative when a + b + x − 1 < 0 (a + b < 1 at x = 0, as a
  // location's fit can give); the product with (a+b+x−1)/(a−1) is still the expectation.
  const lnF = (r + x) * log1p(-z) + f.logAbs;
  const oneMinus = f.sign > 0 ? -expm1(lnF) : 1 + exp(lnF);
  return probabilityAlive(params, c) * ((a + b + x - 1) / (a - 1)) * oneMinus;
}

/** E[X(t)]: expected transactions of a new customer in their first `t` time units (FHL 2005 eq. 9). */
export function expectedTransactions(params: BgNbdParams, t: number): number {
  return conditionalExpectedTransactions(params, t, { x: 0, tx: 0, T: 0 });
}
