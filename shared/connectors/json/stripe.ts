import { z } from 'zod';

import type { CanonicalRecord } from '../vendorProfile';
import { defineJsonProfile, type Located, type MappingEnv, missing } from './jsonProfile';
import { centsCell, isTwoDecimalCurrency, minorUnits, unixToUtcDatetime } from './jsonValues';

/*
 * Stripe list responses (`{object: 'list', data: [...]}`, or a plain array of the objects) of
 * charges, refunds, balance transactions and subscriptions. Amounts are integers in the
 * currency's minor unit; timestamps are Unix seconds (UTC). Stripe has no notion of a
 * location, so every row takes the `--location` the user gives.
 *
 * Charges, refunds and balance transactions are three views of the same money. A balance
 * transaction's line takes the id of its source charge or refund, so importing two of the views
 * upserts the same lines instead of counting the money twice. A charge does not say what was
 * sold, so every line is of kind `other`.
 */

const VENDOR = 'stripe';
const LIST_PATHS = [['data']] as const;

/** An id field that Stripe may expand into the object it names. */
const expandable = z.union([z.string(), z.object({ id: z.string() })]);
const idOf = (value: z.infer<typeof expandable>): string => (typeof value === 'string' ? value : value.id);

const isObjectOf =
  (kind: string) =>
  (first: Record<string, unknown>): boolean =>
    first.object === kind;

function utcWarning(env: MappingEnv): void {
  env.issue({
    severity: 'warning',
    row: null,
    column: null,
    code: 'utc_dates',
    message:
      'dates are the UTC calendar dates of Stripe timestamps; an evening payment in the Americas can land on the next day',
  });
}

function currencyOk(env: MappingEnv, at: Located<unknown>, currency: string): boolean {
  if (isTwoDecimalCurrency(currency)) return true;
  env.issue({
    severity: 'error',
    row: at.row,
    column: 'currency',
    code: 'unsupported_currency',
    message: `currency: ${currency} amounts are not in cents`,
    at,
  });
  return false;
}

function saleLine(
  env: MappingEnv,
  at: Located<unknown>,
  lineId: string,
  loc: string,
  created: number,
  cents: number,
  patientId: string,
): CanonicalRecord {
  return {
    entity: 'sales',
    sourceRow: at.row,
    values: {
      line_id: lineId,
      location_id: loc,
      sold_on: env.saleDate(unixToUtcDatetime(created), loc) ?? '',
      patient_id: patientId,
      provider_id: '',
      appointment_id: '',
      kind: 'other',
      service_code: '',
      gross: centsCell(cents),
      discount: '',
      tax: '',
      tip: '',
    },
  };
}

const chargeSchema = z.object({
  id: z.string().min(1),
  object: z.literal('charge'),
  amount: minorUnits,
  amount_captured: minorUnits.nullish(),
  captured: z.boolean(),
  paid: z.boolean(),
  status: z.enum(['succeeded', 'pending', 'failed']),
  created: z.number().int(),
  currency: z.string(),
  customer: expandable.nullish(),
});
type Charge = z.infer<typeof chargeSchema>;

function mapCharge(at: Located<Charge>, env: MappingEnv): CanonicalRecord[] {
  const c = at.value;
  // An uncaptured charge is only an authorization, and a failed one moved no money.
  if (c.status !== 'succeeded' || !c.paid || !c.captured) return [];
  const loc = env.givenLocation();
  if (loc === null || !currencyOk(env, at, c.currency)) return [];
  const patient = c.customer ? env.id(idOf(c.customer)) : '';
  return [saleLine(env, at, env.id(c.id), loc, c.created, c.amount_captured ?? c.amount, patient)];
}

export const stripeCharges = defineJsonProfile({
  id: 'stripe.charges',
  vendor: VENDOR,
  report: 'charges',
  listPaths: LIST_PATHS,
  signature: ['object', 'amount', 'captured', 'paid'],
  recognizes: isObjectOf('charge'),
  schema: chargeSchema,
  map: (records, env) => {
    const rows = records.flatMap((at) => mapCharge(at, env));
    if (env.utcDatesUsed()) utcWarning(env);
    return rows;
  },
});

const refundSchema = z.object({
  id: z.string().min(1),
  object: z.literal('refund'),
  amount: minorUnits,
  charge: expandable.nullish(),
  created: z.number().int(),
  currency: z.string(),
  status: z.enum(['pending', 'requires_action', 'succeeded', 'failed', 'canceled']).nullish(),
});
type Refund = z.infer<typeof refundSchema>;

function mapRefund(at: Located<Refund>, env: MappingEnv): CanonicalRecord[] {
  const r = at.value;
  if (r.status !== 'succeeded') return [];
  const loc = env.givenLocation();
  if (loc === null || !currencyOk(env, at, r.currency)) return [];
  return [saleLine(env, at, env.id(r.id), loc, r.created, -Math.abs(r.amount), '')];
}

export const stripeRefunds = defineJsonProfile({
  id: 'stripe.refunds',
  vendor: VENDOR,
  report: 'refunds',
  listPaths: LIST_PATHS,
  signature: ['object', 'amount', 'charge'],
  recognizes: isObjectOf('refund'),
  schema: refundSchema,
  map: (records, env) => {
    const rows = records.flatMap((at) => mapRefund(at, env));
    if (env.utcDatesUsed()) utcWarning(env);
    return rows;
  },
});

