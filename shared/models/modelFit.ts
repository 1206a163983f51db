import { type MultiStartResult, type NelderMeadOptions } from './optimize';

/** A maximum-likelihood fit of one of the customer-base models. */
export interface ModelFit<P> {
  params: P;
  /** Log-likelihood at `params` (summed over customers). */
  logLikelihood: number;
  converged: boolean;
  /** Why the fit is not to be used (not converged, or a parameter at the edge of its domain). */
  reason?: string;
  /** Nelder–Mead iterations and objective evaluations over every start and restart. */
  iterations: number;
  evaluations: number;
  /** Starts tried, and how many reached the best optimum (within 1e-6 relative). */
  starts: number;
  startsAtBest: number;
  /** Customers the fit used. */
  customers: number;
}

export interface FitOptions extends NelderMeadOptions {
  /** Starting points (in parameters, not logs); defaults scale with the data. */
  starts?: number[][];
}

/** Beyond e^±20 a log-parameter is running off to a boundary: the model is degenerate there. */
const LOG_PARAMETER_LIMIT = 20;

/**
 * The fit record of a minimization of −ln L over log-parameters: refused (`converged: false`,
 * with a reason) when Nelder–Mead did not converge, a log-parameter ran past ±20 (the
 * likelihood is maximized at an edge of the domain: a degenerate model), or ln L is not finite.
 */
export function finishFit<P>(
  params: P,
  result: MultiStartResult,
  customers: number,
  names: string[],
): ModelFit<P> {
  let reason = result.converged ? undefined : `did not converge: ${result.reason ?? 'unknown'}`;
  const edge = result.x.findIndex((v) => !(Math.abs(v) <= LOG_PARAMETER_LIMIT));
  if (reason === undefined && edge >= 0) {
    reason = `${names[edge] ?? `parameter ${edge}`} ran to the edge of its domain (${Math.exp(result.x[edge] as number)}): the model is degenerate for these data`;
  }
  if (reason === undefined && !Number.isFinite(result.fx)) reason = 'the log-likelihood is not finite';
  return {
    params,
    logLikelihood: -result.fx,
    converged: reason === undefined,
    ...(reason === undefined ? {} : { reason }),
    iterations: result.iterations,
    evaluations: result.evaluations,
    starts: result.starts,
    startsAtBest: result.startsAtBest,
    customers,
  };
}
