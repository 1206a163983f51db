import { M } from '../engine/measures';
import { SERVICE_CATEGORIES } from '../model/canonicalBundle';
import { monthOf, toDayNumber } from '../model/localDate';
import { type ResolvedPeriod, resolvePeriod } from '../periods/period';
import { quoteId } from '../privacy/redact';
import { metricById } from './catalog';
import { computeMetric, type MetricError, resolvePeriodText } from './computeMetric';
import { netRevenueCents } from './families/revenue';
import type { MetricContext } from './metricContext';
import { REFERENCE_RANGES, type ReferenceRange } from './referenceRanges';

/** The attributes a peer cohort can share (metrics.md, Benchmarks and cohorts). */
export type CohortAttribute = 'size_band' | 'region' | 'dominant_category' | 'age_band';

/** Widest last: when a cohort is too small, the last attribute asked for is dropped first. */
export const COHORT_ATTRIBUTES: readonly CohortAttribute[] = [
  'size_band',
  'region',
  'dominant_category',
  'age_band',
];

/** k-anonymity: a cohort of fewer locations is never shown. */
export const MIN_COHORT_SIZE = 5;

export type LocationAttributes = Record<CohortAttribute, string>;

export interface CohortSummary {
  attributes: Partial<LocationAttributes>;
  size: number;
}

export interface BenchmarkAnswer {
  metric: string;
  location_id: string;
  period: string;
  value: number | null;
  /** The cohort ranked in (asked for, or the wider one `benchmarkOrWider` fell back to); only its size when too small. */
  cohort: CohortSummary;
  /** Set by `benchmarkOrWider` when the cohort asked for was too small and `cohort` is the wider one. */
  asked_cohort?: CohortSummary;
  shown: boolean;
  /** Inclusive percentile rank 0–100 among the cohort (100 = best), null when not shown. */
  percentile: number | null;
  /** Quartiles of the cohort's values, when shown. */
  peers: { p25: number; median: number; p75: number } | null;
  reason?: string;
  /** The next wider cohort that has enough locations, when this one does not. */
  wider_cohort?: CohortSummary;
  /** The labelled industry reference, when the portfolio has too few peers. */
  reference?: ReferenceRange;
}

/**
 * The peers a location is ranked among unless the caller names others: locations of the same
 * size band and region. One default for the API (and so Excel), the CLI and the board packs.
 */
export const DEFAULT_COHORT: readonly CohortAttribute[] = ['size_band', 'region'];

/**
 * A cohort as typed (`size_band,region`; `portfolio` or nothing: the whole portfolio), or the
 * names that are not cohort attributes.
 */
export function cohortFromText(
  text: string,
): { ok: true; cohort: CohortAttribute[] } | { ok: false; unknown: string[] } {
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '' && s.toLowerCase() !== 'portfolio');
  const unknown = names.filter((n) => !(COHORT_ATTRIBUTES as readonly string[]).includes(n));
  if (unknown.length > 0) return { ok: false, unknown };
  return { ok: true, cohort: [...new Set(names as CohortAttribute[])] };
}

function sizeBand(netRevenueDollars: number): string {
  if (netRevenueDollars < 1_000_000) return '<$1M';
  if (netRevenueDollars < 3_000_000) return '$1–3M';
  if (netRevenueDollars < 6_000_000) return '$3–6M';
  return '>$6M';
}

function ageBand(openedOn: string | null, asOf: string): string {
  if (openedOn === null) return 'unknown';
  const years = (toDayNumber(asOf) - toDayNumber(openedOn)) / 365.25;
  if (years < 2) return '<2 years';
  if (years < 5) return '2–5 years';
  return '5+ years';
}

/**
 * Each location's cohort attributes at the end of the period: size band by net revenue over
 * the twelve months ending at the period's last month, region, dominant category (the largest
 * share of service revenue over the same twelve months; ties go to the first in the category
 * list) and age band (years open at the period's end: <2, 2–5, 5+).
 */
export function locationAttributes(
  ctx: MetricContext,
  period: ResolvedPeriod,
): Map<string, LocationAttributes> {
  const ltm = resolvePeriod({ kind: 'to_date', window: 'LTM', asOf: monthOf(period.end) });
  if (!ltm.success) throw new Error(ltm.error.message);
  const out = new Map<string, LocationAttributes>();
  for (const location of ctx.data.locations) {
    const scope = { kind: 'location' as const, locationId: location.location_id };
    const net = netRevenueCents(ctx, scope, ltm.period) / 100;
    let dominant = 'none';
    let best = 0;
    for (const category of SERVICE_CATEGORIES) {
      const cents = ctx.data.daily.sum(
        M.serviceNetByCategory(category),
        [location.location_id],
        ltm.period.start,
        ltm.period.end,
      );
      if (cents > best) {
        best = cents;
        dominant = category;
      }
    }
    out.set(location.location_id, {
      size_band: sizeBand(net),
      region: location.region ?? 'unknown',
      dominant_category: dominant,
      age_band: ageBand(location.opened_on, period.end),
    });
  }
  return out;
}

