/**
 * The DuckDB baseline of `npm run bench`: the canonical CSV bundles read with read_csv, and
 * the core KPIs computed in SQL written from the metric contract (shared/docs/metrics.md and
 * docs/metrics.md), not from Caliper's engine, so that agreement means something.
 */
import fs from 'node:fs';
import path from 'node:path';

import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

import { type DateRange, periodRange, trailingYear } from './duckdbPeriod';

/** The KPIs the baseline computes, all at location and portfolio scope. */
export const CORE_METRICS = [
  'net_revenue',
  'service_revenue',
  'retail_revenue',
  'visits',
  'avg_ticket',
  'new_patients',
  'active_patients',
  'no_show_rate',
  'rebooking_rate',
] as const;
export type CoreMetric = (typeof CORE_METRICS)[number];

/** One value: location_id null is the portfolio; value null is "not available". */
export interface KpiValue {
  metric: CoreMetric;
  location_id: string | null;
  value: number | null;
}

/** The canonical files of a bundle; each one present in any bundle becomes a table. */
const CANONICAL_TABLES = [
  'locations',
  'providers',
  'services',
  'patients',
  'appointments',
  'sales',
  'payroll',
  'shifts',
  'memberships',
  'marketing_spend',
  'leads',
] as const;

const sqlText = (text: string) => `'${text.replace(/'/g, "''")}'`;

export class DuckDbBaseline {
  private constructor(
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
  ) {}

  static async open(): Promise<DuckDbBaseline> {
    const instance = await DuckDBInstance.create(':memory:');
    return new DuckDbBaseline(instance, await instance.connect());
  }

  async rows(sql: string): Promise<Record<string, unknown>[]> {
    return (await this.connection.runAndReadAll(sql)).getRowObjectsJS();
  }

  async run(sql: string): Promise<void> {
    await this.connection.run(sql);
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }

