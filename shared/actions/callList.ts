import type { MetricData } from '../metrics/metricData';
import type { LocationRow, ServiceCategory } from '../model/canonicalBundle';
import { isLocalDate, type LocalDate } from '../model/localDate';
import type { ChurnScores, PatientChurn } from '../models/churnRisk';
import { DEFAULT_HORIZON_DAYS, scoreChurnRisk } from '../models/churnRisk';
import { ACTIVE_WITHIN_DAYS, ChurnCache, type ChurnData, type TrainedOn } from '../models/churnTraining';
import { quoteId } from '../privacy/redact';

/**
 * The call list: the patients a front desk should phone this week, most money at stake first.
 * It is the churn score (shared/models/churnRisk.ts) cut down to the people a call can still
 * change: nothing booked (a booked patient needs no call), seen within the year before the day
 * scored (a patient gone longer has left; the list is for those about to leave) and with a value
 * at risk (the Gamma-Gamma fitted). Each row names the patient only by the practice's own id —
 * the desk looks the person up in its EMR — so no name, email or phone can be in it: the churn
 * score never holds one, and the rows are built field by field from ids, dates, numbers and the
 * model's reasons in words.
 */

export const DEFAULT_CALL_LIST_SIZE = 25;

/** The service categories in words, as a front desk says them. */
export const CATEGORY_LABELS: Readonly<Record<ServiceCategory, string>> = {
  neurotoxin: 'Neurotoxin',
  filler: 'Filler',
  laser: 'Laser',
  energy_device: 'Energy device',
  body_contouring: 'Body contouring',
  skin_treatment: 'Skin treatment',
  facial: 'Facial',
  consultation: 'Consultation',
  other_service: 'Other service',
};

export interface CallListOptions {
  /** How many rows (the top n); default 25. */
  n?: number;
  /** The day scored; default each location's last day of sales data. */
  asOf?: LocalDate;
  horizonDays?: number;
  /** Shares the churn model's fits between calls on the same `data` (the API's cache). */
  cache?: ChurnCache;
}

export interface CallListRow {
  rank: number;
  locationId: string;
  /** The location's own patient id (its EMR's): the only way the row names the person. */
  patientId: string;
  /** The last visit's service category in words; null when the visit had none. */
  lastTreatment: string | null;
  lastVisitOn: LocalDate;
  /** The last visit's provider by display name; null when the visit or the directory names none. */
  providerName: string | null;
  daysSinceLast: number;
  typicalIntervalDays: number;
  daysOverdue: number;
  /** P(no completed visit within the horizon), a fraction. */
  churnRisk: number;
  /** The model's reasons joined in words; empty when no input stands out. */
  reasons: string;
  valueAtRiskCents: number;
  valueIfRetainedCents: number;
}

export interface CallListLocation {
  locationId: string;
  name: string;
  /** The day scored; null when the location has no sales data to take it from. */
  asOf: LocalDate | null;
  scored: boolean;
  /** Why the location was not scored (null when it was). */
  reason: string | null;
  trainedOn: TrainedOn | null;
  patientsScored: number;
  eligible: number;
  eligibleValueAtRiskCents: number;
  /** Every step down from the location's own model, in words (never hidden). */
  fallbacks: string[];
}

export interface CallList {
  scope: { kind: 'location'; locationId: string; name: string } | { kind: 'portfolio' };
  /** The day scored; null in a portfolio whose locations were scored on different days (each says its own). */
  asOf: LocalDate | null;
  horizonDays: number;
  n: number;
  /** The location of the scope, or every open location of the portfolio. */
  locations: CallListLocation[];
  patientsScored: number;
  eligible: number;
  eligibleValueAtRiskCents: number;
  shownValueAtRiskCents: number;
  /** The locations' fallbacks (in a portfolio prefixed by the location id), and locations not scored. */
  fallbacks: string[];
  rows: CallListRow[];
}

