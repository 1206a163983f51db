import { resolveAsReportedAt } from '../../../shared/metrics/asReportedAt';
import type { IngestRecord } from '../../../shared/store/store.port';

/** A tenant's log: ids 2, 5 and 9 (ids are numbered across tenants), committed on three days. */
const record = (ingest_id: number, finished_at: string): IngestRecord => ({
  ingest_id,
  label: `bundle ${ingest_id}`,
  started_at: finished_at,
  finished_at,
  rows_inserted: 0,
  rows_updated: 0,
  rows_unchanged: 0,
  rows_rejected: 0,
});
const LOG = [
  record(2, '2025-01-10T12:00:00.000Z'),
  record(5, '2025-02-10T23:30:00.000Z'),
  record(9, '2025-03-01T08:00:00.000Z'),
];

const idOf = (text: string) => {
  const resolved = resolveAsReportedAt(text, LOG);
  return resolved.ok ? resolved.ingest.ingest_id : resolved.message;
};

describe('resolveAsReportedAt', () => {
  it('names an ingest of the tenant by its id, with or without #', () => {
    expect(resolveAsReportedAt('5', LOG)).toEqual({
      ok: true,
      ingest: { ingest_id: 5, finished_at: '2025-02-10T23:30:00.000Z', label: 'bundle 5' },
    });
    expect(idOf('#9')).toBe(9);
    expect(idOf(' 2 ')).toBe(2);
  });

  it('refuses an id that is not one of the tenant’s ingests, naming it and listing theirs', () => {
    expect(resolveAsReportedAt('3', LOG)).toEqual({
      ok: false,
      code: 'not_found',
      message: 'no ingest #3 in this tenant (its ingests: #2, #5, #9)',
    });
  });

  it('takes a date as its whole day in UTC: the last ingest finished by its end', () => {
    expect(idOf('2025-01-10')).toBe(2);
    expect(idOf('2025-02-09')).toBe(2);
    expect(idOf('2025-02-10')).toBe(5);
    expect(idOf('2025-12-31')).toBe(9);
  });

  it('takes a datetime as that instant, UTC unless it carries an offset', () => {
    expect(idOf('2025-02-10T23:29')).toBe(2);
    expect(idOf('2025-02-10T23:30:00')).toBe(5);
    // 2025-02-10T20:00-05:00 is 2025-02-11T01:00Z, after ingest 5 finished.
    expect(idOf('2025-02-10T20:00-05:00')).toBe(5);
    expect(idOf('2025-02-11T00:00+02:00')).toBe(2);
  });

  it('refuses a moment before the first ingest finished, saying when that was', () => {
    expect(resolveAsReportedAt('2025-01-09', LOG)).toEqual({
      ok: false,
      code: 'not_found',
      message:
        'no ingest had finished by the end of 2025-01-09 (UTC); the first, #2, finished at 2025-01-10T12:00:00.000Z',
    });
    expect(idOf('2025-01-10T11:59:59')).toMatch(/^no ingest had finished by 2025-01-10T11:59:59;/);
  });

  it('refuses what is neither an id nor a date, and a tenant with no ingest', () => {
    for (const text of ['last', '2025-02-30', '2025-13-01', '10/01/2025', '2025-01-10T25:00', '']) {
      expect(idOf(text)).toMatch(/^expected an ingest id \(e\.g\. 3\) or a date \(YYYY-MM-DD/);
    }
    expect(resolveAsReportedAt('1', [])).toEqual({
      ok: false,
      code: 'no_ingest',
      message: 'the tenant has no committed ingest yet',
    });
  });
});
