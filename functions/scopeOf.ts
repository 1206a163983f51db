import type { Scope } from '../shared/metrics/scope';

/**
 * The scope a request names: a provider (at one location, or across all of theirs when no
 * location is given), else a location, else the portfolio. Same rule as the CLI's flags.
 */
export function scopeOf(location: string | undefined, provider: string | undefined): Scope {
  if (provider !== undefined) return { kind: 'provider', providerId: provider, locationId: location ?? null };
  if (location !== undefined) return { kind: 'location', locationId: location };
  return { kind: 'portfolio' };
}

/** The scope as the API answers it: snake_case ids, null where the scope has none. */
export function scopeJson(scope: Scope): {
  kind: Scope['kind'];
  location_id: string | null;
  provider_id: string | null;
} {
  return {
    kind: scope.kind,
    location_id: scope.kind === 'portfolio' ? null : scope.locationId,
    provider_id: scope.kind === 'provider' ? scope.providerId : null,
  };
}