export type CallListErrorCode = 'unknown_location' | 'not_scored';

export type CallListAnswer =
  { ok: true; list: CallList } | { ok: false; error: { code: CallListErrorCode; message: string } };

export type CallListData = ChurnData & Pick<MetricData, 'providers'>;

/** Who a call can still change (see the module comment). */
export function isEligible(p: PatientChurn): p is Valued {
  return (
    p.nextBooked === null &&
    p.daysSinceLast < ACTIVE_WITHIN_DAYS &&
    p.valueAtRiskCents !== null &&
    p.valueIfRetainedCents !== null
  );
}

type Valued = PatientChurn & { valueAtRiskCents: number; valueIfRetainedCents: number };

/** Most money at stake first, then the higher risk, then location and patient id: a stable order. */
function byValueAtRisk(a: Candidate, b: Candidate): number {
  return (
    b.patient.valueAtRiskCents - a.patient.valueAtRiskCents ||
    b.patient.churnRisk - a.patient.churnRisk ||
    compare(a.locationId, b.locationId) ||
    compare(a.patient.patientId, b.patient.patientId)
  );
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

interface Candidate {
  locationId: string;
  patient: Valued;
}

/** The call list of one location (`locationId`) or of every open location (`null`). */
export function callList(
  data: CallListData,
  locationId: string | null,
  options: CallListOptions = {},
): CallListAnswer {
  const n = options.n ?? DEFAULT_CALL_LIST_SIZE;
  if (!(Number.isInteger(n) && n >= 1)) throw new RangeError(`call list: n ${n} must be a whole number ≥ 1`);
  if (options.asOf !== undefined && !isLocalDate(options.asOf)) {
    throw new RangeError(`call list: asOf ${JSON.stringify(options.asOf)} is not a YYYY-MM-DD date`);
  }
  const horizonDays = options.horizonDays ?? DEFAULT_HORIZON_DAYS;
  // Checked here: below, a RangeError of the model is a location it could not score, not a bad call.
  if (!(Number.isInteger(horizonDays) && horizonDays >= 1)) {
    throw new RangeError(`call list: horizon ${horizonDays} must be a whole number of days ≥ 1`);
  }
  // Without the caller's cache, one pass over the locations: each location's snapshots are let go.
  const cache = options.cache ?? new ChurnCache({ keepSnapshots: false });

  let sites: LocationRow[];
  if (locationId !== null) {
    const site = data.locations.find((l) => l.location_id === locationId);
    if (site === undefined) {
      return fail('unknown_location', `Unknown location ${quoteId(locationId)}`);
    }
    sites = [site];
  } else {
    sites = data.locations.filter((l) => isOpen(l, options.asOf));
    if (sites.length === 0) return fail('not_scored', 'The portfolio has no open location to score');
  }

  const scored = sites.map((site) => scoreLocation(data, site, { ...options, horizonDays, cache }));
  if (!scored.some((s) => s.header.scored)) {
    const why = scored.map((s) => `${s.header.locationId}: ${s.header.reason ?? ''}`).join('; ');
    return fail(
      'not_scored',
      locationId === null
        ? `No location of the portfolio could be scored (${why})`
        : `Location ${quoteId(locationId)} could not be scored: ${scored[0]?.header.reason ?? ''}`,
    );
  }

  const candidates = scored.flatMap((s) => s.candidates).sort(byValueAtRisk);
  const rows = candidates.slice(0, n).map((c, i) => row(data, c, i + 1));
  const locations = scored.map((s) => s.header);
  const days = new Set(locations.filter((l) => l.scored).map((l) => l.asOf));
  const portfolio = locationId === null;
  const site = sites[0]!;
  return {
    ok: true,
    list: {
      scope: portfolio
        ? { kind: 'portfolio' }
        : { kind: 'location', locationId: site.location_id, name: site.name },
      asOf: days.size === 1 ? ([...days][0] ?? null) : null,
      horizonDays,
      n,
      locations,
      patientsScored: sum(locations.map((l) => l.patientsScored)),
      eligible: sum(locations.map((l) => l.eligible)),
      eligibleValueAtRiskCents: sum(locations.map((l) => l.eligibleValueAtRiskCents)),
      shownValueAtRiskCents: sum(rows.map((r) => r.valueAtRiskCents)),
      fallbacks: locations.flatMap((l) => {
        const own = l.scored ? l.fallbacks : [`not scored: ${l.reason ?? ''}`];
        return portfolio ? own.map((f) => `${l.locationId}: ${f}`) : own;
      }),
      rows,
    },
  };
}

function fail(code: CallListErrorCode, message: string): CallListAnswer {
  return { ok: false, error: { code, message } };
}

/** Open on the day asked for; without one, not closed at all (its own last day comes before any closing). */
function isOpen(site: LocationRow, asOf: LocalDate | undefined): boolean {
  return site.closed_on === null || (asOf !== undefined && site.closed_on > asOf);
}

const sum = (values: readonly number[]) => values.reduce((s, v) => s + v, 0);

function scoreLocation(
  data: CallListData,
  site: LocationRow,
  options: CallListOptions & { horizonDays: number; cache: ChurnCache },
): { header: CallListLocation; candidates: Candidate[] } {
  const scores = safeScore(data, site.location_id, options);
  const eligible = scores.patients.filter(isEligible);
  return {
    header: {
      locationId: site.location_id,
      name: site.name,
      asOf: scores.asOf === '' ? null : scores.asOf,
      scored: scores.scored,
      reason: scores.scored ? null : (scores.reason ?? 'not scored'),
      trainedOn: scores.model?.trainedOn ?? null,
      patientsScored: scores.patients.length,
      eligible: eligible.length,
      eligibleValueAtRiskCents: sum(eligible.map((p) => p.valueAtRiskCents)),
      fallbacks: scores.model?.fallbacks ?? [],
    },
    candidates: eligible.map((patient) => ({ locationId: site.location_id, patient })),
  };
}

/**
 * The churn score, or the location unscored with the model's own words when its numerics give
 * up (a RangeError): one location's failed fit must not take the portfolio's list with it.
 */
function safeScore(
  data: CallListData,
  locationId: string,
  options: { asOf?: LocalDate; horizonDays: number; cache: ChurnCache },
): ChurnScores {
  try {
    return scoreChurnRisk(data, locationId, {
      horizonDays: options.horizonDays,
      cache: options.cache,
      ...(options.asOf === undefined ? {} : { asOf: options.asOf }),
    });
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return {
      locationId,
      asOf: options.asOf ?? data.dataRange.get(locationId)?.last ?? '',
      horizonDays: options.horizonDays,
      scored: false,
      reason: `the churn model failed: ${error.message}`,
      model: null,
      patients: [],
    };
  }
}

function row(data: CallListData, c: Candidate, rank: number): CallListRow {
  const p = c.patient;
  const { category, providerId } = p.lastVisit;
  const provider =
    providerId === null
      ? undefined
      : data.providers.find((q) => q.provider_id === providerId && q.location_id === c.locationId);
  // Built field by field: nothing of the score but ids, dates, numbers and the reasons' words.
  return {
    rank,
    locationId: c.locationId,
    patientId: p.patientId,
    lastTreatment: category === null ? null : CATEGORY_LABELS[category],
    lastVisitOn: p.lastVisit.day,
    providerName: provider?.display_name ?? null,
    daysSinceLast: p.daysSinceLast,
    typicalIntervalDays: p.typicalIntervalDays,
    daysOverdue: p.daysOverdue,
    churnRisk: p.churnRisk,
    reasons: p.reasons.join('; '),
    valueAtRiskCents: p.valueAtRiskCents,
    valueIfRetainedCents: p.valueIfRetainedCents,
  };
}
