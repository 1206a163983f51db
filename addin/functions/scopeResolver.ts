/*
 * Turns the scope a cell names (an id, a name, PORTFOLIO, a provider) into the ids the API
 * takes, looking names up in GET /api/portfolio — fetched once and kept until the data version
 * changes, so a sheet of location names costs one extra request, not one per cell.
 */
import type { CaliperClient, Portfolio, PortfolioLocation } from '../api/caliperClient';
import type { ScopeText } from './arguments';
import { invalidArgument, notAvailable } from './excelErrors';

/** What the API's location and provider parameters get; both absent = the portfolio. */
export interface ResolvedScope {
  location?: string;
  provider?: string;
}

export class PortfolioCache {
  private readonly client: Pick<CaliperClient, 'portfolio'>;
  private current: Promise<Portfolio> | undefined;

  constructor(client: Pick<CaliperClient, 'portfolio'>) {
    this.client = client;
  }

  get(): Promise<Portfolio> {
    if (this.current === undefined) {
      const loading = this.client.portfolio();
      this.current = loading;
      // A failed load is not kept: the next cell asks again (e.g. after the user connects).
      loading.catch(() => {
        if (this.current === loading) this.current = undefined;
      });
    }
    return this.current;
  }

  clear(): void {
    this.current = undefined;
  }
}

function sameText(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** A name as compared: any case, every dash (-, ‐, –, —) alike, runs of spaces as one. */
export function nameKey(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/\s+/g, ' ');
}

/** The candidates of an ambiguous name, as a message lists them: `L1 North Dallas; L3 North Austin`. */
function candidates(locations: readonly PortfolioLocation[]): string {
  const shown = locations.slice(0, 5).map((l) => `${l.location_id} ${l.name}`);
  return `${shown.join('; ')}${locations.length > 5 ? `; and ${locations.length - 5} more` : ''}`;
}

function ambiguous(ref: string, matches: readonly PortfolioLocation[]): Error {
  return notAvailable(
    `Ambiguous location '${ref}': ${matches.length} locations match (${candidates(matches)}); use the id or the full name`,
  );
}

/** A location by id (exact, then any case), then by full name (any case, any dash). */
function findLocationExactly(portfolio: Portfolio, ref: string): PortfolioLocation | undefined {
  const locations = portfolio.locations;
  const key = nameKey(ref);
  return (
    locations.find((l) => l.location_id === ref) ??
    locations.find((l) => sameText(l.location_id, ref)) ??
    locations.find((l) => nameKey(l.name) === key)
  );
}

/**
 * The locations whose name contains `ref` (any case, any dash), e.g. "Charleston" for
 * "Contour Clinic – Charleston". One match is the location; several are ambiguous.
 */
function locationsNamedLike(portfolio: Portfolio, ref: string): PortfolioLocation[] {
  const key = nameKey(ref);
  if (key === '') return [];
  return portfolio.locations.filter((l) => nameKey(l.name).includes(key));
}

/**
 * A location by id, full name, or an unambiguous part of its name; undefined when none
 * matches; #N/A naming the candidates when several do.
 */
export function findLocation(portfolio: Portfolio, ref: string): PortfolioLocation | undefined {
  const exact = findLocationExactly(portfolio, ref);
  if (exact !== undefined) return exact;
  const partial = locationsNamedLike(portfolio, ref);
  if (partial.length > 1) throw ambiguous(ref, partial);
  return partial[0];
}

function findProviderId(portfolio: Portfolio, ref: string): string | undefined {
  const providers = portfolio.providers;
  return (
    providers.find((p) => p.provider_id === ref) ??
    providers.find((p) => sameText(p.provider_id, ref)) ??
    providers.find((p) => nameKey(p.display_name) === nameKey(ref))
  )?.provider_id;
}

export function unknownLocation(ref: string): Error {
  return notAvailable(`Unknown location '${ref}'`);
}

export function resolveScope(portfolio: Portfolio, scope: ScopeText): ResolvedScope {
  switch (scope.kind) {
    case 'portfolio':
      return {};
    case 'named': {
      const location = findLocationExactly(portfolio, scope.name);
      if (location !== undefined) return { location: location.location_id };
      // A provider's exact id or name comes before a part of a location's name.
      const provider = findProviderId(portfolio, scope.name);
      if (provider !== undefined) return { provider };
      const partial = findLocation(portfolio, scope.name);
      if (partial !== undefined) return { location: partial.location_id };
      throw notAvailable(`Unknown location '${scope.name}' (not a location id or name, nor a provider)`);
    }
    case 'provider': {
      const provider = findProviderId(portfolio, scope.provider);
      if (provider === undefined) throw notAvailable(`Unknown provider '${scope.provider}'`);
      if (scope.location === null) return { provider };
      const location = findLocation(portfolio, scope.location);
      if (location === undefined) throw unknownLocation(scope.location);
      return { location: location.location_id, provider };
    }
  }
}

/** For functions that rank or list one location (BENCHMARK, PROVIDERS). */
export function resolveLocation(portfolio: Portfolio, scope: ScopeText, name: string): PortfolioLocation {
  if (scope.kind !== 'named') {
    throw invalidArgument(`${name} must be one location (an id like L1 or its name)`);
  }
  const location = findLocation(portfolio, scope.name);
  if (location === undefined) throw unknownLocation(scope.name);
  return location;
}
