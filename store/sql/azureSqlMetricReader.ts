import type { MetricRowReader } from './metricData';

/**
 * Azure SQL's read of the daily aggregates for the metrics: plain rows in one statement (the
 * time goes to the network, not to building rows).
 */
export const AZURE_SQL_METRIC_READER: MetricRowReader = {
  async readDaily(sql, tenant, daily) {
    const rows = await sql.all<{
      location_id: string;
      provider_id: string;
      measure: string;
      day: string;
      value: number;
    }>(
      `SELECT location_id, provider_id, measure, day, ${sql.dialect.quote('value')} FROM agg_daily WHERE tenant_id = @tenant`,
      { tenant },
    );
    for (const r of rows) {
      daily.add({
        locationId: r.location_id,
        providerId: r.provider_id,
        measure: r.measure,
        day: r.day,
        value: r.value,
      });
    }
  },
};
