import type { PatientEvent, PatientRevenue } from '../../../shared/engine/patientEvents';
import { RevenueRows } from '../../../shared/engine/revenueRows';
import { patientHistories, visitDays, visitDaysBetween } from '../../../shared/models/patientHistory';

let serial = 0;
function event(
  personKey: string,
  startAt: string,
  status: PatientEvent['status'],
  overrides: Partial<PatientEvent> = {},
): PatientEvent {
  serial++;
  return {
    locationId: 'L1',
    appointmentId: `A${String(serial).padStart(4, '0')}`,
    personKey,
    patientId: `P-${personKey}`,
    providerId: 'PR1',
    category: 'neurotoxin',
    status,
    startAt,
    bookedOn: startAt.slice(0, 10),
    durationMin: 30,
    ...overrides,
  };
}

const revenue = (personKey: string, day: string, netCents: number, locationId = 'L1'): PatientRevenue => ({
  locationId,
  personKey,
  day,
  netCents,
});

describe('patientHistories: what the location knew on asOf', () => {
  const asOf = '2025-06-30';

  it('keeps completed visits, revenue and missed appointments on or before asOf, nothing later', () => {
    const events = [
      event('a', '2025-01-10T10:00:00', 'completed', { category: 'filler' }),
      event('a', '2025-03-01T09:00:00', 'no_show'),
      event('a', '2025-04-01T09:00:00', 'late_cancelled'),
      event('a', '2025-05-01T09:00:00', 'cancelled'),
      event('a', '2025-06-30T18:30:00', 'completed'),
      // After asOf: neither a visit nor a missed appointment.
      event('a', '2025-07-02T09:00:00', 'completed', { bookedOn: '2025-07-01' }),
      event('a', '2025-07-03T09:00:00', 'no_show', { bookedOn: '2025-07-01' }),
    ];
    const rows = [
      revenue('a', '2025-01-10', 40000),
      revenue('a', '2025-06-30', 30000),
      revenue('a', '2025-07-02', 99),
    ];
    const [a] = patientHistories(events, RevenueRows.from(rows), 'L1', asOf);
    expect(a!.visits).toEqual([
      { day: '2025-01-10', category: 'filler', providerId: 'PR1' },
      { day: '2025-06-30', category: 'neurotoxin', providerId: 'PR1' },
    ]);
    expect(a!.missed).toEqual([
      { day: '2025-03-01', status: 'no_show' },
      { day: '2025-04-01', status: 'late_cancelled' },
    ]);
    expect(a!.revenueDays).toEqual([
      { day: '2025-01-10', netCents: 40000 },
      { day: '2025-06-30', netCents: 30000 },
    ]);
    // Booked after asOf: not on the book on asOf.
    expect(a!.nextBooked).toBeNull();
  });

  it('counts an appointment booked on or before asOf as booked, whatever became of it', () => {
    const events = [
      event('b', '2025-06-01T10:00:00', 'completed'),
      // Booked at checkout, later cancelled: the export cannot say when, so it counts as booked.
      event('b', '2025-08-01T10:00:00', 'cancelled', { bookedOn: '2025-06-01' }),
      event('b', '2025-09-01T10:00:00', 'completed', { bookedOn: '2025-06-01' }),
      event('c', '2025-06-02T10:00:00', 'completed'),
      event('c', '2025-07-15T10:00:00', 'completed', { bookedOn: '2025-07-01' }),
      event('c', '2025-08-15T10:00:00', 'completed', { bookedOn: '2025-06-30' }),
    ];
    const [b, c] = patientHistories(events, RevenueRows.EMPTY, 'L1', asOf);
    expect(b!.nextBooked).toBe('2025-08-01');
    // The first appointment after asOf that was on the book — not the first after asOf.
    expect(c!.nextBooked).toBe('2025-08-15');
  });

  it('does not count a cancelled appointment as booked when asOf is the day the export was taken', () => {
    // The export shows bookings up to 2025-06-30, so on that day a cancelled appointment had been
    // cancelled already (a live score); in a backtest at 2025-06-15 the cancellation may be later.
    const events = [
      event('n', '2025-06-01T10:00:00', 'completed'),
      event('n', '2025-08-01T10:00:00', 'cancelled', { bookedOn: '2025-06-01' }),
      event('n', '2025-09-01T10:00:00', 'scheduled', { bookedOn: '2025-06-30' }),
    ];
    expect(patientHistories(events, RevenueRows.EMPTY, 'L1', '2025-06-30')[0]!.nextBooked).toBe('2025-09-01');
    expect(patientHistories(events, RevenueRows.EMPTY, 'L1', '2025-07-31')[0]!.nextBooked).toBe('2025-09-01');
    expect(patientHistories(events, RevenueRows.EMPTY, 'L1', '2025-06-15')[0]!.nextBooked).toBe('2025-08-01');
  });

  it('counts an appointment without a booking date only while it is still scheduled', () => {
    const events = [
      event('d', '2025-06-01T10:00:00', 'completed'),
      event('d', '2025-07-10T10:00:00', 'completed', { bookedOn: null }),
      event('e', '2025-06-01T10:00:00', 'completed'),
      event('e', '2025-07-10T10:00:00', 'scheduled', { bookedOn: null }),
    ];
    const [d, e] = patientHistories(events, RevenueRows.EMPTY, 'L1', asOf);
    expect(d!.nextBooked).toBeNull();
    expect(e!.nextBooked).toBe('2025-07-10');
  });

  it('leaves out patients without a completed visit by asOf and other locations', () => {
    const events = [
      event('f', '2025-05-01T10:00:00', 'no_show'),
      event('g', '2025-07-01T10:00:00', 'completed'),
      event('h', '2025-05-01T10:00:00', 'completed', { locationId: 'L2' }),
      event('i', '2025-05-01T10:00:00', 'completed'),
    ];
    const histories = patientHistories(
      events,
      RevenueRows.from([revenue('i', '2025-05-01', 5, 'L2')]),
      'L1',
      asOf,
    );
    expect(histories.map((h) => h.personKey)).toEqual(['i']);
    expect(histories[0]!.revenueDays).toEqual([]);
  });

  it("shows the patient by the location's id of their latest appointment on or before asOf", () => {
    const events = [
      event('j', '2025-01-01T10:00:00', 'completed', { patientId: 'OLD-1' }),
      event('j', '2025-05-01T10:00:00', 'no_show', { patientId: 'NEW-1' }),
      event('j', '2025-08-01T10:00:00', 'completed', { patientId: 'LATER-1' }),
    ];
    expect(patientHistories(events, RevenueRows.EMPTY, 'L1', asOf)[0]!.patientId).toBe('NEW-1');
  });
});

