import {
  ACCEPTED_PERIOD_FORMS,
  monthsOf,
  parsePeriod,
  parsePeriodOrThrow,
  type PeriodContext,
  PeriodParseError,
  priorYear,
  type ResolvedPeriod,
  resolvePeriod,
} from '../../../shared/periods/period';
import { periodStringSchema } from '../../../shared/periods/periodSchema';

function resolve(text: string, ctx: PeriodContext = { fiscalYearStartMonth: 1 }): ResolvedPeriod {
  const result = resolvePeriod(parsePeriodOrThrow(text), ctx);
  if (!result.success) throw new Error(result.error.message);
  return result.period;
}

function errorOf(text: string) {
  const result = parsePeriod(text);
  if (result.success) throw new Error(`expected "${text}" to be rejected`);
  return result.error;
}

const ALL_FORMS_TEXT =
  '2025-09 (month) or Sep-25 / Sep 2025 / September 2025, ' +
  '2025-Q3 (calendar quarter) or 2025Q3 / Q3 2025 / Q3-2025 / 3Q25, ' +
  '2025 (calendar year) or CY2025, ' +
  'FY2025 (fiscal year ending in 2025) or FY 2025, ' +
  'FY2025-Q1 (quarter 1 of fiscal year 2025) or FY2025 Q1 / Q1 FY2025 / FQ1 2025, ' +
  'LTM / YTD / QTD / MTD (to date, ending at the as-of month), ' +
  'LTM@2025-06 / YTD@2025-06 / QTD@2025-06 / MTD@2025-06 (to date, ending at the named month), ' +
  '2025-01-01..2025-03-31 (inclusive date range), ' +
  'FY0 / FQ0 / CY0 / CQ0 (latest completed fiscal year / fiscal quarter / calendar year / calendar quarter at the as-of month), ' +
  'FY-1 / FQ-2 (n before it), FY1 / FQ1 / CY1 / CQ1 (the current one, to date), ' +
  'M0 / M-1 (the as-of month, i.e. the latest complete month, and n months before it), ' +
  'LTM-1 / YTD-1 (the window ending n years before the as-of month), LTM-3M / LTM-1Q (ending n months / quarters before it)';

describe('parsePeriod accepts every notation in metrics.md', () => {
  it.each([
    ['2025-09', { kind: 'month', month: '2025-09' }],
    ['2025-Q3', { kind: 'quarter', year: 2025, quarter: 3 }],
    ['2025-q1', { kind: 'quarter', year: 2025, quarter: 1 }],
    ['FY2025', { kind: 'fiscal_year', year: 2025 }],
    ['fy2025', { kind: 'fiscal_year', year: 2025 }],
    ['2025', { kind: 'calendar_year', year: 2025 }],
    ['LTM', { kind: 'to_date', window: 'LTM', asOf: null }],
    ['ytd', { kind: 'to_date', window: 'YTD', asOf: null }],
    ['Qtd', { kind: 'to_date', window: 'QTD', asOf: null }],
    ['mtd', { kind: 'to_date', window: 'MTD', asOf: null }],
    ['LTM@2025-06', { kind: 'to_date', window: 'LTM', asOf: '2025-06' }],
    ['ytd@2025-06', { kind: 'to_date', window: 'YTD', asOf: '2025-06' }],
    ['QTD@2025-06', { kind: 'to_date', window: 'QTD', asOf: '2025-06' }],
    ['MTD@2025-06', { kind: 'to_date', window: 'MTD', asOf: '2025-06' }],
    ['2025-01-01..2025-03-31', { kind: 'range', start: '2025-01-01', end: '2025-03-31' }],
    ['2025-01-15..2025-01-15', { kind: 'range', start: '2025-01-15', end: '2025-01-15' }],
    ['  2025-Q3\t', { kind: 'quarter', year: 2025, quarter: 3 }],
    ['\n fy2025 ', { kind: 'fiscal_year', year: 2025 }],
    [' ltm@2025-06 ', { kind: 'to_date', window: 'LTM', asOf: '2025-06' }],
    [' 2025-01-01..2025-03-31 ', { kind: 'range', start: '2025-01-01', end: '2025-03-31' }],
  ])('parses %j', (text, expected) => {
    expect(parsePeriod(text)).toEqual({ success: true, period: expected });
  });
});

