import {
  grainArgument,
  metricArgument,
  monthOfExcelDate,
  periodArgument,
  scopeArgument,
  seriesMonthArgument,
  seriesPeriods,
} from '../../../addin/functions/arguments';
import { CaliperFunctionError } from '../../../addin/functions/excelErrors';
import { parseOptions } from '../../../addin/functions/options';

function failureOf(run: () => unknown): { kind: string; message: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof CaliperFunctionError) return { kind: error.kind, message: error.message };
    throw error;
  }
  throw new Error('expected the argument to be rejected');
}

describe('periodArgument', () => {
  it.each([
    '2024',
    '2024-Q1',
    '2024-03',
    'FY2024',
    'LTM',
    'YTD@2024-06',
    'FY0',
    'FY-1',
    'LTM-1',
    '2024-01-01..2024-03-31',
  ])('passes the grammar form %j through as the API period', (text) => {
    expect(periodArgument(text)).toBe(text);
  });

  it('trims what the cell holds', () => {
    expect(periodArgument('  2024-Q1 ')).toBe('2024-Q1');
  });

  it('turns an Excel date into the twelve months ending with its month', () => {
    // 45473 = 2024-06-30, 45474 = 2024-07-01 (days since 1899-12-30).
    expect(periodArgument(45473)).toBe('LTM@2024-06');
    expect(periodArgument(45474.75)).toBe('LTM@2024-07');
  });

  it('rejects a malformed period with the grammar message as #VALUE!', () => {
    expect(failureOf(() => periodArgument('2024-13'))).toEqual({
      kind: 'invalidValue',
      message: expect.stringMatching(
        /^Unrecognized period "2024-13": month 13 does not exist; expected one of: /,
      ) as string,
    });
  });

  it('rejects an empty period, a boolean and a date before March 1900', () => {
    expect(failureOf(() => periodArgument(null))).toEqual({
      kind: 'invalidValue',
      message: 'period is required',
    });
    expect(failureOf(() => periodArgument(true))).toEqual({
      kind: 'invalidValue',
      message: 'period must be text, got true',
    });
    expect(failureOf(() => periodArgument(60))).toEqual({
      kind: 'invalidValue',
      message: 'period 60 is not an Excel date between 1900-03-01 and 2999-12-31',
    });
  });
});

describe('monthOfExcelDate', () => {
  it('counts from 1899-12-30, so serial 61 is 1900-03-01 and 2958465 is out of range', () => {
    expect(monthOfExcelDate(61, 'd')).toBe('1900-03');
    expect(monthOfExcelDate(45292, 'd')).toBe('2024-01'); // 2024-01-01
    expect(monthOfExcelDate(45291, 'd')).toBe('2023-12'); // 2023-12-31
    expect(failureOf(() => monthOfExcelDate(2958465, 'd')).kind).toBe('invalidValue');
  });
});

describe('metricArgument', () => {
  it('trims the id and requires one', () => {
    expect(metricArgument(' net_revenue ')).toBe('net_revenue');
    expect(failureOf(() => metricArgument(''))).toEqual({
      kind: 'invalidValue',
      message: 'metric is required',
    });
    expect(failureOf(() => metricArgument(5))).toEqual({
      kind: 'invalidValue',
      message: 'metric must be text, got 5',
    });
  });
});

describe('scopeArgument', () => {
  it.each([
    [null, { kind: 'portfolio' }],
    ['', { kind: 'portfolio' }],
    ['portfolio', { kind: 'portfolio' }],
    [' PORTFOLIO ', { kind: 'portfolio' }],
    ['L1', { kind: 'named', name: 'L1' }],
    ['North Dallas', { kind: 'named', name: 'North Dallas' }],
    ['provider:PR1', { kind: 'provider', provider: 'PR1', location: null }],
    ['Provider: PR1', { kind: 'provider', provider: 'PR1', location: null }],
    ['L1/PR1', { kind: 'provider', provider: 'PR1', location: 'L1' }],
    ['North Dallas / PR2', { kind: 'provider', provider: 'PR2', location: 'North Dallas' }],
  ])('reads %j', (text, expected) => {
    expect(scopeArgument(text)).toEqual(expected);
  });

  it('rejects a provider form that names nobody', () => {
    expect(failureOf(() => scopeArgument('provider:'))).toEqual({
      kind: 'invalidValue',
      message: 'scope "provider:" names no provider after "provider:"',
    });
    expect(failureOf(() => scopeArgument('L1/'))).toEqual({
      kind: 'invalidValue',
      message: 'scope "L1/" must be <location>/<provider id>',
    });
  });
});

