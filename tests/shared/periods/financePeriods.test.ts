import {
  ACCEPTED_PERIOD_FORMS,
  parsePeriod,
  parsePeriodOrThrow,
  type PeriodContext,
  type ResolvedPeriod,
  resolvePeriod,
} from '../../../shared/periods/period';

/*
 * Periods as the finance plug-ins mean them (issue 13, item 2): FY0 / FQ0 / CY0 / CQ0 the latest
 * *completed* block at the as-of month, FY1 / FQ1 / CY1 / CQ1 the current one to date, M0 / M-n,
 * LTM-nM / LTM-nQ, and the common spellings of months and quarters. Every expected date below
 * is worked out by hand in the comment beside it (A = as-of month, s = first month of the
 * fiscal year).
 */

function resolve(text: string, ctx: PeriodContext): ResolvedPeriod {
  const result = resolvePeriod(parsePeriodOrThrow(text), ctx);
  if (!result.success) throw new Error(result.error.message);
  return result.period;
}

function span(label: string, start: string, end: string, months: number): ResolvedPeriod {
  return { label, start, end, months };
}

describe('parsePeriod accepts the common spellings of months and quarters, any case', () => {
  it.each([
    ['Sep-25', { kind: 'month', month: '2025-09' }],
    ['sep 2025', { kind: 'month', month: '2025-09' }],
    ['September 2025', { kind: 'month', month: '2025-09' }],
    ['SEPT-2025', { kind: 'month', month: '2025-09' }],
    ['Dec25', { kind: 'month', month: '2025-12' }],
    ['may 2024', { kind: 'month', month: '2024-05' }],
    ['Q3 2025', { kind: 'quarter', year: 2025, quarter: 3 }],
    ['q3-2025', { kind: 'quarter', year: 2025, quarter: 3 }],
    ['2025Q3', { kind: 'quarter', year: 2025, quarter: 3 }],
    ['2025 Q3', { kind: 'quarter', year: 2025, quarter: 3 }],
    ['3Q25', { kind: 'quarter', year: 2025, quarter: 3 }],
    ['3q2025', { kind: 'quarter', year: 2025, quarter: 3 }],
    ['CY2025', { kind: 'calendar_year', year: 2025 }],
    ['FY 2025', { kind: 'fiscal_year', year: 2025 }],
    ['FY2027-Q1', { kind: 'fiscal_quarter', year: 2027, quarter: 1 }],
    ['fy2027 q1', { kind: 'fiscal_quarter', year: 2027, quarter: 1 }],
    ['FY2027Q1', { kind: 'fiscal_quarter', year: 2027, quarter: 1 }],
    ['Q1 FY2027', { kind: 'fiscal_quarter', year: 2027, quarter: 1 }],
    ['FQ1 2027', { kind: 'fiscal_quarter', year: 2027, quarter: 1 }],
    ['fq12027', { kind: 'fiscal_quarter', year: 2027, quarter: 1 }],
  ])('parses %j', (text, expected) => {
    expect(parsePeriod(text)).toEqual({ success: true, period: expected });
  });

  it.each([
    ['FY0', { kind: 'relative_block', block: 'FY', offset: 0 }],
    ['fy1', { kind: 'relative_block', block: 'FY', offset: 1 }],
    ['FQ0', { kind: 'relative_block', block: 'FQ', offset: 0 }],
    ['fq-3', { kind: 'relative_block', block: 'FQ', offset: -3 }],
    ['FQ1', { kind: 'relative_block', block: 'FQ', offset: 1 }],
    ['CY0', { kind: 'relative_block', block: 'CY', offset: 0 }],
    ['CY-2', { kind: 'relative_block', block: 'CY', offset: -2 }],
    ['CQ-1', { kind: 'relative_block', block: 'CQ', offset: -1 }],
    ['cq1', { kind: 'relative_block', block: 'CQ', offset: 1 }],
    ['M0', { kind: 'relative_block', block: 'M', offset: 0 }],
    ['m-12', { kind: 'relative_block', block: 'M', offset: -12 }],
    ['FY-0', { kind: 'relative_block', block: 'FY', offset: 0 }],
    ['LTM-3M', { kind: 'relative_ltm', back: 3, unit: 'M' }],
    ['ltm-1q', { kind: 'relative_ltm', back: 1, unit: 'Q' }],
    ['LTM-1Y', { kind: 'relative', window: 'LTM', yearsBack: 1 }],
    ['LTM-1', { kind: 'relative', window: 'LTM', yearsBack: 1 }],
  ])('parses the relative form %j', (text, expected) => {
    expect(parsePeriod(text)).toEqual({ success: true, period: expected });
  });
});

