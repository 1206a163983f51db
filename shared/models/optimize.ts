/**
 * Derivative-free minimization for the customer-base likelihoods: the Nelder–Mead simplex
 * method (Nelder & Mead 1965) with the standard coefficients and acceptance rules as stated by
 * Lagarias, Reeds, Wright & Wright (1998, "Convergence properties of the Nelder–Mead simplex
 * method in low dimensions"): reflection ρ = 1, expansion χ = 2, contraction γ = ½, shrink σ = ½.
 *
 * The models' parameters are positive, so callers minimize over their logarithms (the
 * simplex then moves in relative terms and can never step outside the domain). Nelder–Mead
 * can stall on a collapsed simplex short of the minimum, so each start is *restarted*: a fresh
 * simplex is built around the best point until a restart no longer improves the value by more
 * than the value tolerance (the remedy Press et al., Numerical Recipes §10.5, recommend).
 * Several starts guard against a local minimum; the best is kept and the number of starts
 * that reached it is reported.
 *
 * **Convergence** (of one run): the simplex's spread in value, max |f(xᵢ) − f(x₀)|, is at most
 * `fTolerance` · (1 + |f(x₀)|), and its spread in position, max ‖xᵢ − x₀‖∞, is at most
 * `xTolerance`. A run that reaches `maxIterations` first, or whose best value is not finite,
 * has not converged, and neither has a multi-start minimization whose best start did not.
 */

// Bound once: in jest's VM sandbox each global `Math.*` lookup costs ~0.3 µs (fits ran 4–10× slower).
const { abs, max } = Math;
const finite = Number.isFinite;

export interface NelderMeadOptions {
  /** Side of the initial simplex along each axis (default 0.5: in log-parameters, a factor e^0.5). */
  initialStep?: number;
  /** Position tolerance, ∞-norm (default 1e-8). */
  xTolerance?: number;
  /** Relative value tolerance (default 1e-13: about 1e-9 on a log-likelihood of −10,000). */
  fTolerance?: number;
  /** Iterations of one run (default max(2,000, 200 · dimension²)). */
  maxIterations?: number;
}

export interface NelderMeadResult {
  x: number[];
  fx: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
  /** Why a run stopped without converging. */
  reason?: string;
}

export interface MultiStartResult extends NelderMeadResult {
  /** Restarts (fresh simplices around the best point) of the winning start. */
  restarts: number;
  /** Starts tried, and those whose minimum is within 1e-6 · (1 + |f|) of the best. */
  starts: number;
  startsAtBest: number;
  /** Every start's own minimum, for diagnostics. */
  runs: NelderMeadResult[];
}

const DEFAULTS = { initialStep: 0.5, xTolerance: 1e-8, fTolerance: 1e-13 };
const MAX_RESTARTS = 20;

type Objective = (x: number[]) => number;