const balanceTransactionSchema = z.object({
  id: z.string().min(1),
  object: z.literal('balance_transaction'),
  amount: minorUnits,
  fee: minorUnits.nullish(),
  net: minorUnits.nullish(),
  created: z.number().int(),
  currency: z.string(),
  type: z.string(),
  reporting_category: z.string().nullish(),
  source: expandable.nullish(),
});
type BalanceTransaction = z.infer<typeof balanceTransactionSchema>;

// Payouts, Stripe fees, transfers and adjustments move money but are not sales or refunds.
const SALE_TYPES = new Set(['charge', 'payment']);
const REFUND_TYPES = new Set(['refund', 'payment_refund']);

function mapBalanceTransaction(at: Located<BalanceTransaction>, env: MappingEnv): CanonicalRecord[] {
  const t = at.value;
  const isSale = SALE_TYPES.has(t.type);
  if (!isSale && !REFUND_TYPES.has(t.type)) return [];
  const loc = env.givenLocation();
  if (loc === null || !currencyOk(env, at, t.currency)) return [];
  // The gross amount is the sale; Stripe's fee is a cost of the practice, not a discount.
  const cents = isSale ? t.amount : -Math.abs(t.amount);
  const lineId = env.id(t.source ? idOf(t.source) : t.id);
  return [saleLine(env, at, lineId, loc, t.created, cents, '')];
}

export const stripeBalanceTransactions = defineJsonProfile({
  id: 'stripe.balance_transactions',
  vendor: VENDOR,
  report: 'balance transactions',
  listPaths: LIST_PATHS,
  signature: ['object', 'amount', 'fee', 'net', 'reporting_category'],
  recognizes: isObjectOf('balance_transaction'),
  schema: balanceTransactionSchema,
  map: (records, env) => {
    const rows = records.flatMap((at) => mapBalanceTransaction(at, env));
    if (env.utcDatesUsed()) utcWarning(env);
    return rows;
  },
});

const recurring = z.object({
  interval: z.enum(['day', 'week', 'month', 'year']),
  interval_count: z.number().int().positive(),
});

const subscriptionSchema = z.object({
  id: z.string().min(1),
  object: z.literal('subscription'),
  customer: expandable,
  status: z.enum([
    'incomplete',
    'incomplete_expired',
    'trialing',
    'active',
    'past_due',
    'canceled',
    'unpaid',
    'paused',
  ]),
  start_date: z.number().int(),
  ended_at: z.number().int().nullish(),
  currency: z.string(),
  items: z.object({
    data: z.array(
      z.object({
        quantity: z.number().int().nonnegative().nullish(),
        price: z.object({
          nickname: z.string().nullish(),
          product: expandable.nullish(),
          unit_amount: minorUnits.nullish(),
          recurring: recurring.nullish(),
        }),
      }),
    ),
  }),
});
type Subscription = z.infer<typeof subscriptionSchema>;

const MONTHS_PER: Record<z.infer<typeof recurring>['interval'], number> = {
  day: 12 / 365,
  week: 12 / 52,
  month: 1,
  year: 12,
};

function mapSubscription(at: Located<Subscription>, env: MappingEnv): CanonicalRecord[] {
  const s = at.value;
  // An incomplete subscription never had its first payment: it never started.
  if (s.status === 'incomplete' || s.status === 'incomplete_expired') return [];
  const loc = env.givenLocation();
  if (loc === null || !currencyOk(env, at, s.currency)) return [];
  let monthly = 0;
  for (const [index, item] of s.items.data.entries()) {
    const { unit_amount: unit, recurring: every } = item.price;
    if (unit === null || unit === undefined || !every) {
      missing(
        env,
        at,
        `items.data[${index}].price`,
        'not a recurring per-unit price, so the monthly fee is unknown',
      );
      return [];
    }
    monthly += (unit * (item.quantity ?? 1)) / (every.interval_count * MONTHS_PER[every.interval]);
  }
  const first = s.items.data[0]?.price;
  const plan = first?.nickname ?? (first?.product ? idOf(first.product) : '');
  return [
    {
      entity: 'memberships',
      sourceRow: at.row,
      values: {
        membership_id: env.id(s.id),
        patient_id: env.id(idOf(s.customer)),
        location_id: loc,
        plan,
        monthly_fee: centsCell(Math.round(monthly)),
        started_on: env.saleDate(unixToUtcDatetime(s.start_date), loc) ?? '',
        // ended_at, not canceled_at: a subscription cancelled at period end stays active until then.
        cancelled_on: s.ended_at ? (env.saleDate(unixToUtcDatetime(s.ended_at), loc) ?? '') : '',
      },
    },
  ];
}

export const stripeSubscriptions = defineJsonProfile({
  id: 'stripe.subscriptions',
  vendor: VENDOR,
  report: 'subscriptions',
  listPaths: LIST_PATHS,
  signature: ['object', 'customer', 'items', 'status'],
  recognizes: isObjectOf('subscription'),
  schema: subscriptionSchema,
  map: (records, env) => {
    const rows = records.flatMap((at) => mapSubscription(at, env));
    if (env.utcDatesUsed()) utcWarning(env);
    return rows;
  },
});
