import { z } from 'zod';

import { type Cents, type CentsResult, centsToMoneyCell, sumCents } from '../money';
import type { CanonicalRecord } from '../vendorProfile';
import { amountValue, readAmount, reportAmount } from './jsonMoney';
import { defineJsonProfile, type Located, type MappingEnv, missing } from './jsonProfile';
import { dateCell, decimal, hoursCell } from './jsonValues';

/*
 * ADP Workforce Now pay statements (`GET /payroll/v1/workers/{aoid}/pay-statements` with the
 * statement details: `{payStatements: [...]}`), one payroll line per statement. The list is
 * asked per worker, so the worker's id may sit on each statement or once at the top.
 * Employer taxes and benefits are not on an employee's pay statement and stay empty.
 */

const VENDOR = 'adp';

/**
 * ADP's amount: `{amountValue, currencyCode}`; the code is the statement's currency (currency.ts).
 * Amounts are to the cent (more decimals are an error) and keep their sign: an adjustment
 * statement can take money back.
 */
const amount = z.object({ amountValue: amountValue, currencyCode: z.string().nullish() });

const earningSchema = z.object({
  earningCodeName: z.string().nullish(),
  earningCode: z
    .union([z.string(), z.object({ codeValue: z.string().nullish(), shortName: z.string().nullish() })])
    .nullish(),
  earningAmount: amount.nullish(),
  payPeriodHours: decimal.nullish(),
  payHours: z.object({ hoursQuantity: decimal.nullish() }).nullish(),
});
type Earning = z.infer<typeof earningSchema>;

const statementSchema = z.object({
  associateOID: z.string().nullish(),
  payrollFileNumber: z.string().nullish(),
  payDate: z.string(),
  payPeriod: z.object({ startDate: z.string(), endDate: z.string() }),
  grossPayAmount: amount.nullish(),
  earnings: z.array(earningSchema).nullish(),
});
type Statement = z.infer<typeof statementSchema>;

function earningName(e: Earning): string {
  const code = e.earningCode;
  const codeName = typeof code === 'string' ? code : (code?.shortName ?? code?.codeValue ?? '');
  return `${e.earningCodeName ?? ''} ${codeName}`.toLowerCase();
}

// Tips are clients' money and reimbursements repay expenses: neither is compensation cost.
function earningKind(name: string): 'commission' | 'bonus' | 'excluded' | 'wages' {
  if (name.includes('commission')) return 'commission';
  if (name.includes('bonus')) return 'bonus';
  if (/\btips?\b|reimb/.test(name)) return 'excluded';
  return 'wages';
}

// Paid leave is paid but is not time a provider can see patients, so its hours are not worked hours.
const LEAVE = /vacation|\bpto\b|holiday|sick|bereavement|time off|jury/;

function documentWorker(root: unknown): string | null {
  if (typeof root !== 'object' || root === null) return null;
  const r = root as { associateOID?: unknown; payrollFileNumber?: unknown };
  if (typeof r.associateOID === 'string') return r.associateOID;
  return typeof r.payrollFileNumber === 'string' ? r.payrollFileNumber : null;
}

function mapStatement(at: Located<Statement>, env: MappingEnv, seen: Map<string, number>): CanonicalRecord[] {
  const s = at.value;
  const worker = s.associateOID ?? s.payrollFileNumber ?? documentWorker(env.root);
  const start = dateCell(s.payPeriod.startDate);
  const end = dateCell(s.payPeriod.endDate);
  const payDate = dateCell(s.payDate);
  if (!worker) {
    missing(env, at, 'associateOID', 'the statement does not name its worker');
    return [];
  }
  if (start === null || end === null || payDate === null) {
    missing(env, at, 'payPeriod', 'payDate, startDate or endDate is not a date');
    return [];
  }
  const parts: Record<'commission' | 'bonus' | 'excluded' | 'wages', Cents[]> = {
    commission: [],
    bonus: [],
    excluded: [],
    wages: [],
  };
  let worked = 0;
  for (const [index, e] of (s.earnings ?? []).entries()) {
    const name = earningName(e);
    const kind = earningKind(name);
    // An earning without an amount pays nothing on this statement (hours alone, e.g. unpaid leave).
    if (e.earningAmount) {
      const cents = readAmount(
        env,
        at,
        `earnings[${index}].earningAmount.amountValue`,
        e.earningAmount.amountValue,
      );
      if (cents === null) return [];
      parts[kind].push(cents);
    }
    const h = Number(e.payHours?.hoursQuantity ?? e.payPeriodHours ?? 0);
    if (kind === 'wages' && !LEAVE.test(name)) worked += h;
  }
  const codes = [
    ...new Set(
      [s.grossPayAmount, ...(s.earnings ?? []).map((e) => e.earningAmount)]
        .map((a) => a?.currencyCode?.trim().toUpperCase() ?? '')
        .filter((c) => c !== ''),
    ),
  ];
  if (codes.length > 1) {
    env.issue({
      severity: 'error',
      row: at.row,
      column: 'grossPayAmount.currencyCode',
      code: 'mixed_currency',
      message: `the statement's amounts are in ${codes.join(' and ')}`,
      at,
    });
    return [];
  }
  const currency = codes[0] === undefined ? '' : env.currency(at, codes[0], 'grossPayAmount.currencyCode');
  if (currency === null) return [];
  if ((s.earnings ?? []).length === 0 && s.grossPayAmount) {
    const gross = readAmount(env, at, 'grossPayAmount.amountValue', s.grossPayAmount.amountValue);
    if (gross === null) return [];
    parts.wages = [gross];
  }
  const wages = sumCents(parts.wages);
  const commission = sumCents(parts.commission);
  const bonus = sumCents(parts.bonus);
  const tooLarge = (kind: string, total: Extract<CentsResult, { ok: false }>): CanonicalRecord[] => {
    reportAmount(env, at, 'earnings', `the statement's ${kind}`, total);
    return [];
  };
  if (!wages.ok) return tooLarge('wages', wages);
  if (!commission.ok) return tooLarge('commission', commission);
  if (!bonus.ok) return tooLarge('bonus', bonus);
  // An adjustment statement can share its worker and pay date with the regular one.
  const base = `${worker}/${payDate}`;
  const count = (seen.get(base) ?? 0) + 1;
  seen.set(base, count);
  return [
    {
      entity: 'payroll',
      sourceRow: at.row,
      values: {
        payroll_line_id: env.id(count === 1 ? base : `${base}#${count}`),
        payroll_employee_id: env.id(worker),
        location_id: env.context.locationId === undefined ? '' : (env.location(null) ?? ''),
        period_start: start,
        period_end: end,
        pay_date: payDate,
        hours: hoursCell(worked),
        wages: centsToMoneyCell(wages.cents),
        commission: centsToMoneyCell(commission.cents),
        bonus: centsToMoneyCell(bonus.cents),
        employer_taxes_benefits: '',
        ...(currency === '' ? {} : { currency }),
      },
    },
  ];
}

export const adpPayStatements = defineJsonProfile({
  id: 'adp.pay_statements',
  vendor: VENDOR,
  report: 'pay statements',
  listPaths: [['payStatements']],
  signature: ['payDate', 'payPeriod', 'earnings'],
  schema: statementSchema,
  map: (records, env) => {
    const seen = new Map<string, number>();
    return records.flatMap((at) => mapStatement(at, env, seen));
  },
});