  /**
   * Every canonical CSV of the bundles into a table of text columns (cast where used, so a
   * sniffed type can never round money), the files of a kind read together. Returns the rows
   * read per table.
   */
  async readBundles(bundleDirs: readonly string[]): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const table of CANONICAL_TABLES) {
      const files = bundleDirs.map((d) => path.join(d, `${table}.csv`)).filter((f) => fs.existsSync(f));
      if (files.length === 0) continue;
      await this.run(
        `CREATE OR REPLACE TABLE ${table} AS SELECT * FROM read_csv([${files.map(sqlText).join(', ')}], ` +
          `header = true, all_varchar = true, union_by_name = true)`,
      );
      const [row] = await this.rows(`SELECT count(*)::INTEGER AS n FROM ${table}`);
      counts[table] = Number(row?.n ?? 0);
    }
    return counts;
  }

  /**
   * The contract's as-of month: the latest month every open location has complete data for.
   * A location's data is complete through the month of its last sale line or appointment when
   * that day is the month's last, else through the month before.
   */
  async asOfMonth(): Promise<string> {
    const [row] = await this.rows(`
      WITH last_day AS (
        SELECT l.location_id, greatest(
          (SELECT max(CAST(left(s.sold_on, 10) AS DATE)) FROM sales s WHERE s.location_id = l.location_id),
          (SELECT max(CAST(left(a.start_at, 10) AS DATE)) FROM appointments a
            WHERE a.location_id = l.location_id AND a.status <> 'scheduled')) AS day
        FROM locations l WHERE l.closed_on IS NULL)
      SELECT strftime(min(CASE WHEN day = last_day(day) THEN day ELSE day - INTERVAL 1 MONTH END), '%Y-%m') AS month
      FROM last_day WHERE day IS NOT NULL`);
    const month = row?.month;
    if (typeof month !== 'string') throw new Error('No open location has data: no as-of month');
    return month;
  }

  /** The core KPIs for the period at every location and the portfolio. */
  async coreKpis(periodText: string): Promise<{ range: DateRange; values: KpiValue[] }> {
    const range = periodRange(periodText, await this.asOfMonth());
    await this.preparePersons();
    await this.prepareFacts();
    const values: KpiValue[] = [];
    const add = (rows: Record<string, unknown>[], metrics: readonly CoreMetric[]) => {
      for (const row of rows) {
        for (const metric of metrics) {
          const value = row[metric];
          values.push({
            metric,
            location_id: typeof row.location_id === 'string' ? row.location_id : null,
            value: value === null || value === undefined ? null : Number(value),
          });
        }
      }
    };
    add(await this.rows(revenueAndVisitsSql(range)), [
      'net_revenue',
      'service_revenue',
      'retail_revenue',
      'visits',
      'avg_ticket',
      'no_show_rate',
    ]);
    add(await this.rows(patientCountsSql(range)), ['new_patients', 'active_patients']);
    add(await this.rows(rebookingSql(range)), ['rebooking_rate']);
    return { range, values };
  }

  /**
   * One person across locations and systems: patient records are linked by their normalized
   * email and by their normalized phone (the contract's matching), and every connected group
   * takes its smallest key — label propagation until nothing changes.
   */
  private async preparePersons(): Promise<void> {
    await this.run(`
      CREATE OR REPLACE TABLE person AS
      WITH normalized AS (
        SELECT patient_id,
          CASE WHEN regexp_full_match(lower(trim(email)), '[^\\s@]+@[^\\s@]+\\.[^\\s@]+')
            THEN lower(trim(email)) END AS email_n,
          trim(phone) AS phone_t,
          regexp_replace(regexp_replace(trim(phone), '[\\s().\\-/]', '', 'g'), '^\\+', '') AS digits
        FROM (SELECT DISTINCT ON (patient_id) * FROM patients)),
      phones AS (
        SELECT *, CASE
          WHEN NOT regexp_full_match(digits, '\\d+') THEN NULL
          WHEN NOT starts_with(phone_t, '+') AND length(digits) = 10 THEN '+1' || digits
          WHEN NOT starts_with(phone_t, '+') AND length(digits) = 11 AND starts_with(digits, '1') THEN '+' || digits
          WHEN NOT starts_with(phone_t, '+') THEN NULL
          WHEN length(digits) BETWEEN 8 AND 15 THEN '+' || digits END AS phone_n
        FROM normalized)
      SELECT patient_id, email_n, phone_n,
        coalesce('e:' || email_n, 'p:' || phone_n, 'id:' || patient_id) AS person
      FROM phones`);
    for (;;) {
      await this.run(`
        CREATE OR REPLACE TABLE person_next AS
        WITH by_email AS (SELECT email_n, min(person) AS p FROM person WHERE email_n IS NOT NULL GROUP BY email_n),
             by_phone AS (SELECT phone_n, min(person) AS p FROM person WHERE phone_n IS NOT NULL GROUP BY phone_n)
        SELECT x.patient_id, x.email_n, x.phone_n,
          least(x.person, coalesce(e.p, x.person), coalesce(f.p, x.person)) AS person
        FROM person x LEFT JOIN by_email e USING (email_n) LEFT JOIN by_phone f USING (phone_n)`);
      const [row] = await this.rows(`
        SELECT count(*)::INTEGER AS changed FROM person_next n JOIN person o USING (patient_id)
        WHERE n.person <> o.person`);
      await this.run('CREATE OR REPLACE TABLE person AS SELECT * FROM person_next');
      if (Number(row?.changed ?? 0) === 0) break;
    }
  }

  /**
   * Typed facts: sale lines with their net (exact decimals), appointments with their day and
   * person. Times are the location's local time in canonical files; the baseline drops a UTC
   * offset instead of converting it (the demo writes none), a simplification Caliper does not make.
   */
  private async prepareFacts(): Promise<void> {
    await this.run(`
      CREATE OR REPLACE TABLE sale AS
      SELECT location_id, kind, CAST(left(sold_on, 10) AS DATE) AS day,
        CAST(gross AS DECIMAL(18, 2)) - coalesce(CAST(discount AS DECIMAL(18, 2)), 0) AS net
      FROM sales`);
    await this.run(`
      CREATE OR REPLACE TABLE appt AS
      SELECT a.appointment_id, a.location_id, a.status, s.category,
        CAST(left(a.start_at, 10) AS DATE) AS day,
        CAST(replace(left(a.start_at, 19), 'T', ' ') AS TIMESTAMP) AS start_ts,
        CAST(left(a.booked_at, 10) AS DATE) AS booked_day,
        CASE WHEN a.patient_id IS NOT NULL THEN coalesce(p.person, 'id:' || a.patient_id) END AS person
      FROM appointments a
      LEFT JOIN person p USING (patient_id)
      LEFT JOIN (SELECT service_code, any_value(category) AS category FROM services GROUP BY service_code) s
        USING (service_code)`);
  }
}

