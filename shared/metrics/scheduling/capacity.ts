import { M, SERVICE_REVENUE_KINDS } from '../../engine/measures';
import type { ResolvedPeriod } from '../../periods/period';
import type { MetricContext } from '../metricContext';
import type { Scope } from '../scope';

/**
 * Payroll minutes are spread over a pay period's days (1/14 of a line per day…), which leaves
 * floating-point residue in their sums. Hours come with at most 4 decimals, so rounding
 * minutes to a millionth removes the residue without touching any real quantity.
 */
export function settleMinutes(minutes: number): number {
  return Math.round(minutes * 1e6) / 1e6;
}

export type MinutesSource = 'shifts' | 'payroll';

/**
 * A provider's available minutes at one location: their shift minutes there when they have
 * any in the period, else their payroll minutes there (pro-rated by day like compensation).
 */
export function providerAvailableMinutes(
  ctx: MetricContext,
  providerId: string,
  locationId: string,
  period: ResolvedPeriod,
): { minutes: number; source: MinutesSource } | null {
  const shifts = ctx.data.daily.sum(M.shiftMinutes, [locationId], period.start, period.end, providerId);
  if (shifts > 0) return { minutes: settleMinutes(shifts), source: 'shifts' };
  const payroll = settleMinutes(
    ctx.data.daily.sum(M.payrollMinutes, [locationId], period.start, period.end, providerId),
  );
  return payroll > 0 ? { minutes: payroll, source: 'payroll' } : null;
}

/** What the capacity metrics read at one location (for a provider scope: that provider's part). */
export interface LocationCapacity {
  locationId: string;
  availableMinutes: number;
  source: MinutesSource;
  visitMinutes: number;
  noShowMinutes: number;
  lateCancelMinutes: number;
  /** Service revenue (for a provider: their production), to value a minute of capacity. */
  serviceCents: number;
}

export interface ScopeCapacity {
  included: LocationCapacity[];
  /** Locations of the scope with no shift or payroll minutes in the period: left out entirely. */
  withoutCapacity: string[];
}

/**
 * Capacity facts of a scope, location by location. A location without available minutes is
 * left out of numerator and denominator alike, so its visits never inflate the utilization of
 * the others. Location and portfolio scopes use each location's shift minutes where it has
 * shifts in the period, else its payroll minutes; a provider scope
 * uses the provider's own shift, else payroll, minutes at each location.
 */
export function capacityOf(ctx: MetricContext, scope: Scope, period: ResolvedPeriod): ScopeCapacity {
  const providerId = scope.kind === 'provider' ? scope.providerId : '';
  const included: LocationCapacity[] = [];
  const withoutCapacity: string[] = [];
  for (const locationId of ctx.locationIdsOf(scope)) {
    const available =
      providerId === ''
        ? locationAvailableMinutes(ctx, locationId, period)
        : providerAvailableMinutes(ctx, providerId, locationId, period);
    if (available === null) {
      withoutCapacity.push(locationId);
      continue;
    }
    const sum = (measure: string) =>
      ctx.data.daily.sum(measure, [locationId], period.start, period.end, providerId);
    const serviceCents =
      providerId === ''
        ? SERVICE_REVENUE_KINDS.reduce((total, kind) => total + sum(M.net(kind)), 0)
        : sum(M.production);
    included.push({
      locationId,
      availableMinutes: available.minutes,
      source: available.source,
      visitMinutes: sum(M.visitMinutes),
      noShowMinutes: sum(M.noShowMinutes),
      lateCancelMinutes: sum(M.lateCancelMinutes),
      serviceCents,
    });
  }
  return { included, withoutCapacity };
}

/**
 * A location's available provider minutes (metrics.md, Scheduling): shift minutes when the
 * location ingested shifts for the period, else payroll hours × 60 spread over pay periods.
 */
function locationAvailableMinutes(
  ctx: MetricContext,
  locationId: string,
  period: ResolvedPeriod,
): { minutes: number; source: MinutesSource } | null {
  const shifts = settleMinutes(ctx.data.daily.sum(M.shiftMinutes, [locationId], period.start, period.end));
  if (shifts > 0) return { minutes: shifts, source: 'shifts' };
  const payroll = settleMinutes(ctx.data.daily.sum(M.payrollMinutes, [locationId], period.start, period.end));
  return payroll > 0 ? { minutes: payroll, source: 'payroll' } : null;
}

export function totalOf(
  capacity: ScopeCapacity,
  field: Exclude<keyof LocationCapacity, 'locationId' | 'source'>,
): number {
  return capacity.included.reduce((total, c) => total + c[field], 0);
}

/** 'shifts', 'payroll', 'mixed' (some locations each) or 'none', for operand names. */
export function sourceOf(capacity: ScopeCapacity): 'shifts' | 'payroll' | 'mixed' | 'none' {
  const sources = new Set(capacity.included.map((c) => c.source));
  if (sources.size === 0) return 'none';
  if (sources.size === 2) return 'mixed';
  return sources.has('shifts') ? 'shifts' : 'payroll';
}
