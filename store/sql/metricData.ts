import type { LocationPatientFacts } from '../../shared/engine/patientFactsCodec';
import { inPersonOrder } from '../../shared/engine/personOrder';
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
} from '../../shared/model/canonicalBundle';
import { storedColumnsOf } from '../../shared/store/storedColumns';
import type { MetricDimensions } from '../../shared/store/storeHistory';
import { storedPatientFacts } from './aggregates';
import { standingAt } from './history';
import type { SqlDriver } from './sqlDriver';
import { StringPool } from './stringPool';

/**
 * How a database reads the daily aggregate table into the metric data: the one part of the
 * metric load that stays per database, like the aggregate writer. It is the largest read of
 * rows (a row per location, provider, measure and day): SQLite packs each series into one text
 * in process (sqliteMetricReader.ts); Azure SQL reads plain rows (azureSqlMetricReader.ts).
 */
export interface MetricRowReader {
  /** The tenant's `agg_daily` rows, added to `daily` (not yet finalized). */
  readDaily(sql: SqlDriver, tenant: string, daily: DailySeries): Promise<void>;
}

/** Loads everything the metrics read for a tenant (after a refresh of its aggregates). */
export async function loadMetricData(
  sql: SqlDriver,
  reader: MetricRowReader,
  tenant: string,
): Promise<MetricData> {
  // First, as before the split: the version read is never newer than the aggregates read after it.
  const pool = new StringPool();
  const dimensions = await loadMetricDimensions(sql, tenant, undefined, pool);
  const range = await sql.get<{ first: string | null; last: string | null }>(
    'SELECT MIN(day) AS first, MAX(day) AS last FROM agg_daily WHERE tenant_id = @tenant',
    { tenant },
  );
  const daily = new DailySeries(range?.first ?? '2000-01-01', range?.last ?? '1999-12-31');
  await reader.readDaily(sql, tenant, daily);
  daily.finalize();
  return { ...dimensions, daily, ...(await loadPatientFacts(sql, tenant, pool)) };
}

/**
 * Every location's patient facts, one stored value at a time (never all of the tenant's values
 * at once), in the metric data's one order. Each distinct text is pooled once per location.
 */
async function loadPatientFacts(
  sql: SqlDriver,
  tenant: string,
  pool: StringPool,
): Promise<Pick<MetricData, 'events' | 'revenue'>> {
  const locations = await sql.all<{ location_id: string }>(
    'SELECT location_id FROM patient_facts WHERE tenant_id = @tenant ORDER BY location_id',
    { tenant },
  );
  const facts: LocationPatientFacts[] = [];
  for (const { location_id: locationId } of locations) {
    const pooled = (text: string) => pool.ofWhole(text);
    const stored = await storedPatientFacts(sql, tenant, pool.ofWhole(locationId), pooled);
    if (stored !== undefined) facts.push(stored);
  }
  return inPersonOrder(facts);
}

/** The INTEGER columns of a file's own columns (BIGINT on Azure SQL, read back as text there). */
function integerColumnsOf(spec: AnyFileSpec): string[] {
  return storedColumnsOf(spec)
    .filter((c) => c.type === 'INTEGER' && c.name in spec.columns)
    .map((c) => c.name);
}

/**
 * The metric data beside the aggregates — locations, providers, patients, memberships, leads,
 * spend, each location's sales range — as they are now, or as they stood after ingest
 * `asOfIngest` (then `version` is that ingest).
 */
export async function loadMetricDimensions(
  sql: SqlDriver,
  tenant: string,
  asOfIngest?: number,
  pool = new StringPool(),
): Promise<MetricDimensions> {
  const d = sql.dialect;
  const args = { tenant, asOf: asOfIngest ?? null };
  const standing = `tenant_id = @tenant AND ${standingAt(asOfIngest)}`;
  const version =
    asOfIngest ??
    d.toNumberOrNull(
      (
        await sql.get<{ v: unknown }>(
          'SELECT MAX(ingest_id) AS v FROM ingests WHERE tenant_id = @tenant',
          args,
        )
      )?.v,
    ) ??
    0;
  const locationsSpec = locationsFile as unknown as AnyFileSpec;
  const spendSpec = marketingSpendFile as unknown as AnyFileSpec;
  // Every list ordered, so as of an ingest (a table scan) it reads as the current one does.
  const locations = await sql.all<LocationRow>(
    `SELECT ${Object.keys(locationsSpec.columns).map(d.quote).join(', ')} FROM locations WHERE ${standing} ORDER BY location_id`,
    args,
  );
  d.numbersIn(locations, integerColumnsOf(locationsSpec) as (keyof LocationRow)[]);
  const providers = await sql.all<ProviderInfo>(
    `SELECT provider_id, location_id, display_name, role FROM providers WHERE ${standing} ORDER BY provider_id, location_id`,
    args,
  );
  // 240 k patients at 50 locations: their person keys and ids are the events' own (pooled, in place).
  const patients = await sql.all<PatientInfo>(
    `SELECT patient_id, person_key, home_location_id, referral_source, email_hash, phone_hash
     FROM patients WHERE ${standing} ORDER BY patient_id`,
    args,
  );
  pool.textsIn(patients, [
    'patient_id',
    'person_key',
    'home_location_id',
    'referral_source',
    'email_hash',
    'phone_hash',
  ]);
  const memberships = await sql.all<MembershipInfo>(
    `SELECT m.membership_id, m.patient_id, m.location_id, m.${d.quote('plan')}, m.monthly_fee, m.started_on, m.cancelled_on,
            COALESCE(p.person_key, ${d.concat("'id:'", 'm.patient_id')}) AS person_key
     FROM memberships m LEFT JOIN patients p
       ON p.tenant_id = m.tenant_id AND p.patient_id = m.patient_id AND ${standingAt(asOfIngest, 'p')}
     WHERE m.tenant_id = @tenant AND ${standingAt(asOfIngest, 'm')} ORDER BY m.membership_id`,
    args,
  );
  d.numbersIn(memberships, ['monthly_fee']);
  const leads = await sql.all<LeadInfo>(
    `SELECT lead_id, location_id, channel, created_at, email_hash, phone_hash FROM leads WHERE ${standing} ORDER BY lead_id`,
    args,
  );
  // 280 k leads at 50 locations; a lead that became a patient shares its hashes with the patient.
  pool.textsIn(leads, ['location_id', 'channel', 'email_hash', 'phone_hash']);
  const spend = await sql.all<MarketingSpendRow>(
    `SELECT ${Object.keys(spendSpec.columns).map(d.quote).join(', ')} FROM marketing_spend WHERE ${standing} ORDER BY location_id, channel, ${d.quote('date')}`,
    args,
  );
  d.numbersIn(spend, integerColumnsOf(spendSpec) as (keyof MarketingSpendRow)[]);
  const dataRange = new Map(
    (
      await sql.all<{ location_id: string; first: string; last: string }>(
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
