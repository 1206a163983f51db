import fs from 'node:fs';
import path from 'node:path';

import { decodeLocationAggregates } from '../../../shared/engine/aggregatesCodec';
import {
  type AggregateStore,
  earliestPayPeriodStart,
  type LocationAggregates,
  refreshAggregates,
} from '../../../shared/engine/refresh';
import type { PayrollRow } from '../../../shared/model/canonicalBundle';
import { fixture, openTestStore, type TestStore } from '../../support/testStore';

let t: TestStore;
beforeEach(() => {
  t = openTestStore();
});
afterEach(async () => {
  await t.close();
});

/** The location's stored aggregates, as stored (the value's bytes) and decoded. */
function storedAggregates(locationId: string): { bytes: Buffer; aggregates: LocationAggregates } {
  const row = t.store.db
    .prepare<[string], { aggregates: Buffer }>(
      "SELECT aggregates FROM location_aggregates WHERE tenant_id = 't1' AND location_id = ?",
    )
    .get(locationId)!;
  return { bytes: row.aggregates, aggregates: decodeLocationAggregates(locationId, row.aggregates) };
}

/** A bundle folder `name` in the test's folder holding `files` (name → CSV text). */
function writeBundle(name: string, files: Record<string, string>): string {
  const dir = path.join(t.dir, name);
  fs.mkdirSync(dir);
  for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), text);
  return dir;
}

const SALES_HEADER =
  'line_id,location_id,sold_on,patient_id,provider_id,appointment_id,kind,service_code,gross,discount,tax,tip\n';