/** PERCENTRANK.INC × 100, turned so that 100 is the best value of the cohort. */
export function percentileRank(
  value: number,
  values: readonly number[],
  direction: 'higher' | 'lower' | 'none',
): number {
  if (values.length < 2) return 100;
  const worse = values.filter((v) => (direction === 'lower' ? v > value : v < value)).length;
  return (100 * worse) / (values.length - 1);
}

function quantile(sorted: readonly number[], q: number): number {
  // Linear interpolation between closest ranks, as Excel's QUARTILE.INC.
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const a = sorted[lower] ?? 0;
  const b = sorted[Math.min(lower + 1, sorted.length - 1)] ?? a;
  return a + (b - a) * (position - lower);
}

function cohortMembers(
  attributes: Map<string, LocationAttributes>,
  self: LocationAttributes,
  keys: readonly CohortAttribute[],
): string[] {
  return [...attributes]
    .filter(([, attrs]) => keys.every((k) => attrs[k] === self[k]))
    .map(([id]) => id)
    .sort();
}

/**
 * Ranks a location's value among its peer cohort. Peers whose value is not available are not
 * counted; a cohort of fewer than five locations with a value is never shown, and the answer
 * names the next wider cohort that is large enough (dropping the last attribute asked for,
 * then the one before…), or the labelled reference range when even the whole portfolio is
 * too small.
 */
export function benchmark(
  ctx: MetricContext,
  metricId: string,
  locationId: string,
  periodText: string,
  cohort: readonly CohortAttribute[],
): { ok: true; value: BenchmarkAnswer } | { ok: false; error: MetricError } {
  const own = computeMetric(ctx, metricId, { kind: 'location', locationId }, periodText);
  if (!own.ok) return own;
  const period = resolvePeriodText(ctx, periodText);
  if (!period.ok) return period;
  const direction = metricById(metricId)?.direction ?? 'none';
  const attributes = locationAttributes(ctx, period.period);
  const self = attributes.get(locationId);
  if (!self)
    return {
      ok: false,
      error: { code: 'unknown_location', message: `Unknown location ${quoteId(locationId)}` },
    };

  const valuesOf = (ids: readonly string[]) =>
    ids.flatMap((id) => {
      const answer = computeMetric(ctx, metricId, { kind: 'location', locationId: id }, periodText);
      return answer.ok && answer.value.value !== null ? [answer.value.value] : [];
    });
  const summary = (keys: readonly CohortAttribute[], size: number): CohortSummary => ({
    attributes: Object.fromEntries(keys.map((k) => [k, self[k]])),
    size,
  });

  const asked = [...cohort];
  const values = valuesOf(cohortMembers(attributes, self, asked));
  const base = {
    metric: metricId,
    location_id: locationId,
    period: period.period.label,
    value: own.value.value,
    cohort: summary(asked, values.length),
  };
  if (own.value.value === null) {
    return {
      ok: true,
      value: {
        ...base,
        shown: false,
        percentile: null,
        peers: null,
        reason: own.value.reason ?? 'no value for the location',
      },
    };
  }
  if (values.length >= MIN_COHORT_SIZE) {
    const sorted = [...values].sort((a, b) => a - b);
    return {
      ok: true,
      value: {
        ...base,
        shown: true,
        percentile: percentileRank(own.value.value, values, direction),
        peers: { p25: quantile(sorted, 0.25), median: quantile(sorted, 0.5), p75: quantile(sorted, 0.75) },
      },
    };
  }
  const answer: BenchmarkAnswer = {
    ...base,
    shown: false,
    percentile: null,
    peers: null,
    reason: `the cohort has ${values.length} location${values.length === 1 ? '' : 's'} with a value, fewer than the ${MIN_COHORT_SIZE} needed to show a benchmark`,
  };
  for (let keep = asked.length - 1; keep >= 0; keep -= 1) {
    const keys = asked.slice(0, keep);
    const size = valuesOf(cohortMembers(attributes, self, keys)).length;
    if (size >= MIN_COHORT_SIZE) {
      answer.wider_cohort = summary(keys, size);
      break;
    }
  }
  const reference = REFERENCE_RANGES[metricId];
  if (!answer.wider_cohort && reference) answer.reference = reference;
  return { ok: true, value: answer };
}

/**
 * The benchmark in the cohort asked for or, when that one is too small to show, in the next
 * wider cohort `benchmark` names, keeping the one asked for as `asked_cohort`: the answer is a
 * rank whenever any cohort allows one, and always says which peers it ranks among.
 */
export function benchmarkOrWider(
  ctx: MetricContext,
  metricId: string,
  locationId: string,
  periodText: string,
  cohort: readonly CohortAttribute[] = DEFAULT_COHORT,
): ReturnType<typeof benchmark> {
  const asked = benchmark(ctx, metricId, locationId, periodText, cohort);
  const wider = asked.ok ? asked.value.wider_cohort : undefined;
  if (!asked.ok || asked.value.shown || wider === undefined) return asked;
  const widerKeys = cohort.filter((k) => k in wider.attributes);
  const widened = benchmark(ctx, metricId, locationId, periodText, widerKeys);
  if (!widened.ok || !widened.value.shown) return asked;
  return { ok: true, value: { ...widened.value, asked_cohort: asked.value.cohort } };
}
