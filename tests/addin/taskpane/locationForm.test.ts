import type { LocationRecord } from '../../../addin/api/caliperClient';
import {
  aliasError,
  changedFields,
  draftOf,
  type LocationDraft,
  validateDraft,
} from '../../../addin/taskpane/locationForm';
import { locationsFile } from '../../../shared/model/canonicalBundle';

/** A location an export created: a name and an EMR, nothing else known yet. */
function created(over: Partial<LocationRecord> = {}): LocationRecord {
  return {
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
    ...over,
  };
}

const draft = (over: Partial<LocationDraft>): LocationDraft => ({ ...draftOf(created()), ...over });

describe('the location edit form', () => {
  it('starts from the location’s values, unknown ones empty', () => {
    expect(draftOf(created({ opened_on: '2021-03-01', rooms: 4 }))).toEqual({
      opened_on: '2021-03-01',
      closed_on: '',
      region: '',
      timezone: '',
      rooms: '4',
    });
  });

  it('refuses what the canonical locations.csv reader refuses, with the reader’s words', () => {
    const bad = draft({
      opened_on: '2021-02-30',
      closed_on: '03/01/2024',
      timezone: 'Mars/Olympus',
      rooms: '2.5',
      region: 'x'.repeat(401),
    });
    const errors = validateDraft(bad);
    expect(errors).toEqual({
      opened_on: '"2021-02-30" is not a calendar date in YYYY-MM-DD form',
      closed_on: '"03/01/2024" is not a calendar date in YYYY-MM-DD form',
      timezone: '"Mars/Olympus" is not an IANA time zone (e.g. America/Chicago)',
      rooms: '"2.5" is not a whole number ≥ 0',
      region: 'longer than 400 characters',
    });
    // The same cells through the API's own reader: each refused, with the same message.
    for (const field of ['opened_on', 'closed_on', 'timezone', 'rooms'] as const) {
      const parsed = locationsFile.columns[field].schema.safeParse(bad[field]);
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.message).toBe(errors[field]);
    }
  });

  it('accepts real values and empty ones (an empty field is unknown), around spaces', () => {
    expect(
      validateDraft(
        draft({ opened_on: ' 2021-03-01 ', closed_on: '', timezone: 'America/New_York', rooms: '0' }),
      ),
    ).toEqual({});
  });

  it('sends only the changed fields, trimmed, and an emptied one as null to clear it', () => {
    const location = created({ region: 'Southwest', rooms: 5 });
    expect(changedFields(location, draftOf(location))).toEqual({});
    expect(
      changedFields(location, { ...draftOf(location), opened_on: ' 2021-03-01', region: '', rooms: '5 ' }),
    ).toEqual({ opened_on: '2021-03-01', region: null });
  });

  it('wants an alias that names something', () => {
    expect(aliasError('CC Charleston')).toBeNull();
    expect(aliasError('mindbody:3')).toBeNull();
    expect(aliasError('Clínica Niño')).toBeNull();
    expect(aliasError('  ')).toBe('Enter a name or a vendor id, e.g. CC Charleston or mindbody:3');
    expect(aliasError('– –')).toBe('alias "– –" has no letters or digits');
    expect(aliasError('a'.repeat(201))).toBe('longer than 200 characters');
  });
});
