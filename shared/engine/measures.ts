import type { SaleKind, ServiceCategory } from '../model/canonicalBundle';

/**
 * The additive daily measures the refresh step computes per location (and per provider at a
 * location). Every metric that is a sum or a ratio of sums reads these; summing them over days
 * and locations answers any period and any scope, because they are additive.
 *
 * Money measures are in whole cents. A pay period is spread over its days (metrics.md: "accrue
 * over the pay period's days") and a location-less payroll line is split by production, so a
 * day of compensation carries a fraction of a cent: it is stored exactly, as an integer count
 * of 1/d cents under the measure `name/d` (see inUnits), never as a rounded double, and a sum
 * over days is an exact fraction. Values are rounded to the cent only when a metric is reported.
 */
export const M = {
  /** Σ net (gross − discount) of sale lines of one kind; gift cards are kept apart, never revenue. */
  net: (kind: SaleKind) => `net.${kind}`,
  /** Number of sale lines of any kind (same-store needs "a sale line in every month"). */
  saleLines: 'sale_lines',
  tax: 'tax',
  tip: 'tip',
  /** Σ net of service + package lines by the service's category (treatment mix). */
  serviceNetByCategory: (category: ServiceCategory | 'uncategorized') => `service_net.${category}`,
  visits: 'visits',
  visitMinutes: 'visit_min',
  noShows: 'no_show',
  noShowMinutes: 'no_show_min',
  lateCancels: 'late_cancelled',
  lateCancelMinutes: 'late_cancelled_min',
  cancellations: 'cancelled',
  /** Appointments without booked_at (rebooking cannot see them). */
  appointmentsWithoutBookedAt: 'no_booked_at',
  appointments: 'appointments',
  /** Provider minutes available from shifts. */
  shiftMinutes: 'shift_min',
  /** Provider minutes available from payroll hours × 60, spread over the pay period. */
  payrollMinutes: 'payroll_min',
  /** By hour of day (00–23) for the utilization heatmap. */
  heatVisitMinutes: (hour: number) => `heat.visit_min.${String(hour).padStart(2, '0')}`,
  heatShiftMinutes: (hour: number) => `heat.shift_min.${String(hour).padStart(2, '0')}`,
  // Provider-level (provider_id set)
  /** service_revenue attributed to the provider on the sale line. */
  production: 'production',
  compWages: 'comp.wages',
  compCommission: 'comp.commission',
  compBonus: 'comp.bonus',
  compTaxesBenefits: 'comp.taxes_benefits',
  /** Payroll cost of lines whose employee is no known provider (front desk, managers). */
  nonProviderPayroll: 'payroll.non_provider',
  /**
   * 1 per payroll line per day of its pay period, at the provider, at every location the line
   * reaches: a line of $0 and 0 hours is still payroll (compensation $0), not its absence.
   */
  payrollLineDays: 'payroll_line_days',
} as const;

/**
 * A measure in units of 1/`denominator` of its unit: `comp.wages/14` holds fourteenths of a
 * cent, so a 14-day pay period of 1,000.01 puts the integer 100,001 on each of its days and
 * any run of its days sums exactly (k × 100,001 / 14 cents). Denominator 1 is the measure
 * itself. Every value of such a measure is an integer (exact in a REAL column below 2^53).
 */
export function inUnits(measure: string, denominator: number): string {
  if (!Number.isSafeInteger(denominator) || denominator < 1) {
    throw new RangeError(`measure ${measure}: denominator ${denominator} is not a positive integer`);
  }
  return denominator === 1 ? measure : `${measure}/${denominator}`;
}

/** `comp.wages/14` → { measure: 'comp.wages', denominator: 14 }; a plain name has denominator 1. */
export function parseUnits(name: string): { measure: string; denominator: number } {
  const match = /^(.+)\/([1-9][0-9]*)$/.exec(name);
  if (!match) return { measure: name, denominator: 1 };
  const denominator = Number(match[2]);
  if (!Number.isSafeInteger(denominator)) return { measure: name, denominator: 1 };
  return { measure: match[1] ?? name, denominator };
}

export const COMPENSATION_MEASURES = [
  M.compWages,
  M.compCommission,
  M.compBonus,
  M.compTaxesBenefits,
] as const;

/** Revenue kinds (metrics.md, Revenue): every kind but gift_card. */
export const REVENUE_KINDS: readonly SaleKind[] = ['service', 'package', 'retail', 'membership_fee', 'other'];
export const SERVICE_REVENUE_KINDS: readonly SaleKind[] = ['service', 'package'];

/** One additive value: location (and provider, '' for the location itself), day, measure. */
export interface DailyMeasure {
  locationId: string;
  providerId: string;
  day: string;
  measure: string;
  value: number;
}
