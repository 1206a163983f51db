import type { PatientEvent, PatientRevenue } from '../engine/patientEvents';
import type { LocationRow, MarketingSpendRow, MembershipRow } from '../model/canonicalBundle';
import type { DailySeries } from './dailySeries';

export interface ProviderInfo {
  provider_id: string;
  location_id: string;
  display_name: string;
  role: string | null;
}

export interface PatientInfo {
  patient_id: string;
  person_key: string;
  home_location_id: string | null;
  referral_source: string | null;
  email_hash: string | null;
  phone_hash: string | null;
}

export interface LeadInfo {
  lead_id: string;
  location_id: string;
  channel: string;
  created_at: string;
  email_hash: string | null;
  phone_hash: string | null;
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
  /** Every appointment, sorted by person key then start. */
  events: readonly PatientEvent[];
  revenue: readonly PatientRevenue[];
  patients: readonly PatientInfo[];
  memberships: readonly MembershipInfo[];
  leads: readonly LeadInfo[];
  spend: readonly MarketingSpendRow[];
  /** Per location, the first and last day with a sale line: what the data covers. */
  dataRange: ReadonlyMap<string, { first: string; last: string }>;
}
