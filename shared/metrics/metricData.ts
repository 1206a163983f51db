import { byCodeUnits } from '../engine/columns';
import { DenseIds } from '../engine/denseIds';
import type { EventRows } from '../engine/eventRows';
import type { RevenueRows } from '../engine/revenueRows';
import type { LocationRow, MarketingSpendRow, MembershipRow } from '../model/canonicalBundle';
import type { LocalDate } from '../model/localDate';
import type { DailySeries } from './dailySeries';
import type { LeadRows } from './leadRows';

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

/** A patient record as the metrics read it: what persons, leads and attribution need of it. */
export interface PatientInfo {
  patient_id: string;
  person_key: string;
  referral_source: string | null;
  email_id: HashId | null;
  phone_id: HashId | null;
}

/**
 * A lead as the metrics read it, as one object (`LeadRows.from`: the metric data holds them as
 * columns): its creation day and its last-touch rank stand for its creation time and lead id
 * (texts nearly unique per lead: 1 M of each at 200 locations), which the metrics only compared
 * (`lastTouchRanks`).
 */
export interface LeadInfo {
  location_id: string;
  channel: string;
  /** The local date the lead was created (`created_at`'s day). */
  created_on: LocalDate;
  /** Of two leads of one load, the higher `touch` is the later touch (`lastTouchRanks`). */
  touch: number;
  email_id: HashId | null;
  phone_id: HashId | null;
}

/**
 * Each lead's last-touch rank among the leads of one load (metrics.md, Acquisition: the
 * converting lead created last; of leads created at the same time, the lower lead_id): leads in
 * that order numbered from 0, so the higher rank is the later touch. Texts compare by code unit.
 */
export function lastTouchRanks(createdAt: readonly string[], leadIds: readonly string[]): Int32Array {
  const order = Array.from(createdAt.keys()).sort(
    (a, b) => byCodeUnits(createdAt[a]!, createdAt[b]!) || byCodeUnits(leadIds[b]!, leadIds[a]!),
  );
  const ranks = new Int32Array(order.length);
  order.forEach((lead, rank) => {
    ranks[lead] = rank;
  });
  return ranks;
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
  /** Every lead, as columns (`LeadRows`), in lead id order. */
  leads: LeadRows;
  spend: readonly MarketingSpendRow[];
  /** Per location, the first and last day with a sale line: what the data covers. */
  dataRange: ReadonlyMap<string, { first: string; last: string }>;
}
