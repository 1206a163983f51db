import type { LocationRecord, LocationUpdate } from '../../../addin/api/caliperClient';
import { changeLines, refusalLines } from '../../../addin/taskpane/locationChanges';
import { locationTitle, withoutOpeningDate } from '../../../addin/taskpane/locationFields';

const austin: LocationRecord = {
  location_id: 'evolve-austin',
  name: 'Evolve Austin',
  region: null,
  timezone: null,
  opened_on: null,
  closed_on: null,
  acquired_on: null,
  emr_system: 'Zenoti',
  rooms: null,
  aliases: [],
};

type Report = NonNullable<LocationUpdate['report']>;

function refused(groups: Report['issue_groups'], failure: string | null = 'no row was accepted'): Report {
  return {
    ingest_id: null,
    tenant: 't1',
    committed: false,
    failure,
    files: [],
    totals: {
      files: 0,
      rows_read: 0,
      rows_accepted: 0,
      rows_rejected: 0,
      rows_inserted: 0,
      rows_updated: 0,
      rows_unchanged: 0,
      bytes: 0,
    },
    rejection: null,
    issue_groups: groups,
  };
}

describe('what the Locations view says', () => {
  it('names a location by name and id, once when they are the same', () => {
    expect(locationTitle(austin)).toBe('Evolve Austin (evolve-austin)');
    expect(locationTitle({ location_id: 'ZZ', name: 'ZZ' })).toBe('ZZ');
  });

  it('flags the locations without an opening date', () => {
    const opened = { ...austin, location_id: 'L1', opened_on: '2020-03-01' };
    expect(withoutOpeningDate([opened, austin]).map((l) => l.location_id)).toEqual(['evolve-austin']);
  });

  it('lists what the API stored: each changed field before → after, and the aliases added', () => {
    const after = {
      ...austin,
      opened_on: '2021-03-01',
      rooms: 4,
      region: 'Texas',
      aliases: ['CC Austin'],
    };
    expect(changeLines(austin, after)).toEqual([
      'Region: not set → Texas',
      'Opened: not set → 2021-03-01',
      'Rooms: not set → 4',
      'Alias added: CC Austin',
    ]);
    expect(changeLines(after, { ...after, region: null })).toEqual(['Region: Texas → not set']);
    expect(changeLines(austin, austin)).toEqual([]);
  });

  it('shows the API’s reasons word for word, with their column', () => {
    const report = refused([
      {
        file: 'PATCH /api/locations/L1 → locations.csv',
        code: 'inconsistent_row',
        severity: 'error',
        count: 1,
        examples: [
          { row: 2, column: 'closed_on', message: 'closed_on 2010-01-01 is before opened_on 2020-03-01' },
        ],
        hint: null,
      },
      {
        file: 'PATCH /api/locations/L1 → locations.csv',
        code: 'timezone_unknown',
        severity: 'warning',
        count: 1,
        examples: [{ row: 2, column: 'name', message: 'a warning is not why it was refused' }],
        hint: null,
      },
    ]);
    expect(refusalLines(report)).toEqual(['closed_on: closed_on 2010-01-01 is before opened_on 2020-03-01']);
    expect(refusalLines(refused([]))).toEqual(['no row was accepted']);
    expect(refusalLines(refused([], null))).toEqual(['The API refused the change.']);
  });
});
