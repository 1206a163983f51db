import {
  chooseRevenueSource,
  describeReconciliationRow,
  reconcileSales,
  type ReconciliationLine,
} from '../../../shared/reconciliation/salesReconciliation';

const line = (
  locationId: string,
  soldOn: string,
  netCents: number,
  kind = 'service',
): ReconciliationLine => ({
  locationId,
  soldOn,
  kind,
  netCents,
});

describe('chooseRevenueSource', () => {
  it('takes the EMR by default, the user’s choice when given, and refuses a system the location lacks', () => {
    const systems = [
      { system: 'square', role: 'pos' as const },
      { system: 'zenoti', role: 'emr' as const },
    ];
    expect(chooseRevenueSource(systems)).toBe('zenoti');
    expect(chooseRevenueSource(systems, 'square')).toBe('square');
    expect(chooseRevenueSource([{ system: 'stripe', role: 'pos' }])).toBe('stripe');
    expect(chooseRevenueSource([])).toBeNull();
    expect(() => chooseRevenueSource(systems, 'boulevard')).toThrow(/not one of this location's systems/);
  });
});

describe('reconcileSales', () => {
  // L1 March: Zenoti 1,000.00 + 250.00 − 50.00 (refund) = 1,200.00; Square 1,230.00 = +2.5 % → flagged.
  // L1 April: Zenoti 2,000.00; Square 2,030.00 = +1.5 % → within tolerance.
  // L1 May: only Square has sales (the Zenoti export is missing) → flagged, no ratio.
  // Gift cards sold at the POS are not revenue and do not count on either side.
  const zenoti = [
    line('L1', '2025-03-02', 100_000),
    line('L1', '2025-03-15', 25_000),
    line('L1', '2025-03-20', -5_000),
    line('L1', '2025-04-10', 200_000),
  ];
  const square = [
    line('L1', '2025-03-31', 123_000),
    line('L1', '2025-03-31', 50_000, 'gift_card'),
    line('L1', '2025-04-01', 203_000),
    line('L1', '2025-05-05', 10_000),
  ];
  const rows = reconcileSales({ system: 'zenoti', lines: zenoti }, { system: 'square', lines: square });

  it('puts both systems’ net sales side by side per location-month, to the cent', () => {
    expect(rows.map((r) => [r.month, r.revenueCents, r.comparedCents, r.differenceCents])).toEqual([
      ['2025-03', 120_000, 123_000, 3_000],
      ['2025-04', 200_000, 203_000, 3_000],
      ['2025-05', 0, 10_000, 10_000],
    ]);
    expect(rows[0]?.differenceRatio).toBeCloseTo(0.025, 10);
    expect(rows[1]?.differenceRatio).toBeCloseTo(0.015, 10);
    expect(rows[2]?.differenceRatio).toBeNull();
  });

  it('flags differences above 2 % and months only one system has', () => {
    expect(rows.map((r) => r.flagged)).toEqual([true, false, true]);
  });

  it('describes a flagged month in dollars and percent', () => {
    expect(describeReconciliationRow(rows[0]!)).toBe(
      'L1 2025-03: square net sales $1,230.00 vs zenoti (revenue source) $1,200.00, difference +$30.00 (+2.5 %), above the 2 % tolerance',
    );
    expect(describeReconciliationRow(rows[2]!)).toMatch(/zenoti has no sales that month/);
  });

  it('keeps locations apart', () => {
    const two = reconcileSales(
      { system: 'a', lines: [line('L1', '2025-01-01', 100), line('L2', '2025-01-01', 100)] },
      { system: 'b', lines: [line('L1', '2025-01-01', 100)] },
    );
    expect(two.map((r) => [r.locationId, r.flagged])).toEqual([
      ['L1', false],
      ['L2', true],
    ]);
  });
});
