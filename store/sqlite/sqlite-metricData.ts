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
import { standingAt } from '../sql/history';

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
  // One row per series with its days packed by SQLite (GROUP BY walks the primary key): 3.7×
  // faster than a JS object per day-row at 50 locations. Integer values print exactly, others
  // with 17 significant digits, which read back as the very same double.
  const series = db
    .prepare<typeof args, [string, string, string, string]>(
      `SELECT location_id, provider_id, measure,
              group_concat(day || ' ' || CASE WHEN value = CAST(value AS INTEGER) THEN CAST(value AS INTEGER)
                                              ELSE printf('%!.17g', value) END, ',')
       FROM agg_daily WHERE tenant_id = @tenant GROUP BY location_id, provider_id, measure`,
    )
    .raw()
    .iterate(args);
  for (const [locationId, providerId, measure, packed] of series) {
    for (const entry of packed.split(',')) {
      const space = entry.indexOf(' ');
      daily.add({
        locationId,
        providerId,
        measure,
        day: entry.slice(0, space),
        value: Number(entry.slice(space + 1)),
      });
    }
  }
  daily.finalize();

  // Each row as one text of unit-separated fields, split here: half the time of a JS object
  // built per row by the driver at 50 locations (1.3 M events). Stored ids hold no control
  // characters (the ingest refuses them), so the separators and the null mark are unambiguous.
  const events = packedRows(
    db,
    tenant,
    `FROM patient_events WHERE tenant_id = @tenant ORDER BY person_key, start_at, appointment_id`,
    [
      'location_id',
      'appointment_id',
      'person_key',
      'patient_id',
      'provider_id',
      'category',
      'status',
      'start_at',
      'booked_on',
      'duration_min',
    ],
    (f): PatientEvent => ({
      locationId: f[0]!,
      appointmentId: f[1]!,
      personKey: f[2]!,
      patientId: f[3]!,
      providerId: nullable(f[4]!),
      category: nullable(f[5]!) as PatientEvent['category'],
      status: f[6] as PatientEvent['status'],
      startAt: f[7]!,
      bookedOn: nullable(f[8]!),
      durationMin: Number(f[9]),
    }),
  );
  const revenue = packedRows(
    db,
    tenant,
    'FROM patient_revenue WHERE tenant_id = @tenant ORDER BY person_key, day',
    ['location_id', 'person_key', 'day', 'net_cents'],
    (f): PatientRevenue => ({ locationId: f[0]!, personKey: f[1]!, day: f[2]!, netCents: Number(f[3]) }),
  );
  return { ...dimensions, daily, events, revenue };
}

const FIELD = '\u001f';
const NULL_MARK = '\u0015';

function nullable(field: string): string | null {
  return field === NULL_MARK ? null : field;
}

/** Rows of `from` (a FROM … clause) read as one text each and rebuilt by `make`. */
function packedRows<T>(
  db: Database.Database,
  tenant: string,
  from: string,
  columns: readonly string[],
  make: (fields: string[]) => T,
): T[] {
  const text = columns.map((c) => `ifnull(${c}, char(21))`).join(' || char(31) || ');
  const rows: T[] = [];
  for (const [packed] of db
    .prepare<{ tenant: string }, [string]>(`SELECT ${text} ${from}`)
    .raw()
    .iterate({ tenant })) {
    rows.push(make(packed.split(FIELD)));
  }
  return rows;
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
