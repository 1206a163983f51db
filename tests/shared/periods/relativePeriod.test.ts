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
    ['FY0', { kind: 'relative', window: 'FY', yearsBack: 0 }],
    ['fy-1', { kind: 'relative', window: 'FY', yearsBack: 1 }],
    ['FY-12', { kind: 'relative', window: 'FY', yearsBack: 12 }],
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
  it('makes FY0 the fiscal year containing the as-of month, labelled absolutely', () => {
    expect(resolve('FY0', JUNE_2025)).toEqual({
      label: 'FY2025',
      start: '2025-01-01',
      end: '2025-12-31',
      months: 12,
    });
  });

  it('makes FY-1 the fiscal year before it', () => {
    expect(resolve('FY-1', JUNE_2025)).toEqual({
      label: 'FY2024',
      start: '2024-01-01',
      end: '2024-12-31',
      months: 12,
    });
  });

  it('finds the fiscal year containing the as-of month when the fiscal year starts in July', () => {
    // June 2025 is the last month of FY2025 (July 2024 – June 2025); July 2025 opens FY2026.
    expect(resolve('FY0', JULY_START_AT_JUNE_2025)).toEqual({
      label: 'FY2025',
      start: '2024-07-01',
      end: '2025-06-30',
      months: 12,
    });
    expect(resolve('FY0', { fiscalYearStartMonth: 7, asOfMonth: '2025-07' })).toEqual({
      label: 'FY2026',
      start: '2025-07-01',
      end: '2026-06-30',
      months: 12,
    });
    expect(resolve('FY-2', { fiscalYearStartMonth: 7, asOfMonth: '2025-07' }).label).toBe('FY2024');
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
    expect(priorYear(resolve('FY0', JUNE_2025))).toEqual({
      label: 'PY(FY2025)',
      start: '2024-01-01',
      end: '2024-12-31',
      months: 12,
    });
  });
});
