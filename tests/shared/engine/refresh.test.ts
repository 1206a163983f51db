import fs from 'node:fs';
import path from 'node:path';

import { refreshAggregates } from '../../../shared/engine/refresh';
import { fixture, openTestStore, type TestStore } from '../../support/testStore';

let t: TestStore;
beforeEach(() => {
  t = openTestStore();
});
afterEach(async () => {
  await t.close();
});

function aggregateRows(locationId: string): unknown[] {
  return t.store.db
    .prepare(
      "SELECT * FROM agg_daily WHERE tenant_id = 't1' AND location_id = ? ORDER BY provider_id, measure, day",
    )
    .all(locationId);
}

describe('refreshing aggregates', () => {
  it('marks the locations an ingest changed as dirty, in the same transaction, and clears them on refresh', async () => {
    await t.ingest([fixture('north'), fixture('south')]);
    expect(await t.store.dirtyLocations('t1')).toEqual(['L1', 'L2']);

    expect(await refreshAggregates(t.store, 't1')).toEqual(['L1', 'L2']);
    expect(await t.store.dirtyLocations('t1')).toEqual([]);
  });

  it('recomputes nothing after a re-ingest that changes nothing', async () => {
    await t.ingest([fixture('north'), fixture('south')]);
    await refreshAggregates(t.store, 't1');

    await t.ingest([fixture('north'), fixture('south')]);

    expect(await t.store.dirtyLocations('t1')).toEqual([]);
  });

  it('recomputes only the location whose facts changed, and leaves the other untouched', async () => {
    await t.ingest([fixture('north'), fixture('south')]);
    await refreshAggregates(t.store, 't1');
    const northBefore = aggregateRows('L1');
    const dir = path.join(t.dir, 'correction');
    fs.mkdirSync(dir);
    fs.writeFileSync(
      path.join(dir, 'sales.csv'),
      'line_id,location_id,sold_on,patient_id,provider_id,appointment_id,kind,service_code,gross,discount,tax,tip\n' +
        'blvd-1,L2,2024-05-03,B-77,,urn:blvd:Appointment:1,service,BTX,500.00,0.00,0.00,40.00\n',
    );

    await t.ingest([dir]);

    expect(await t.store.dirtyLocations('t1')).toEqual(['L2']);
    expect(await refreshAggregates(t.store, 't1')).toEqual(['L2']);
    expect(aggregateRows('L1')).toEqual(northBefore);
    const net = t.store.db
      .prepare(
        "SELECT value FROM agg_daily WHERE location_id = 'L2' AND measure = 'net.service' AND day = '2024-05-03'",
      )
      .get() as { value: number };
    expect(net.value).toBe(50000);
  });

  it('marks every location when a service changes category, since treatment mix everywhere depends on it', async () => {
    await t.ingest([fixture('north'), fixture('south')]);
    await refreshAggregates(t.store, 't1');
    const dir = path.join(t.dir, 'services');
    fs.mkdirSync(dir);
    fs.writeFileSync(
      path.join(dir, 'services.csv'),
      'service_code,service_name,category,default_duration_min\nBTX,Botox,filler,30\n',
    );

    await t.ingest([dir]);

    expect(await t.store.dirtyLocations('t1')).toEqual(['L1', 'L2']);
  });
});
