import { z } from 'zod';

import type { CanonicalRecord } from '../vendorProfile';
import { defineJsonProfile, type Located, type MappingEnv, missing } from './jsonProfile';
import { centsCell, dateCell, decimal, dollarsToCents, hoursCell } from './jsonValues';

/*
 * Gusto payrolls (`GET /v1/companies/{id}/payrolls?include=taxes,benefits`, an array, or
 * `{payrolls: [...]}`): one payroll line per employee compensation. Amounts are decimal
 * strings in dollars.
 */

const VENDOR = 'gusto';

const named = z.object({ name: z.string(), amount: decimal.nullish() });

const compensationSchema = z.object({
  employee_uuid: z.string().min(1),
  excluded: z.boolean().nullish(),
  gross_pay: decimal.nullish(),
  fixed_compensations: z.array(named).nullish(),
  hourly_compensations: z.array(named.extend({ hours: decimal.nullish() })).nullish(),
  paid_time_off: z.array(z.object({ name: z.string(), hours: decimal.nullish() })).nullish(),
  benefits: z
    .array(z.object({ name: z.string().nullish(), company_contribution: decimal.nullish() }))
    .nullish(),
  taxes: z.array(z.object({ name: z.string(), employer: z.boolean(), amount: decimal })).nullish(),
});
type Compensation = z.infer<typeof compensationSchema>;

const payrollSchema = z.object({
  payroll_uuid: z.string().min(1).nullish(),
  uuid: z.string().min(1).nullish(),
  processed: z.boolean().nullish(),
  check_date: z.string().nullish(),
  pay_period: z.object({ start_date: z.string(), end_date: z.string() }),
  employee_compensations: z.array(compensationSchema),
});
type Payroll = z.infer<typeof payrollSchema>;

const cents = (value: string | number | null | undefined): number =>
  value === null || value === undefined ? 0 : (dollarsToCents(value) ?? 0);
const hours = (value: string | number | null | undefined): number =>
  value === null || value === undefined ? 0 : Number(value);

/*
 * Which fixed compensation is what. Tips are the clients' money passed through payroll and
 * reimbursements repay expenses: neither is compensation cost, so both stay out of wages.
 */
type FixedKind = 'commission' | 'bonus' | 'tips' | 'reimbursement' | 'wages';
function fixedKind(name: string): FixedKind {
  const n = name.toLowerCase();
  if (n.includes('commission')) return 'commission';
  if (n.includes('bonus')) return 'bonus';
  if (n.includes('tip')) return 'tips';
  if (n.includes('reimbursement')) return 'reimbursement';
  return 'wages';
}

function mapCompensation(
  at: Located<Payroll>,
  env: MappingEnv,
  payrollId: string,
  period: { start: string; end: string; payDate: string },
  e: Compensation,
): CanonicalRecord {
  const fixed: Record<FixedKind, number> = { commission: 0, bonus: 0, tips: 0, reimbursement: 0, wages: 0 };
  for (const f of e.fixed_compensations ?? []) fixed[fixedKind(f.name)] += cents(f.amount);
  const hourly = (e.hourly_compensations ?? []).reduce((sum, h) => sum + cents(h.amount), 0);
  // Gross pay also holds salary and paid time off, which have no line of their own; wages are
  // what is left of it once commission, bonus and tips are taken out (reimbursements are paid
  // outside gross pay).
  const wages =
    e.gross_pay !== null && e.gross_pay !== undefined
      ? cents(e.gross_pay) - fixed.commission - fixed.bonus - fixed.tips
      : hourly + fixed.wages;
  // Worked hours only: paid time off is paid but is not time a provider can see patients.
  const worked = (e.hourly_compensations ?? []).reduce((sum, h) => sum + hours(h.hours), 0);
  const employerCost =
    e.taxes || e.benefits
      ? (e.taxes ?? []).filter((t) => t.employer).reduce((sum, t) => sum + cents(t.amount), 0) +
        (e.benefits ?? []).reduce((sum, b) => sum + cents(b.company_contribution), 0)
      : null;
  return {
    entity: 'payroll',
    sourceRow: at.row,
    values: {
      payroll_line_id: env.id(`${payrollId}/${e.employee_uuid}`),
      payroll_employee_id: env.id(e.employee_uuid),
      location_id: env.context.locationId ?? '',
      period_start: period.start,
      period_end: period.end,
      pay_date: period.payDate,
      // No hourly line (a salaried employee, an off-cycle bonus) says nothing about hours worked.
      hours: (e.hourly_compensations ?? []).length > 0 ? hoursCell(worked) : '',
      wages: centsCell(wages),
      commission: centsCell(fixed.commission),
      bonus: centsCell(fixed.bonus),
      employer_taxes_benefits: employerCost === null ? '' : centsCell(employerCost),
    },
  };
}

function mapPayroll(at: Located<Payroll>, env: MappingEnv): CanonicalRecord[] {
  const p = at.value;
  const payrollId = p.payroll_uuid ?? p.uuid;
  const start = dateCell(p.pay_period.start_date);
  const end = dateCell(p.pay_period.end_date);
  if (!payrollId) {
    missing(env, at, 'payroll_uuid', 'the payroll has no id');
    return [];
  }
  if (start === null || end === null) {
    missing(env, at, 'pay_period', 'start_date or end_date is not a date');
    return [];
  }
  if (p.processed === false) {
    env.issue({
      severity: 'warning',
      row: at.row,
      column: 'processed',
      code: 'unprocessed_payroll',
      message: 'the payroll is not processed yet (a draft): skipped',
      at,
    });
    return [];
  }
  const period = { start, end, payDate: p.check_date ? (dateCell(p.check_date) ?? '') : '' };
  return p.employee_compensations
    .filter((e) => e.excluded !== true)
    .map((e) => mapCompensation(at, env, payrollId, period, e));
}

export const gustoPayrolls = defineJsonProfile({
  id: 'gusto.payrolls',
  vendor: VENDOR,
  report: 'payrolls',
  listPaths: [['payrolls']],
  signature: ['pay_period', 'employee_compensations', 'check_date'],
  schema: payrollSchema,
  map: (records, env) => {
    const rows = records.flatMap((at) => mapPayroll(at, env));
    if (rows.some((r) => r.values.employer_taxes_benefits === '')) {
      env.issue({
        severity: 'warning',
        row: null,
        column: 'employee_compensations',
        code: 'no_employer_costs',
        message:
          'some compensations carry no taxes or benefits, so employer taxes and benefits are unknown for them: export with include=taxes,benefits',
      });
    }
    return rows;
  },
});
