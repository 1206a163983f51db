import { addMonths, monthOf, type YearMonth } from '../model/localDate';
import { categoryOf, type CategoryValues, FORECAST_CATEGORIES, zeroCategories } from './forecastData';
import type { PatientHistory } from './patientHistory';

/**
 * The new-patient part of the revenue forecast: how many patients make their first visit at the
 * location in each forecast month, and what a new patient brings in the months that follow.
 *
 * A patient is new at a location in the month of their first visit there in the data, so the
 * first months of an export count as "new" every regular who happens to come then (the export
 * has no earlier visits to show they are not). Those months are left out: counts start
 * `BURN_IN_MONTHS` after the first complete month.
 */

export const BURN_IN_MONTHS = 6;
/** Months averaged for the inflow. */
export const INFLOW_MONTHS = 3;
/** Cohorts averaged for what a new patient does in their first months. */
const PROFILE_COHORTS = 12;

export interface NewPatientInflow {
  method: 'trailing_mean';
  /** Expected first visits per forecast month. */
  expected: number[];
  /** The months averaged and their counts. */
  months: { month: YearMonth; patients: number }[];
  reason?: string;
}

/** First visits at the location per month, from the patients known at the origin. */
export function firstVisitsByMonth(histories: readonly PatientHistory[]): Map<YearMonth, number> {
  const counts = new Map<YearMonth, number>();
  for (const h of histories) {
    const first = h.visits[0];
    if (!first) continue;
    const m = monthOf(first.day);
    counts.set(m, (counts.get(m) ?? 0) + 1);
  }
  return counts;
}

/**
 * Expected new patients per forecast month: the mean of the last `INFLOW_MONTHS` months before
 * the origin (fewer after the burn-in when the history is short). Null when no month is left.
 */
export function newPatientInflow(
  histories: readonly PatientHistory[],
  firstMonth: YearMonth,
  origin: YearMonth,
  horizon: number,
): NewPatientInflow | null {
  const counts = firstVisitsByMonth(histories);
  const earliest = addMonths(firstMonth, BURN_IN_MONTHS);
  const months: { month: YearMonth; patients: number }[] = [];
  for (let i = INFLOW_MONTHS - 1; i >= 0; i -= 1) {
    const month = addMonths(origin, -i);
    if (month >= earliest) months.push({ month, patients: counts.get(month) ?? 0 });
  }
  if (months.length === 0) return null;
  const mean = months.reduce((s, m) => s + m.patients, 0) / months.length;
  return {
    method: 'trailing_mean',
    expected: Array.from({ length: horizon }, () => mean),
    months,
    ...(months.length < INFLOW_MONTHS
      ? { reason: `only ${months.length} month(s) after the ${BURN_IN_MONTHS}-month burn-in of the history` }
      : {}),
  };
}

export interface NewPatientProfile {
  /** Per month since the first visit (0 = the month of it): mean visits per new patient by category. */
  visits: CategoryValues[];
  /** Cohorts averaged for each offset (0: the offset before it was used). */
  cohorts: number[];
}

/**
 * What a new patient does in their first `horizon` months (the month of the first visit is
 * month 0): mean completed visits per category, over the last `PROFILE_COHORTS` cohorts whose
 * month at that offset is complete by the origin.
 */
export function newPatientProfile(
  histories: readonly PatientHistory[],
  firstMonth: YearMonth,
  origin: YearMonth,
  horizon: number,
): NewPatientProfile {
  const earliest = addMonths(firstMonth, BURN_IN_MONTHS);
  const byCohort = new Map<YearMonth, PatientHistory[]>();
  for (const h of histories) {
    const first = h.visits[0];
    if (!first) continue;
    const m = monthOf(first.day);
    if (m < earliest) continue;
    const list = byCohort.get(m) ?? [];
    list.push(h);
    byCohort.set(m, list);
  }
  const visits: CategoryValues[] = [];
  const cohorts: number[] = [];
  for (let offset = 0; offset < horizon; offset += 1) {
    const sums = zeroCategories();
    let patients = 0;
    let used = 0;
    for (let i = 0; i < PROFILE_COHORTS; i += 1) {
      const cohort = addMonths(origin, -offset - i);
      if (cohort < earliest) break;
      const list = byCohort.get(cohort) ?? [];
      const target = addMonths(cohort, offset);
      used += 1;
      patients += list.length;
      for (const h of list)
        for (const v of h.visits) if (monthOf(v.day) === target) sums[categoryOf(v.category)] += 1;
    }
    for (const c of FORECAST_CATEGORIES) sums[c] = patients === 0 ? 0 : sums[c] / patients;
    // No cohort is old enough for this offset yet: the latest offset that has one stands in.
    const previous = visits[offset - 1];
    visits.push(used === 0 && previous ? { ...previous } : sums);
    cohorts.push(used);
  }
  return { visits, cohorts };
}
