import type { Portfolio } from '../../../addin/api/caliperClient';
import { locationFreshness } from '../../../addin/taskpane/freshness';

function location(
  id: string,
  lastSale: string | null,
  dates: { opened_on?: string; closed_on?: string | null } = {},
) {
  return {
    location_id: id,
    name: `Clinic ${id}`,
    region: null,
    emr_system: null,
    opened_on: dates.opened_on ?? '2020-01-01',
    closed_on: dates.closed_on ?? null,
    providers: 1,
    patients: 1,
    first_sale_on: lastSale,
    last_sale_on: lastSale,
  };
}

const portfolio: Portfolio = {
  tenant: 't1',
  locations: [
    location('L1', '2024-06-30'),
    location('L2', '2024-05-26'),
    location('L3', '2024-05-25'),
    location('L4', null),
  ],
  providers: [],
  data_freshness: [
    { location_id: 'L1', last_sale_on: '2024-06-30', last_ingest_at: '2024-07-01T08:00:00Z' },
    { location_id: 'L2', last_sale_on: '2024-05-26', last_ingest_at: null },
  ],
  periods: { first_month: '2024-01', last_month: '2024-06', as_of_month: '2024-05' },
};

describe('locationFreshness', () => {
  it('calls a location stale beyond 35 days behind the newest sale, and says when it has none', () => {
    expect(
      locationFreshness(portfolio).map((f) => [f.locationId, f.status, f.daysBehind, f.lastIngestAt]),
    ).toEqual([
      ['L1', 'open', 0, '2024-07-01T08:00:00Z'],
      ['L2', 'open', 35, null],
      ['L3', 'stale', 36, null],
      ['L4', 'no_sales', null, null],
    ]);
  });

  it('calls a closed location Closed, not Stale, and one not yet open Not yet open', () => {
    const withDates: Portfolio = {
      ...portfolio,
      locations: [
        location('L1', '2024-06-30'),
        // Closed in March: its sales stop there, which is no missing upload.
        location('L5', '2024-03-31', { closed_on: '2024-03-31' }),
        // Closing later than today: still open, and current.
        location('L6', '2024-06-29', { closed_on: '2024-12-31' }),
        location('L7', null, { opened_on: '2024-09-01' }),
      ],
    };
    expect(locationFreshness(withDates, '2024-07-02').map((f) => [f.locationId, f.status])).toEqual([
      ['L1', 'open'],
      ['L5', 'closed'],
      ['L6', 'open'],
      ['L7', 'not_opened'],
    ]);
  });
});
