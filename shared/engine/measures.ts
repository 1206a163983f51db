import type { SaleKind, ServiceCategory } from '../model/canonicalBundle';

/**
 * The additive daily measures the refresh step computes per location (and per provider at a
 * location). Every metric that is a sum or a ratio of sums reads these; summing them over days
 * and locations answers any period and any scope, because they are additive.
 *
 * Money measures are in cents; compensation and payroll hours are REAL because a pay period
 * is spread over its days (metrics.md: "accrue over the pay period's days"), so a day carries
 * a fraction of a cent. Values are rounded to the cent only when a metric is reported.
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
} as const;

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
