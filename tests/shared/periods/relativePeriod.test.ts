import {
  parsePeriod,
  parsePeriodOrThrow,
  type PeriodContext,
  priorYear,
  resolvePeriod,
} from '../../../shared/periods/period';

function resolve(text: string, ctx: PeriodContext) {
  const result = resolvePeriod(parsePeriodOrThrow(text), ctx);
  if (!result.success) throw new Error(result.error.message);
  return result.period;
}

const JUNE_2025 = { fiscalYearStartMonth: 1, asOfMonth: '2025-06' };
const JULY_START_AT_JUNE_2025 = { fiscalYearStartMonth: 7, asOfMonth: '2025-06' };

describe('parsePeriod accepts the relative forms of roll-forward templates', () => {
  it.each([
    ['FY0', { kind: 'relative_block', block: 'FY', offset: 0 }],
    ['fy-1', { kind: 'relative_block', block: 'FY', offset: -1 }],
    ['FY-12', { kind: 'relative_block', block: 'FY', offset: -12 }],
    ['FY1', { kind: 'relative_block', block: 'FY', offset: 1 }],
    ['LTM-1', { kind: 'relative', window: 'LTM', yearsBack: 1 }],
    [' ytd-2 ', { kind: 'relative', window: 'YTD', yearsBack: 2 }],
  ])('parses %j', (text, expected) => {
    expect(parsePeriod(text)).toEqual({ success: true, period: expected });
  });

  it('points LTM0 to the bare form instead of accepting a second spelling', () => {
    const result = parsePeriod('LTM0');
    expect(result.success).toBe(false);
    if (!result.success) {
      expect(result.error.message).toMatch(/^Unrecognized period "LTM0": LTM0 is written LTM \(the window/);
    }
  });

  it.each(['FY+1', 'FY-', 'FY-100', 'QTD-1', 'MTD-1', 'LTM-1@2025-06'])('rejects %j', (text) => {
    expect(parsePeriod(text).success).toBe(false);
  });
});

describe('resolvePeriod for relative forms counts back from the as-of month', () => {
  // Issue 13, item 2: FY0 used to be the fiscal year *containing* the as-of month (FY2025 at
  // June 2025), a part-year. It is now the latest completed one, as in Capital IQ and FactSet.
  it('makes FY0 the latest completed fiscal year, labelled absolutely', () => {
    // Fiscal year from January, as of 2025-06: FY2025 (Jan–Dec 2025) runs to 2025-12-31, past
    // the as-of month's end 2025-06-30, so the last fiscal year ending by then is FY2024.
    expect(resolve('FY0', JUNE_2025)).toEqual({
      label: 'FY2024',
      start: '2024-01-01',
      end: '2024-12-31',
      months: 12,
    });
  });

  it('makes FY-1 the fiscal year before it', () => {
    // FY0 = FY2024 (above), so FY-1 = FY2023 = 2023-01-01..2023-12-31.
    expect(resolve('FY-1', JUNE_2025)).toEqual({
      label: 'FY2023',
      start: '2023-01-01',
      end: '2023-12-31',
      months: 12,
    });
  });

  it('finds the latest completed fiscal year when the fiscal year starts in July', () => {
    // June 2025 is the last month of FY2025 (July 2024 – June 2025): FY2025 ends with the
    // as-of month, so it is complete and is FY0 (unchanged from the old meaning).
    expect(resolve('FY0', JULY_START_AT_JUNE_2025)).toEqual({
      label: 'FY2025',
      start: '2024-07-01',
      end: '2025-06-30',
      months: 12,
    });
    // July 2025 opens FY2026 (July 2025 – June 2026), one month in: FY0 is still FY2025
    // (the old meaning gave FY2026, a part-year of 1 month against FY-1's 12).
    expect(resolve('FY0', { fiscalYearStartMonth: 7, asOfMonth: '2025-07' })).toEqual({
      label: 'FY2025',
      start: '2024-07-01',
      end: '2025-06-30',
      months: 12,
    });
    // FY-2 = two before FY2025 = FY2023 (July 2022 – June 2023); the old meaning gave FY2024.
    expect(resolve('FY-2', { fiscalYearStartMonth: 7, asOfMonth: '2025-07' })).toEqual({
      label: 'FY2023',
      start: '2022-07-01',
      end: '2023-06-30',
      months: 12,
    });
  });

  it('makes FY1 the current fiscal year to date, labelled as partial', () => {
    // January start, as of 2025-06: FY2025 from 2025-01-01 to the as-of month's end, 6 months.
    expect(resolve('FY1', JUNE_2025)).toEqual({
      label: 'FY2025 (to 2025-06)',
      start: '2025-01-01',
      end: '2025-06-30',
      months: 6,
    });
  });

  it('makes LTM-1 the twelve months ending a year before the as-of month', () => {
    expect(resolve('LTM-1', JUNE_2025)).toEqual({
      label: 'LTM@2024-06',
      start: '2023-07-01',
      end: '2024-06-30',
      months: 12,
    });
  });

  it('makes YTD-1 the fiscal year to date a year before the as-of month', () => {
    expect(resolve('YTD-1', JUNE_2025)).toEqual({
      label: 'YTD@2024-06',
      start: '2024-01-01',
      end: '2024-06-30',
      months: 6,
    });
    expect(resolve('YTD-1', JULY_START_AT_JUNE_2025)).toEqual({
      label: 'YTD@2024-06',
      start: '2023-07-01',
      end: '2024-06-30',
      months: 12,
    });
  });

  it('gives LTM-0 the same span as bare LTM', () => {
    expect(resolve('LTM-0', JUNE_2025)).toEqual(resolve('LTM', JUNE_2025));
  });

  it('needs an as-of month, naming the relative form and an explicit alternative', () => {
    const result = resolvePeriod(parsePeriodOrThrow('FY-1'), { fiscalYearStartMonth: 1 });
    expect(result).toEqual({
      success: false,
      error: {
        code: 'as_of_required',
        message:
          'FY-1 counts back from the as-of month: none was set for this request, so name the period explicitly, e.g. FY2025',
      },
    });
  });

  it('shifts a resolved relative period back a year like any other', () => {
    // FY0 at June 2025 (January start) is FY2024; its prior year is Jan–Dec 2023.
    expect(priorYear(resolve('FY0', JUNE_2025))).toEqual({
      label: 'PY(FY2024)',
      start: '2023-01-01',
      end: '2023-12-31',
      months: 12,
    });
  });
});