/** One Boulevard sale at L2 on 2024-05-03: $500.00 of service. */
const L2_SALE = 'blvd-1,L2,2024-05-03,B-77,,urn:blvd:Appointment:1,service,BTX,500.00,0.00,0.00,40.00\n';

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
    const northBefore = storedAggregates('L1').bytes;

    await t.ingest([writeBundle('correction', { 'sales.csv': SALES_HEADER + L2_SALE })]);

    expect(await t.store.dirtyLocations('t1')).toEqual(['L2']);
    expect(await refreshAggregates(t.store, 't1')).toEqual(['L2']);
    expect(storedAggregates('L1').bytes.equals(northBefore)).toBe(true);
    const net = storedAggregates('L2').aggregates.daily.find(
      (d) => d.providerId === '' && d.measure === 'net.service' && d.day === '2024-05-03',
    );
    expect(net?.value).toBe(50000);
  });

  it('marks every location when a service changes category, since treatment mix everywhere depends on it', async () => {
    await t.ingest([fixture('north'), fixture('south')]);
    await refreshAggregates(t.store, 't1');
    await t.ingest([
      writeBundle('services', {
        'services.csv': 'service_code,service_name,category,default_duration_min\nBTX,Botox,filler,30\n',
      }),
    ]);

    expect(await t.store.dirtyLocations('t1')).toEqual(['L1', 'L2']);
  });

  it('keeps a location dirty when an ingest commits while its refresh reads: the next refresh brings the new facts in', async () => {
    await t.ingest([fixture('north'), fixture('south')]);
    await refreshAggregates(t.store, 't1');
    const late = writeBundle('late', { 'sales.csv': SALES_HEADER + L2_SALE });
    t.store.db.exec("INSERT INTO agg_dirty (tenant_id, location_id) VALUES ('t1', 'L2')");
    // The refresh has read L2's facts when another writer's ingest (a second process, a
    // scaled-out instance) commits a sale at L2 and marks it dirty, before the refresh writes.
    const store = t.store;
    const racing: AggregateStore = {
      dirtyLocations: (tenant) => store.dirtyLocations(tenant),
      dirtyMark: (tenant, location) => store.dirtyMark(tenant, location),
      loadLocationFactsFrom: (tenant, location, day) => store.loadLocationFactsFrom(tenant, location, day),
      replaceLocationAggregates: (...args) => store.replaceLocationAggregates(...args),
      loadLocationFacts: async (tenant, location) => {
        const facts = await store.loadLocationFacts(tenant, location);
        await t.ingest([late]);
        return facts;
      },
    };

    expect(await refreshAggregates(racing, 't1')).toEqual(['L2']);

    // Written from the facts it read, but not marked clean: the sale it did not see is still due.
    expect(await t.store.dirtyLocations('t1')).toEqual(['L2']);
    expect(await refreshAggregates(t.store, 't1')).toEqual(['L2']);
    const net = storedAggregates('L2').aggregates.daily.find(
      (d) => d.providerId === '' && d.measure === 'net.service' && d.day === '2024-05-03',
    );
    expect(net?.value).toBe(50000);
    expect(await t.store.dirtyLocations('t1')).toEqual([]);
  });

  describe('from the first changed day on', () => {
    /** Every aggregate row of the tenant, in a stable order. */
    /** Every location's stored aggregates, decoded, in location order. */
    function allAggregates(): LocationAggregates[] {
      return t.store.db
        .prepare<[], { location_id: string; aggregates: Buffer }>(
          "SELECT location_id, aggregates FROM location_aggregates WHERE tenant_id = 't1' ORDER BY location_id",
        )
        .all()
        .map((row) => decodeLocationAggregates(row.location_id, row.aggregates));
    }

    /**
     * north + south, with PR2 (whose location-less payroll line PY2 covers 2024-03-25 … 04-07)
     * working at L2 too, so PY2 is split between L1 and L2 by their production over its period.
     */
    async function ingestSharedProvider(): Promise<void> {
      const shared = writeBundle('shared-provider', {
        'providers.csv':
          'provider_id,location_id,display_name,role,payroll_employee_id,started_on,ended_on\n' +
          'PR2,L2,Amy Lee,aesthetician,E101,2021-01-15,\n',
        'sales.csv': `${SALES_HEADER}X1,L2,2024-03-26,B-77,PR2,,service,HF,200.00,,,\n`,
      });
      await t.ingest([fixture('north'), fixture('south'), shared]);
      await refreshAggregates(t.store, 't1');
    }

    it("marks each location with the first day its changed facts reach, and a provider's other locations with it", async () => {
      await ingestSharedProvider();

      await t.ingest([
        writeBundle('april', {
          'sales.csv': `${SALES_HEADER}X2,L2,2024-04-02,B-78,PR2,,service,HF,300.00,,,\nX3,L2,2024-05-10,B-78,,,retail,,20.00,,,\n`,
        }),
      ]);

      expect(await t.store.dirtyLocations('t1')).toEqual(['L1', 'L2']);
      const april = (await t.store.ingests('t1')).at(-1)!.ingest_id;
      expect(await t.store.dirtyMark('t1', 'L2')).toEqual({ from: '2024-04-02', ingest: april });
      // L1 shares PR2, whose location-less pay is split by production.
      expect(await t.store.dirtyMark('t1', 'L1')).toEqual({ from: '2024-04-02', ingest: april });
    });

    it('marks every day when a patient changes (a person key reaches all their visits)', async () => {
      await ingestSharedProvider();

      await t.ingest([
        writeBundle('patient', {
          'patients.csv':
            'patient_id,home_location_id,email,phone,referral_source,created_on\n' +
            'PT3,L1,kim.new@example.org,,meta,2024-03-15\n',
        }),
      ]);

      expect(await t.store.dirtyLocations('t1')).toEqual(['L1', 'L2']);
      expect((await t.store.dirtyMark('t1', 'L1'))?.from).toBeNull();
    });

    it('writes the same aggregates as recomputing every day, pay periods reaching back included', async () => {
      await ingestSharedProvider();
      await t.ingest([
        writeBundle('april', {
          // New production of PR2 inside PY2's period changes PY2's split on 03-25 … 03-31 too;
          // X5 pays for A4 (2024-03-15), before the changed days: its category still counts.
          'sales.csv':
            SALES_HEADER +
            'X2,L2,2024-04-02,B-78,PR2,,service,HF,300.00,,,\n' +
            'X4,L1,2024-04-03,PT2,PR2,,service,HF,150.00,,,\n' +
            'X5,L1,2024-04-05,,PR1,A4,service,FIL,75.00,,,\n',
          'appointments.csv':
            'appointment_id,location_id,patient_id,provider_id,service_code,booked_at,start_at,duration_min,status\n' +
            'A9,L1,PT2,PR2,HF,2024-03-30T09:00,2024-04-03T10:00,60,completed\n',
          'shifts.csv': 'provider_id,location_id,date,start_time,end_time\nPR2,L1,2024-04-03,09:00,17:00\n',
        }),
      ]);
      expect((await t.store.dirtyMark('t1', 'L1'))?.from).toBe('2024-04-02');

      expect(await refreshAggregates(t.store, 't1')).toEqual(['L1', 'L2']);
      const incremental = allAggregates();
      const splitOnMarch25 = incremental.flatMap((a) =>
        a.daily
          .filter(
            (d) => d.providerId === 'PR2' && d.measure.startsWith('comp.wages/') && d.day === '2024-03-25',
          )
          .map((d) => ({ location_id: d.locationId, measure: d.measure, value: d.value })),
      );
      t.store.db.exec("INSERT INTO agg_dirty (tenant_id, location_id) VALUES ('t1', 'L1'), ('t1', 'L2')");
      await refreshAggregates(t.store, 't1');

      expect(allAggregates()).toEqual(incremental);
      // PY2's wages 1,812.50 over 14 days, split by PR2's production over its period: L1 150.00
      // (X4), L2 500.00 (X1 200.00 + X2 300.00). A day at L1: 181,250 ¢ × 150/650 ÷ 14
      // = 271,875/91 ¢ (reduced), at L2 181,250 × 500/650 ÷ 14 = 906,250/91 ¢: stored as
      // integer counts of 1/91 ¢. Before X2 and X4, L1's share was 0/200 and L2's whole.
      expect(splitOnMarch25).toEqual([
        { location_id: 'L1', measure: 'comp.wages/91', value: 271875 },
        { location_id: 'L2', measure: 'comp.wages/91', value: 906250 },
      ]);
    });
  });
});

describe('the earliest pay period start reaching a day', () => {
  const line = (period_start: string, period_end: string) => ({ period_start, period_end }) as PayrollRow;

  it('is the start of the earliest pay period that covers or follows the day, else the day', () => {
    const payroll = [
      line('2024-03-25', '2024-04-07'),
      line('2024-03-01', '2024-03-31'),
      line('2024-04-08', '2024-04-21'),
    ];
    expect(earliestPayPeriodStart(payroll, '2024-04-02')).toBe('2024-03-25');
    expect(earliestPayPeriodStart(payroll, '2024-03-31')).toBe('2024-03-01');
    expect(earliestPayPeriodStart(payroll, '2024-04-30')).toBe('2024-04-30');
  });
});