describe('parsePeriod rejects anything else with a reason and the accepted forms', () => {
  it.each([
    ['', 'the period is empty'],
    ['   ', 'the period is empty'],
    ['2025-13', 'month 13 does not exist'],
    ['2025-00', 'month 0 does not exist'],
    ['2025-Q5', 'quarter 5 does not exist (quarters are Q1–Q4)'],
    ['2025-Q0', 'quarter 0 does not exist (quarters are Q1–Q4)'],
    ['FY25', 'fiscal years need a four-digit year (FY2025, not FY25)'],
    ['LTM@2025-13', 'after "@": month 13 does not exist'],
    ['YTD@2025', 'after "@": "2025" is not a month like 2025-06'],
    ['LTM@', 'after "@": "" is not a month like 2025-06'],
    ['2025-02-30..2025-03-01', '2025-02-30 is not a calendar date'],
    ['2025-01-01..2025-02-30', '2025-02-30 is not a calendar date'],
    ['2025-03-31..2025-01-01', 'range start 2025-03-31 is after its end 2025-01-01'],
    ['2025-09-01 .. 2025-09-30', 'a range has no spaces around ".." (2025-09-01..2025-09-30)'],
    ['2025-01..2025-03', '"2025-01" is not a date like 2025-01-01'],
    ['2025-9', 'months need two digits (2025-09, not 2025-9)'],
    ['2025-01-15', 'a single date is not a period (for one day write 2025-01-15..2025-01-15)'],
    ['1899', 'year 1899 is outside 1900–2999'],
    ['FY3000', 'year 3000 is outside 1900–2999'],
  ])('rejects %j because %s', (text, reason) => {
    const error = errorOf(text);
    expect(error.code).toBe('invalid_period');
    expect(error.input).toBe(text);
    expect(error.message).toBe(
      `Unrecognized period "${text.trim()}": ${reason}; expected one of: ${ALL_FORMS_TEXT}`,
    );
  });

  // 'Q3 2025', '2025Q3' and 'FY 2025' were here until issue 13 made them accepted spellings.
  it.each(['last year', 'last complete month', 'LTD', '25-09', 'Sepx-25', 'FY-2025', 'Q3 25', 'FY2025-Q1-2'])(
    'rejects %j with only the list of accepted forms when nothing is close',
    (text) => {
      expect(errorOf(text).message).toBe(`Unrecognized period "${text}": expected one of: ${ALL_FORMS_TEXT}`);
    },
  );

  it('lists every accepted form, each with an example, in the error and in acceptedForms', () => {
    const error = errorOf('2025-13');
    expect(error.acceptedForms).toEqual([...ACCEPTED_PERIOD_FORMS]);
    expect(ACCEPTED_PERIOD_FORMS).toHaveLength(11);
    for (const form of ACCEPTED_PERIOD_FORMS) expect(error.message).toContain(form);
  });

  it('keeps the raw input in the error but quotes it trimmed in the message', () => {
    const error = errorOf('  2025-13 ');
    expect(error.input).toBe('  2025-13 ');
    expect(error.message).toContain('Unrecognized period "2025-13": month 13 does not exist;');
  });

  it('returns an error rather than throwing when a caller passes something that is not text', () => {
    const result = parsePeriod(undefined as unknown as string);
    expect(result.success).toBe(false);
  });
});

