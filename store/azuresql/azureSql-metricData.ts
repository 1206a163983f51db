import type { ConnectionPool } from 'mssql';

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
  type AnyFileSpec,
  type LocationRow,
  locationsFile,
  marketingSpendFile,
  type MarketingSpendRow,
  membershipsFile,
} from '../../shared/model/canonicalBundle';
import type { MetricDimensions } from '../../shared/store/storeHistory';
import { standingAt } from '../sql/history';
import { col, queryRows, toNumberOrNull, withNumbers } from './azureSqlQuery';
import { bigintColumnsOf } from './migrations';

/** Loads everything the metrics read for a tenant (after a refresh of its aggregates). */
export async function loadMetricData(pool: ConnectionPool, tenant: string): Promise<MetricData> {
  // First, as before the split: the version read is never newer than the aggregates read after it.
  const dimensions = await loadMetricDimensions(pool, tenant);
  const args = { tenant };
  const [range] = await queryRows<{ first: string | null; last: string | null }>(
    pool,
    'SELECT MIN(day) AS first, MAX(day) AS last FROM agg_daily WHERE tenant_id = @tenant',
    args,
  );
  const daily = new DailySeries(range?.first ?? '2000-01-01', range?.last ?? '1999-12-31');
  const dailyRows = await queryRows<{
    location_id: string;
    provider_id: string;
    measure: string;
    day: string;
    value: number;
  }>(
    pool,
    'SELECT location_id, provider_id, measure, day, [value] FROM agg_daily WHERE tenant_id = @tenant',
    args,
  );
  for (const r of dailyRows) {
    daily.add({
      locationId: r.location_id,
      providerId: r.provider_id,
      measure: r.measure,
      day: r.day,
      value: r.value,
    });
  }
  daily.finalize();

  const events = (
    await queryRows<Record<string, unknown>>(
      pool,
      `SELECT location_id AS locationId, appointment_id AS appointmentId, person_key AS personKey,
              patient_id AS patientId, provider_id AS providerId, category, status, start_at AS startAt,
              booked_on AS bookedOn, duration_min AS durationMin
       FROM patient_events WHERE tenant_id = @tenant ORDER BY person_key, start_at, appointment_id`,
      args,
    )
  ).map((r) => withNumbers<PatientEvent>(r, ['durationMin']));
  const revenue = (
    await queryRows<Record<string, unknown>>(
      pool,
      `SELECT location_id AS locationId, person_key AS personKey, day, net_cents AS netCents
       FROM patient_revenue WHERE tenant_id = @tenant ORDER BY person_key, day`,
      args,
    )
  ).map((r) => withNumbers<PatientRevenue>(r, ['netCents']));
  return { ...dimensions, daily, events, revenue };
}

/**
 * The metric data beside the aggregates — locations, providers, patients, memberships, leads,
 * spend, each location's sales range — as they are now, or as they stood after ingest
 * `asOfIngest` (then `version` is that ingest).
 */
export async function loadMetricDimensions(
  pool: ConnectionPool,
  tenant: string,
  asOfIngest?: number,
): Promise<MetricDimensions> {
  const args = { tenant, asOf: asOfIngest ?? null };
  const standing = `tenant_id = @tenant AND ${standingAt(asOfIngest)}`;
  const version =
    asOfIngest ??
    toNumberOrNull(
      (
        await queryRows<{ v: unknown }>(
          pool,
          'SELECT MAX(ingest_id) AS v FROM ingests WHERE tenant_id = @tenant',
          args,
        )
      )[0]?.v,
    ) ??
    0;
  // Every list ordered, so as of an ingest (a table scan) it reads as the current one does.
  const locations = (
    await queryRows<Record<string, unknown>>(
      pool,
      `SELECT ${Object.keys(locationsFile.columns).map(col).join(', ')} FROM locations WHERE ${standing} ORDER BY location_id`,
      args,
    )
  ).map((r) => withNumbers<LocationRow>(r, bigintColumnsOf(locationsFile as unknown as AnyFileSpec)));
  const providers = await queryRows<ProviderInfo>(
    pool,
    `SELECT provider_id, location_id, display_name, role FROM providers WHERE ${standing} ORDER BY provider_id, location_id`,
    args,
  );
  const patients = await queryRows<PatientInfo>(
    pool,
    `SELECT patient_id, person_key, home_location_id, referral_source, email_hash, phone_hash
     FROM patients WHERE ${standing} ORDER BY patient_id`,
    args,
  );
  const memberships = (
    await queryRows<Record<string, unknown>>(
      pool,
      `SELECT m.membership_id, m.patient_id, m.location_id, m.[plan], m.monthly_fee, m.started_on, m.cancelled_on,
              COALESCE(p.person_key, N'id:' + m.patient_id) AS person_key
       FROM memberships m LEFT JOIN patients p
         ON p.tenant_id = m.tenant_id AND p.patient_id = m.patient_id AND ${standingAt(asOfIngest, 'p')}
       WHERE m.tenant_id = @tenant AND ${standingAt(asOfIngest, 'm')} ORDER BY m.membership_id`,
      args,
    )
  ).map((r) => withNumbers<MembershipInfo>(r, bigintColumnsOf(membershipsFile as unknown as AnyFileSpec)));
  const leads = await queryRows<LeadInfo>(
    pool,
    `SELECT lead_id, location_id, channel, created_at, email_hash, phone_hash FROM leads WHERE ${standing} ORDER BY lead_id`,
    args,
  );
  const spend = (
    await queryRows<Record<string, unknown>>(
      pool,
      `SELECT ${Object.keys(marketingSpendFile.columns).map(col).join(', ')} FROM marketing_spend WHERE ${standing} ORDER BY location_id, channel, [date]`,
      args,
    )
  ).map((r) =>
    withNumbers<MarketingSpendRow>(r, bigintColumnsOf(marketingSpendFile as unknown as AnyFileSpec)),
  );
  const dataRange = new Map(
    (
      await queryRows<{ location_id: string; first: string; last: string }>(
        pool,
        `SELECT location_id, MIN(sold_on) AS first, MAX(sold_on) AS last FROM sales WHERE ${standing} GROUP BY location_id`,
        args,
      )
    ).map((r) => [r.location_id, { first: r.first, last: r.last }] as const),
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
