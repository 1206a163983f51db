import { numberIn } from '../../shared/engine/columns';
import { eventPartIn } from '../../shared/engine/eventRows';
import { inPersonOrder, type LocationPatientFacts } from '../../shared/engine/personOrder';
import { Slab } from '../../shared/engine/slab';
import { DailySeries } from '../../shared/metrics/dailySeries';
import { LeadRows } from '../../shared/metrics/leadRows';
import {
  hashIds,
  lastTouchRanks,
  type MembershipInfo,
  type MetricData,
  type PatientInfo,
  type ProviderInfo,
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
import { storedLocationFacts } from './aggregates';
import { standingAt } from './history';
import type { SqlDriver } from './sqlDriver';
import { StringPool } from './stringPool';

/**
 * Loads everything the metrics read for a tenant (after a refresh of its aggregates): each
 * location's stored aggregates, one value at a time (never the whole tenant's values at once),
 * the daily measures added to one DailySeries and the patient facts put in their one order, then
 * the dimensions. Each distinct text of the aggregates is pooled once per load.
 */
export async function loadMetricData(sql: SqlDriver, tenant: string): Promise<MetricData> {
  // First, as before the split: the version read is never newer than the aggregates read after it.
  const version = await latestIngest(sql, tenant);
  const pool = new StringPool();
  const locations = await sql.all<{ location_id: string; first_day: string | null; last_day: string | null }>(
    'SELECT location_id, first_day, last_day FROM location_aggregates WHERE tenant_id = @tenant ORDER BY location_id',
    { tenant },
  );
  let first: string | null = null;
  let last: string | null = null;
  for (const l of locations) {
    if (l.first_day !== null && (first === null || l.first_day < first)) first = l.first_day;
    if (l.last_day !== null && (last === null || l.last_day > last)) last = l.last_day;
  }
  const daily = new DailySeries(first ?? '2000-01-01', last ?? '1999-12-31');
  const facts: LocationPatientFacts[] = [];
  // The locations' patient facts live until they are merged, then all go at once: kept in slabs
  // of their own, each given back right after its merge (0.28 GB at 200 locations that otherwise
  // stayed until a full collection, minutes into answering, and left the C heap that much larger).
  const parts = { events: new Slab(), revenue: new Slab() };
  const pooled = (text: string) => pool.of(text);
  for (const { location_id } of locations) {
    const locationId = pool.of(location_id);
    const stored = await storedLocationFacts(sql, tenant, locationId, pooled);
    if (stored === undefined) continue;
    daily.addColumns(locationId, stored.daily);
    // The location's series complete: its dense days become running totals before the next's.
    daily.settle();
    facts.push({
      events: eventPartIn(stored.events, parts.events),
      revenue: stored.revenue.copiedInto(parts.revenue),
    });
  }
  daily.finalize();
  // Every text is read: the pool's map (≈ 2 M entries at 200 locations) goes before the merge,
  // and the pages read stay in no cache (SQLite's: 0.1 GB of the C heap at 200 locations).
  pool.clear();
  await sql.releaseMemory();
  const { events, revenue } = inPersonOrder(facts, parts);
  // The dimensions after the merge, not before: their 0.19 GB at 200 locations (and the
  // transient maps of their load) are then never held beside the locations' parts and the
  // merged columns at once, the load's high-water mark. A patient's or membership's person
  // key is the merged facts' own text.
  const dimensions = await loadMetricDimensions(
    sql,
    tenant,
    undefined,
    new StringPool(),
    sortedTextOf(events.personKeys),
  );
  await sql.releaseMemory();
  return { ...dimensions, version, daily, events, revenue };
}

/** The instance of a text in a table sorted by code units (the text itself when the table lacks it). */
function sortedTextOf(sorted: readonly string[]): (text: string) => string {
  return (text) => {
    const at = numberIn(sorted, text);
    return at < 0 ? text : sorted[at]!;
  };
}

/** The tenant's latest committed ingest (0 before the first). */
async function latestIngest(sql: SqlDriver, tenant: string): Promise<number> {
  const latest = 'SELECT MAX(ingest_id) AS v FROM ingests WHERE tenant_id = @tenant';
  const row = await sql.get<{ v: unknown }>(latest, { tenant });
  return sql.dialect.toNumberOrNull(row?.v) ?? 0;
}

/** A patient or lead row as stored: its hashes as texts. */
type StoredHashes<T> = Omit<T, 'email_id' | 'phone_id'> & {
  email_hash: string | null;
  phone_hash: string | null;
};

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
  personKeyOf: (key: string) => string = (key) => pool.of(key),
): Promise<MetricDimensions> {
  const d = sql.dialect;
  const args = { tenant, asOf: asOfIngest ?? null };
  const standing = `tenant_id = @tenant AND ${standingAt(asOfIngest)}`;
  const version = asOfIngest ?? (await latestIngest(sql, tenant));
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
  // 240 k patients at 50 locations: their person keys the events' own (`personKeyOf`), their ids
  // their own (one each: a pool's entry per id would only cost), their hashes numbers shared with
  // the leads' (a lead that became a patient shares its hashes).
  // Patients' hashes are numbered; leads' only looked up among them.
  const hashes = hashIds();
  // Each row becomes the metric data's own as it is read: a list of the driver's rows first was
  // a second copy of 900 k patients (and 1 M leads) held long enough to reach the old generation.
  const patients: PatientInfo[] = [];
  await sql.each<StoredHashes<PatientInfo>>(
    `SELECT patient_id, person_key, referral_source, email_hash, phone_hash
     FROM patients WHERE ${standing} ORDER BY patient_id`,
    args,
    (p) => {
      patients.push({
        patient_id: p.patient_id,
        person_key: personKeyOf(p.person_key),
        referral_source: pool.of(p.referral_source),
        email_id: hashes.number(p.email_hash),
        phone_id: hashes.number(p.phone_hash),
      });
    },
  );
  const memberships = await sql.all<MembershipInfo>(
    `SELECT m.membership_id, m.patient_id, m.location_id, m.${d.quote('plan')}, m.monthly_fee, m.started_on, m.cancelled_on,
            COALESCE(p.person_key, ${d.concat("'id:'", 'm.patient_id')}) AS person_key
     FROM memberships m LEFT JOIN patients p
       ON p.tenant_id = m.tenant_id AND p.patient_id = m.patient_id AND ${standingAt(asOfIngest, 'p')}
     WHERE m.tenant_id = @tenant AND ${standingAt(asOfIngest, 'm')} ORDER BY m.membership_id`,
    args,
  );
  d.numbersIn(memberships, ['monthly_fee']);
  // Their texts as the pool's (a patient id and person key are the patients' own): 42 → 26 MB at
  // 200 locations, where each of 123 k memberships held its own copy of every text.
  for (const m of memberships) {
    m.patient_id = pool.of(m.patient_id);
    m.location_id = pool.of(m.location_id);
    m.plan = pool.of(m.plan);
    m.started_on = pool.of(m.started_on);
    m.cancelled_on = pool.of(m.cancelled_on);
    m.person_key = personKeyOf(m.person_key);
  }
  // 280 k leads at 50 locations, as columns (`LeadRows`): each creation time and lead id read only
  // for the last-touch ranks.
  const leads = LeadRows.builder();
  const createdAt: string[] = [];
  const leadIds: string[] = [];
  await sql.each<{
    lead_id: string;
    location_id: string;
    channel: string;
    created_at: string;
    email_hash: string | null;
    phone_hash: string | null;
  }>(
    `SELECT lead_id, location_id, channel, created_at, email_hash, phone_hash FROM leads WHERE ${standing} ORDER BY lead_id`,
    args,
    (l) => {
      leads.add(
        l.location_id,
        l.channel,
        l.created_at.slice(0, 10),
        hashes.known(l.email_hash),
        hashes.known(l.phone_hash),
      );
      createdAt.push(l.created_at);
      leadIds.push(l.lead_id);
    },
  );
  const touches = lastTouchRanks(createdAt, leadIds);
  const spend = await sql.all<MarketingSpendRow>(
    `SELECT ${Object.keys(spendSpec.columns).map(d.quote).join(', ')} FROM marketing_spend WHERE ${standing} ORDER BY location_id, channel, ${d.quote('date')}`,
    args,
  );
  d.numbersIn(spend, integerColumnsOf(spendSpec) as (keyof MarketingSpendRow)[]);
  for (const row of spend) {
    row.location_id = pool.of(row.location_id);
    row.channel = pool.of(row.channel);
    row.date = pool.of(row.date);
  }
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
    leads: leads.build(touches),
    spend,
    dataRange,
  };
}
