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
import { col, queryRows, toNumberOrNull, withNumbers } from './azureSqlQuery';
import { bigintColumnsOf } from './migrations';

const CURRENT = 'tenant_id = @tenant AND valid_to_ingest IS NULL';

/** Loads everything the metrics read for a tenant (after a refresh of its aggregates). */
export async function loadMetricData(pool: ConnectionPool, tenant: string): Promise<MetricData> {
  const args = { tenant };
  const [versionRow] = await queryRows<{ v: unknown }>(
    pool,
    'SELECT MAX(ingest_id) AS v FROM ingests WHERE tenant_id = @tenant',
    args,
  );
  const version = toNumberOrNull(versionRow?.v) ?? 0;
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
  const locations = (
    await queryRows<Record<string, unknown>>(
      pool,
      `SELECT ${Object.keys(locationsFile.columns).map(col).join(', ')} FROM locations WHERE ${CURRENT} ORDER BY location_id`,
      args,
    )
  ).map((r) => withNumbers<LocationRow>(r, bigintColumnsOf(locationsFile as unknown as AnyFileSpec)));
  const providers = await queryRows<ProviderInfo>(
    pool,
    `SELECT provider_id, location_id, display_name, role FROM providers WHERE ${CURRENT} ORDER BY provider_id, location_id`,
    args,
  );
  const patients = await queryRows<PatientInfo>(
    pool,
    `SELECT patient_id, person_key, home_location_id, referral_source, email_hash, phone_hash
     FROM patients WHERE ${CURRENT}`,
    args,
  );
  const memberships = (
    await queryRows<Record<string, unknown>>(
      pool,
      `SELECT m.membership_id, m.patient_id, m.location_id, m.[plan], m.monthly_fee, m.started_on, m.cancelled_on,
              COALESCE(p.person_key, N'id:' + m.patient_id) AS person_key
       FROM memberships m LEFT JOIN patients p
         ON p.tenant_id = m.tenant_id AND p.patient_id = m.patient_id AND p.valid_to_ingest IS NULL
       WHERE m.tenant_id = @tenant AND m.valid_to_ingest IS NULL ORDER BY m.membership_id`,
      args,
    )
  ).map((r) => withNumbers<MembershipInfo>(r, bigintColumnsOf(membershipsFile as unknown as AnyFileSpec)));
  const leads = await queryRows<LeadInfo>(
    pool,
    `SELECT lead_id, location_id, channel, created_at, email_hash, phone_hash FROM leads WHERE ${CURRENT} ORDER BY lead_id`,
    args,
  );
  const spend = (
    await queryRows<Record<string, unknown>>(
      pool,
      `SELECT ${Object.keys(marketingSpendFile.columns).map(col).join(', ')} FROM marketing_spend WHERE ${CURRENT}`,
      args,
    )
  ).map((r) =>
    withNumbers<MarketingSpendRow>(r, bigintColumnsOf(marketingSpendFile as unknown as AnyFileSpec)),
  );
  const dataRange = new Map(
    (
      await queryRows<{ location_id: string; first: string; last: string }>(
        pool,
        `SELECT location_id, MIN(sold_on) AS first, MAX(sold_on) AS last FROM sales WHERE ${CURRENT} GROUP BY location_id`,
        args,
      )
    ).map((r) => [r.location_id, { first: r.first, last: r.last }] as const),
  );
  return {
    tenant,
    version,
    locations,
    providers,
    daily,
    events,
    revenue,
    patients,
    memberships,
    leads,
    spend,
    dataRange,
  };
}
