import { exportedRole } from '../people';
import { type CanonicalRow, cell } from './canonicalRows';
import { cents, csvText, plainDollars, splitCents, usDate, usDollars, type VendorFile } from './exportText';
import { adpFileNumber, stableUuid } from './vendorIds';

/*
 * A location's payroll in Gusto's payrolls API JSON or ADP Workforce Now's payroll export CSV
 * (tests/fixtures/vendors/json/gusto, tests/fixtures/vendors/adp). Payroll lines keep their
 * location (ADP's Location Description) or have none (Gusto, company-wide): a line without a
 * location is allocated by production, which puts a one-location provider's pay where the
 * canonical line has it, and splits a floater's pay as the canonical demo leaves it to.
 */

export type PayrollSystem = 'gusto' | 'adp';

/** The payroll_employee_id the payroll profile produces for a canonical employee id. */
export function payrollEmployeeId(system: PayrollSystem, canonicalId: string): string {
  return system === 'gusto' ? `gusto:${stableUuid(`employee:${canonicalId}`)}` : adpFileNumber(canonicalId);
}

export function renderGusto(locationId: string, path: string, payroll: readonly CanonicalRow[]): VendorFile {
  const runs = new Map<string, CanonicalRow[]>();
  for (const line of payroll) {
    const key = `${cell(line, 'period_start')}|${cell(line, 'period_end')}|${cell(line, 'pay_date')}`;
    runs.set(key, [...(runs.get(key) ?? []), line]);
  }
  const payrolls = [...runs.values()].map((lines) => {
    const first = lines[0]!;
    const compensations = lines.map((line) => {
      const wages = cents(cell(line, 'wages'));
      const commission = cents(cell(line, 'commission'));
      const bonus = cents(cell(line, 'bonus'));
      // Employer cost is taxes plus the company's benefit contribution; the split is illustrative.
      const [taxes = 0, benefits = 0] = splitCents(cents(cell(line, 'employer_taxes_benefits')), [70, 30]);
      return {
        employee_uuid: stableUuid(`employee:${cell(line, 'payroll_employee_id')}`),
        excluded: false,
        gross_pay: plainDollars(wages + commission + bonus),
        payment_method: 'Direct Deposit',
        fixed_compensations: [
          { name: 'Commission', amount: plainDollars(commission) },
          { name: 'Bonus', amount: plainDollars(bonus) },
        ],
        hourly_compensations: [
          {
            name: 'Regular Hours',
            hours: Number(cell(line, 'hours')).toFixed(3),
            amount: plainDollars(wages),
            compensation_multiplier: 1,
          },
        ],
        paid_time_off: [],
        benefits: [{ name: 'Medical', company_contribution: plainDollars(benefits), imputed: false }],
        taxes: [{ name: 'Social Security', employer: true, amount: plainDollars(taxes) }],
      };
    });
    const key = `${locationId}:${cell(first, 'period_start')}:${cell(first, 'pay_date')}`;
    return {
      check_date: cell(first, 'pay_date'),
      processed: true,
      payroll_uuid: stableUuid(`payroll:${key}`),
      company_uuid: stableUuid(`company:${locationId}`),
      off_cycle: false,
      pay_period: { start_date: cell(first, 'period_start'), end_date: cell(first, 'period_end') },
      employee_compensations: compensations,
    };
  });
  return { path, text: `${JSON.stringify(payrolls)}\n` };
}

const ADP_HEADER = [
  'Company Code',
  'File Number',
  'Payroll Name',
  'Job Title Description',
  'Location Description',
  'Pay Date',
  'Period Beginning Date',
  'Period Ending Date',
  'Gross Pay',
  'Regular Hours Total',
  'Overtime Hours Total',
  'Regular Earnings Total',
  'Overtime Earnings Total',
  'Commission Earnings Total',
  'Bonus Earnings Total',
  'Employer Taxes Total',
];

/**
 * Each location is its own ADP company (an acquired practice keeps its legal entity), so a
 * floater's pay at two locations is two companies' rows: the profile keys a row by company,
 * file number and period end.
 */
export function renderAdp(
  companyCode: string,
  path: string,
  payroll: readonly CanonicalRow[],
  employees: ReadonlyMap<string, CanonicalRow>,
): VendorFile {
  const rows = payroll.map((line) => {
    const employee = employees.get(cell(line, 'payroll_employee_id')) ?? {};
    const wages = cents(cell(line, 'wages'));
    const commission = cents(cell(line, 'commission'));
    const bonus = cents(cell(line, 'bonus'));
    return [
      companyCode,
      adpFileNumber(cell(line, 'payroll_employee_id')),
      cell(employee, 'display_name'),
      exportedRole(cell(employee, 'role')),
      cell(line, 'location_id'),
      usDate(cell(line, 'pay_date')),
      usDate(cell(line, 'period_start')),
      usDate(cell(line, 'period_end')),
      usDollars(wages + commission + bonus),
      cell(line, 'hours'),
      '',
      usDollars(wages),
      '',
      usDollars(commission),
      usDollars(bonus),
      usDollars(cents(cell(line, 'employer_taxes_benefits'))),
    ];
  });
  return { path, text: csvText(ADP_HEADER, rows) };
}
