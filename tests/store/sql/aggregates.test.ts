import type { LocationAggregates } from '../../../shared/engine/refresh';
import {
  dirtyMark,
  loadLocationFactsFrom,
  markDirtyLocations,
  replaceLocationAggregates,
  rowWatermarks,
} from '../../../store/sql/aggregates';
import { AZURE_SQL_DIALECT } from '../../../store/sql/sqlDialect';
import type { SqlDriver, SqlParams } from '../../../store/sql/sqlDriver';

/**
 * No SQL Server runs here: the aggregate statements run through a driver that records them
 * with the T-SQL dialect and answers every query with no rows, so what reaches Azure SQL can
 * at least be read for SQLite's own spellings.
 */
class RecordingDriver implements SqlDriver {
  readonly dialect = AZURE_SQL_DIALECT;
  readonly statements: { sql: string; params: SqlParams }[] = [];

  all<T>(sql: string, params: SqlParams = {}): Promise<T[]> {
    this.statements.push({ sql, params });
    // A location the ingest changed, so its mark is written (the MERGE of a dirty mark).
    const marked = /AS from_day/.test(sql) ? [{ location_id: 'L1', from_day: '2026-03-04' }] : [];
    return Promise.resolve(marked as T[]);
  }

  async each<T>(sql: string, params: SqlParams, onRow: (row: T) => void): Promise<number> {
    const rows = await this.all<T>(sql, params);
    rows.forEach(onRow);
    return rows.length;
  }

  get<T>(sql: string, params: SqlParams = {}): Promise<T | undefined> {
    this.statements.push({ sql, params });
    // The one single-row answer the statements need: "a service changed" (as BIGINT text).
    return Promise.resolve((sql.includes('AS hit') ? { hit: '1' } : undefined) as T | undefined);
  }

  run(sql: string, params: SqlParams = {}): Promise<number> {
    this.statements.push({ sql, params });
    return Promise.resolve(0);
  }

  transaction<T>(work: (tx: SqlDriver) => Promise<T>): Promise<T> {
    return work(this);
  }

  releaseMemory(): Promise<void> {
    return Promise.resolve();
  }
}

const SQLITE_ONLY = [
  /json_each/,
  /\bsubstr\(/,
  /\bLIMIT\b/,
  /INSERT OR/,
  /ON CONFLICT/,
  /\+\w+\.tenant_id/,
  /"/,
];

function expectTsql(driver: RecordingDriver): void {
  expect(driver.statements.length).toBeGreaterThan(0);
  for (const { sql } of driver.statements) {
    for (const pattern of SQLITE_ONLY)
      expect({ sql, match: pattern.test(sql) }).toEqual({ sql, match: false });
  }
}

const AGGREGATES: LocationAggregates = {
  daily: [{ locationId: 'L1', providerId: '', measure: 'visits', day: '2026-03-02', value: 3 }],
  events: [
    {
      locationId: 'L1',
      appointmentId: 'a1',
      personKey: 'p:1',
      patientId: 'p1',
      providerId: null,
      category: null,
      status: 'completed',
      startAt: '2026-03-02T09:00:00',
      bookedOn: null,
      durationMin: 30,
    },
  ],
  revenue: [{ locationId: 'L1', personKey: 'p:1', day: '2026-03-02', netCents: 1200 }],
};

describe('the aggregate statements on Azure SQL (T-SQL text, no server)', () => {
  it('mark, read from a day and replace from a day without SQLite spellings', async () => {
    const driver = new RecordingDriver();
    const watermarks = await rowWatermarks(driver);
    await markDirtyLocations(driver, 't', 7, watermarks);
    const mark = driver.statements.find(({ sql }) => sql.startsWith('MERGE [agg_dirty]'));
    expect(mark?.params).toEqual({ tenant: 't', location: 'L1', from: '2026-03-04', ingest: 7 });
    expect(await dirtyMark(driver, 't', 'L1')).toBeNull();
    await loadLocationFactsFrom(driver, 't', 'L1', '2026-03-01');
    await replaceLocationAggregates(
      driver,
      't',
      'L1',
      AGGREGATES,
      { from: '2026-03-01', ingest: 7 },
      '2026-03-01',
    );
    const cleared = driver.statements.find(({ sql }) => sql.startsWith('DELETE FROM agg_dirty'));
    expect(cleared?.sql).toContain('marked_by_ingest = @seenIngest');
    expect(cleared?.params).toMatchObject({ seenIngest: 7 });
    expectTsql(driver);
  });
});
