import { z } from 'zod';

import { describeValue, looksPersonalValue } from '../../privacy/redact';
import { minorUnitDigits } from '../currency';
import {
  type AmountRules,
  apiAmountToCents,
  type Cents,
  type CentsResult,
  minorUnitsToCents,
} from '../money';
import type { Located, MappingEnv } from './jsonProfile';

/*
 * JSON amounts through money.ts, with the issue every profile raises the same way: a rejected
 * amount is an `invalid_money` error on its record, naming the record (`record 2 (Sales[1])`),
 * the field's JSON path inside it (`PurchasedItems[0].UnitPrice`) and the reason. The caller
 * then leaves the whole record out (null = reported), so the record counts as rejected and the
 * ingest's rejected-row threshold decides — an amount is never read as 0 instead.
 */

/** A money field as APIs send it: a JSON number or a decimal string; money.ts judges it. */
export const amountValue = z.union([z.number(), z.string()]);

/**
 * `1e+25`, `"12,5"`: the value as the vendor wrote it, short enough for a message — or described
 * (`a value of 24 characters`) when it looks like personal data (redact.ts).
 */
function shown(value: unknown): string {
  if (typeof value === 'string' && looksPersonalValue(value)) return describeValue(value);
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** Reports a rejected amount on its record; `wrongSign` says why its sign is wrong here. */
export function reportAmount(
  env: MappingEnv,
  at: Located<unknown>,
  column: string,
  value: unknown,
  result: Extract<CentsResult, { ok: false }>,
  wrongSign?: string,
): null {
  const reason = result.problem === 'wrong_sign' && wrongSign !== undefined ? wrongSign : result.reason;
  env.issue({
    severity: 'error',
    row: at.row,
    column,
    code: result.problem === 'empty' ? 'missing_value' : 'invalid_money',
    message: `${column}: ${shown(value)} is not a usable amount: ${reason}; the record is rejected`,
    at,
  });
  return null;
}

/** An amount in the currency's major unit (Mindbody `UnitPrice`, Gusto `gross_pay`); null after reporting. */
export function readAmount(
  env: MappingEnv,
  at: Located<unknown>,
  column: string,
  value: number | string | null | undefined,
  rules: AmountRules & { wrongSign?: string } = {},
): Cents | null {
  const result = apiAmountToCents(value, rules);
  return result.ok ? result.cents : reportAmount(env, at, column, value, result, rules.wrongSign);
}

/**
 * An integer amount in the minor unit of `currency` (Stripe `amount`, Square `Money.amount`) →
 * hundredths of its major unit (currency.ts then converts a foreign currency). '' = the
 * reporting currency's cents. Null after reporting.
 */
export function readMinorAmount(
  env: MappingEnv,
  at: Located<unknown>,
  column: string,
  value: number | string | null | undefined,
  currency: string,
  rules: AmountRules & { wrongSign?: string } = {},
): Cents | null {
  const digits = currency === '' ? 2 : minorUnitDigits(currency);
  const result = minorUnitsToCents(value, digits, rules);
  if (result.ok) return result.cents;
  if (result.problem === 'too_many_decimals') {
    // Only a three-decimal currency (KWD, BHD…) gets here: its last digit is below the cent.
    return reportAmount(env, at, column, value, {
      ...result,
      reason: `${currency} amounts have three decimals, and this one's last digit is below the cent, which cents cannot carry (and rounding it before the exchange-rate conversion would round twice)`,
    });
  }
  return reportAmount(env, at, column, value, result, rules.wrongSign);
}
