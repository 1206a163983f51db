import type { LocationRow } from '../model/canonicalBundle';
import {
  addDays,
  addMonths,
  daysInclusive,
  lastDayOfMonth,
  type LocalDate,
  monthOf,
  type YearMonth,
} from '../model/localDate';
import type { ResolvedPeriod } from '../periods/period';
import type { MetricData } from './metricData';
import { PatientIndex } from './patientIndex';
import type { Scope } from './scope';

/** Tenant settings the metrics depend on (metrics.md: targets and fiscal year are tenant settings). */
export interface MetricSettings {
  fiscalYearStartMonth: number;
  /** The as-of month when the caller names one; otherwise it is derived from the data. */
  asOfMonth?: YearMonth;
  targets: {
    rebooking_rate: number;
    capacity_utilization: number;
    no_show_rate: number;
    comp_to_production_ratio: number;
    patient_retention_12m: number;
  };
}

/** Defaults: the midpoints of the top reference ranges (metrics.md, Gap dollars). */
export const DEFAULT_SETTINGS: MetricSettings = {
  fiscalYearStartMonth: 1,
  targets: {
    rebooking_rate: 0.8,
    capacity_utilization: 0.85,
    no_show_rate: 0.065,
    comp_to_production_ratio: 0.4,
    patient_retention_12m: 0.7,
  },
};

/** The data and settings every metric computes from, with the scope rules in one place. */
export class MetricContext {
  private readonly locationById: Map<string, LocationRow>;
  private patientIndex: PatientIndex | null = null;
  private readonly shared = new Map<string, unknown>();
  /** Per counted-ahead figure, what the walks of its questions have cost so far (countsAhead). */
  private readonly walked = new Map<string, number>();

  constructor(
    readonly data: MetricData,
    readonly settings: MetricSettings = DEFAULT_SETTINGS,
  ) {
    this.locationById = new Map(data.locations.map((l) => [l.location_id, l]));
  }

  /** Appointments by person, built on first use and kept for every later metric. */
  patients(): PatientIndex {
    this.patientIndex ??= new PatientIndex(this.data.events);
    return this.patientIndex;
  }

  /**
   * A figure several metrics read (retention's cohort: the rate and its gap dollars), computed
   * once per context and key. The data never changes under a context, so neither does it.
   */
  once<T>(key: string, compute: () => T): T {
    if (this.shared.has(key)) return this.shared.get(key) as T;
    const value = compute();
    this.shared.set(key, value);
    return value;
  }

  /**
   * Whether figures counted ahead over the whole history (`key`: day totals, monthly activity)
   * should answer a question that would otherwise walk its facts: `walking` is what this
   * question's walk costs, `counting` what counting the whole history once costs (in the same
   * unit: location-days). A context walks until its walks for the key have cost as much as the
   * counting would, then counts (rent until the rent paid equals the price, then buy: never more
   * than twice the better of the two). One LTM at every scope of 50 locations walks; a workbook
   * of twenty periods counts. Both give the same figures (tests), only the time differs.
   */
  countsAhead(key: string, walking: number, counting: number): boolean {
    if (this.shared.has(key)) return true;
    const walked = (this.walked.get(key) ?? 0) + walking;
    this.walked.set(key, walked);
    return walked >= counting;
  }

  /** Days the data spans (the daily measures' first to last day): what counting ahead reads. */
  historyDays(): number {
    const { firstDay, lastDay } = this.data.daily;
    return firstDay <= lastDay ? daysInclusive(firstDay, lastDay) : 1;
  }

  /** Whether the figure under `key` has been computed (by `once`). */
  holds(key: string): boolean {
    return this.shared.has(key);
  }

  location(locationId: string): LocationRow | undefined {
    return this.locationById.get(locationId);
  }

  allLocationIds(): string[] {
    return this.data.locations.map((l) => l.location_id);
  }

  /** The locations whose facts a scope counts. */
  locationIdsOf(scope: Scope): string[] {
    if (scope.kind === 'portfolio') return this.allLocationIds();
    if (scope.kind === 'location') return this.locationById.has(scope.locationId) ? [scope.locationId] : [];
    if (scope.locationId !== null) return [scope.locationId];
    const fromFacts = this.data.daily.locationsOfProvider(scope.providerId);
    const fromRoster = this.data.providers
      .filter((p) => p.provider_id === scope.providerId)
      .map((p) => p.location_id);
    return [...new Set([...fromRoster, ...fromFacts])].sort();
  }

  /** The days of the period the location was open (opened_on … closed_on − 1), or null. */
  operatingDays(locationId: string, period: ResolvedPeriod): { from: LocalDate; to: LocalDate } | null {
    const location = this.locationById.get(locationId);
    if (!location) return null;
    // An unknown opening date (a location first seen in an export) counts the whole period.
    const from =
      location.opened_on !== null && location.opened_on > period.start ? location.opened_on : period.start;
    // closed_on is the first day the location no longer operates.
    const lastOpen = location.closed_on === null ? period.end : addDays(location.closed_on, -1);
    const to = lastOpen < period.end ? lastOpen : period.end;
    return from <= to ? { from, to } : null;
  }

  /**
   * Coverage: of the days in the period that the scope's locations operated, the share that
   * their data covers (between each location's first and last sale line). 1 = complete.
   */
  coverage(scope: Scope, period: ResolvedPeriod): number | null {
    let expected = 0;
    let covered = 0;
    for (const locationId of this.locationIdsOf(scope)) {
      const open = this.operatingDays(locationId, period);
      if (!open) continue;
      expected += daysInclusive(open.from, open.to);
      const range = this.data.dataRange.get(locationId);
      if (!range) continue;
      const from = range.first > open.from ? range.first : open.from;
      const to = range.last < open.to ? range.last : open.to;
      if (from <= to) covered += daysInclusive(from, to);
    }
    return expected === 0 ? null : covered / expected;
  }

  /**
   * The as-of month (metrics.md, Periods): the latest month for which every included
   * location has complete data. Locations closed before it are not "included".
   */
  asOfMonth(): YearMonth | null {
    if (this.settings.asOfMonth !== undefined) return this.settings.asOfMonth;
    let asOf: YearMonth | null = null;
    let latest: YearMonth | null = null;
    for (const [locationId, range] of this.data.dataRange) {
      const complete =
        lastDayOfMonth(monthOf(range.last)) === range.last
          ? monthOf(range.last)
          : addMonths(monthOf(range.last), -1);
      if (latest === null || complete > latest) latest = complete;
      const closed = this.locationById.get(locationId)?.closed_on ?? null;
      if (closed !== null) continue;
      if (asOf === null || complete < asOf) asOf = complete;
    }
    return asOf ?? latest;
  }
}
