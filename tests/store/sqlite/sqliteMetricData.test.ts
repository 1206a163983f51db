import { AZURE_SQL_METRIC_READER } from '../../../store/sql/azureSqlMetricReader';
import { SqliteDriver } from '../../../store/sql/sqliteDriver';
import { StringPool } from '../../../store/sql/stringPool';
import { openTestStore, type TestStore } from '../../support/testStore';

let t: TestStore;
beforeEach(() => {
  t = openTestStore();
});
afterEach(async () => {
  await t.close();
});

/** Writes aggregate rows as the refresh would (its replace keeps the same columns). */
function writeAggregates(): void {
  const db = t.store.db;
  const daily = db.prepare(
    "INSERT INTO agg_daily (tenant_id, location_id, provider_id, measure, day, value) VALUES ('t1', ?, ?, ?, ?, ?)",
  );
  // Values that no short text keeps: a third, 0.1, the largest exact integer, a negative refund,
  // the smallest double; one per series, so the prefix sums add nothing to them.
  daily.run('L1', '', 'net.service', '2024-01-01', 1 / 3);
  daily.run('L1', '', 'net.other', '2024-01-02', 0.1);
  daily.run('L1', '', 'net.retail', '2024-01-01', 2 ** 53 - 1);
  daily.run('L1', 'PR1', 'net.service', '2024-01-02', -12345);
  daily.run('L2', '', 'net.service', '2024-01-03', 5e-324);
  db.prepare(
    `INSERT INTO patient_events (tenant_id, location_id, appointment_id, person_key, patient_id, provider_id,
       category, status, start_at, booked_on, duration_min)
     VALUES ('t1', 'L1', 'A, "1"', 'p:1', 'PT 1', NULL, NULL, 'no_show', '2024-01-02T09:00:00', NULL, 30),
            ('t1', 'L1', 'A2', 'p:1', 'PT 1', 'PR1', 'filler', 'completed', '2024-01-01T09:00:00', '2023-12-20', 45)`,
  ).run();
  db.prepare(
    "INSERT INTO patient_revenue (tenant_id, location_id, person_key, day, net_cents) VALUES ('t1', 'L1', 'p:1', '2024-01-02', -500)",
  ).run();
}

describe('loading the metric data from SQLite', () => {
  it('reads every daily value back as the very double that was stored', async () => {
    writeAggregates();

    const { daily } = await t.store.loadMetricData('t1');

    expect(daily.sum('net.service', ['L1'], '2024-01-01', '2024-01-01')).toBe(1 / 3);
    expect(daily.sum('net.other', ['L1'], '2024-01-01', '2024-01-03')).toBe(0.1);
    expect(daily.sum('net.retail', ['L1'], '2024-01-01', '2024-01-03')).toBe(2 ** 53 - 1);
    expect(daily.sum('net.service', ['L1'], '2024-01-01', '2024-01-03', 'PR1')).toBe(-12345);
    expect(daily.sum('net.service', ['L2'], '2024-01-01', '2024-01-03')).toBe(5e-324);
  });

  it('reads events and revenue with their nulls, in person and start order, ids with commas and quotes intact', async () => {
    writeAggregates();

    const { events, revenue } = await t.store.loadMetricData('t1');

    expect(events).toEqual([
      {
        locationId: 'L1',
        appointmentId: 'A2',
        personKey: 'p:1',
        patientId: 'PT 1',
        providerId: 'PR1',
        category: 'filler',
        status: 'completed',
        startAt: '2024-01-01T09:00:00',
        bookedOn: '2023-12-20',
        durationMin: 45,
      },
      {
        locationId: 'L1',
        appointmentId: 'A, "1"',
        personKey: 'p:1',
        patientId: 'PT 1',
        providerId: null,
        category: null,
        status: 'no_show',
        startAt: '2024-01-02T09:00:00',
        bookedOn: null,
        durationMin: 30,
      },
    ]);
    expect(revenue).toEqual([{ locationId: 'L1', personKey: 'p:1', day: '2024-01-02', netCents: -500 }]);
  });

  it('reads the same events and revenue through the Azure SQL reader (its statements run here on SQLite)', async () => {
    writeAggregates();
    const sql = new SqliteDriver(t.store.db);
    const pool = new StringPool();

    const { events, revenue } = await t.store.loadMetricData('t1');

    expect(await AZURE_SQL_METRIC_READER.readEvents(sql, 't1', pool)).toEqual(events);
    expect(await AZURE_SQL_METRIC_READER.readRevenue(sql, 't1', pool)).toEqual(revenue);
  });
});