/**
 * Whether a location counts for a period: it operated then, and its facts (from its first to
 * its last) reach into the period — the contract's "null when none of the scope's locations
 * operated in P, or their facts cover none of P".
 */
function coveredSql(range: DateRange, facts: string): string {
  return `
    SELECT l.location_id FROM locations l JOIN (${facts}) f USING (location_id)
    WHERE (l.opened_on IS NULL OR CAST(l.opened_on AS DATE) <= DATE '${range.end}')
      AND (l.closed_on IS NULL OR CAST(l.closed_on AS DATE) >= DATE '${range.start}')
      AND f.first_day <= DATE '${range.end}' AND f.last_day >= DATE '${range.start}'`;
}

const SALES_SPAN = 'SELECT location_id, min(day) AS first_day, max(day) AS last_day FROM sale GROUP BY 1';
const VISITS_SPAN = `SELECT location_id, min(day) AS first_day, max(day) AS last_day FROM appt
  WHERE status IN ('completed', 'no_show', 'late_cancelled') GROUP BY 1`;

/** Revenue (Σ net by kind), visits, average ticket and no-show rate, per location and in all. */
function revenueAndVisitsSql(range: DateRange): string {
  const inPeriod = `day BETWEEN DATE '${range.start}' AND DATE '${range.end}'`;
  return `
    WITH money AS (
      SELECT location_id,
        sum(net) FILTER (WHERE kind IN ('service', 'package', 'retail', 'membership_fee', 'other')) AS net_revenue,
        sum(net) FILTER (WHERE kind IN ('service', 'package')) AS service_revenue,
        sum(net) FILTER (WHERE kind = 'retail') AS retail_revenue
      FROM sale WHERE ${inPeriod} GROUP BY 1),
    trips AS (
      SELECT location_id,
        count(*) FILTER (WHERE status = 'completed') AS visits,
        count(*) FILTER (WHERE status = 'no_show') AS no_shows,
        count(*) FILTER (WHERE status IN ('completed', 'no_show', 'late_cancelled')) AS kept_or_missed
      FROM appt WHERE ${inPeriod} GROUP BY 1),
    sold AS (${coveredSql(range, SALES_SPAN)}),
    seen AS (${coveredSql(range, VISITS_SPAN)}),
    per_scope AS (
      SELECT l.location_id,
        CASE WHEN l.location_id IN (SELECT location_id FROM sold) THEN coalesce(m.net_revenue, 0) END AS net_revenue,
        CASE WHEN l.location_id IN (SELECT location_id FROM sold) THEN coalesce(m.service_revenue, 0) END AS service_revenue,
        CASE WHEN l.location_id IN (SELECT location_id FROM sold) THEN coalesce(m.retail_revenue, 0) END AS retail_revenue,
        CASE WHEN l.location_id IN (SELECT location_id FROM seen) THEN coalesce(t.visits, 0) END AS visits,
        coalesce(t.no_shows, 0) AS no_shows, coalesce(t.kept_or_missed, 0) AS kept_or_missed
      FROM locations l LEFT JOIN money m USING (location_id) LEFT JOIN trips t USING (location_id)),
    scopes AS (
      SELECT location_id, net_revenue, service_revenue, retail_revenue, visits, no_shows, kept_or_missed
      FROM per_scope
      UNION ALL
      SELECT NULL, sum(net_revenue), sum(service_revenue), sum(retail_revenue), sum(visits),
        sum(no_shows), sum(kept_or_missed)
      FROM per_scope)
    SELECT location_id,
      CAST(net_revenue AS DOUBLE) AS net_revenue,
      CAST(service_revenue AS DOUBLE) AS service_revenue,
      CAST(retail_revenue AS DOUBLE) AS retail_revenue,
      CAST(visits AS DOUBLE) AS visits,
      CASE WHEN visits > 0 THEN CAST(net_revenue AS DOUBLE) / visits END AS avg_ticket,
      CASE WHEN kept_or_missed > 0 THEN no_shows / kept_or_missed END AS no_show_rate
    FROM scopes`;
}

