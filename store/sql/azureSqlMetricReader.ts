import type { PatientEvent, PatientRevenue } from '../../shared/engine/patientEvents';
import type { MetricRowReader } from './metricData';

/**
 * Azure SQL's read of the aggregate tables for the metrics: plain rows, a statement each (the
 * time goes to the network, not to building rows), their repeated texts pooled. BIGINT columns
 * come back as numbers in place.
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

  async readEvents(sql, tenant, pool) {
    const events = await sql.all<PatientEvent>(
      `SELECT location_id AS locationId, appointment_id AS appointmentId, person_key AS personKey,
              patient_id AS patientId, provider_id AS providerId, category, status, start_at AS startAt,
              booked_on AS bookedOn, duration_min AS durationMin
       FROM patient_events WHERE tenant_id = @tenant ORDER BY person_key, start_at, appointment_id`,
      { tenant },
    );
    sql.dialect.numbersIn(events, ['durationMin']);
    // One instance of each repeated text, as the SQLite reader keeps them: a string per field
    // per row was most of a query process's memory.
    pool.textsIn(events, [
      'locationId',
      'personKey',
      'patientId',
      'providerId',
      'category',
      'status',
      'startAt',
      'bookedOn',
    ]);
    return events;
  },

  async readRevenue(sql, tenant, pool) {
    const revenue = await sql.all<PatientRevenue>(
      `SELECT location_id AS locationId, person_key AS personKey, day, net_cents AS netCents
       FROM patient_revenue WHERE tenant_id = @tenant ORDER BY person_key, day`,
      { tenant },
    );
    sql.dialect.numbersIn(revenue, ['netCents']);
    pool.textsIn(revenue, ['locationId', 'personKey', 'day']);
    return revenue;
  },
};
