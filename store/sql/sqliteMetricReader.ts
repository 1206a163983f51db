import type Database from 'better-sqlite3';

import type { DailySeries } from '../../shared/metrics/dailySeries';
import type { MetricRowReader } from './metricData';

/**
 * SQLite's read of the daily aggregates for the metrics: in process, so the cost is the JS
 * object per row the driver would build, and this read packs rows into text instead (below).
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
}