describe('series arguments', () => {
  it('takes the first month of the start and the last month of the end', () => {
    expect(seriesMonthArgument('2024-Q2', 'start', 'first')).toBe('2024-04');
    expect(seriesMonthArgument('2024-Q2', 'end', 'last')).toBe('2024-06');
    expect(seriesMonthArgument('2024', 'end', 'last')).toBe('2024-12');
    expect(seriesMonthArgument(45473, 'end', 'last')).toBe('2024-06');
  });

  it('refuses fiscal and to-date bounds, which depend on settings the add-in does not know', () => {
    expect(failureOf(() => seriesMonthArgument('FY2024', 'start', 'first'))).toEqual({
      kind: 'invalidValue',
      message:
        'start "FY2024" must be a month (2024-01), quarter (2024-Q1), year (2024), date range or Excel date',
    });
  });

  it('lists one label per grain step, inclusive at both ends', () => {
    expect(seriesPeriods('2023-11', '2024-02', 'month')).toEqual([
      '2023-11',
      '2023-12',
      '2024-01',
      '2024-02',
    ]);
    expect(seriesPeriods('2023-11', '2024-02', 'quarter')).toEqual(['2023-Q4', '2024-Q1']);
    expect(seriesPeriods('2023-11', '2024-02', 'year')).toEqual(['2023', '2024']);
  });

  it('rejects a start after the end and a series longer than 1200 periods', () => {
    expect(failureOf(() => seriesPeriods('2024-02', '2024-01', 'month'))).toEqual({
      kind: 'invalidValue',
      message: 'start 2024-02 is after end 2024-01',
    });
    expect(failureOf(() => seriesPeriods('1900-01', '2000-12', 'month')).message).toBe(
      'A series holds at most 1200 periods, this one 1212',
    );
  });

  it('reads the grain, defaulting to month', () => {
    expect(grainArgument(undefined)).toBe('month');
    expect(grainArgument('Quarter')).toBe('quarter');
    expect(grainArgument('y')).toBe('year');
    expect(failureOf(() => grainArgument('week'))).toEqual({
      kind: 'invalidValue',
      message: 'grain "week" must be month, quarter or year',
    });
  });
});

describe('parseOptions', () => {
  const kpi = {
    fn: 'KPI',
    accepts: ['field', 'units', 'na'],
    fields: ['value', 'coverage', 'unit'],
    bare: 'field',
  } as const;
  const defaults = { divisor: 1, na: 'error', headers: true };

  it('reads name=value options, any case, as separate arguments, arrays or ;-separated, a bare value as the field', () => {
    expect(parseOptions(kpi)).toEqual(defaults);
    expect(parseOptions(kpi, null, undefined, '', [])).toEqual(defaults);
    expect(parseOptions(kpi, 'field=coverage')).toEqual({ ...defaults, field: 'coverage' });
    expect(parseOptions(kpi, 'UNIT')).toEqual({ ...defaults, field: 'unit' });
    expect(parseOptions(kpi, ['Units=k', 'NA=Blank'])).toEqual({ ...defaults, divisor: 1000, na: 'blank' });
    expect(parseOptions(kpi, 'units=M; na=zero', 'field=value')).toEqual({
      ...defaults,
      divisor: 1_000_000,
      na: 'zero',
      field: 'value',
    });
    expect(parseOptions({ fn: 'LOCATIONS', accepts: ['headers'] }, 'headers=FALSE')).toEqual({
      ...defaults,
      headers: false,
    });
  });

  it('rejects unknown options and values, naming them and listing the accepted ones', () => {
    expect(failureOf(() => parseOptions(kpi, 'currency=eur'))).toEqual({
      kind: 'invalidValue',
      message:
        'Unknown KPI option "currency=eur": accepted field=value|coverage|unit, units=K|M, na=error|blank|zero',
    });
    expect(failureOf(() => parseOptions(kpi, 'field=median'))).toEqual({
      kind: 'invalidValue',
      message: 'KPI option field "median" is not accepted: field=value|coverage|unit',
    });
    expect(failureOf(() => parseOptions(kpi, 'headers=false'))).toEqual({
      kind: 'invalidValue',
      message:
        'Unknown KPI option "headers=false": accepted field=value|coverage|unit, units=K|M, na=error|blank|zero',
    });
    expect(failureOf(() => parseOptions({ fn: 'METRICS', accepts: ['headers'] }, 'maybe'))).toEqual({
      kind: 'invalidValue',
      message: 'Unknown METRICS option "maybe": accepted headers=true|false',
    });
    expect(failureOf(() => parseOptions(kpi, 42))).toEqual({
      kind: 'invalidValue',
      message: 'option must be text, got 42',
    });
  });
});
