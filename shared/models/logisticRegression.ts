/**
 * Binary logistic regression, P(y = 1 | x) = 1 / (1 + e^−(β₀ + Σ βⱼ zⱼ)), fitted by Newton's
 * method (iteratively reweighted least squares) on a penalized log-likelihood:
 *
 *   ℓ(β) = Σᵢ [ yᵢ ln pᵢ + (1 − yᵢ) ln(1 − pᵢ) ] − (λ/2) Σⱼ₌₁ᵏ βⱼ²
 *   gradient  g = Zᵀ(y − p) − λ β₋₀          Hessian  H = −Zᵀ W Z − λ I₋₀,  W = diag(pᵢ(1 − pᵢ))
 *   step      β ← β − H⁻¹ g
 *
 * Features are standardized internally (zⱼ = (xⱼ − meanⱼ)/sdⱼ) so the ridge λ means the same
 * for every feature whatever its unit, and the intercept is not penalized (the base rate is
 * the data's, not the penalty's). The small ridge is there for the cases where the plain
 * maximum does not exist — a feature that separates the classes perfectly drives its
 * coefficient to infinity — so a fit on a small training set still ends at finite values.
 * A feature with no spread (sd = 0) carries no information; its coefficient is 0.
 *
 * Deterministic: the same rows in any order give the same coefficients bit for bit (no random
 * starts; Newton from β = 0 with step halving whenever the objective would fall; the rows are
 * summed in value order, not as listed — a tenant's patients come in pseudonym order).
 */

export interface LogisticOptions {
  /** L2 penalty λ on the standardized coefficients (default 1; never on the intercept). */
  ridge?: number;
  /** Newton iterations before giving up (default 50). */
  maxIterations?: number;
  /** Converged when the largest change of a standardized coefficient is below this (default 1e-10). */
  tolerance?: number;
}

export interface LogisticFit {
  /** The features' names, in column order. */
  features: string[];
  /** Intercept and coefficients on the standardized features (β₀, β₁ … βₖ). */
  standardized: { intercept: number; coefficients: number[] };
  /** The same model on the original features: logit = intercept + Σ coefficientsⱼ · xⱼ. */
  intercept: number;
  coefficients: number[];
  /** The training rows' mean and standard deviation (population, n in the denominator) per feature. */
  means: number[];
  sds: number[];
  /** Penalized log-likelihood at the optimum. */
  logLikelihood: number;
  converged: boolean;
  /** Why the fit is not to be used. */
  reason?: string;
  iterations: number;
  /** Training rows, and how many of them had y = 1. */
  rows: number;
  positives: number;
  ridge: number;
}

const { abs, exp, log, log1p, sqrt, max } = Math;

/** The rows' indexes ordered by their values, then outcome: the sums' order, whatever the listing. */
function inValueOrder(rows: readonly (readonly number[])[], outcomes: readonly (0 | 1)[]): number[] {
  return rows
    .map((_, i) => i)
    .sort((i, j) => {
      const a = rows[i]!;
      const b = rows[j]!;
      for (let c = 0; c < a.length; c++) if (a[c] !== b[c]) return a[c]! - b[c]!;
      return outcomes[i]! - outcomes[j]!;
    });
}

