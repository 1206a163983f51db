import { EventRows } from '../../../shared/engine/eventRows';
import type { PatientEvent, PatientRevenue } from '../../../shared/engine/patientEvents';
import { inPersonOrder } from '../../../shared/engine/personOrder';
import { RevenueRows } from '../../../shared/engine/revenueRows';
import { patientEvent } from '../../support/metricData';

function event(locationId: string, appointmentId: string, personKey: string, startAt: string): PatientEvent {
  // The patient id repeats the appointment id: the loaded events keep no appointment id.
  return patientEvent({ locationId, appointmentId, personKey, startAt, patientId: appointmentId });
}

function revenue(locationId: string, personKey: string, day: string): PatientRevenue {
  return { locationId, personKey, day, netCents: 100 };
}

describe('the one order of a tenant’s patient facts', () => {
  it('orders events by person key (code units), then start, then location id, then appointment id', () => {
    const l1 = [
      event('L1', 'A2', 'p:b', '2024-01-03T09:00:00'),
      event('L1', 'A1', 'p:B', '2024-01-01T09:00:00'),
      event('L1', 'A3', 'p:b', '2024-01-01T09:00:00'),
    ];
    const l2 = [
      event('L2', 'B2', 'p:b', '2024-01-02T09:00:00'),
      // The same minute as L1's A3: L1's first, whatever the appointment ids.
      event('L2', 'A0', 'p:b', '2024-01-01T09:00:00'),
      event('L2', 'A00', 'p:b', '2024-01-01T09:00:00'),
      event('L2', 'B1', 'p:a', '2024-01-05T09:00:00'),
    ];

    const ordered = inPersonOrder([
      { events: EventRows.from(l1), revenue: RevenueRows.EMPTY },
      { events: EventRows.from(l2), revenue: RevenueRows.EMPTY },
    ])
      .events.toArray()
      .map((e) => e.patientId);

    // 'p:B' < 'p:a' < 'p:b' in code units.
    expect(ordered).toEqual(['A1', 'B1', 'A3', 'A0', 'A00', 'B2', 'A2']);
  });

  it('orders revenue by person key then day, a tie of two locations in the lists’ order', () => {
    const ordered = inPersonOrder([
      {
        events: EventRows.EMPTY,
        revenue: RevenueRows.from([revenue('L1', 'p:b', '2024-01-02'), revenue('L1', 'p:a', '2024-01-09')]),
      },
      {
        events: EventRows.EMPTY,
        revenue: RevenueRows.from([revenue('L2', 'p:b', '2024-01-01'), revenue('L2', 'p:b', '2024-01-02')]),
      },
    ])
      .revenue.toArray()
      .map((r) => `${r.personKey} ${r.day} ${r.locationId}`);

    expect(ordered).toEqual([
      'p:a 2024-01-09 L1',
      'p:b 2024-01-01 L2',
      'p:b 2024-01-02 L1',
      'p:b 2024-01-02 L2',
    ]);
  });

  it('answers nothing for no lists', () => {
    for (const facts of [
      inPersonOrder([]),
      inPersonOrder([{ events: EventRows.EMPTY, revenue: RevenueRows.EMPTY }]),
    ]) {
      expect(facts.events.length).toBe(0);
      expect(facts.revenue.length).toBe(0);
    }
  });
});
