import { buildLocationAggregates, type LocationFacts } from '../../../shared/engine/locationAggregates';
import { type DailyMeasure, inUnits, M, parseUnits } from '../../../shared/engine/measures';
import {
  dailyPart,
  locationShareExact,
  type ProductionLookup,
} from '../../../shared/engine/payrollAllocation';
import type { PayrollRow } from '../../../shared/model/canonicalBundle';

function line(overrides: Partial<PayrollRow>): PayrollRow {
  return {
    payroll_line_id: 'PL1',
    payroll_employee_id: 'E1',
    location_id: 'H1',
    period_start: '2024-03-31',
    period_end: '2024-04-01',
    pay_date: null,
    hours: null,
    wages: null,
    commission: null,
    bonus: null,
    employer_taxes_benefits: null,
    ...overrides,
  };
}

function aggregates(payroll: PayrollRow[], overrides: Partial<LocationFacts> = {}): DailyMeasure[] {
  return buildLocationAggregates({
    locationId: 'H1',
    categories: new Map(),
    sales: [],
    appointments: [],
    shifts: [],
    payroll,
    providerByPayrollId: new Map([['E1', 'P1']]),
    providerLocations: new Map([['P1', ['H1']]]),
    production: () => 0,
    ...overrides,
  });
}

/** The rows of one measure (by its name as stored), as day → value. */
function rowsOf(daily: DailyMeasure[], providerId: string, measure: string): Record<string, number> {
  return Object.fromEntries(
    daily
      .filter((d) => d.providerId === providerId && d.measure === measure)
      .sort((a, b) => (a.day < b.day ? -1 : 1))
      .map((d) => [d.day, d.value]),
  );
}

describe('measures in 1/d units', () => {
  it('names a measure by its denominator and reads the name back', () => {
    expect(inUnits('comp.wages', 14)).toBe('comp.wages/14');
    expect(inUnits('comp.wages', 1)).toBe('comp.wages');
    expect(parseUnits('comp.wages/14')).toEqual({ measure: 'comp.wages', denominator: 14 });
    expect(parseUnits('comp.taxes_benefits/98')).toEqual({ measure: 'comp.taxes_benefits', denominator: 98 });
    expect(parseUnits('heat.visit_min.09')).toEqual({ measure: 'heat.visit_min.09', denominator: 1 });
    expect(() => inUnits('comp.wages', 0)).toThrow(RangeError);
  });
});

describe('a day’s exact part of a pay period', () => {
  it('is an integer count of 1/d cents, reduced', () => {
    // 1,000.01 over 2 days: 100,001 halves of a cent a day.
    expect(dailyPart({ numerator: 100_001, denominator: 1 }, { numerator: 1, denominator: 1 }, 2)).toEqual({
      numerator: 100_001,
      denominator: 2,
    });
    // 3,850.00 × 2/7 over 14 days = 385,000 × 2 / 98 = 770,000 / 98 = 55,000 / 7 a day.
    expect(dailyPart({ numerator: 385_000, denominator: 1 }, { numerator: 2, denominator: 7 }, 14)).toEqual({
      numerator: 55_000,
      denominator: 7,
    });
    // 1,400.00 over 14 days is 100.00 a day: whole cents.
    expect(dailyPart({ numerator: 140_000, denominator: 1 }, { numerator: 1, denominator: 1 }, 14)).toEqual({
      numerator: 10_000,
      denominator: 1,
    });
    // A negative correction keeps its sign in the numerator.
    expect(dailyPart({ numerator: -7, denominator: 1 }, { numerator: 1, denominator: 1 }, 2)).toEqual({
      numerator: -7,
      denominator: 2,
    });
  });

  it('is nothing for a zero amount or a zero share', () => {
    expect(dailyPart({ numerator: 0, denominator: 1 }, { numerator: 1, denominator: 1 }, 14)).toBeNull();
    expect(dailyPart({ numerator: 5, denominator: 1 }, { numerator: 0, denominator: 1 }, 14)).toBeNull();
  });

  it('falls back to a double only past 2^53', () => {
    // 2^52 cents × (2^52 − 1) / 2^52 over 3 days: the numerator would pass 2^53.
    const part = dailyPart(
      { numerator: 2 ** 52, denominator: 1 },
      { numerator: 2 ** 52 - 1, denominator: 2 ** 52 - 3 },
      3,
    );
    expect(part).toHaveProperty('approximate');
  });
});

