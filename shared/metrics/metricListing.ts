import { quoteId } from '../privacy/redact';
import { metricById, METRICS } from './catalog';
import { computeMetric, type MetricError, resolvePeriodText } from './computeMetric';
import { acquisitionChannels } from './families/acquisition';
import type { MetricContext } from './metricContext';
import type { MetricDefinition } from './metricDefinition';
import type { MetricUnit } from './metricValue';
import type { Scope } from './scope';

/** One value of the `caliper metrics --json` listing (and of the API's batch answers). */
export interface MetricRecord {
  metric: string;
  period: string;
  /** null = the portfolio (or, for a provider, all of the provider's locations). */
  location_id: string | null;
  provider_id: string | null;
  value: number | null;
  unit: MetricUnit;
  coverage: number | null;
  reason?: string;
  details?: Record<string, unknown>;
}

export interface ListingFilter {
  metric?: string;
  locationId?: string;
}

/** Every scope a metric is listed for: the portfolio, each location, each provider at each of their locations and across all. */
export function scopesFor(
  ctx: MetricContext,
  kinds: readonly Scope['kind'][],
  filter: ListingFilter,
): Scope[] {
  const scopes: Scope[] = [];
  const locations = filter.locationId === undefined ? ctx.allLocationIds() : [filter.locationId];
  if (kinds.includes('portfolio') && filter.locationId === undefined) scopes.push({ kind: 'portfolio' });
  if (kinds.includes('location'))
    for (const locationId of locations) scopes.push({ kind: 'location', locationId });
  if (kinds.includes('provider')) {
    const providerIds = new Set([
      ...ctx.data.providers.map((p) => p.provider_id),
      ...ctx.data.daily.providers(),
    ]);
    for (const providerId of [...providerIds].sort()) {
      const theirs = ctx.locationIdsOf({ kind: 'provider', providerId, locationId: null });
      for (const locationId of theirs) {
        if (locations.includes(locationId)) scopes.push({ kind: 'provider', providerId, locationId });
      }
      if (filter.locationId === undefined) scopes.push({ kind: 'provider', providerId, locationId: null });
    }
  }
  return scopes;
}

/** Every single-value metric of the catalog for every scope it is defined for. */
export function listMetricValues(
  ctx: MetricContext,
  periodText: string,
  filter: ListingFilter = {},
): { ok: true; records: MetricRecord[] } | { ok: false; error: MetricError } {
  const period = resolvePeriodText(ctx, periodText);
  if (!period.ok) return period;
  if (filter.locationId !== undefined && !ctx.location(filter.locationId)) {
    return {
      ok: false,
      error: { code: 'unknown_location', message: `Unknown location ${quoteId(filter.locationId)}` },
    };
  }
  // cac.<channel> for the channels this tenant's data names beyond the catalog's common ones.
  const channelMetrics = acquisitionChannels(ctx)
    .map((channel) => metricById(`cac.${channel}`))
    .filter((m): m is MetricDefinition => m !== undefined && !METRICS.includes(m));
  const definitions = [...METRICS, ...channelMetrics].filter(
    (m) => m.singleValue !== false && (filter.metric === undefined || m.id === filter.metric),
  );
  if (filter.metric !== undefined && definitions.length === 0) {
    return {
      ok: false,
      error: { code: 'unknown_metric', message: `Unknown metric ${quoteId(filter.metric)}` },
    };
  }
  const records: MetricRecord[] = [];
  for (const definition of definitions) {
    for (const scope of scopesFor(ctx, definition.scopes, filter)) {
      const answer = computeMetric(ctx, definition.id, scope, periodText);
      if (!answer.ok) continue;
      const v = answer.value;
      records.push({
        metric: v.metric,
        period: v.period.label,
        location_id: scope.kind === 'portfolio' ? null : scope.locationId,
        provider_id: scope.kind === 'provider' ? scope.providerId : null,
        value: v.value,
        unit: v.unit,
        coverage: v.coverage,
        ...(v.reason === undefined ? {} : { reason: v.reason }),
        ...(v.details === undefined ? {} : { details: v.details }),
      });
    }
  }
  return { ok: true, records };
}
