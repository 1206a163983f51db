import type Database from 'better-sqlite3';

import type { PatientEvent, PatientRevenue } from '../../shared/engine/patientEvents';
import type { DailySeries } from '../../shared/metrics/dailySeries';
import type { MetricRowReader } from './metricData';
import type { StringPool } from './stringPool';

const FIELD = '\u001f';
const NULL_MARK = '\u0015';

/**
 * SQLite's read of the aggregate tables for the metrics: in process, so the cost is the JS
 * object per row the driver would build, and these reads pack rows into text instead (below).
 * Synchronous underneath, like every better-sqlite3 call.
 */
export class SqliteMetricReader implements MetricRowReader {
  constructor(private readonly db: Database.Database) {}

  readDaily(_sql: unknown, tenant: string, daily: DailySeries): Promise<void> {
    // One row per series with its days packed by SQLite (GROUP BY walks the primary key): 3.7×
    // faster than a JS object per day-row at 50 locations. Integer values print exactly, others
    // with 17 significant digits, which read back as the very same double.
    const series = this.db
      .prepare<{ tenant: string }, [string, string, string, string]>(
        `SELECT location_id, provider_id, measure,
                group_concat(day || ' ' || CASE WHEN value = CAST(value AS INTEGER) THEN CAST(value AS INTEGER)
                                                ELSE printf('%!.17g', value) END, ',')
         FROM agg_daily WHERE tenant_id = @tenant GROUP BY location_id, provider_id, measure`,
      )
      .raw()
      .iterate({ tenant });
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
    return Promise.resolve();
  }

  // The fields that repeat (location, person, provider, category, status, day) come as one text
  // of unit-separated fields per row, split here and pooled: half the time of a JS object per row
  // built by the driver, and a fifth of the memory. The appointment id, unique to a row, comes as
  // a column of its own, and so does the start, pooled too (40 k distinct starts among 1.3 M
  // appointments at 50 locations: 51 MB less). Stored ids hold no control characters (the ingest
  // refuses them), so the separators and the null mark are unambiguous.
  readEvents(_sql: unknown, tenant: string, pool: StringPool): Promise<PatientEvent[]> {
    return Promise.resolve(
      this.packedRows(
        tenant,
        'FROM patient_events WHERE tenant_id = @tenant ORDER BY person_key, start_at, appointment_id',
        ['appointment_id', 'start_at'],
        [
          'location_id',
          'person_key',
          'patient_id',
          'provider_id',
          'category',
          'status',
          'booked_on',
          'duration_min',
        ],
        ([appointmentId, startAt], f): PatientEvent => ({
          locationId: pool.of(f[0]!),
          appointmentId: appointmentId!,
          personKey: pool.of(f[1]!),
          patientId: pool.of(f[2]!),
          providerId: pooledOrNull(pool, f[3]!),
          category: pooledOrNull(pool, f[4]!) as PatientEvent['category'],
          status: pool.of(f[5]!) as PatientEvent['status'],
          startAt: pool.ofWhole(startAt!),
          bookedOn: pooledOrNull(pool, f[6]!),
          durationMin: Number(f[7]),
        }),
      ),
    );
  }

  readRevenue(_sql: unknown, tenant: string, pool: StringPool): Promise<PatientRevenue[]> {
    return Promise.resolve(
      this.packedRows(
        tenant,
        'FROM patient_revenue WHERE tenant_id = @tenant ORDER BY person_key, day',
        [],
        ['location_id', 'person_key', 'day', 'net_cents'],
        (_, f): PatientRevenue => ({
          locationId: pool.of(f[0]!),
          personKey: pool.of(f[1]!),
          day: pool.of(f[2]!),
          netCents: Number(f[3]),
        }),
      ),
    );
  }

  /**
   * Rows of `from` (a FROM … clause): the `own` columns as they are, the `packed` ones read as
   * one text and split, both handed to `make`.
   */
  private packedRows<T>(
    tenant: string,
    from: string,
    own: readonly string[],
    packed: readonly string[],
    make: (own: string[], packed: string[]) => T,
  ): T[] {
    const text = packed.map((c) => `ifnull(${c}, char(21))`).join(' || char(31) || ');
    const rows: T[] = [];
    for (const row of this.db
      .prepare<{ tenant: string }, string[]>(`SELECT ${[...own, text].join(', ')} ${from}`)
      .raw()
      .iterate({ tenant })) {
      rows.push(make(row, row[own.length]!.split(FIELD)));
    }
    return rows;
  }
}

function pooledOrNull(pool: StringPool, field: string): string | null {
  return field === NULL_MARK ? null : pool.of(field);
}
