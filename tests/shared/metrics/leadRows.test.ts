import { LeadRows } from '../../../shared/metrics/leadRows';
import { toDayNumber } from '../../../shared/model/localDate';

describe('the leads as columns', () => {
  it('read back every field of every lead as added, a missing hash as null', () => {
    const leads = LeadRows.from([
      { location_id: 'L1', channel: 'Meta', created_on: '2024-04-02', touch: 1, email_id: 7, phone_id: null },
      {
        location_id: 'L2',
        channel: 'google_ads',
        created_on: '2024-03-25',
        touch: 0,
        email_id: null,
        phone_id: 0,
      },
      {
        location_id: 'L1',
        channel: 'Meta',
        created_on: '2024-04-02',
        touch: 2,
        email_id: null,
        phone_id: null,
      },
    ]);
    expect(leads.length).toBe(3);
    expect([0, 1, 2].map((row) => leads.locationIdOf(row))).toEqual(['L1', 'L2', 'L1']);
    expect([0, 1, 2].map((row) => leads.channelOf(row))).toEqual(['Meta', 'google_ads', 'Meta']);
    expect([0, 1, 2].map((row) => leads.createdOnOf(row))).toEqual([
      '2024-04-02',
      '2024-03-25',
      '2024-04-02',
    ]);
    expect([0, 1, 2].map((row) => leads.touchOf(row))).toEqual([1, 0, 2]);
    expect([0, 1, 2].map((row) => leads.emailIdOf(row))).toEqual([7, null, null]);
    // Hash number 0 is a hash, not its absence.
    expect([0, 1, 2].map((row) => leads.phoneIdOf(row))).toEqual([null, 0, null]);
    expect([...leads.createdDayNumbers()]).toEqual(
      ['2024-04-02', '2024-03-25', '2024-04-02'].map((day) => toDayNumber(day)),
    );
  });

  it('grows past its first capacity without losing a lead', () => {
    const builder = LeadRows.builder();
    const n = 5000;
    for (let i = 0; i < n; i += 1) builder.add(`L${i % 3}`, 'meta', '2024-01-01', i, i % 2 === 0 ? null : i);
    const leads = builder.build(Int32Array.from({ length: n }, (_, i) => n - 1 - i));
    expect(leads.length).toBe(n);
    expect(leads.locationIdOf(4999)).toBe('L1');
    expect(leads.emailIdOf(4321)).toBe(4321);
    expect(leads.phoneIdOf(4320)).toBeNull();
    expect(leads.phoneIdOf(4321)).toBe(4321);
    expect(leads.touchOf(0)).toBe(n - 1);
  });

  it('refuses last-touch ranks that do not match its leads one for one', () => {
    const builder = LeadRows.builder();
    builder.add('L1', 'meta', '2024-01-01', null, null);
    expect(() => builder.build(new Int32Array(2))).toThrow('leads: 2 last-touch ranks for 1 leads');
  });
});
