/**
 * Who a metric is about (metrics.md, Scope and dating rules): a location, the portfolio, or a
 * provider at one location or across all of theirs (locationId null).
 */
export type Scope =
  | { kind: 'portfolio' }
  | { kind: 'location'; locationId: string }
  | { kind: 'provider'; providerId: string; locationId: string | null };

export type ScopeKind = Scope['kind'];

export function scopeLabel(scope: Scope): string {
  if (scope.kind === 'portfolio') return 'portfolio';
  if (scope.kind === 'location') return `location ${scope.locationId}`;
  return scope.locationId === null
    ? `provider ${scope.providerId} (all locations)`
    : `provider ${scope.providerId} at ${scope.locationId}`;
}
