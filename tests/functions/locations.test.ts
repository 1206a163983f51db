import { HttpRequest } from '@azure/functions';

import { locations, updateLocation } from '../../functions/locations';
import type { TestStore } from '../support/testStore';
import { call, closeApiTestStore, get, openApiTestStore } from './apiTestRuntime';

let t: TestStore;
let key: string;
beforeAll(async () => {
  t = await openApiTestStore();
  // The request helpers' default key, read back from a GET they build.
  key = get('locations').headers.get('authorization') ?? '';
});
afterAll(async () => {
  await closeApiTestStore(t);
});

function patch(locationId: string, body: unknown, headers: Record<string, string> = { authorization: key }) {
  return new HttpRequest({
    method: 'PATCH',
    url: `http://localhost/api/locations/${encodeURIComponent(locationId)}`,
    params: { locationId },
    body: { string: JSON.stringify(body) },
    headers: { 'content-type': 'application/json', ...headers },
  });
}

describe('GET /api/locations', () => {
  it('lists every location with all its fields and aliases', async () => {
    const { status, body } = await call(locations, get('locations'));
    expect(status).toBe(200);
    expect(body.locations[0]).toEqual({
      location_id: 'L1',
      name: 'North Dallas',
      region: 'Southwest',
      timezone: 'America/Chicago',
      opened_on: '2020-03-01',
      closed_on: null,
      acquired_on: '2023-06-01',
      emr_system: 'Zenoti',
      rooms: 5,
      aliases: [],
    });
  });

  it('answers 401 without a credential', async () => {
    expect((await call(locations, get('locations', {}))).status).toBe(401);
  });
});

describe('PATCH /api/locations/{locationId}', () => {
  it('sets fields as a new version of the row and saves aliases', async () => {
    const { status, body } = await call(
      updateLocation,
      patch('L1', { fields: { region: 'Texas', rooms: '6' }, aliases: ['Contour – Dallas North'] }),
    );
    expect(status).toBe(200);
    expect(body.report.committed).toBe(true);
    expect(body.location).toMatchObject({
      location_id: 'L1',
      region: 'Texas',
      rooms: 6,
      opened_on: '2020-03-01',
      aliases: ['Contour – Dallas North'],
    });
  });

  it('refuses a value the canonical format refuses and writes nothing, aliases included', async () => {
    const { status, body } = await call(
      updateLocation,
      patch('L1', { fields: { timezone: 'Mars/Olympus' }, aliases: ['Never Saved'] }),
    );
    expect(status).toBe(422);
    expect(body.report.committed).toBe(false);
    expect(body.report.files[0].issues[0]).toMatchObject({ column: 'timezone' });
    const l1 = (await t.store.locationIdentities('t1')).find((l) => l.location_id === 'L1');
    expect(l1).toMatchObject({ timezone: 'America/Chicago', aliases: ['Contour – Dallas North'] });
  });

  it('answers 404 for a location the tenant does not have and 400 for an unknown field', async () => {
    const unknown = await call(updateLocation, patch('L404', { aliases: ['x'] }));
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('unknown_location');
    const bad = await call(updateLocation, patch('L1', { fields: { opened: '2020-01-01' } }));
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('fields: name, region, timezone, opened_on');
  });
});