describe('parsePeriodOrThrow', () => {
  it('returns the spec for a valid period', () => {
    expect(parsePeriodOrThrow('2025-Q3')).toEqual({ kind: 'quarter', year: 2025, quarter: 3 });
  });

  it('throws a PeriodParseError carrying the PeriodError for a bad period', () => {
    let caught: unknown;
    try {
      parsePeriodOrThrow('2025-Q5');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(PeriodParseError);
    expect(caught).toBeInstanceOf(Error);
    const error = caught as PeriodParseError;
    expect(error.periodError).toEqual(errorOf('2025-Q5'));
    expect(error.message).toBe(error.periodError.message);
  });
});

describe('periodStringSchema', () => {
  it('accepts a valid period and keeps the string as given', () => {
    expect(periodStringSchema.parse('ltm@2025-06')).toBe('ltm@2025-06');
  });

  it('rejects a bad period with the parser message', () => {
    const result = periodStringSchema.safeParse('2025-13');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(errorOf('2025-13').message);
  });

  it('rejects a non-string', () => {
    expect(periodStringSchema.safeParse(2025).success).toBe(false);
  });
});

describe('resolvePeriod for calendar periods', () => {
  it('resolves a month to its first and last day', () => {
    expect(resolve('2025-09')).toEqual({
      label: '2025-09',
      start: '2025-09-01',
      end: '2025-09-30',
      months: 1,
    });
  });

  it('resolves a quarter with a canonical upper-case label', () => {
    expect(resolve('2025-q3')).toEqual({
      label: '2025-Q3',
      start: '2025-07-01',
      end: '2025-09-30',
      months: 3,
    });
    expect(resolve('2024-Q1')).toEqual({
      label: '2024-Q1',
      start: '2024-01-01',
      end: '2024-03-31',
      months: 3,
    });
  });

  it('resolves a calendar year regardless of the fiscal year setting', () => {
    expect(resolve('2025', { fiscalYearStartMonth: 7 })).toEqual({
      label: '2025',
      start: '2025-01-01',
      end: '2025-12-31',
      months: 12,
    });
  });
});

describe('resolvePeriod for fiscal years (named by the year they end in)', () => {
  it('is the calendar year when the fiscal year starts in January', () => {
    expect(resolve('fy2025', { fiscalYearStartMonth: 1 })).toEqual({
      label: 'FY2025',
      start: '2025-01-01',
      end: '2025-12-31',
      months: 12,
    });
  });

  it('defaults to a January start when no context is given', () => {
    expect(resolvePeriod({ kind: 'fiscal_year', year: 2025 })).toEqual({
      success: true,
      period: { label: 'FY2025', start: '2025-01-01', end: '2025-12-31', months: 12 },
    });
  });

  it('runs July 2024 to June 2025 for FY2025 when the fiscal year starts in July', () => {
    expect(resolve('FY2025', { fiscalYearStartMonth: 7 })).toMatchObject({
      start: '2024-07-01',
      end: '2025-06-30',
      months: 12,
    });
  });

  it('ends on Feb 29 for FY2024 starting in March, since 2024 is a leap year', () => {
    expect(resolve('FY2024', { fiscalYearStartMonth: 3 })).toMatchObject({
      start: '2023-03-01',
      end: '2024-02-29',
    });
    expect(resolve('FY2025', { fiscalYearStartMonth: 3 })).toMatchObject({
      start: '2024-03-01',
      end: '2025-02-28',
    });
  });

  it('runs December 2024 to November 2025 for FY2025 when the fiscal year starts in December', () => {
    expect(resolve('FY2025', { fiscalYearStartMonth: 12 })).toMatchObject({
      start: '2024-12-01',
      end: '2025-11-30',
    });
  });
});

describe('resolvePeriod for to-date windows', () => {
  it('makes LTM@M the twelve full months ending at M', () => {
    expect(resolve('LTM@2025-06')).toEqual({
      label: 'LTM@2025-06',
      start: '2024-07-01',
      end: '2025-06-30',
      months: 12,
    });
    expect(resolve('ltm@2025-12')).toMatchObject({
      label: 'LTM@2025-12',
      start: '2025-01-01',
      end: '2025-12-31',
    });
  });

  it('makes YTD@M calendar year to date with the default January fiscal start', () => {
    expect(resolve('YTD@2025-06')).toEqual({
      label: 'YTD@2025-06',
      start: '2025-01-01',
      end: '2025-06-30',
      months: 6,
    });
    expect(resolve('YTD@2025-01')).toMatchObject({ start: '2025-01-01', end: '2025-01-31', months: 1 });
  });

  it('makes YTD@M fiscal year to date when the fiscal year starts later', () => {
    // s = 7: June 2025 is the last month of FY2025 (Jul 2024 – Jun 2025); July starts FY2026.
    expect(resolve('YTD@2025-06', { fiscalYearStartMonth: 7 })).toMatchObject({
      start: '2024-07-01',
      end: '2025-06-30',
      months: 12,
    });
    expect(resolve('YTD@2025-07', { fiscalYearStartMonth: 7 })).toMatchObject({
      start: '2025-07-01',
      end: '2025-07-31',
      months: 1,
    });
    // s = 3: Feb 2025 closes the fiscal year that began Mar 2024.
    expect(resolve('YTD@2025-02', { fiscalYearStartMonth: 3 })).toMatchObject({
      start: '2024-03-01',
      end: '2025-02-28',
      months: 12,
    });
  });

  it('makes QTD@M calendar quarter to date with the default January fiscal start', () => {
    expect(resolve('QTD@2025-05')).toEqual({
      label: 'QTD@2025-05',
      start: '2025-04-01',
      end: '2025-05-31',
      months: 2,
    });
    expect(resolve('QTD@2025-04')).toMatchObject({ start: '2025-04-01', end: '2025-04-30', months: 1 });
  });

  it('makes QTD@M fiscal quarter to date, quarters being 3-month blocks from the fiscal start', () => {
    // s = 7: fiscal quarters Jul–Sep, Oct–Dec, Jan–Mar, Apr–Jun.
    expect(resolve('QTD@2025-08', { fiscalYearStartMonth: 7 })).toMatchObject({
      start: '2025-07-01',
      end: '2025-08-31',
      months: 2,
    });
    // s = 2: fiscal quarters Feb–Apr, May–Jul, Aug–Oct, Nov–Jan.
    expect(resolve('QTD@2025-06', { fiscalYearStartMonth: 2 })).toMatchObject({
      start: '2025-05-01',
      end: '2025-06-30',
      months: 2,
    });
    // s = 11: the Nov–Jan quarter crosses the calendar year.
    expect(resolve('QTD@2025-01', { fiscalYearStartMonth: 11 })).toMatchObject({
      start: '2024-11-01',
      end: '2025-01-31',
      months: 3,
    });
  });

  it('makes MTD@M the month M, including Feb 29 in a leap year', () => {
    expect(resolve('MTD@2024-02')).toEqual({
      label: 'MTD@2024-02',
      start: '2024-02-01',
      end: '2024-02-29',
      months: 1,
    });
  });

  it('ends bare windows at the context as-of month and names that month in the label', () => {
    const ctx: PeriodContext = { fiscalYearStartMonth: 1, asOfMonth: '2025-06' };
    expect(resolve('LTM', ctx)).toEqual({
      label: 'LTM@2025-06',
      start: '2024-07-01',
      end: '2025-06-30',
      months: 12,
    });
    expect(resolve('ytd', ctx)).toMatchObject({
      label: 'YTD@2025-06',
      start: '2025-01-01',
      end: '2025-06-30',
    });
    expect(resolve('QTD', ctx)).toMatchObject({
      label: 'QTD@2025-06',
      start: '2025-04-01',
      end: '2025-06-30',
    });
    expect(resolve('mtd', ctx)).toMatchObject({
      label: 'MTD@2025-06',
      start: '2025-06-01',
      end: '2025-06-30',
    });
  });

  it('uses the fiscal start with the context as-of month too', () => {
    expect(resolve('YTD', { fiscalYearStartMonth: 7, asOfMonth: '2025-09' })).toMatchObject({
      label: 'YTD@2025-09',
      start: '2025-07-01',
      end: '2025-09-30',
      months: 3,
    });
  });

  it('prefers the month named after @ over the context as-of month', () => {
    expect(resolve('LTM@2025-03', { fiscalYearStartMonth: 1, asOfMonth: '2025-06' })).toMatchObject({
      label: 'LTM@2025-03',
      start: '2024-04-01',
      end: '2025-03-31',
    });
  });

  it.each(['LTM', 'YTD', 'QTD', 'MTD'])(
    'reports as_of_required for bare %s when the context has no as-of month',
    (text) => {
      const result = resolvePeriod(parsePeriodOrThrow(text), { fiscalYearStartMonth: 1 });
      expect(result.success).toBe(false);
      if (result.success) return;
      expect(result.error.code).toBe('as_of_required');
      expect(result.error.message).toBe(
        `${text} needs an as-of month: none was set for this request, so name one explicitly, e.g. ${text}@2025-06`,
      );
    },
  );
});

describe('resolvePeriod for ranges', () => {
  it('takes the dates as written and counts whole months when the range covers whole months', () => {
    expect(resolve('2025-01-01..2025-03-31')).toEqual({
      label: '2025-01-01..2025-03-31',
      start: '2025-01-01',
      end: '2025-03-31',
      months: 3,
    });
  });

  it('counts a partial month as days covered over days in that month', () => {
    expect(resolve('2025-01-01..2025-01-15').months).toBeCloseTo(15 / 31, 12);
    // Jan 17–31 is 15 of 31 days; Feb 1–14 is 14 of 28.
    expect(resolve('2025-01-17..2025-02-14').months).toBeCloseTo(15 / 31 + 14 / 28, 12);
    expect(resolve('2024-02-29..2024-02-29').months).toBeCloseTo(1 / 29, 12);
  });
});

describe('resolvePeriod rejects a broken context as a programming error', () => {
  it.each([0, 13, 1.5])('throws for fiscalYearStartMonth %p', (month) => {
    expect(() => resolvePeriod(parsePeriodOrThrow('FY2025'), { fiscalYearStartMonth: month })).toThrow(
      RangeError,
    );
  });

  it('throws for a malformed as-of month', () => {
    expect(() =>
      resolvePeriod(parsePeriodOrThrow('LTM'), { fiscalYearStartMonth: 1, asOfMonth: '2025-13' }),
    ).toThrow(RangeError);
  });
});

describe('priorYear shifts the same span back twelve months', () => {
  it('shifts a month', () => {
    expect(priorYear(resolve('2025-09'))).toEqual({
      label: 'PY(2025-09)',
      start: '2024-09-01',
      end: '2024-09-30',
      months: 1,
    });
  });

  it('shifts a quarter', () => {
    expect(priorYear(resolve('2025-Q3'))).toEqual({
      label: 'PY(2025-Q3)',
      start: '2024-07-01',
      end: '2024-09-30',
      months: 3,
    });
  });

  it('shifts a calendar year', () => {
    expect(priorYear(resolve('2025'))).toEqual({
      label: 'PY(2025)',
      start: '2024-01-01',
      end: '2024-12-31',
      months: 12,
    });
  });

  it('shifts a fiscal year by months so it still ends on the last day of February', () => {
    expect(priorYear(resolve('FY2024', { fiscalYearStartMonth: 3 }))).toEqual({
      label: 'PY(FY2024)',
      start: '2022-03-01',
      end: '2023-02-28',
      months: 12,
    });
    expect(priorYear(resolve('FY2025', { fiscalYearStartMonth: 3 }))).toMatchObject({
      start: '2023-03-01',
      end: '2024-02-29',
    });
  });

  it('shifts to-date windows', () => {
    expect(priorYear(resolve('LTM@2025-06'))).toEqual({
      label: 'PY(LTM@2025-06)',
      start: '2023-07-01',
      end: '2024-06-30',
      months: 12,
    });
    expect(priorYear(resolve('YTD@2025-06'))).toMatchObject({
      start: '2024-01-01',
      end: '2024-06-30',
      months: 6,
    });
    expect(priorYear(resolve('QTD@2025-05'))).toMatchObject({
      start: '2024-04-01',
      end: '2024-05-31',
      months: 2,
    });
    expect(priorYear(resolve('MTD@2025-02'))).toMatchObject({
      start: '2024-02-01',
      end: '2024-02-29',
      months: 1,
    });
  });

  it('shifts each date of a partial-month range back a year', () => {
    expect(priorYear(resolve('2025-03-15..2025-04-14'))).toEqual({
      label: 'PY(2025-03-15..2025-04-14)',
      start: '2024-03-15',
      end: '2024-04-14',
      months: 17 / 31 + 14 / 30,
    });
  });

  it('clamps Feb 29 to Feb 28 when shifting a range out of a leap year', () => {
    const py = priorYear(resolve('2024-02-10..2024-02-29'));
    expect(py).toMatchObject({ start: '2023-02-10', end: '2023-02-28' });
    expect(py.months).toBeCloseTo(19 / 28, 12);
    expect(priorYear(resolve('2024-02-29..2024-03-10'))).toMatchObject({
      start: '2023-02-28',
      end: '2023-03-10',
    });
  });

  it('treats a range covering whole months as month-aligned, so February stays a whole month', () => {
    expect(priorYear(resolve('2025-02-01..2025-02-28'))).toEqual({
      label: 'PY(2025-02-01..2025-02-28)',
      start: '2024-02-01',
      end: '2024-02-29',
      months: 1,
    });
  });

  it('nests labels when applied twice', () => {
    expect(priorYear(priorYear(resolve('2025-Q3')))).toMatchObject({
      label: 'PY(PY(2025-Q3))',
      start: '2023-07-01',
      end: '2023-09-30',
    });
  });
});

describe('monthsOf lists the calendar months a period touches', () => {
  it('lists the three months of a quarter', () => {
    expect(monthsOf(resolve('2025-Q3'))).toEqual(['2025-07', '2025-08', '2025-09']);
  });

  it('lists twelve months across a year boundary for LTM and a July fiscal year', () => {
    const ltm = monthsOf(resolve('LTM@2025-03'));
    expect(ltm).toHaveLength(12);
    expect(ltm[0]).toBe('2024-04');
    expect(ltm[11]).toBe('2025-03');
    expect(monthsOf(resolve('FY2025', { fiscalYearStartMonth: 7 }))).toEqual([
      '2024-07',
      '2024-08',
      '2024-09',
      '2024-10',
      '2024-11',
      '2024-12',
      '2025-01',
      '2025-02',
      '2025-03',
      '2025-04',
      '2025-05',
      '2025-06',
    ]);
  });

  it('includes partially covered months of a range', () => {
    expect(monthsOf(resolve('2024-12-20..2025-02-03'))).toEqual(['2024-12', '2025-01', '2025-02']);
    expect(monthsOf(resolve('2025-01-15..2025-01-15'))).toEqual(['2025-01']);
  });
});