describe('the forms resolved by hand, fiscal year from January', () => {
  // s = 1: fiscal years and quarters are calendar ones (FY2026 = Jan–Dec 2026, FY2026-Q3 = Jul–Sep).
  describe('as of 2026-10 (mid-year: FY2026 and its Q4 have begun, neither is over)', () => {
    const ctx = { fiscalYearStartMonth: 1, asOfMonth: '2026-10' };
    it.each([
      // FY2026 ends 2026-12-31 > 2026-10-31, so the latest completed fiscal year is FY2025.
      ['FY0', span('FY2025', '2025-01-01', '2025-12-31', 12)],
      ['FY-1', span('FY2024', '2024-01-01', '2024-12-31', 12)],
      ['FY-3', span('FY2022', '2022-01-01', '2022-12-31', 12)],
      // Current FY2026 from 2026-01-01 to the end of A: Jan..Oct = 10 months.
      ['FY1', span('FY2026 (to 2026-10)', '2026-01-01', '2026-10-31', 10)],
      // A = October opens Q4 (Oct–Dec), so the latest completed quarter is Q3 = Jul–Sep 2026.
      ['FQ0', span('FY2026-Q3', '2026-07-01', '2026-09-30', 3)],
      ['FQ-1', span('FY2026-Q2', '2026-04-01', '2026-06-30', 3)],
      // Three before Q3 2026: Q2, Q1 2026, Q4 2025 = Oct–Dec 2025.
      ['FQ-3', span('FY2025-Q4', '2025-10-01', '2025-12-31', 3)],
      ['FQ1', span('FY2026-Q4 (to 2026-10)', '2026-10-01', '2026-10-31', 1)],
      ['CY0', span('2025', '2025-01-01', '2025-12-31', 12)],
      ['CY-1', span('2024', '2024-01-01', '2024-12-31', 12)],
      ['CY1', span('2026 (to 2026-10)', '2026-01-01', '2026-10-31', 10)],
      ['CQ0', span('2026-Q3', '2026-07-01', '2026-09-30', 3)],
      ['CQ-1', span('2026-Q2', '2026-04-01', '2026-06-30', 3)],
      ['CQ1', span('2026-Q4 (to 2026-10)', '2026-10-01', '2026-10-31', 1)],
      ['M0', span('2026-10', '2026-10-01', '2026-10-31', 1)],
      ['M-1', span('2026-09', '2026-09-01', '2026-09-30', 1)],
      // Twelve months back from October 2026 is October 2025.
      ['M-12', span('2025-10', '2025-10-01', '2025-10-31', 1)],
      // LTM@2026-10 = Nov 2025..Oct 2026; a year back ends 2025-10: Nov 2024..Oct 2025.
      ['LTM', span('LTM@2026-10', '2025-11-01', '2026-10-31', 12)],
      ['LTM-1', span('LTM@2025-10', '2024-11-01', '2025-10-31', 12)],
      ['LTM-1Y', span('LTM@2025-10', '2024-11-01', '2025-10-31', 12)],
      // 3 months before October is July: Aug 2025..Jul 2026; one quarter back is the same.
      ['LTM-3M', span('LTM@2026-07', '2025-08-01', '2026-07-31', 12)],
      ['LTM-1Q', span('LTM@2026-07', '2025-08-01', '2026-07-31', 12)],
      // 2 quarters = 6 months before October is April: May 2025..Apr 2026.
      ['LTM-2Q', span('LTM@2026-04', '2025-05-01', '2026-04-30', 12)],
      ['YTD', span('YTD@2026-10', '2026-01-01', '2026-10-31', 10)],
      ['QTD', span('QTD@2026-10', '2026-10-01', '2026-10-31', 1)],
      ['YTD-1', span('YTD@2025-10', '2025-01-01', '2025-10-31', 10)],
      ['Q3 2025', span('2025-Q3', '2025-07-01', '2025-09-30', 3)],
      ['Sep-25', span('2025-09', '2025-09-01', '2025-09-30', 1)],
      ['FY2027-Q1', span('FY2027-Q1', '2027-01-01', '2027-03-31', 3)],
    ])('%s', (text, expected) => {
      expect(resolve(text, ctx)).toEqual(expected);
    });
  });

  describe('as of 2026-12 (a year end: December closes FY2026 and its Q4)', () => {
    const ctx = { fiscalYearStartMonth: 1, asOfMonth: '2026-12' };
    it.each([
      // FY2026 ends 2026-12-31 = the end of A, so it is complete and is FY0.
      ['FY0', span('FY2026', '2026-01-01', '2026-12-31', 12)],
      ['FY-1', span('FY2025', '2025-01-01', '2025-12-31', 12)],
      // The fiscal year containing A is complete: FY1 is the whole of it, unlabelled partial.
      ['FY1', span('FY2026', '2026-01-01', '2026-12-31', 12)],
      ['FQ0', span('FY2026-Q4', '2026-10-01', '2026-12-31', 3)],
      ['FQ-1', span('FY2026-Q3', '2026-07-01', '2026-09-30', 3)],
      ['FQ1', span('FY2026-Q4', '2026-10-01', '2026-12-31', 3)],
      ['CY0', span('2026', '2026-01-01', '2026-12-31', 12)],
      ['CQ0', span('2026-Q4', '2026-10-01', '2026-12-31', 3)],
      ['M0', span('2026-12', '2026-12-01', '2026-12-31', 1)],
      ['LTM-3M', span('LTM@2026-09', '2025-10-01', '2026-09-30', 12)],
    ])('%s', (text, expected) => {
      expect(resolve(text, ctx)).toEqual(expected);
    });
  });
});