export function fitLogisticRegression(
  features: readonly string[],
  listedRows: readonly (readonly number[])[],
  listedOutcomes: readonly (0 | 1)[],
  options: LogisticOptions = {},
): LogisticFit {
  const k = features.length;
  const n = listedRows.length;
  const ridge = options.ridge ?? 1;
  const maxIterations = options.maxIterations ?? 50;
  const tolerance = options.tolerance ?? 1e-10;
  if (listedOutcomes.length !== n)
    throw new RangeError(`logistic: ${n} rows but ${listedOutcomes.length} outcomes`);
  if (!(ridge >= 0)) throw new RangeError(`logistic: ridge ${ridge} must be ≥ 0`);
  listedRows.forEach((row, i) => {
    if (row.length !== k) throw new RangeError(`logistic: row ${i} has ${row.length} values, not ${k}`);
    if (!row.every(Number.isFinite))
      throw new RangeError(`logistic: row ${i} has a value that is not finite`);
  });
  const order = inValueOrder(listedRows, listedOutcomes);
  const rows = order.map((i) => listedRows[i]!);
  const outcomes = order.map((i) => listedOutcomes[i]!);
  const positives = outcomes.reduce<number>((s, y) => s + y, 0);
  const base = {
    features: [...features],
    rows: n,
    positives,
    ridge,
  };

  const means = new Array<number>(k).fill(0);
  const sds = new Array<number>(k).fill(0);
  for (const row of rows) for (let j = 0; j < k; j++) means[j]! += row[j]!;
  for (let j = 0; j < k; j++) means[j]! /= max(n, 1);
  for (const row of rows) for (let j = 0; j < k; j++) sds[j]! += (row[j]! - means[j]!) ** 2;
  for (let j = 0; j < k; j++) {
    const sd = sqrt(sds[j]! / max(n, 1));
    // A spread at the level of rounding error is no spread: the feature is constant.
    sds[j] = sd > 1e-12 * (1 + abs(means[j]!)) ? sd : 0;
  }
  // Design matrix with a leading 1 for the intercept; a constant feature stays 0 throughout.
  const z = rows.map((row) => [1, ...row.map((v, j) => (sds[j]! > 0 ? (v - means[j]!) / sds[j]! : 0))]);
  const active = [true, ...sds.map((s) => s > 0)];

  if (n === 0 || positives === 0 || positives === n) {
    return {
      ...base,
      standardized: { intercept: 0, coefficients: new Array<number>(k).fill(0) },
      intercept: 0,
      coefficients: new Array<number>(k).fill(0),
      means,
      sds,
      logLikelihood: Number.NaN,
      converged: false,
      reason:
        n === 0
          ? 'no training rows'
          : `every training row has y = ${positives === 0 ? 0 : 1}: nothing to learn`,
      iterations: 0,
    };
  }

  const objective = (beta: number[]): number => {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const eta = dot(z[i]!, beta);
      // ln p = −ln(1 + e^−η), ln(1 − p) = −ln(1 + e^η), each in the form that cannot overflow.
      sum -= outcomes[i] === 1 ? softplus(-eta) : softplus(eta);
    }
    for (let j = 1; j <= k; j++) sum -= (ridge / 2) * beta[j]! ** 2;
    return sum;
  };

  let beta = new Array<number>(k + 1).fill(0);
  let current = objective(beta);
  let iterations = 0;
  let converged = false;
  let reason: string | undefined;
  while (iterations < maxIterations) {
    iterations++;
    const gradient = new Array<number>(k + 1).fill(0);
    const hessian = Array.from({ length: k + 1 }, () => new Array<number>(k + 1).fill(0));
    for (let i = 0; i < n; i++) {
      const zi = z[i]!;
      const p = sigmoid(dot(zi, beta));
      const w = p * (1 - p);
      const residual = outcomes[i]! - p;
      for (let a = 0; a <= k; a++) {
        gradient[a]! += zi[a]! * residual;
        for (let b = 0; b <= a; b++) hessian[a]![b]! += w * zi[a]! * zi[b]!;
      }
    }
    for (let a = 0; a <= k; a++) for (let b = 0; b < a; b++) hessian[b]![a] = hessian[a]![b]!;
    for (let j = 1; j <= k; j++) {
      gradient[j]! -= ridge * beta[j]!;
      hessian[j]![j]! += ridge;
    }
    // Inactive (constant) features: pin their row to the identity so the system stays solvable.
    for (let a = 0; a <= k; a++) {
      if (active[a]) continue;
      gradient[a] = 0;
      for (let b = 0; b <= k; b++) hessian[a]![b] = hessian[b]![a] = a === b ? 1 : 0;
    }
    const step = solve(hessian, gradient);
    if (step === null) {
      reason =
        'the Hessian is singular: features are collinear or the classes are separable, and there is no ridge';
      break;
    }
    // Newton's step on a concave objective; halve it in the rare case it overshoots.
    let scale = 1;
    let next = beta.map((v, a) => v + step[a]!);
    let value = objective(next);
    while (!(value >= current - 1e-12 * (1 + abs(current))) && scale > 1e-10) {
      scale /= 2;
      next = beta.map((v, a) => v + scale * step[a]!);
      value = objective(next);
    }
    const change = max(...step.map((s) => abs(scale * s)));
    beta = next;
    current = value;
    if (!Number.isFinite(current) || !beta.every(Number.isFinite)) {
      reason = 'the coefficients ran off to infinity (the classes are separable and there is no ridge)';
      break;
    }
    if (change < tolerance) {
      converged = true;
      break;
    }
  }
  if (!converged && reason === undefined) reason = `did not converge in ${maxIterations} Newton iterations`;

  const coefficients = beta.slice(1).map((b, j) => (sds[j]! > 0 ? b / sds[j]! : 0));
  const intercept = beta[0]! - coefficients.reduce((s, c, j) => s + c * means[j]!, 0);
  return {
    ...base,
    standardized: { intercept: beta[0]!, coefficients: beta.slice(1) },
    intercept,
    coefficients,
    means,
    sds,
    logLikelihood: current,
    converged,
    ...(reason === undefined ? {} : { reason }),
    iterations,
  };
}

