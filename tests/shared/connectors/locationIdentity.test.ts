import {
  LocationDirectory,
  lookUpLocation,
  normalizeLocationName,
} from '../../../shared/connectors/locationIdentity';

const zenoti = { vendor: 'Zenoti', prefix: 'zenoti', emr: true } as const;
const square = { vendor: 'square', prefix: 'square', emr: false } as const;

function directory() {
  return new LocationDirectory([
    { location_id: 'L001', name: 'Contour Clinic – Charleston' },
    { location_id: 'L002', name: 'Savannah' },
    { location_id: 'L003', name: 'Glow Med Spa: Austin', aliases: ['GMS ATX'] },
  ]);
}

describe('resolving the location an export names', () => {
  it('ignores case, accents, dashes and punctuation in names', () => {
    expect(normalizeLocationName('  Contour  CLINIC — Charleston ')).toBe('contour clinic charleston');
    expect(normalizeLocationName('Café & Spa, Ste. 4')).toBe('cafe and spa ste 4');
  });

  it('finds a location by its id, its name in any spelling, or an alias', () => {
    const d = directory();
    const name = (text: string) => d.resolve({ ...zenoti, text, kind: 'name' });
    expect(name('L002')).toEqual({ kind: 'known', locationId: 'L002' });
    expect(name('contour clinic - charleston')).toEqual({ kind: 'known', locationId: 'L001' });
    expect(name('gms atx')).toEqual({ kind: 'known', locationId: 'L003' });
  });

  it('takes "Brand – City" and "City" for one location, either way round, when only one fits', () => {
    const d = directory();
    const name = (text: string) => d.resolve({ ...zenoti, text, kind: 'name' });
    expect(name('Charleston')).toEqual({ kind: 'known', locationId: 'L001' });
    expect(name('Austin')).toEqual({ kind: 'known', locationId: 'L003' });
    expect(name('Contour Clinic – Savannah')).toEqual({ kind: 'known', locationId: 'L002' });

    const two = new LocationDirectory([
      { location_id: 'A', name: 'Glow – Austin' },
      { location_id: 'B', name: 'Contour – Austin' },
    ]);
    expect(two.resolve({ ...zenoti, text: 'Austin', kind: 'name' })).toEqual({
      kind: 'ambiguous',
      candidates: ['A', 'B'],
    });
  });

  it('creates a location the first time an unknown name is mentioned, and finds it after that', () => {
    const d = directory();
    expect(d.resolve({ ...zenoti, text: 'Evolve Austin Downtown', kind: 'name' })).toEqual({
      kind: 'created',
      locationId: 'evolve-austin-downtown',
    });
    expect(d.resolve({ ...zenoti, text: 'EVOLVE AUSTIN DOWNTOWN', kind: 'name' })).toEqual({
      kind: 'created',
      locationId: 'evolve-austin-downtown',
    });
    expect(d.created).toEqual([
      {
        location_id: 'evolve-austin-downtown',
        name: 'Evolve Austin Downtown',
        emr_system: 'Zenoti',
        mentions: ['Evolve Austin Downtown', 'EVOLVE AUSTIN DOWNTOWN'],
        vendor: 'Zenoti',
      },
    ]);
  });

  it('keeps a vendor location id in its system namespace, and names a location it creates after the system', () => {
    const d = new LocationDirectory([{ location_id: '1', name: 'One' }]);
    // Square's location "1" is not the tenant's location "1".
    expect(d.resolve({ ...square, text: '1', kind: 'id' })).toEqual({
      kind: 'created',
      locationId: 'square:1',
    });
    expect(d.created[0]).toMatchObject({ name: 'Square location 1', emr_system: null });
    const known = new LocationDirectory([{ location_id: 'L9', name: 'Nine', aliases: ['square:LQX'] }]);
    expect(known.resolve({ ...square, text: 'LQX', kind: 'id' })).toEqual({
      kind: 'known',
      locationId: 'L9',
    });
  });

  it('gives a created location an id no other location has', () => {
    const d = new LocationDirectory([{ location_id: 'evolve-austin', name: 'Evolve (old)' }]);
    expect(d.resolve({ ...zenoti, text: 'Evolve Austin', kind: 'name' })).toEqual({
      kind: 'created',
      locationId: 'evolve-austin-2',
    });
  });

  it('takes --location as the id it is, creating it with exactly that id when no one described it', () => {
    const d = directory();
    expect(lookUpLocation(d, 'Savannah', { ...zenoti, text: 'ignored', kind: 'name' })).toEqual({
      ok: true,
      locationId: 'L002',
    });
    expect(lookUpLocation(d, 'L777', { ...zenoti, text: '', kind: 'name' })).toEqual({
      ok: true,
      locationId: 'L777',
    });
    expect(d.created.map((l) => [l.location_id, l.name])).toEqual([['L777', 'L777']]);
  });

  it('answers an ambiguous name with the candidates and the fix', () => {
    const d = new LocationDirectory([
      { location_id: 'A', name: 'Glow – Austin' },
      { location_id: 'B', name: 'Contour – Austin' },
    ]);
    expect(lookUpLocation(d, undefined, { ...zenoti, text: 'Austin', kind: 'name' })).toEqual({
      ok: false,
      message:
        'location "Austin" could be any of A, B: save an alias with `caliper locations alias <id> "Austin"` or pass --location',
    });
  });
});

describe('a vendor location id no one knows, in a folder that describes one location', () => {
  const mindbody = { vendor: 'mindbody', prefix: 'mindbody', emr: true } as const;

  it("is the folder's location, and the directory says it assumed so", () => {
    const d = directory();
    expect(d.resolve({ ...mindbody, text: '1', kind: 'id', folderLocation: 'L002' })).toEqual({
      kind: 'known',
      locationId: 'L002',
    });
    expect(d.assumed).toEqual([{ locationId: 'L002', vendorKey: 'mindbody:1', vendor: 'mindbody' }]);
    expect(d.created).toEqual([]);
  });

  it('is a location of its own when the same system already named another id there (a multi-site export)', () => {
    const d = directory();
    d.resolve({ ...mindbody, text: '1', kind: 'id', folderLocation: 'L002' });
    expect(d.resolve({ ...mindbody, text: '2', kind: 'id', folderLocation: 'L002' })).toEqual({
      kind: 'created',
      locationId: 'mindbody:2',
    });
  });

  it("is each folder's own location when two sites number their locations alike", () => {
    const d = directory();
    expect(d.resolve({ ...mindbody, text: '1', kind: 'id', folderLocation: 'L002' }).kind).toBe('known');
    expect(d.resolve({ ...mindbody, text: '1', kind: 'id', folderLocation: 'L003' })).toEqual({
      kind: 'known',
      locationId: 'L003',
    });
    expect(d.assumed.map((a) => a.locationId)).toEqual(['L002', 'L003']);
  });

  it('never overrides a name: an unknown center name is still created', () => {
    const d = directory();
    expect(d.resolve({ ...zenoti, text: 'Evolve – Boise', kind: 'name', folderLocation: 'L002' })).toEqual({
      kind: 'created',
      locationId: 'evolve-boise',
    });
  });

  it('finds the one location a folder name means, without creating one', () => {
    const d = directory();
    expect(d.find('Charleston')).toBe('L001');
    expect(d.find('Boise')).toBeNull();
    expect(d.created).toEqual([]);
  });
});
