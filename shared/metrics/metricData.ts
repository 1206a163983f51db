import { DenseIds } from '../engine/denseIds';
import type { EventRows } from '../engine/eventRows';
import type { RevenueRows } from '../engine/revenueRows';
import type { LocationRow, MarketingSpendRow, MembershipRow } from '../model/canonicalBundle';
import type { DailySeries } from './dailySeries';

export interface ProviderInfo {
  provider_id: string;
  location_id: string;
  display_name: string;
  role: string | null;
}

/**
 * A stored email or phone hash as a number: within one load, equal hashes have equal numbers
 * and different hashes different ones, numbered densely from 0 (`hashIds`; person identity
 * indexes an array by them). The metrics only ask whether two records
 * share a hash (person identity, a lead's patient), and a number answers that without keeping
 * a text per hash (2.7 M of them at 200 locations).
 */
export type HashId = number;

/**
 * One number per distinct hash text, email and phone alike, for the records of one load:
 * `number` gives a hash its number (the patients'), `known` only looks one up, null for a hash
 * never numbered. A lead's hashes are only ever matched against the patients' (a lead that
 * became a patient), so a lead hash no patient carries needs no number: at 200 locations, 2 M
 * lead hashes kept out of the map.
 */
export function hashIds(): {
  number: (hash: string | null) => HashId | null;
  known: (hash: string | null) => HashId | null;
} {
  const ids = new DenseIds<string>();
  return {
    number: (hash) => (hash === null ? null : ids.of(hash)),
    known: (hash) => (hash === null ? null : (ids.find(hash) ?? null)),
  };
}

export interface PatientInfo {
  patient_id: string;
  person_key: string;
  home_location_id: string | null;
  referral_source: string | null;
  email_id: HashId | null;
  phone_id: HashId | null;
}

export interface LeadInfo {
  lead_id: string;
  location_id: string;
  channel: string;
  created_at: string;
  email_id: HashId | null;
  phone_id: HashId | null;
}

export type MembershipInfo = MembershipRow & { person_key: string };

/**
 * Everything the metrics read for one tenant, loaded once per data version: the daily
 * additive measures as prefix sums, and the patient-level sequences. Metrics are pure
 * functions of this object, so they are tested on hand-made data without a database.
 */
export interface MetricData {
  tenant: string;
  /** The latest committed ingest: a cache of answers is valid while it is unchanged. */
  version: number;
  locations: readonly LocationRow[];
  providers: readonly ProviderInfo[];
  daily: DailySeries;
  /** Every appointment, as columns in person, start and appointment order. */
  events: EventRows;
  /** Net revenue per person, day and location, as columns in person then day order. */
  revenue: RevenueRows;
  patients: readonly PatientInfo[];
  memberships: readonly MembershipInfo[];
  leads: readonly LeadInfo[];
  spend: readonly MarketingSpendRow[];
  /** Per location, the first and last day with a sale line: what the data covers. */
  dataRange: ReadonlyMap<string, { first: string; last: string }>;
}
