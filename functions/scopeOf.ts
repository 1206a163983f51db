import type { Scope } from '../shared/metrics/scope';

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
