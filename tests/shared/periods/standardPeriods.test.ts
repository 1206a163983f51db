import { BATCH_PERIODS } from '../../../scripts/bench/batchCells';
import { standardPeriods } from '../../../shared/periods/standardPeriods';

describe('the standard periods a workbook asks of every metric', () => {
  it('end at the as-of month: 24 months, 9 quarters, 3 years and fiscal years, LTM, YTD, QTD', () => {
    const periods = standardPeriods('2026-10', 1);
    expect(periods.slice(0, 3)).toEqual(['2026-10', '2026-09', '2026-08']);
    expect(periods[23]).toBe('2024-11');
    expect(periods.slice(24, 33)).toEqual([
      '2026-Q4',
      '2026-Q3',
      '2026-Q2',
      '2026-Q1',
      '2025-Q4',
      '2025-Q3',
      '2025-Q2',
      '2025-Q1',
      '2024-Q4',
    ]);
    expect(periods.slice(33)).toEqual(['2026', 'FY2026', '2025', 'FY2025', '2024', 'FY2024', 'LTM', 'YTD', 'QTD']);
    expect(new Set(periods).size).toBe(periods.length);
  });

  it('name a fiscal year after the calendar year it ends in', () => {
    // Fiscal years from July: October 2026 is in FY2027 (July 2026 – June 2027).
    expect(standardPeriods('2026-10', 7).filter((p) => p.startsWith('FY'))).toEqual([
      'FY2027',
      'FY2026',
      'FY2025',
    ]);
    // June 2026 ends FY2026.
    expect(standardPeriods('2026-06', 7).filter((p) => p.startsWith('FY'))).toEqual([
      'FY2026',
      'FY2025',
      'FY2024',
    ]);
  });

  it("cover every period of the bench's batch, a roll-forward model ending October 2026", () => {
    const periods = new Set(standardPeriods('2026-10', 1));
    expect(BATCH_PERIODS.filter((p) => !periods.has(p))).toEqual([]);
  });
});
