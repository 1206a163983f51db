import fc from 'fast-check';

import type { PatientRevenue } from '../../../shared/engine/patientEvents';
import { RevenueRows } from '../../../shared/engine/revenueRows';

/*
 * The tenant's revenue per person, day and location as columns: one order (person key in code
 * units, then day, ties as they came), tables sorted so numbers compare as their texts do.
 */

const row = (personKey: string, day: string, locationId = 'L1', netCents = 100): PatientRevenue => ({
  locationId,
  personKey,
  day,
  netCents,
});

/** The one order, by comparisons: a stable sort by person key, then day. */
function byPersonThenDay(rows: readonly PatientRevenue[]): PatientRevenue[] {
  return [...rows].sort((a, b) =>
    a.personKey !== b.personKey
      ? a.personKey < b.personKey
        ? -1
        : 1
      : a.day < b.day
        ? -1
        : a.day > b.day
          ? 1
          : 0,
  );
}

const rows = fc.array(
  fc.record({
    personKey: fc.constantFrom('p:a', 'p:B', 'p:b', 'p:é', 'id:7', 'p:a2'),
    day: fc.constantFrom('2024-01-31', '2024-02-01', '2023-12-31', '2024-02-29'),
    locationId: fc.constantFrom('L1', 'L2', 'l1'),
    netCents: fc.integer({ min: -1_000_000, max: 1_000_000 }),
  }),
  { maxLength: 40 },
);

describe('revenue rows as columns', () => {
  it('hold the rows in person then day order, ties in the order they came, the cents exact', () => {
    const given = [
      row('p:b', '2024-01-02', 'L2', 1),
      row('p:a', '2024-01-09', 'L1', 2),
      row('p:B', '2024-01-05', 'L1', 2 ** 53 - 1),
      row('p:b', '2024-01-01', 'L1', -500),
      row('p:b', '2024-01-02', 'L1', 3),
    ];
    const revenue = RevenueRows.from(given);
    expect(revenue.toArray()).toEqual([given[2], given[1], given[3], given[0], given[4]]);
    expect(revenue.personKeys).toEqual(['p:B', 'p:a', 'p:b']);
    expect(revenue.days).toEqual(['2024-01-01', '2024-01-02', '2024-01-05', '2024-01-09']);
    expect(revenue.locationIds).toEqual(['L1', 'L2']);
  });

  it('order any rows as a stable comparison sort does', () => {
    fc.assert(
      fc.property(rows, (given) => {
        expect(RevenueRows.from(given).toArray()).toEqual(byPersonThenDay(given));
      }),
      { numRuns: 300 },
    );
  });

  it('merge several sets as one set of all their rows, in the parts’ order', () => {
    fc.assert(
      fc.property(fc.array(rows, { maxLength: 4 }), (parts) => {
        const merged = RevenueRows.merged(parts.map((part) => RevenueRows.from(part)));
        // Each part is ordered first; ties across parts then keep the parts' order.
        const expected = byPersonThenDay(parts.flatMap((part) => byPersonThenDay(part)));
        expect(merged.toArray()).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('rename persons and come back in the one order; unchanged when no key changes', () => {
    const revenue = RevenueRows.from([
      row('P', '2024-01-05'),
      row('F', '2024-02-01'),
      row('E', '2024-03-01'),
    ]);
    expect(revenue.withPersonKeys((key) => key)).toBe(revenue);
    const renamed = revenue.withPersonKeys((key) => (key === 'P' ? 'E' : key));
    expect(renamed.personKeys).toEqual(['E', 'F']);
    expect(renamed.toArray().map((r) => `${r.personKey} ${r.day}`)).toEqual([
      'E 2024-01-05',
      'E 2024-03-01',
      'F 2024-02-01',
    ]);
  });

  it('find a person’s run, a location and the day numbers of a window', () => {
    const revenue = RevenueRows.from([
      row('b', '2024-01-02', 'L2'),
      row('a', '2024-01-09'),
      row('b', '2024-01-01'),
      row('b', '2024-01-05'),
    ]);
    const b = revenue.personNumber('b');
    expect(b).toBe(1);
    expect([revenue.runStart(b), revenue.runStart(b + 1)]).toEqual([1, 4]);
    expect(revenue.runStart(0)).toBe(0);
    expect(revenue.personNumber('c')).toBe(-1);
    expect(revenue.locationNumber('L2')).toBe(1);
    expect(revenue.locationNumber('L3')).toBe(-1);
    // Days 2024-01-01, -02, -05, -09: a window [from, to] is the numbers [dayNumberFrom, dayNumberAfter).
    expect([revenue.dayNumberFrom('2024-01-02'), revenue.dayNumberAfter('2024-01-05')]).toEqual([1, 3]);
    expect([revenue.dayNumberFrom('2024-01-03'), revenue.dayNumberAfter('2024-01-04')]).toEqual([2, 2]);
    expect([revenue.dayNumberFrom('2025-01-01'), revenue.dayNumberAfter('2023-01-01')]).toEqual([4, 0]);
  });

  it('hold nothing when empty', () => {
    expect(RevenueRows.EMPTY.length).toBe(0);
    expect(RevenueRows.merged([]).length).toBe(0);
    expect(RevenueRows.EMPTY.runStart(0)).toBe(0);
  });
});
