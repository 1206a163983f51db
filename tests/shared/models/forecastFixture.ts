import { EventRows } from '../../../shared/engine/eventRows';
import { M } from '../../../shared/engine/measures';
import type { PatientEvent, PatientRevenue } from '../../../shared/engine/patientEvents';
import { RevenueRows } from '../../../shared/engine/revenueRows';
import { MetricContext } from '../../../shared/metrics/metricContext';
import type { LocationRow, ServiceCategory } from '../../../shared/model/canonicalBundle';
import { location, metricData } from '../../support/metricData';

/**
 * Hand-made data for the revenue forecast tests: appointments, the patients' revenue and the
 * daily measures of one location L1, consistent with each other as an ingest makes them.
 */

let serial = 0;
export function visit(
  personKey: string,
  day: string,
  category: ServiceCategory,
  overrides: Partial<PatientEvent> = {},
): PatientEvent {
  serial += 1;
  return {
    locationId: 'L1',
    appointmentId: `A${String(serial).padStart(5, '0')}`,
    personKey,
    patientId: `P-${personKey}`,
    providerId: null,
    category,
    status: 'completed',
    startAt: `${day}T10:00:00`,
    bookedOn: day,
    durationMin: 30,
    ...overrides,
  };
}

export interface Sale {
  personKey: string | null;
  day: string;
  category: ServiceCategory | null;
  cents: number;
}

/** MetricData whose daily measures, patient revenue and appointments agree, like an ingest makes them. */
export function dataOf(
  events: PatientEvent[],
  sales: Sale[],
  range: { first: string; last: string },
  locationOverrides: Partial<LocationRow> = {},
): MetricContext {
  const daily = sales.flatMap((s) =>
    s.category === null
      ? [{ locationId: 'L1', providerId: '', day: s.day, measure: M.net('retail'), value: s.cents }]
      : [
          { locationId: 'L1', providerId: '', day: s.day, measure: M.net('service'), value: s.cents },
          {
            locationId: 'L1',
            providerId: '',
            day: s.day,
            measure: M.serviceNetByCategory(s.category),
            value: s.cents,
          },
        ],
  );
  const data = metricData([location('L1', locationOverrides)], daily, range);
  const revenue: PatientRevenue[] = sales
    .filter((s) => s.personKey !== null)
    .map((s) => ({ locationId: 'L1', personKey: s.personKey as string, day: s.day, netCents: s.cents }));
  return new MetricContext({ ...data, events: EventRows.from(events), revenue: RevenueRows.from(revenue) });
}

/** A visit with its sale: the day's revenue of the patient. */
export function paidVisits(personKey: string, category: ServiceCategory, cents: number, days: string[]) {
  return {
    events: days.map((d) => visit(personKey, d, category)),
    sales: days.map((day) => ({ personKey, day, category, cents })),
  };
}

const MONTHS_2024 = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12'].map(
  (m) => `2024-${m}`,
);

/**
 * Four patients over 2024 and $30 of retail each month:
 * - A, neurotoxin every 92 days (Feb 10, May 12, Aug 12, Nov 12), $400 a visit: due 2025-02-12;
 * - B, two facials 35 days apart (Jul 5, Aug 9), $200 each, then nothing: overdue at every origin;
 * - C, laser on the 5th of every month, $300;
 * - N, new in November: one facial on Nov 15, $250.
 */
export function handMade(options: { withLaterMonths?: boolean } = {}): MetricContext {
  const parts = [
    paidVisits('A', 'neurotoxin', 40000, ['2024-02-10', '2024-05-12', '2024-08-12', '2024-11-12']),
    paidVisits('B', 'facial', 20000, ['2024-07-05', '2024-08-09']),
    paidVisits(
      'C',
      'laser',
      30000,
      MONTHS_2024.map((m) => `${m}-05`),
    ),
    paidVisits('N', 'facial', 25000, ['2024-11-15']),
  ];
  const retail = MONTHS_2024.map((m) => ({ personKey: null, day: `${m}-01`, category: null, cents: 3000 }));
  if (options.withLaterMonths) {
    // What happened after 2024: visits booked after the year's end, a new patient, more retail.
    parts.push(
      paidVisits('A', 'neurotoxin', 45000, ['2025-02-14']),
      paidVisits('C', 'laser', 31000, ['2025-01-05', '2025-02-05', '2025-03-05']),
      paidVisits('Q', 'filler', 70000, ['2025-01-20', '2025-03-02']),
    );
    for (const p of parts.slice(-3)) for (const e of p.events) e.bookedOn = '2025-01-02';
    retail.push(
      ...['01', '02', '03'].map((m) => ({
        personKey: null,
        day: `2025-${m}-01`,
        category: null,
        cents: 9000,
      })),
    );
  }
  return dataOf(
    parts.flatMap((p) => p.events),
    [...parts.flatMap((p) => p.sales), ...retail],
    { first: '2024-01-01', last: options.withLaterMonths ? '2025-03-31' : '2024-12-31' },
  );
}