describe('the forms resolved by hand, fiscal year from July', () => {
  // s = 7: FY2027 = 2026-07..2027-06 (named by the year it ends in); its quarters are
  // Q1 Jul–Sep 2026, Q2 Oct–Dec 2026, Q3 Jan–Mar 2027, Q4 Apr–Jun 2027.
  describe('as of 2026-10 (FY2027 four months in, its Q2 one month in)', () => {
    const ctx = { fiscalYearStartMonth: 7, asOfMonth: '2026-10' };
    it.each([
      // FY2027 ends 2027-06-30 > 2026-10-31; the last fiscal year ended is FY2026 = Jul 2025..Jun 2026.
      ['FY0', span('FY2026', '2025-07-01', '2026-06-30', 12)],
      ['FY-1', span('FY2025', '2024-07-01', '2025-06-30', 12)],
      // FY2027 from 2026-07-01 to the end of A: Jul..Oct = 4 months.
      ['FY1', span('FY2027 (to 2026-10)', '2026-07-01', '2026-10-31', 4)],
      // October opens Q2 of FY2027, so FQ0 = Q1 of FY2027 = Jul–Sep 2026.
      ['FQ0', span('FY2027-Q1', '2026-07-01', '2026-09-30', 3)],
      // The quarter before it is the last of FY2026: Apr–Jun 2026.
      ['FQ-1', span('FY2026-Q4', '2026-04-01', '2026-06-30', 3)],
      ['FQ-2', span('FY2026-Q3', '2026-01-01', '2026-03-31', 3)],
      ['FQ1', span('FY2027-Q2 (to 2026-10)', '2026-10-01', '2026-10-31', 1)],
      // Calendar forms ignore the fiscal start.
      ['CY0', span('2025', '2025-01-01', '2025-12-31', 12)],
      ['CY1', span('2026 (to 2026-10)', '2026-01-01', '2026-10-31', 10)],
      ['CQ0', span('2026-Q3', '2026-07-01', '2026-09-30', 3)],
      ['CQ-1', span('2026-Q2', '2026-04-01', '2026-06-30', 3)],
      ['M0', span('2026-10', '2026-10-01', '2026-10-31', 1)],
      ['M-4', span('2026-06', '2026-06-01', '2026-06-30', 1)],
      ['LTM-1', span('LTM@2025-10', '2024-11-01', '2025-10-31', 12)],
      ['LTM-1Q', span('LTM@2026-07', '2025-08-01', '2026-07-31', 12)],
      // Fiscal YTD: Jul..Oct 2026.
      ['YTD', span('YTD@2026-10', '2026-07-01', '2026-10-31', 4)],
      ['FY2027-Q1', span('FY2027-Q1', '2026-07-01', '2026-09-30', 3)],
      ['FQ2 2027', span('FY2027-Q2', '2026-10-01', '2026-12-31', 3)],
    ])('%s', (text, expected) => {
      expect(resolve(text, ctx)).toEqual(expected);
    });
  });

  describe('as of 2026-06 (a fiscal year end: June closes FY2026 and its Q4)', () => {
    const ctx = { fiscalYearStartMonth: 7, asOfMonth: '2026-06' };
    it.each([
      // FY2026 = Jul 2025..Jun 2026 ends with A, so it is complete and is FY0.
      ['FY0', span('FY2026', '2025-07-01', '2026-06-30', 12)],
      ['FY-1', span('FY2025', '2024-07-01', '2025-06-30', 12)],
      ['FY1', span('FY2026', '2025-07-01', '2026-06-30', 12)],
      ['FQ0', span('FY2026-Q4', '2026-04-01', '2026-06-30', 3)],
      ['FQ-1', span('FY2026-Q3', '2026-01-01', '2026-03-31', 3)],
      // Calendar 2026 is half over: CY0 = 2025, CY1 = Jan..Jun 2026.
      ['CY0', span('2025', '2025-01-01', '2025-12-31', 12)],
      ['CY1', span('2026 (to 2026-06)', '2026-01-01', '2026-06-30', 6)],
      ['CQ0', span('2026-Q2', '2026-04-01', '2026-06-30', 3)],
      ['M-1', span('2026-05', '2026-05-01', '2026-05-31', 1)],
    ])('%s', (text, expected) => {
      expect(resolve(text, ctx)).toEqual(expected);
    });
  });
});