/** Minimizes `f` from `x0` by one Nelder–Mead run. Non-finite values are treated as +∞. */
export function nelderMead(f: Objective, x0: number[], options: NelderMeadOptions = {}): NelderMeadResult {
  const n = x0.length;
  const step = options.initialStep ?? DEFAULTS.initialStep;
  const xTol = options.xTolerance ?? DEFAULTS.xTolerance;
  const fTol = options.fTolerance ?? DEFAULTS.fTolerance;
  const maxIterations = options.maxIterations ?? max(2000, 200 * n * n);
  let evaluations = 0;
  const value = (x: number[]) => {
    evaluations++;
    const v = f(x);
    return finite(v) ? v : Number.POSITIVE_INFINITY;
  };

  const simplex: number[][] = [x0.slice()];
  for (let i = 0; i < n; i++) {
    const x = x0.slice();
    x[i] = (x[i] ?? 0) + step;
    simplex.push(x);
  }
  let values = simplex.map(value);

  const order = () => {
    const idx = simplex.map((_, i) => i).sort((i, j) => (values[i] as number) - (values[j] as number));
    const s = idx.map((i) => simplex[i] as number[]);
    const v = idx.map((i) => values[i] as number);
    simplex.splice(0, simplex.length, ...s);
    values = v;
  };
  const combine = (centroid: number[], worst: number[], t: number) =>
    centroid.map((c, i) => c + t * (c - (worst[i] as number)));

  let iterations = 0;
  for (;;) {
    order();
    const best = simplex[0] as number[];
    const fBest = values[0] as number;
    const fSpread = abs((values[n] as number) - fBest);
    let xSpread = 0;
    for (let i = 1; i <= n; i++) {
      const xi = simplex[i] as number[];
      for (let j = 0; j < n; j++) xSpread = max(xSpread, abs((xi[j] as number) - (best[j] as number)));
    }
    if (finite(fBest) && fSpread <= fTol * (1 + abs(fBest)) && xSpread <= xTol) {
      return { x: best.slice(), fx: fBest, iterations, evaluations, converged: true };
    }
    if (iterations >= maxIterations) {
      return {
        x: best.slice(),
        fx: fBest,
        iterations,
        evaluations,
        converged: false,
        reason: finite(fBest)
          ? `stopped after ${maxIterations} iterations (value spread ${fSpread.toExponential(2)}, point spread ${xSpread.toExponential(2)})`
          : 'no finite value found',
      };
    }
    iterations++;

    const worst = simplex[n] as number[];
    const fWorst = values[n] as number;
    const fSecond = values[n - 1] as number;
    const centroid = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) {
      const xi = simplex[i] as number[];
      for (let j = 0; j < n; j++) centroid[j] = (centroid[j] as number) + (xi[j] as number) / n;
    }

    const reflected = combine(centroid, worst, 1);
    const fReflected = value(reflected);
    if (fReflected < fBest) {
      const expanded = combine(centroid, worst, 2);
      const fExpanded = value(expanded);
      if (fExpanded < fReflected) {
        simplex[n] = expanded;
        values[n] = fExpanded;
      } else {
        simplex[n] = reflected;
        values[n] = fReflected;
      }
      continue;
    }
    if (fReflected < fSecond) {
      simplex[n] = reflected;
      values[n] = fReflected;
      continue;
    }
    if (fReflected < fWorst) {
      const outside = combine(centroid, worst, 0.5);
      const fOutside = value(outside);
      if (fOutside <= fReflected) {
        simplex[n] = outside;
        values[n] = fOutside;
        continue;
      }
    } else {
      const inside = combine(centroid, worst, -0.5);
      const fInside = value(inside);
      if (fInside < fWorst) {
        simplex[n] = inside;
        values[n] = fInside;
        continue;
      }
    }
    // Shrink every vertex halfway towards the best one.
    for (let i = 1; i <= n; i++) {
      const xi = simplex[i] as number[];
      simplex[i] = xi.map((v, j) => (best[j] as number) + 0.5 * (v - (best[j] as number)));
      values[i] = value(simplex[i] as number[]);
    }
  }
}

/**
 * Nelder–Mead from each start, each restarted around its best point until a restart no longer
 * improves the value (by more than `fTolerance` · (1 + |f|)); returns the best start's
 * minimum with the iterations and evaluations summed over every start and restart.
 */
export function minimize(
  f: Objective,
  starts: number[][],
  options: NelderMeadOptions = {},
): MultiStartResult {
  if (starts.length === 0) throw new RangeError('minimize: no starting point');
  const fTol = options.fTolerance ?? DEFAULTS.fTolerance;
  let iterations = 0;
  let evaluations = 0;
  const runs: (NelderMeadResult & { restarts: number })[] = [];
  for (const start of starts) {
    let run = nelderMead(f, start, options);
    iterations += run.iterations;
    evaluations += run.evaluations;
    let restarts = 0;
    let settled = false;
    while (run.converged && restarts < MAX_RESTARTS) {
      const again = nelderMead(f, run.x, options);
      iterations += again.iterations;
      evaluations += again.evaluations;
      restarts++;
      if (!again.converged) {
        const better = again.fx < run.fx ? again : run;
        run = { ...again, x: better.x, fx: better.fx };
        break;
      }
      const improved = run.fx - again.fx;
      if (again.fx <= run.fx) run = again;
      if (improved <= fTol * (1 + abs(run.fx))) {
        settled = true;
        break;
      }
    }
    if (run.converged && !settled) {
      run = { ...run, converged: false, reason: `still improving after ${MAX_RESTARTS} restarts` };
    }
    runs.push({ ...run, restarts });
  }
  const best = runs.reduce((a, b) => (b.fx < a.fx ? b : a));
  const close = 1e-6 * (1 + abs(best.fx));
  return {
    x: best.x,
    fx: best.fx,
    iterations,
    evaluations,
    converged: best.converged,
    ...(best.reason === undefined ? {} : { reason: best.reason }),
    restarts: best.restarts,
    starts: runs.length,
    startsAtBest: runs.filter((r) => r.fx - best.fx <= close).length,
    runs: runs.map(({ restarts: _restarts, ...r }) => r),
  };
}