describe('the exact share of a location-less line', () => {
  const production: ProductionLookup = (_, locationId) => (locationId === 'S1' ? 100_000 : 250_000);

  it('is the location’s production over the provider’s, in whole cents', () => {
    expect(locationShareExact('P1', 'S1', ['S1', 'S2'], '2024-03-25', '2024-04-07', production)).toEqual({
      numerator: 100_000,
      denominator: 350_000,
    });
    expect(locationShareExact('P1', 'S2', ['S1', 'S2'], '2024-03-25', '2024-04-07', () => 0)).toEqual({
      numerator: 1,
      denominator: 2,
    });
    expect(locationShareExact('P1', 'S9', ['S1', 'S2'], '2024-03-25', '2024-04-07', production)).toEqual({
      numerator: 0,
      denominator: 1,
    });
  });
});

describe('payroll in the daily aggregates', () => {
  it('stores a 2-day line of 1,000.01 as 100,001 halves of a cent on each day, never as 50,000.5 rounded', () => {
    const daily = aggregates([line({ wages: 100_001, hours: 16 })]);
    expect(rowsOf(daily, 'P1', 'comp.wages/2')).toEqual({ '2024-03-31': 100_001, '2024-04-01': 100_001 });
    expect(rowsOf(daily, 'P1', 'comp.wages')).toEqual({});
    // 16 h = 960 minutes, 480 a day: whole minutes at the provider and at the location.
    expect(rowsOf(daily, 'P1', M.payrollMinutes)).toEqual({ '2024-03-31': 480, '2024-04-01': 480 });
    expect(rowsOf(daily, '', M.payrollMinutes)).toEqual({ '2024-03-31': 480, '2024-04-01': 480 });
    expect(rowsOf(daily, 'P1', M.payrollLineDays)).toEqual({ '2024-03-31': 1, '2024-04-01': 1 });
  });

  it('keeps payroll hours exact too: 72.5 h over 14 days = 4,350 minutes = 2,175 / 7 a day', () => {
    const daily = aggregates([line({ period_start: '2024-03-25', period_end: '2024-04-07', hours: 72.5 })]);
    expect(Object.values(rowsOf(daily, 'P1', 'payroll_min/7'))).toEqual(Array(14).fill(2175));
  });

  it('puts every stored value of a money or minutes measure on an integer count of its units', () => {
    const daily = aggregates(
      [
        line({
          period_start: '2024-12-23',
          period_end: '2025-01-05',
          hours: 80.25,
          wages: 263_712,
          commission: 7_200,
          employer_taxes_benefits: 4_657,
        }),
        line({ payroll_line_id: 'PL2', location_id: null, wages: 333, hours: 0.0001 }),
      ],
      {
        providerLocations: new Map([['P1', ['H1', 'H2']]]),
        production: (_, locationId) => (locationId === 'H1' ? 100 : 200),
      },
    );
    const money = daily.filter((d) => /^(comp\.|payroll)/.test(d.measure) && d.measure !== M.payrollLineDays);
    expect(money.length).toBeGreaterThan(0);
    for (const d of money) expect(Number.isSafeInteger(d.value)).toBe(true);
    // 2,637.12 over 14 days: 263,712 / 14 = 131,856 / 7 a day (reduced).
    expect(Object.values(rowsOf(daily, 'P1', 'comp.wages/7'))).toEqual(Array(14).fill(131_856));
    // The location-less line at H1: 3.33 × 100 / (100 + 200) over 2 days = 33,300 / 600 = 111 / 2 a day;
    // 0.0001 h = 0.006 minutes × 1/3 over 2 days = 1 / 1,000 of a minute a day.
    expect(rowsOf(daily, 'P1', 'comp.wages/2')).toEqual({ '2024-03-31': 111, '2024-04-01': 111 });
    expect(rowsOf(daily, 'P1', 'payroll_min/1000')).toEqual({ '2024-03-31': 1, '2024-04-01': 1 });
  });

  it('records a payroll line of $0 and 0 hours as a line that exists', () => {
    const daily = aggregates([line({ wages: 0, hours: 0 })]);
    expect(rowsOf(daily, 'P1', M.payrollLineDays)).toEqual({ '2024-03-31': 1, '2024-04-01': 1 });
    expect(daily.filter((d) => d.measure.startsWith('comp.'))).toEqual([]);
  });

  it('spreads the payroll of an employee who is no provider exactly, as a location cost', () => {
    const daily = aggregates([line({ payroll_employee_id: 'E9', wages: 1, bonus: 2 })]);
    expect(rowsOf(daily, '', 'payroll.non_provider/2')).toEqual({ '2024-03-31': 3, '2024-04-01': 3 });
  });
});