describe('FY0 is never a part-year; FY1 says when it is one', () => {
  const asOfMonths: string[] = [];
  for (let year = 2024; year <= 2026; year += 1) {
    for (let month = 1; month <= 12; month += 1) asOfMonths.push(`${year}-${String(month).padStart(2, '0')}`);
  }

  it('gives twelve whole months ending on or before the as-of month, for every fiscal start and as-of month', () => {
    for (let s = 1; s <= 12; s += 1) {
      for (const asOfMonth of asOfMonths) {
        const ctx = { fiscalYearStartMonth: s, asOfMonth };
        const fy0 = resolve('FY0', ctx);
        const fy1 = resolve('FY1', ctx);
        const fyMinus1 = resolve('FY-1', ctx);
        expect({ s, asOfMonth, months: fy0.months, endsByAsOf: fy0.end.slice(0, 7) <= asOfMonth }).toEqual({
          s,
          asOfMonth,
          months: 12,
          endsByAsOf: true,
        });
        // FY0 is the fiscal year named by its label, and FY-1 the one before it.
        expect(resolve(fy0.label, ctx)).toEqual(fy0);
        expect(resolve(`FY${Number(fy0.label.slice(2)) - 1}`, ctx)).toEqual(fyMinus1);
        // FY1 is the fiscal year to date, ending with the as-of month; it is FY0 exactly when
        // the as-of month closes a fiscal year, and otherwise starts the month after FY0 ends.
        expect(fy1.end.slice(0, 7)).toBe(asOfMonth);
        expect(resolve('YTD', ctx)).toMatchObject({ start: fy1.start, end: fy1.end, months: fy1.months });
        if (fy1.months === 12) {
          expect(fy1).toEqual(fy0);
        } else {
          expect(fy1.label).toBe(`FY${Number(fy0.label.slice(2)) + 1} (to ${asOfMonth})`);
          expect(fy1.months).toBeLessThan(12);
        }
      }
    }
  });

  it('gives FQ0 three whole months ending on or before the as-of month, FQ1 the fiscal quarter to date', () => {
    for (let s = 1; s <= 12; s += 1) {
      for (const asOfMonth of asOfMonths) {
        const ctx = { fiscalYearStartMonth: s, asOfMonth };
        const fq0 = resolve('FQ0', ctx);
        expect(fq0.months).toBe(3);
        expect(fq0.end.slice(0, 7) <= asOfMonth).toBe(true);
        expect(resolve(fq0.label, ctx)).toEqual(fq0);
        const fq1 = resolve('FQ1', ctx);
        expect(resolve('QTD', ctx)).toMatchObject({ start: fq1.start, end: fq1.end, months: fq1.months });
        if (fq1.months < 3) expect(fq1.label).toMatch(/^FY\d{4}-Q[1-4] \(to \d{4}-\d{2}\)$/);
      }
    }
  });
});