/**
 * New patients (first visit anywhere in the portfolio falls in P, credited to the location of
 * that first visit; two first visits at the same minute at two locations go to the smaller
 * appointment id, as Caliper orders a person's appointments — `arg_min` on the time alone picked
 * either, run to run: at 200 locations one person's two first visits at L101 and L102) and active patients (distinct persons with a visit in the 12 months ending
 * at P's last day; once each for the portfolio).
 */
function patientCountsSql(range: DateRange): string {
  const year = trailingYear(range);
  return `
    WITH visit AS (SELECT * FROM appt WHERE status = 'completed' AND person IS NOT NULL),
    first_visit AS (SELECT person,
        arg_min(location_id, strftime(start_ts, '%Y-%m-%d %H:%M:%S') || appointment_id) AS location_id,
        min(day) AS day
      FROM visit GROUP BY person),
    new_here AS (SELECT location_id, count(*) AS n FROM first_visit
      WHERE day BETWEEN DATE '${range.start}' AND DATE '${range.end}' GROUP BY 1),
    active_here AS (SELECT location_id, count(DISTINCT person) AS n FROM visit
      WHERE day BETWEEN DATE '${year.start}' AND DATE '${year.end}' GROUP BY 1),
    covered_p AS (${coveredSql(range, VISITS_SPAN)}),
    covered_y AS (${coveredSql(year, VISITS_SPAN)}),
    per_location AS (
      SELECT l.location_id,
        CASE WHEN l.location_id IN (SELECT location_id FROM covered_p) THEN coalesce(nh.n, 0) END AS new_patients,
        CASE WHEN l.location_id IN (SELECT location_id FROM covered_y) THEN coalesce(ah.n, 0) END AS active_patients
      FROM locations l LEFT JOIN new_here nh USING (location_id) LEFT JOIN active_here ah USING (location_id))
    SELECT location_id, new_patients, active_patients FROM per_location
    UNION ALL
    SELECT NULL,
      CASE WHEN EXISTS (SELECT 1 FROM covered_p) THEN
        (SELECT count(*) FROM first_visit
          WHERE day BETWEEN DATE '${range.start}' AND DATE '${range.end}') END,
      CASE WHEN EXISTS (SELECT 1 FROM covered_y) THEN
        (SELECT count(DISTINCT person) FROM visit
          WHERE day BETWEEN DATE '${year.start}' AND DATE '${year.end}') END`;
}

/**
 * Rebooking: among completed visits in P of a rebookable category (not consultation, not
 * uncategorized), the share whose person has another appointment (any status, any location)
 * booked from the visit's day to 7 days after it, starting after the visit's start. Null when
 * none of the scope's appointments starting in P carries booked_at.
 */
function rebookingSql(range: DateRange): string {
  const inPeriod = `day BETWEEN DATE '${range.start}' AND DATE '${range.end}'`;
  return `
    WITH eligible AS (
      SELECT v.location_id, EXISTS (
        SELECT 1 FROM appt n WHERE n.person = v.person AND n.booked_day IS NOT NULL
          AND n.booked_day BETWEEN v.day AND v.day + 7 AND n.start_ts > v.start_ts) AS rebooked
      FROM appt v
      WHERE v.status = 'completed' AND v.${inPeriod}
        AND v.category IS NOT NULL AND v.category <> 'consultation'),
    booked_at_known AS (SELECT location_id, count(booked_day) AS n FROM appt WHERE ${inPeriod} GROUP BY 1),
    per_location AS (
      SELECT l.location_id, coalesce(k.n, 0) AS with_booked_at,
        (SELECT count(*) FROM eligible e WHERE e.location_id = l.location_id) AS visits,
        (SELECT count(*) FROM eligible e WHERE e.location_id = l.location_id AND e.rebooked) AS rebooked
      FROM locations l LEFT JOIN booked_at_known k USING (location_id)),
    scopes AS (
      SELECT location_id, with_booked_at, visits, rebooked FROM per_location
      UNION ALL
      SELECT NULL, sum(with_booked_at), sum(visits), sum(rebooked) FROM per_location)
    SELECT location_id,
      CASE WHEN with_booked_at > 0 AND visits > 0 THEN rebooked / visits END AS rebooking_rate
    FROM scopes`;
}
