import type Database from 'better-sqlite3';

import type { PatientEvent, PatientRevenue } from '../../shared/engine/patientEvents';
import { DailySeries } from '../../shared/metrics/dailySeries';
import type {
  LeadInfo,
  MembershipInfo,
  MetricData,
  PatientInfo,
  ProviderInfo,
} from '../../shared/metrics/metricData';
import {
  type LocationRow,
  locationsFile,
  marketingSpendFile,
  type MarketingSpendRow,
} from '../../shared/model/canonicalBundle';
import type { MetricDimensions } from '../../shared/store/storeHistory';
import { standingAt } from './sqlite-history';

/** Loads everything the metrics read for a tenant (after a refresh of its aggregates). */
export function loadMetricData(db: Database.Database, tenant: string): MetricData {
  // First, as before the split: the version read is never newer than the aggregates read after it.
  const dimensions = loadMetricDimensions(db, tenant);
  const args = { tenant };
  const range = db
    .prepare<typeof args, { first: string | null; last: string | null }>(
      'SELECT MIN(day) AS first, MAX(day) AS last FROM agg_daily WHERE tenant_id = @tenant',
    )
    .get(args);
  const daily = new DailySeries(range?.first ?? '2000-01-01', range?.last ?? '1999-12-31');
  const rows = db
    .prepare<
      typeof args,
      { location_id: string; provider_id: string; measure: string; day: string; value: number }
    >('SELECT location_id, provider_id, measure, day, value FROM agg_daily WHERE tenant_id = @tenant')
    .iterate(args);
  for (const r of rows) {
    daily.add({
      locationId: r.location_id,
      providerId: r.provider_id,
      measure: r.measure,
      day: r.day,
      value: r.value,
    });
  }
  daily.finalize();

  const events = db
    .prepare<typeof args, PatientEvent>(
      `SELECT location_id AS locationId, appointment_id AS appointmentId, person_key AS personKey,
              patient_id AS patientId, provider_id AS providerId, category, status, start_at AS startAt,
              booked_on AS bookedOn, duration_min AS durationMin
       FROM patient_events WHERE tenant_id = @tenant ORDER BY person_key, start_at, appointment_id`,
    )
    .all(args);
  const revenue = db
    .prepare<typeof args, PatientRevenue>(
      `SELECT location_id AS locationId, person_key AS personKey, day, net_cents AS netCents
       FROM patient_revenue WHERE tenant_id = @tenant ORDER BY person_key, day`,
    )
    .all(args);
  return { ...dimensions, daily, events, revenue };
}

/**
 * The metric data beside the aggregates — locations, providers, patients, memberships, leads,
 * spend, each location's sales range — as they are now, or as they stood after ingest
 * `asOfIngest` (then `version` is that ingest).
 */
export function loadMetricDimensions(
  db: Database.Database,
  tenant: string,
  asOfIngest?: number,
): MetricDimensions {
  const args = { tenant, asOf: asOfIngest ?? null };
  const standing = `tenant_id = @tenant AND ${standingAt(asOfIngest)}`;
  const version =
    asOfIngest ??
    db
      .prepare<typeof args, { v: number | null }>(
        'SELECT MAX(ingest_id) AS v FROM ingests WHERE tenant_id = @tenant',
      )
      .get(args)?.v ??
    0;
  // Every list ordered, so as of an ingest (a table scan) it reads as the current one does.
  const locations = db
    .prepare<typeof args, LocationRow>(
      `SELECT ${Object.keys(locationsFile.columns).join(', ')} FROM locations WHERE ${standing} ORDER BY location_id`,
    )
    .all(args);
  const providers = db
    .prepare<typeof args, ProviderInfo>(
      `SELECT provider_id, location_id, display_name, role FROM providers WHERE ${standing} ORDER BY provider_id, location_id`,
    )
    .all(args);
  const patients = db
    .prepare<typeof args, PatientInfo>(
      `SELECT patient_id, person_key, home_location_id, referral_source, email_hash, phone_hash
       FROM patients WHERE ${standing} ORDER BY patient_id`,
    )
    .all(args);
  const memberships = db
    .prepare<typeof args, MembershipInfo>(
      `SELECT m.membership_id, m.patient_id, m.location_id, m.plan, m.monthly_fee, m.started_on, m.cancelled_on,
              COALESCE(p.person_key, 'id:' || m.patient_id) AS person_key
       FROM memberships m LEFT JOIN patients p
         ON p.tenant_id = m.tenant_id AND p.patient_id = m.patient_id AND ${standingAt(asOfIngest, 'p')}
       WHERE m.tenant_id = @tenant AND ${standingAt(asOfIngest, 'm')} ORDER BY m.membership_id`,
    )
    .all(args);
  const leads = db
    .prepare<typeof args, LeadInfo>(
      `SELECT lead_id, location_id, channel, created_at, email_hash, phone_hash FROM leads WHERE ${standing} ORDER BY lead_id`,
    )
    .all(args);
  const spend = db
    .prepare<typeof args, MarketingSpendRow>(
      `SELECT ${Object.keys(marketingSpendFile.columns).join(', ')} FROM marketing_spend WHERE ${standing} ORDER BY location_id, channel, date`,
    )
    .all(args);
  const dataRange = new Map(
    db
      .prepare<typeof args, { location_id: string; first: string; last: string }>(
        `SELECT location_id, MIN(sold_on) AS first, MAX(sold_on) AS last FROM sales WHERE ${standing} GROUP BY location_id`,
      )
      .all(args)
      .map((r) => [r.location_id, { first: r.first, last: r.last }] as const),
  );
  return {
    tenant,
    version,
    locations,
    providers,
    patients,
    memberships,
    leads,
    spend,
    dataRange,
  };
}
