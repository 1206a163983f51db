import { z } from 'zod';

import { type Cents, type CentsResult, centsToMoneyCell, sumCents } from '../money';
import type { CanonicalRecord } from '../vendorProfile';
import { amountValue, readAmount, reportAmount } from './jsonMoney';
import { defineJsonProfile, type Located, type MappingEnv, missing } from './jsonProfile';
import { dateCell, decimal, hoursCell } from './jsonValues';

/*
 * Gusto payrolls (`GET /v1/companies/{id}/payrolls?include=taxes,benefits`, an array, or
 * `{payrolls: [...]}`): one payroll line per employee compensation. Amounts are decimal
 * strings in dollars, to the cent (more decimals are an error, money.ts), and keep their sign:
 * a correction payroll can take money back. A null amount is a line that paid nothing.
 */

const VENDOR = 'gusto';

const named = z.object({ name: z.string(), amount: amountValue.nullish() });

const compensationSchema = z.object({
  employee_uuid: z.string().min(1),
  excluded: z.boolean().nullish(),
  gross_pay: amountValue.nullish(),
  fixed_compensations: z.array(named).nullish(),
  hourly_compensations: z.array(named.extend({ hours: decimal.nullish() })).nullish(),
  paid_time_off: z.array(z.object({ name: z.string(), hours: decimal.nullish() })).nullish(),
  benefits: z
    .array(z.object({ name: z.string().nullish(), company_contribution: amountValue.nullish() }))
    .nullish(),
  taxes: z.array(z.object({ name: z.string(), employer: z.boolean(), amount: amountValue })).nullish(),
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

/** Thrown inside one compensation once a rejected amount is reported: the payroll record is out. */
class RejectedAmount extends Error {}

function mapCompensation(
  at: Located<Payroll>,
  env: MappingEnv,
  payrollId: string,
  period: { start: string; end: string; payDate: string },
  e: Compensation,
  index: number,
): CanonicalRecord {
  const path = `employee_compensations[${index}]`;
  /** The amounts of a list, each read exactly; a line without an amount paid nothing. */
  const amounts = <T>(
    list: readonly T[] | null | undefined,
    name: string,
    field: string,
    value: (item: T) => string | number | null | undefined,
  ): Cents[] =>
    (list ?? []).flatMap((item, i) => {
      const v = value(item);
      if (v === null || v === undefined) return [];
      const c = readAmount(env, at, `${path}.${name}[${i}].${field}`, v);
      if (c === null) throw new RejectedAmount();
      return [c];
    });
  const total = (parts: readonly Cents[], what: string): Cents => {
    const sum: CentsResult = sumCents(parts);
    if (sum.ok) return sum.cents;
    reportAmount(env, at, path, what, sum);
    throw new RejectedAmount();
  };
  const fixedOf = (kind: FixedKind): Cents =>
    total(
      amounts(e.fixed_compensations, 'fixed_compensations', 'amount', (f) =>
        fixedKind(f.name) === kind ? f.amount : null,
      ),
      kind,
    );
  const fixed = {
    commission: fixedOf('commission'),
    bonus: fixedOf('bonus'),
    tips: fixedOf('tips'),
    wages: fixedOf('wages'),
  };
  const hourly = total(
    amounts(e.hourly_compensations, 'hourly_compensations', 'amount', (h) => h.amount),
    'hourly pay',
  );
  // Gross pay also holds salary and paid time off, which have no line of their own; wages are
  // what is left of it once commission, bonus and tips are taken out (reimbursements are paid
  // outside gross pay).
  let wages: Cents;
  if (e.gross_pay !== null && e.gross_pay !== undefined) {
    const gross = readAmount(env, at, `${path}.gross_pay`, e.gross_pay);
    if (gross === null) throw new RejectedAmount();
    wages = total([gross, -fixed.commission, -fixed.bonus, -fixed.tips], 'wages');
  } else {
    wages = total([hourly, fixed.wages], 'wages');
  }
  // Worked hours only: paid time off is paid but is not time a provider can see patients.
  const worked = (e.hourly_compensations ?? []).reduce((sum, h) => sum + hours(h.hours), 0);
  const employerCost =
    e.taxes || e.benefits
      ? total(
          [
            ...amounts(e.taxes, 'taxes', 'amount', (t) => (t.employer ? t.amount : null)),
            ...amounts(e.benefits, 'benefits', 'company_contribution', (b) => b.company_contribution),
          ],
          'employer taxes and benefits',
        )
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
      wages: centsToMoneyCell(wages),
      commission: centsToMoneyCell(fixed.commission),
      bonus: centsToMoneyCell(fixed.bonus),
      employer_taxes_benefits: employerCost === null ? '' : centsToMoneyCell(employerCost),
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
  // One unusable amount rejects the whole payroll record (reported on it), never a 0 in its place.
  try {
    return p.employee_compensations.flatMap((e, index) =>
      e.excluded === true ? [] : [mapCompensation(at, env, payrollId, period, e, index)],
    );
  } catch (error) {
    if (error instanceof RejectedAmount) return [];
    throw error;
  }
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
