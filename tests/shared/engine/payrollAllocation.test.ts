import {
  locationShare,
  productionIndex,
  type ProductionLookup,
  spreadOverDays,
} from '../../../shared/engine/payrollAllocation';

function spread(start: string, end: string): [string, number][] {
  const calls: [string, number][] = [];
  spreadOverDays(start, end, (day, fraction) => calls.push([day, fraction]));
  return calls;
}

describe('spreading a pay period over its days', () => {
  it('gives every calendar day of the pay period the same share', () => {
    // 2024-03-25..2024-04-07 = 14 days, 7 in March (Q1) and 7 in April (Q2).
    const calls = spread('2024-03-25', '2024-04-07');
    expect(calls).toHaveLength(14);
    expect(calls.every(([, fraction]) => fraction === 1 / 14)).toBe(true);
    expect(calls.map(([day]) => day).filter((day) => day <= '2024-03-31')).toEqual([
      '2024-03-25',
      '2024-03-26',
      '2024-03-27',
      '2024-03-28',
      '2024-03-29',
      '2024-03-30',
      '2024-03-31',
    ]);
    expect(calls[7]).toEqual(['2024-04-01', 1 / 14]);
  });

  it('counts 29 February in a leap year', () => {
    expect(spread('2024-02-28', '2024-03-01').map(([day]) => day)).toEqual([
      '2024-02-28',
      '2024-02-29',
      '2024-03-01',
    ]);
  });

  it('puts a one-day pay period entirely on that day', () => {
    expect(spread('2024-05-06', '2024-05-06')).toEqual([['2024-05-06', 1]]);
  });
});

describe('splitting a location-less payroll line across the provider’s locations', () => {
  // PR1 works at S1 and S2; in the pay period S1 produced 1,000.00 and S2 2,500.00.
  const production: ProductionLookup = (providerId, locationId) =>
    providerId !== 'PR1' ? 0 : locationId === 'S1' ? 100_000 : locationId === 'S2' ? 250_000 : 0;

  it('splits in proportion to production in the pay period', () => {
    // 1,000 / 3,500 = 2/7 and 2,500 / 3,500 = 5/7
    expect(locationShare('PR1', 'S1', ['S1', 'S2'], '2024-03-25', '2024-04-07', production)).toBe(
      100_000 / 350_000,
    );
    expect(locationShare('PR1', 'S2', ['S1', 'S2'], '2024-03-25', '2024-04-07', production)).toBe(
      250_000 / 350_000,
    );
  });

  it('splits equally when the provider had no production in the pay period', () => {
    const none: ProductionLookup = () => 0;
    expect(locationShare('PR1', 'S1', ['S1', 'S2'], '2024-04-08', '2024-04-21', none)).toBe(0.5);
    expect(locationShare('PR1', 'S2', ['S1', 'S2'], '2024-04-08', '2024-04-21', none)).toBe(0.5);
    expect(locationShare('PR1', 'S3', ['S1', 'S2', 'S3'], '2024-04-08', '2024-04-21', none)).toBe(1 / 3);
  });

  it('splits equally when refunds leave the provider’s production in the pay period negative', () => {
    const refunds: ProductionLookup = (_, locationId) => (locationId === 'S1' ? -5_000 : 0);
    expect(locationShare('PR1', 'S1', ['S1', 'S2'], '2024-04-08', '2024-04-21', refunds)).toBe(0.5);
  });

  it('gives nothing to a location the provider does not work at', () => {
    expect(locationShare('PR1', 'S9', ['S1', 'S2'], '2024-03-25', '2024-04-07', production)).toBe(0);
  });

  it('gives everything to the only location of a provider', () => {
    expect(locationShare('PR1', 'S1', ['S1'], '2024-03-25', '2024-04-07', production)).toBe(1);
  });
});

describe('the production index', () => {
  const lookup = productionIndex([
    { providerId: 'PR1', locationId: 'S2', day: '2024-04-05', cents: -50_000 },
    { providerId: 'PR1', locationId: 'S1', day: '2024-03-28', cents: 100_000 },
    { providerId: 'PR1', locationId: 'S2', day: '2024-04-02', cents: 300_000 },
    { providerId: 'PR1', locationId: 'S2', day: '2024-04-02', cents: 20_000 },
    { providerId: 'PR2', locationId: 'S1', day: '2024-04-02', cents: 150_000 },
  ]);

  it('sums a provider’s production at a location over an inclusive day range, whatever the input order', () => {
    // S2: 3,000.00 + 200.00 on 04-02 − 500.00 on 04-05 = 2,700.00
    expect(lookup('PR1', 'S2', '2024-03-25', '2024-04-07')).toBe(270_000);
    // Both ends are included.
    expect(lookup('PR1', 'S2', '2024-04-02', '2024-04-02')).toBe(320_000);
    expect(lookup('PR1', 'S2', '2024-04-05', '2024-04-05')).toBe(-50_000);
    expect(lookup('PR1', 'S2', '2024-04-03', '2024-04-04')).toBe(0);
  });

  it('keeps providers and locations apart and answers 0 for what it has never seen', () => {
    expect(lookup('PR1', 'S1', '2024-03-25', '2024-04-07')).toBe(100_000);
    expect(lookup('PR2', 'S1', '2024-03-25', '2024-04-07')).toBe(150_000);
    expect(lookup('PR2', 'S2', '2024-03-25', '2024-04-07')).toBe(0);
    expect(lookup('PR9', 'S1', '2024-01-01', '2024-12-31')).toBe(0);
  });

  it('answers 0 for a range before or after every entry', () => {
    expect(lookup('PR1', 'S2', '2024-01-01', '2024-03-31')).toBe(0);
    expect(lookup('PR1', 'S2', '2024-05-01', '2024-05-31')).toBe(0);
  });
});

describe('a location with negative production in the pay period', () => {
  it('gets no share of a location-less payroll line, and the shares still add up to 1', () => {
    // Production: L1 −100.00 (net refunds), L2 500.00 → L1 counts as 0: shares 0 and 500/500 = 1.
    const production = productionIndex([
      { providerId: 'P', locationId: 'L1', day: '2024-03-26', cents: -10000 },
      { providerId: 'P', locationId: 'L2', day: '2024-03-26', cents: 50000 },
    ]);
    expect(locationShare('P', 'L1', ['L1', 'L2'], '2024-03-25', '2024-04-07', production)).toBe(0);
    expect(locationShare('P', 'L2', ['L1', 'L2'], '2024-03-25', '2024-04-07', production)).toBe(1);
  });
});
