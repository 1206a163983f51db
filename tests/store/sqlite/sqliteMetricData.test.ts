import type { PatientEvent } from '../../../shared/engine/patientEvents';
import { openTestStore, type TestStore } from '../../support/testStore';

let t: TestStore;
beforeEach(() => {
  t = openTestStore();
});
afterEach(async () => {
  await t.close();
});

/** Writes daily measures as the refresh does (one value per location). */
async function writeDaily(): Promise<void> {
  const row = (locationId: string, providerId: string, measure: string, day: string, value: number) => ({
    locationId,
    providerId,
    measure,
    day,
    value,
  });
  // Values that no short text keeps: a third, 0.1, the largest exact integer, a negative refund,
  // the smallest double; one per series, so the prefix sums add nothing to them.
  await t.store.replaceLocationAggregates(
    't1',
    'L1',
    {
      daily: [
        row('L1', '', 'net.service', '2024-01-01', 1 / 3),
        row('L1', '', 'net.other', '2024-01-02', 0.1),
        row('L1', '', 'net.retail', '2024-01-01', 2 ** 53 - 1),
        row('L1', 'PR1', 'net.service', '2024-01-02', -12345),
      ],
      events: [],
      revenue: [],
    },
    null,
  );
  await t.store.replaceLocationAggregates(
    't1',
    'L2',
    {
      daily: [row('L2', '', 'net.service', '2024-01-03', 5e-324)],
      events: [],
      revenue: [],
    },
    null,
  );
}

/** Writes patient facts as the refresh does: one value per location (L2 first, so order is the load's doing). */
async function writePatientFacts(): Promise<void> {
  const event = (
    over: Partial<PatientEvent> & Pick<PatientEvent, 'appointmentId' | 'startAt'>,
  ): PatientEvent => ({
    locationId: 'L1',
    personKey: 'p:1',
    patientId: 'PT 1',
    providerId: null,
    category: null,
    status: 'completed',
    bookedOn: null,
    durationMin: 30,
    ...over,
  });
  await t.store.replaceLocationAggregates(
    't1',
    'L2',
    {
      daily: [],
      events: [
        event({
          locationId: 'L2',
          appointmentId: 'B1',
          personKey: 'p:0',
          patientId: 'PT 0',
          startAt: '2024-01-05T10:00:00',
        }),
        event({ locationId: 'L2', appointmentId: 'B2', startAt: '2024-01-01T09:00:00' }),
      ],
      revenue: [{ locationId: 'L2', personKey: 'p:1', day: '2024-01-01', netCents: 700 }],
    },
    null,
  );
  await t.store.replaceLocationAggregates(
    't1',
    'L1',
    {
      daily: [],
      events: [
        event({ appointmentId: 'A, "1"', status: 'no_show', startAt: '2024-01-02T09:00:00' }),
        event({
          appointmentId: 'A2',
          providerId: 'PR1',
          category: 'filler',
          startAt: '2024-01-01T09:00:00',
          bookedOn: '2023-12-20',
          durationMin: 45,
        }),
      ],
      revenue: [{ locationId: 'L1', personKey: 'p:1', day: '2024-01-02', netCents: -500 }],
    },
    null,
  );
}

describe('loading the metric data from SQLite', () => {
  it('reads every daily value back as the very double that was stored', async () => {
    await writeDaily();

    const { daily } = await t.store.loadMetricData('t1');

    expect(daily.sum('net.service', ['L1'], '2024-01-01', '2024-01-01')).toBe(1 / 3);
    expect(daily.sum('net.other', ['L1'], '2024-01-01', '2024-01-03')).toBe(0.1);
    expect(daily.sum('net.retail', ['L1'], '2024-01-01', '2024-01-03')).toBe(2 ** 53 - 1);
    expect(daily.sum('net.service', ['L1'], '2024-01-01', '2024-01-03', 'PR1')).toBe(-12345);
    expect(daily.sum('net.service', ['L2'], '2024-01-01', '2024-01-03')).toBe(5e-324);
  });

  it('reads events and revenue with their nulls, in person, start and location order across locations', async () => {
    await writePatientFacts();

    const data = await t.store.loadMetricData('t1');
    const { revenue } = data;
    const events = data.events.toArray();

    // p:0 before p:1; p:1's appointments of both locations by start, then by location.
    expect(events.map((e) => [e.locationId, e.startAt, e.personKey])).toEqual([
      ['L2', '2024-01-05T10:00:00', 'p:0'],
      ['L1', '2024-01-01T09:00:00', 'p:1'],
      ['L2', '2024-01-01T09:00:00', 'p:1'],
      ['L1', '2024-01-02T09:00:00', 'p:1'],
    ]);
    expect(events[1]).toEqual({
      locationId: 'L1',
      personKey: 'p:1',
      patientId: 'PT 1',
      providerId: 'PR1',
      category: 'filler',
      status: 'completed',
      startAt: '2024-01-01T09:00:00',
      bookedOn: '2023-12-20',
      durationMin: 45,
    });
    expect(events[3]).toEqual({
      locationId: 'L1',
      personKey: 'p:1',
      patientId: 'PT 1',
      providerId: null,
      category: null,
      status: 'no_show',
      startAt: '2024-01-02T09:00:00',
      bookedOn: null,
      durationMin: 30,
    });
    expect(revenue.toArray()).toEqual([
      { locationId: 'L2', personKey: 'p:1', day: '2024-01-01', netCents: 700 },
      { locationId: 'L1', personKey: 'p:1', day: '2024-01-02', netCents: -500 },
    ]);
  });
});
