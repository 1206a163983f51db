import { EventRows } from '../../../shared/engine/eventRows';
import type { PatientEvent, PatientRevenue } from '../../../shared/engine/patientEvents';
import { RevenueRows } from '../../../shared/engine/revenueRows';
import { metricContextOf } from '../../../shared/metrics/openMetrics';
import { monthlyActivity } from '../../../shared/metrics/patients/monthlyActivity';
import { addMonths, firstDayOfMonth, lastDayOfMonth } from '../../../shared/model/localDate';
import { location, metricData, patientEvent } from '../../support/metricData';

/**
 * The counted figures of trailing 12-month windows (monthly activity: runs of months summed
 * into difference arrays) against the definition walked by brute force over the same facts:
 * active = persons with a completed visit at the locations in the 12 months to the month end,
 * base = in the 12 months before those, retained = in both, and the retained persons' net
 * revenue at the locations in the last 12 months.
 */

/** A small deterministic generator (mulberry32), so a failure replays. */
function generator(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST_MONTH = '2022-01';
const MONTHS = 40;
const LOCATIONS = ['L1', 'L2'];

function facts(seed: number): { events: PatientEvent[]; revenue: PatientRevenue[] } {
  const random = generator(seed);
  const events: PatientEvent[] = [];
  const revenue: PatientRevenue[] = [];
  for (let p = 0; p < 60; p += 1) {
    const personKey = `p${String(p).padStart(2, '0')}`;
    // Some persons come often, some once, some in bursts years apart.
    const visits = 1 + Math.floor(random() * random() * 12);
    for (let v = 0; v < visits; v += 1) {
      const month = addMonths(FIRST_MONTH, Math.floor(random() * MONTHS));
      const day = `${month}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`;
      const locationId = LOCATIONS[Math.floor(random() * LOCATIONS.length)]!;
      const status = random() < 0.8 ? 'completed' : 'no_show';
      events.push(
        patientEvent({
          appointmentId: `${personKey}-${v}`,
          personKey,
          startAt: `${day}T10:00:00`,
          locationId,
          status,
        }),
      );
      if (random() < 0.7)
        revenue.push({ locationId, personKey, day, netCents: Math.floor(random() * 50_000) - 5_000 });
    }
  }
  const byPersonThenStart = (a: PatientEvent, b: PatientEvent) =>
    a.personKey === b.personKey ? (a.startAt < b.startAt ? -1 : 1) : a.personKey < b.personKey ? -1 : 1;
  events.sort(byPersonThenStart);
  revenue.sort((a, b) =>
    a.personKey === b.personKey ? (a.day < b.day ? -1 : 1) : a.personKey < b.personKey ? -1 : 1,
  );
  return { events, revenue };
}

function walked(
  { events, revenue }: { events: PatientEvent[]; revenue: PatientRevenue[] },
  locationIds: readonly string[],
  endMonth: string,
) {
  const end = lastDayOfMonth(endMonth);
  const lastStart = firstDayOfMonth(addMonths(endMonth, -11));
  const priorStart = firstDayOfMonth(addMonths(endMonth, -23));
  const within = (day: string, from: string, to: string) => day >= from && day <= to;
  const visitorsBetween = (from: string, to: string) =>
    new Set(
      events
        .filter((e) => e.status === 'completed' && locationIds.includes(e.locationId))
        .filter((e) => within(e.startAt.slice(0, 10), from, to))
        .map((e) => e.personKey),
    );
  const active = visitorsBetween(lastStart, end);
  const base = visitorsBetween(priorStart, lastDayOfMonth(addMonths(endMonth, -12)));
  const retained = [...base].filter((person) => active.has(person));
  const retainedCents = revenue
    .filter((r) => locationIds.includes(r.locationId) && within(r.day, lastStart, end))
    .filter((r) => retained.includes(r.personKey))
    .reduce((sum, r) => sum + r.netCents, 0);
  return { active: active.size, base: base.size, retained: retained.length, retainedCents };
}

describe('monthly activity: active, base and retained patients of trailing 12-month windows', () => {
  it.each([1, 2, 3])(
    'counts what walking the visits finds, at every month end, for each location and both (seed %i)',
    (seed) => {
      const data = metricData(
        LOCATIONS.map((id) => location(id)),
        [],
        { first: `${FIRST_MONTH}-01`, last: lastDayOfMonth(addMonths(FIRST_MONTH, MONTHS + 24)) },
      );
      const generated = facts(seed);
      data.events = EventRows.from(generated.events);
      data.revenue = RevenueRows.from(generated.revenue);
      const ctx = metricContextOf(data);
      // Before the first visit, through the windows of the last, and 24 months beyond.
      for (let m = -2; m <= MONTHS + 24; m += 1) {
        const endMonth = addMonths(FIRST_MONTH, m);
        for (const locationIds of [['L1'], ['L2'], LOCATIONS]) {
          expect({
            endMonth,
            locationIds,
            ...monthlyActivity(ctx, locationIds, lastDayOfMonth(endMonth)),
          }).toEqual({
            endMonth,
            locationIds,
            ...walked(generated, locationIds, endMonth),
          });
        }
      }
    },
  );
});