describe('the relative forms need an as-of month', () => {
  it.each([
    ['FQ0', 'FY2025-Q2'],
    ['CY-1', '2025'],
    ['CQ1', '2025-Q2'],
    ['M-2', '2025-06'],
    ['LTM-3M', 'LTM@2025-06'],
  ])('%s names an explicit alternative (%s)', (text, example) => {
    expect(resolvePeriod(parsePeriodOrThrow(text), { fiscalYearStartMonth: 1 })).toEqual({
      success: false,
      error: {
        code: 'as_of_required',
        message: `${text} counts back from the as-of month: none was set for this request, so name the period explicitly, e.g. ${example}`,
      },
    });
  });
});

describe('bad forms are refused with the reason and every accepted form', () => {
  const accepted = `expected one of: ${ACCEPTED_PERIOD_FORMS.join(', ')}`;

  it.each([
    [
      'M1',
      'M1 would be the month after the as-of month, which is not complete; M0 is the latest complete month',
    ],
    ['Q5 2025', 'quarter 5 does not exist (quarters are Q1–Q4)'],
    ['5Q25', 'quarter 5 does not exist (quarters are Q1–Q4)'],
    ['FY2025-Q0', 'quarter 0 does not exist (quarters are Q1–Q4)'],
    ['Sep 1899', 'year 1899 is outside 1900–2999'],
    [
      'FY2026 (to 2026-10)',
      '"FY2026 (to 2026-10)" is how a period to date is labelled, not a period to ask for (write FY1 / FQ1 / CY1 / CQ1, or YTD@2026-10 / QTD@2026-10)',
    ],
    [
      '45900',
      '45900 is not a period (an Excel date given as text?): in Excel pass the date cell itself, which the add-in reads as the twelve months ending in its month; elsewhere name the month, e.g. 2025-09',
    ],
  ])('refuses %j because %s', (text, reason) => {
    const result = parsePeriod(text);
    expect(result).toEqual({
      success: false,
      error: {
        code: 'invalid_period',
        input: text,
        message: `Unrecognized period "${text}": ${reason}; ${accepted}`,
        acceptedForms: [...ACCEPTED_PERIOD_FORMS],
      },
    });
  });

  it.each([
    'FY2',
    'FQ+1',
    'FY-100',
    'M-1000',
    'LTM-1W',
    'LTM-3M@2025-06',
    'YTD-3M',
    'CQ',
    'Septembre 2025',
    'Q3',
  ])('refuses %j with the list of accepted forms', (text) => {
    const result = parsePeriod(text);
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error.message).toBe(`Unrecognized period "${text}": ${accepted}`);
  });

  it('lists an example of every new form among the accepted ones', () => {
    const all = ACCEPTED_PERIOD_FORMS.join(' ');
    for (const form of [
      'Sep-25',
      'Q3 2025',
      '2025Q3',
      '3Q25',
      'CY2025',
      'FY2025-Q1',
      'FQ0',
      'FY1',
      'CQ0',
      'M0',
      'M-1',
      'LTM-3M',
      'LTM-1Q',
    ]) {
      expect(all).toContain(form);
      // The example is itself a period.
      expect(parsePeriod(form).success).toBe(true);
    }
  });
});
