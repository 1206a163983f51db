import type { ServiceCategory } from '../model/canonicalBundle';

/**
 * How often a patient in each service category is expected back, in days: the clinical rhythm
 * the churn score falls back on when a patient has too few visits of their own to show a
 * typical interval, and the cycle the revenue forecast schedules the next visit by.
 *
 * The figures are the practice conventions the product brief states — neurotoxin every 12–16
 * weeks, filler every 6–12 months, laser and energy-device treatments as series of sessions a
 * month or so apart — and the usual spacing of the other categories (facials and skin
 * treatments monthly, body contouring in sessions a month or more apart). They are
 * expectations, not measurements of any practice: a patient's own history, when there is
 * enough of it, comes first.
 */
export interface TreatmentCycle {
  /** Fewest days after a visit at which the next one is usually due. */
  minDays: number;
  /** Most days after a visit by which the next one is usually due. */
  maxDays: number;
}

export const TREATMENT_CYCLES: Readonly<Record<ServiceCategory, TreatmentCycle>> = {
  neurotoxin: { minDays: 84, maxDays: 112 },
  filler: { minDays: 180, maxDays: 365 },
  laser: { minDays: 28, maxDays: 56 },
  energy_device: { minDays: 28, maxDays: 56 },
  body_contouring: { minDays: 28, maxDays: 70 },
  skin_treatment: { minDays: 28, maxDays: 42 },
  facial: { minDays: 28, maxDays: 42 },
  // A consultation is followed by the treatment it was about, usually within weeks.
  consultation: { minDays: 7, maxDays: 42 },
  other_service: { minDays: 28, maxDays: 90 },
};

/** The midpoint of a category's cycle, in whole days; `other_service`'s when the category is unknown. */
export function expectedCycleDays(category: ServiceCategory | null): number {
  const cycle = TREATMENT_CYCLES[category ?? 'other_service'];
  return Math.round((cycle.minDays + cycle.maxDays) / 2);
}
