import { type BgNbdParams, conditionalExpectedTransactions, probabilityAlive } from './bgnbd';
import type { PatientFeatures } from './churnFeatures';
import {
  conditionalExpectedSpend,
  fitGammaGamma,
  frequencySpendCorrelation,
  type GammaGammaParams,
} from './gammaGamma';
import type { ModelFit } from './modelFit';

/**
 * The money at stake behind a churn score, in integer cents:
 *
 *   value if retained = E[visits in the next 365 days | alive] × expected spend per visit
 *   value at risk     = round(churn risk × value if retained)    (the rounded value)
 *
 * E[visits | alive] = E[Y(365) | x, tₓ, T] / P(alive | x, tₓ, T) (BG/NBD, days): what the
 * patient is worth if the practice keeps them. The ratio depends on x and T only, so it is
 * computed at tₓ = T (where P(alive) is bounded away from 0) to stay exact for patients whose
 * P(alive) underflows. Expected spend per visit is the Gamma-Gamma conditional expectation
 * fitted on the location's repeat buyers, a patient's per-visit amount being their net revenue
 * on the days after their first visit day, through `asOf`, ÷ their repeat visit days (so retail
 * and membership dues paid between visits count towards the visits they come with). A patient
 * with no repeat spend gets the model's population mean. When the spend model cannot be fitted
 * the values are null with the reason, never 0.
 */

export const VALUE_HORIZON_DAYS = 365;

export type SpendModel =
  | {
      ok: true;
      fit: ModelFit<GammaGammaParams>;
      /** pγ/(q − 1) in cents; null when q ≤ 1 (the mean does not exist). */
      populationMeanCents: number | null;
      /** corr(x, z̄) over the repeat buyers: the model assumes it is near 0. */
      frequencySpendCorrelation: number;
    }
  | { ok: false; reason: string };

export interface PatientValue {
  expectedVisitsIfAlive: number;
  /** Expected spend per visit, cents (unrounded); null with `reason` when unknown. */
  spendPerVisitCents: number | null;
  spendBasis: 'own_history' | 'population_mean' | null;
  valueIfRetainedCents: number | null;
  valueAtRiskCents: number | null;
  reason?: string;
}

/** z̄ of a patient: repeat spend ÷ repeat visit days (0 without a repeat visit day). */
export function perVisitSpendCents(f: Pick<PatientFeatures, 'x' | 'repeatSpendCents'>): number {
  return f.x > 0 ? f.repeatSpendCents / f.x : 0;
}

export function fitSpendModel(patients: readonly PatientFeatures[]): SpendModel {
  const customers = patients.map((f) => ({ x: f.x, zbar: perVisitSpendCents(f) }));
  if (!customers.some((c) => c.x > 0 && c.zbar > 0)) {
    return { ok: false, reason: 'Gamma-Gamma: no patient has a repeat visit with positive spend' };
  }
  const fit = fitGammaGamma(customers);
  if (!fit.converged) return { ok: false, reason: `Gamma-Gamma fit: ${fit.reason ?? 'not converged'}` };
  const { p, q, gamma } = fit.params;
  return {
    ok: true,
    fit,
    populationMeanCents: q > 1 ? (p * gamma) / (q - 1) : null,
    frequencySpendCorrelation: frequencySpendCorrelation(customers),
  };
}

/** E[Y(t) | x, tₓ, T] / P(alive | x, tₓ, T), evaluated where it is numerically safe. */
export function expectedVisitsIfAlive(
  params: BgNbdParams,
  f: Pick<PatientFeatures, 'x' | 'T'>,
  days: number,
): number {
  const c = { x: f.x, tx: f.x > 0 ? f.T : 0, T: f.T };
  return conditionalExpectedTransactions(params, days, c) / probabilityAlive(params, c);
}

export function patientValue(
  bgnbd: BgNbdParams,
  spend: SpendModel,
  f: PatientFeatures,
  churnRisk: number,
): PatientValue {
  const expectedVisits = expectedVisitsIfAlive(bgnbd, f, VALUE_HORIZON_DAYS);
  const unknown = (reason: string): PatientValue => ({
    expectedVisitsIfAlive: expectedVisits,
    spendPerVisitCents: null,
    spendBasis: null,
    valueIfRetainedCents: null,
    valueAtRiskCents: null,
    reason,
  });
  if (!spend.ok) return unknown(spend.reason);
  const zbar = perVisitSpendCents(f);
  let perVisit: number;
  let basis: PatientValue['spendBasis'];
  if (f.x > 0 && zbar > 0) {
    const { p, q } = spend.fit.params;
    if (!(p * f.x + q > 1)) return unknown(`the Gamma-Gamma expected spend is infinite (px + q ≤ 1)`);
    perVisit = conditionalExpectedSpend(spend.fit.params, { x: f.x, zbar });
    basis = 'own_history';
  } else if (spend.populationMeanCents !== null) {
    perVisit = spend.populationMeanCents;
    basis = 'population_mean';
  } else {
    return unknown('no repeat spend of their own, and the Gamma-Gamma population mean is infinite (q ≤ 1)');
  }
  // The risk multiplies the rounded value, so anyone can redo the product from the output.
  const valueIfRetainedCents = Math.round(expectedVisits * perVisit);
  return {
    expectedVisitsIfAlive: expectedVisits,
    spendPerVisitCents: perVisit,
    spendBasis: basis,
    valueIfRetainedCents,
    valueAtRiskCents: Math.round(churnRisk * valueIfRetainedCents),
  };
}
