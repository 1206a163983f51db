import fc from 'fast-check';

import { EventRows } from '../../../../shared/engine/eventRows';
import type { PatientEvent, PatientRevenue } from '../../../../shared/engine/patientEvents';
import { RevenueRows } from '../../../../shared/engine/revenueRows';
import { MetricContext } from '../../../../shared/metrics/metricContext';
import { revenueRowsAt, visitsAt } from '../../../../shared/metrics/patients/patientFacts';
import { location, metricData, patientEvent } from '../../../support/metricData';

/*
 * The per-location lists the patient metrics read by date: visits by start, then the location's
 * own order (person key, appointment id), and revenue rows by day, rows equal in those in the
 * metric data's order (a stable sort). They are sorted by counting sorts; these hold them to the
 * comparison sorts they replace.
 */

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function contextOf(events: PatientEvent[], revenue: PatientRevenue[]): MetricContext {
  const data = metricData([location('L1')], [], { first: '2024-01-01', last: '2024-12-31' });
  return new MetricContext({ ...data, events: EventRows.from(events), revenue: RevenueRows.from(revenue) });
}

const starts = fc.oneof(
  fc.constantFrom('2024-03-05T09:00:00', '2024-03-05T09:00:30', '2024-03-05T09:01:00', '2023-12-31T23:59:59'),
  fc
    .record({
      day: fc.integer({ min: 1, max: 28 }),
      hour: fc.integer({ min: 0, max: 23 }),
      minute: fc.constantFrom(0, 15, 30, 59),
      second: fc.constantFrom(0, 1, 59),
    })
    .map(({ day, hour, minute, second }) => {
      const two = (n: number) => String(n).padStart(2, '0');
      return `2024-02-${two(day)}T${two(hour)}:${two(minute)}:${two(second)}`;
    }),
);

describe('the patient facts of a location, by date', () => {
  it('lists visits by start, then person key and appointment id, whatever the order loaded', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ start: starts, id: fc.constantFrom('A1', 'A2', 'A10', 'B', 'a') }), {
          maxLength: 40,
        }),
        (specs) => {
          const events = specs.map(({ start, id }, i) =>
            patientEvent({ appointmentId: `${id}-${i % 3}`, personKey: `p${i % 4}`, startAt: start }),
          );
          const ctx = contextOf(events, []);
          const expected = events
            .filter((e) => e.status === 'completed')
            .sort(
              (a, b) =>
                byCodeUnits(a.startAt, b.startAt) ||
                byCodeUnits(a.personKey, b.personKey) ||
                byCodeUnits(a.appointmentId, b.appointmentId),
            )
            .map(({ appointmentId: _, ...loaded }) => loaded);
          expect([...visitsAt(ctx, 'L1')].map((row) => ctx.data.events.at(row))).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('orders starts of any text by code units (before 1970, malformed)', () => {
    const events = [
      patientEvent({ appointmentId: 'b', personKey: 'p1', startAt: '2024-01-02T10:00:00' }),
      patientEvent({ appointmentId: 'a', personKey: 'p2', startAt: '1969-07-20T20:17:00' }),
      patientEvent({ appointmentId: 'c', personKey: 'p3', startAt: '2024-01-02T10:00' }),
    ];
    // A shorter start sorts before the longer one it begins (code-unit order).
    const ctx = contextOf(events, []);
    expect([...visitsAt(ctx, 'L1')].map((row) => ctx.data.events.personKeyOf(row))).toEqual([
      'p2',
      'p3',
      'p1',
    ]);
  });

  it('lists revenue rows by day, rows of one day in the order loaded', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('2024-01-31', '2024-02-01', '2023-12-31', '2024-02-29', '1969-12-31'), {
          maxLength: 30,
        }),
        (days) => {
          const revenue = days.map((day, i) => ({ locationId: 'L1', personKey: `p${i}`, day, netCents: i }));
          const ctx = contextOf([], revenue);
          // Loaded: in the metric data's order (person, then day).
          const loaded = ctx.data.revenue.toArray();
          const expected = [...loaded].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
          expect([...revenueRowsAt(ctx, 'L1')].map((row) => ctx.data.revenue.at(row))).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });
});