describe('visitDays and visitDaysBetween', () => {
  const events = [
    event('k', '2025-01-10T09:00:00', 'completed'),
    event('k', '2025-01-10T11:00:00', 'completed', { category: 'facial' }),
    event('k', '2025-02-10T09:00:00', 'completed'),
    event('k', '2025-03-10T09:00:00', 'no_show'),
    event('k', '2025-04-10T09:00:00', 'completed'),
    event('m', '2025-04-10T09:00:00', 'completed', { locationId: 'L2' }),
  ];

  it('counts several visits on one day as one visit day', () => {
    const [k] = patientHistories(events, RevenueRows.EMPTY, 'L1', '2025-12-31');
    expect(k!.visits).toHaveLength(4);
    expect(visitDays(k!)).toEqual(['2025-01-10', '2025-02-10', '2025-04-10']);
  });

  it('counts completed visit days in (after, through] at the location only', () => {
    expect(visitDaysBetween(events, 'L1', '2025-01-10', '2025-04-10')).toEqual(new Map([['k', 2]]));
    expect(visitDaysBetween(events, 'L1', '2025-01-09', '2025-01-10')).toEqual(new Map([['k', 1]]));
    expect(visitDaysBetween(events, 'L1', '2025-02-10', '2025-04-09')).toEqual(new Map());
  });
});