/** The fitted P(y = 1) for a row of original (unstandardized) features. */
export function predictLogistic(
  fit: Pick<LogisticFit, 'intercept' | 'coefficients'>,
  row: readonly number[],
): number {
  return sigmoid(fit.intercept + fit.coefficients.reduce((s, c, j) => s + c * row[j]!, 0));
}

/**
 * Each feature's term on the logit scale, βⱼ · (xⱼ − meanⱼ)/sdⱼ: how far this row's value
 * moves the prediction from that of an average training row, and in which direction.
 */
export function logitContributions(
  fit: Pick<LogisticFit, 'standardized' | 'means' | 'sds'>,
  row: readonly number[],
): number[] {
  return fit.standardized.coefficients.map((b, j) =>
    fit.sds[j]! > 0 ? (b * (row[j]! - fit.means[j]!)) / fit.sds[j]! : 0,
  );
}

export function sigmoid(eta: number): number {
  return eta >= 0 ? 1 / (1 + exp(-eta)) : exp(eta) / (1 + exp(eta));
}

export function logit(p: number): number {
  return log(p) - log1p(-p);
}

/** ln(1 + e^x) without overflow. */
function softplus(x: number): number {
  return x > 0 ? x + log1p(exp(-x)) : log1p(exp(x));
}

function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** Solves A x = b by Gaussian elimination with partial pivoting; null when A is singular. */
function solve(matrix: readonly (readonly number[])[], rhs: readonly number[]): number[] | null {
  const m = rhs.length;
  const a = matrix.map((row, i) => [...row, rhs[i]!]);
  for (let col = 0; col < m; col++) {
    let pivot = col;
    for (let r = col + 1; r < m; r++) if (abs(a[r]![col]!) > abs(a[pivot]![col]!)) pivot = r;
    if (!(abs(a[pivot]![col]!) > 1e-300)) return null;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    for (let r = col + 1; r < m; r++) {
      const factor = a[r]![col]! / a[col]![col]!;
      for (let c = col; c <= m; c++) a[r]![c]! -= factor * a[col]![c]!;
    }
  }
  const x = new Array<number>(m).fill(0);
  for (let r = m - 1; r >= 0; r--) {
    let s = a[r]![m]!;
    for (let c = r + 1; c < m; c++) s -= a[r]![c]! * x[c]!;
    x[r] = s / a[r]![r]!;
  }
  return x;
}
