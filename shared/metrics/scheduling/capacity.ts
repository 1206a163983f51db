import { Fraction } from '../../engine/fraction';
import { M, SERVICE_REVENUE_KINDS } from '../../engine/measures';
import type { ResolvedPeriod } from '../../periods/period';
import type { MetricContext } from '../metricContext';
import type { Scope } from '../scope';

/**
 * Payroll minutes are spread over a pay period's days (1/14 of a line per day…): their exact
 * sum is a fraction (DailySeries.exactSum), and as a double it may carry residue. Hours come
 * with at most 4 decimals, so rounding minutes to a millionth removes the residue without
 * touching any real quantity (ratios use this; dollars per hour divide by the exact minutes).
 */
export function settleMinutes(minutes: number): number {
  return Math.round(minutes * 1e6) / 1e6;
}

export type MinutesSource = 'shifts' | 'payroll';

/** Available minutes: as a (settled) double, exactly, and where they come from. */
export interface AvailableMinutes {
  minutes: number;
  exact: Fraction;
  source: MinutesSource;
}

/**
 * A provider's available minutes at one location: their shift minutes there when they have
 * any in the period, else their payroll minutes there (pro-rated by day like compensation).
 */
export function providerAvailableMinutes(
  ctx: MetricContext,
  providerId: string,
  locationId: string,
  period: ResolvedPeriod,
): AvailableMinutes | null {
  return availableMinutes(ctx, locationId, period, providerId);
}

/** Shift minutes when there are any in the period, else payroll minutes (provider '' = the location). */
function availableMinutes(
  ctx: MetricContext,
  locationId: string,
  period: ResolvedPeriod,
  providerId: string,
): AvailableMinutes | null {
  const exact = (measure: string) =>
    ctx.data.daily.exactSum(measure, [locationId], period.start, period.end, providerId);
  const shifts = exact(M.shiftMinutes);
  if (shifts.sign() > 0)
    return { minutes: settleMinutes(shifts.toNumber()), exact: shifts, source: 'shifts' };
  const payroll = exact(M.payrollMinutes);
  return payroll.sign() > 0
    ? { minutes: settleMinutes(payroll.toNumber()), exact: payroll, source: 'payroll' }
    : null;
}

/** What the capacity metrics read at one location (for a provider scope: that provider's part). */
export interface LocationCapacity {
  locationId: string;
  availableMinutes: number;
  /** The same minutes, exactly (for dollars per hour or per minute). */
  availableExact: Fraction;
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
      availableExact: available.exact,
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
): AvailableMinutes | null {
  return availableMinutes(ctx, locationId, period, '');
}

export function totalOf(
  capacity: ScopeCapacity,
  field: Exclude<keyof LocationCapacity, 'locationId' | 'source' | 'availableExact'>,
): number {
  return capacity.included.reduce((total, c) => total + c[field], 0);
}

/** Σ available minutes of the included locations, exactly. */
export function exactAvailableMinutes(capacity: ScopeCapacity): Fraction {
  return capacity.included.reduce((total, c) => total.plus(c.availableExact), Fraction.ZERO);
}

/** 'shifts', 'payroll', 'mixed' (some locations each) or 'none', for operand names. */
export function sourceOf(capacity: ScopeCapacity): 'shifts' | 'payroll' | 'mixed' | 'none' {
  const sources = new Set(capacity.included.map((c) => c.source));
  if (sources.size === 0) return 'none';
  if (sources.size === 2) return 'mixed';
  return sources.has('shifts') ? 'shifts' : 'payroll';
}
