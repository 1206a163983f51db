import { defineCsvProfile } from '../csvProfile';
import { centsToMoneyCell, sumCents } from '../money';

/*
 * ADP Workforce Now manual payroll export (a custom report saved as CSV): one row per
 * employee and pay period. The header names come from sources.md (`Company Code, File Number,
 * Payroll Name, Job Title Description, Gross Pay, Regular Hours Total, Overtime Hours Total`);
 * the period, earnings and employer-tax columns are named as ADP's report builder names them
 * by default, which practices rename, hence the aliases. The File Number is kept as is (not
 * namespaced): it is the payroll_employee_id providers.csv links a provider to.
 */

export const adpPayrollExport = defineCsvProfile({
  vendor: 'ADP Workforce Now',
  idPrefix: 'adp',
  id: 'adp.payroll_export',
  report: 'Payroll export',
  fileName: /adp|payroll/i,
  signature: [
    'Company Code',
    'File Number',
    'Payroll Name',
    'Job Title Description',
    'Pay Date',
    'Period Beginning Date',
    'Period Ending Date',
    'Gross Pay',
    'Regular Hours Total',
    'Overtime Hours Total',
    'Regular Earnings Total',
    'Overtime Earnings Total',
  ],
  fields: {
    companyCode: { aliases: ['Company Code', 'Co Code'] },
    fileNumber: { aliases: ['File Number', 'File #', 'File No'], required: true },
    location: { aliases: ['Location Description', 'Location'] },
    payDate: { aliases: ['Pay Date', 'Check Date'] },
    periodStart: {
      aliases: ['Period Beginning Date', 'Period Start Date', 'Pay Period Start'],
      required: true,
    },
    periodEnd: { aliases: ['Period Ending Date', 'Period End Date', 'Pay Period End'], required: true },
    grossPay: { aliases: ['Gross Pay', 'Gross Pay Total'], required: true },
    regularHours: { aliases: ['Regular Hours Total', 'Regular Hours'] },
    overtimeHours: { aliases: ['Overtime Hours Total', 'Overtime Hours'] },
    regularEarnings: { aliases: ['Regular Earnings Total', 'Regular Earnings'] },
    overtimeEarnings: { aliases: ['Overtime Earnings Total', 'Overtime Earnings'] },
    commission: { aliases: ['Commission Earnings Total', 'Commission', 'Commissions'] },
    bonus: { aliases: ['Bonus Earnings Total', 'Bonus'] },
    employerTaxes: { aliases: ['Employer Taxes Total', 'Total Employer Taxes', 'Employer Taxes'] },
  },
  convert(rows, c) {
    const seen = new Map<string, number>();
    for (const r of rows) {
      const start = c.date(r, 'periodStart', true);
      const end = c.date(r, 'periodEnd', true);
      const payDate = c.date(r, 'payDate');
      const gross = c.cents(r, 'grossPay', true);
      const regular = c.cents(r, 'regularEarnings');
      const overtime = c.cents(r, 'overtimeEarnings');
      const commission = c.cents(r, 'commission');
      const bonus = c.cents(r, 'bonus');
      const taxes = c.money(r, 'employerTaxes');
      const hours = [r.get('regularHours'), r.get('overtimeHours')].filter((h) => h !== '');
      if (hours.some((h) => Number.isNaN(Number(h.replace(/,/g, ''))))) {
        c.error(r.row, 'regularHours', 'invalid_number', 'hours are not numbers');
        continue;
      }
      if (
        [start, end, payDate, taxes].some((v) => v === null) ||
        gross === null ||
        regular === null ||
        overtime === null ||
        commission === null ||
        bonus === null
      )
        continue;
      // An empty earnings cell is no earnings of that kind on the statement.
      const paid = (cents: number | '') => (cents === '' ? [] : [cents]);
      // Wages are the hourly/salary earnings; without an earnings breakdown they are what is
      // left of gross pay after commission and bonus.
      const wages = sumCents(
        regular !== '' || overtime !== ''
          ? [...paid(regular), ...paid(overtime)]
          : [gross, ...paid(commission).map((v) => -v), ...paid(bonus).map((v) => -v)],
      );
      if (!wages.ok) {
        c.error(r.row, 'grossPay', 'invalid_money', `the wages are not an amount of money: ${wages.reason}`);
        continue;
      }
      const fileNumber = r.get('fileNumber');
      const locationText = c.context.locationId ?? r.get('location');
      const location = locationText === '' ? '' : c.location(r, 'location');
      if (location === null) continue;
      // One pay period of one employee can be paid from two locations' payrolls (a floater):
      // the location as exported keeps those lines apart.
      const base = `${r.get('companyCode') || '-'}/${fileNumber}/${end ?? ''}${locationText === '' ? '' : `/${locationText}`}`;
      const n = (seen.get(base) ?? 0) + 1;
      seen.set(base, n);
      c.emit('payroll', r.row, {
        payroll_line_id: c.id(n === 1 ? base : `${base}/${n}`),
        payroll_employee_id: fileNumber,
        location_id: location,
        period_start: start ?? '',
        period_end: end ?? '',
        pay_date: payDate ?? '',
        hours:
          hours.length === 0
            ? ''
            : String(Math.round(hours.reduce((sum, h) => sum + Number(h.replace(/,/g, '')), 0) * 100) / 100),
        wages: centsToMoneyCell(wages.cents),
        commission: commission === '' ? '' : centsToMoneyCell(commission),
        bonus: bonus === '' ? '' : centsToMoneyCell(bonus),
        employer_taxes_benefits: taxes ?? '',
      });
    }
  },
});

export const ADP_PROFILES = [adpPayrollExport];
