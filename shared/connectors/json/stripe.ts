import { z } from 'zod';

import { type AmountRules, type Cents, centsToMoneyCell, ratioToCents } from '../money';
import type { CanonicalRecord } from '../vendorProfile';
import { readMinorAmount, reportAmount } from './jsonMoney';
import { defineJsonProfile, type Located, type MappingEnv, missing } from './jsonProfile';
import { minorUnits, unixToUtcDatetime } from './jsonValues';

/*
 * Stripe list responses (`{object: 'list', data: [...]}`, a plain array of the objects, or one
 * object as `GET /v1/charges/{id}` answers) of charges, refunds, balance transactions and
 * subscriptions. Amounts are integers in the currency's minor unit; timestamps are Unix seconds
 * (UTC). Stripe has no notion of a location, so every row takes the `--location` the user gives.
 *
 * Objects of every API version are read: before 2014 a charge had `card` instead of
 * `payment_method_details`, no `captured` (every charge was captured), before 2015 no `status`
 * (`paid` said it), before 2019 no `amount_captured`, and refunds carried no `status` (a refund
 * happened when it was created). None of those fields is required; a missing `currency` is the
 * account's default currency only when the user says which (`--default-currency`).
 *
 * Charges, refunds and balance transactions are three views of the same money. A balance
 * transaction's line takes the id of its source charge or refund, so importing two of the views
 * upserts the same lines instead of counting the money twice. A charge does not say what was
 * sold, so every line is of kind `other`.
 */

const VENDOR = 'stripe';

/*
 * Stripe's signs, as its objects define them: a charge's `amount`/`amount_captured`, a refund's
 * `amount` and a price's `unit_amount` are never negative (a refund says it is one by being a
 * refund object); a balance transaction's `amount` is signed — positive for money charged to a
 * client (`charge`, `payment`), negative for money sent back (`refund`, `payment_refund`). A sign
 * Stripe never sends is an error on the record, never flipped.
 */
const NON_NEGATIVE: AmountRules & { wrongSign: string } = {
  sign: 'non_negative',
  wrongSign: 'Stripe never sends a negative amount here',
};
const LIST_PATHS = [['data']] as const;

/** An id field that Stripe may expand into the object it names. */
const expandable = z.union([z.string(), z.object({ id: z.string() })]);
const idOf = (value: z.infer<typeof expandable>): string => (typeof value === 'string' ? value : value.id);

const isObjectOf =
  (kind: string) =>
  (first: Record<string, unknown>): boolean =>
    first.object === kind;
/** A Stripe object says what it is: `object: 'charge'` identifies a charge of any API version. */
const identifiesAs = isObjectOf;

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

/** The record's currency, upper case; null after reporting a missing or invalid one. */
function currencyOf(
  env: MappingEnv,
  at: Located<unknown>,
  currency: string | null | undefined,
): string | null {
  return env.currency(at, currency, 'currency');
}

function saleLine(
  env: MappingEnv,
  at: Located<unknown>,
  lineId: string,
  loc: string,
  created: number,
  cents: number,
  patientId: string,
  currency: string,
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
      gross: centsToMoneyCell(cents),
      discount: '',
      tax: '',
      tip: '',
      currency,
    },
  };
}

const chargeSchema = z.object({
  id: z.string().min(1),
  object: z.literal('charge'),
  amount: minorUnits,
  amount_captured: minorUnits.nullish(),
  captured: z.boolean().nullish(),
  paid: z.boolean().nullish(),
  status: z.string().nullish(),
  created: z.number().int(),
  currency: z.string().nullish(),
  customer: expandable.nullish(),
});
type Charge = z.infer<typeof chargeSchema>;

/**
 * What a charge booked, in minor units, or the state that makes it no revenue. A failed or
 * pending charge moved no money (before `status` existed, `paid: false` said so); an
 * uncaptured one is only an authorization; the captured amount is `amount_captured` when the
 * object has it (a partial capture), else `amount` — and a charge that captured 0 is not a sale.
 */
function bookedAmount(c: Charge): { cents: number } | { state: string } {
  const status = c.status ?? (c.paid === false ? 'failed' : 'succeeded');
  if (status !== 'succeeded' && status !== 'paid') return { state: status };
  if (c.paid === false) return { state: 'unpaid' };
  if (c.captured === false) return { state: 'uncaptured' };
  const cents = c.amount_captured ?? c.amount;
  if (cents === 0) return { state: c.amount === 0 ? 'zero amount' : 'captured 0' };
  return { cents };
}

function mapCharge(at: Located<Charge>, env: MappingEnv): CanonicalRecord[] {
  const c = at.value;
  const booked = bookedAmount(c);
  if ('state' in booked) {
    env.notCounted(at, booked.state);
    return [];
  }
  const loc = env.givenLocation();
  const currency = currencyOf(env, at, c.currency);
  if (loc === null || currency === null) return [];
  const amount = readMinorAmount(
    env,
    at,
    c.amount_captured === undefined || c.amount_captured === null ? 'amount' : 'amount_captured',
    booked.cents,
    currency,
    NON_NEGATIVE,
  );
  if (amount === null) return [];
  const patient = c.customer ? env.id(idOf(c.customer)) : '';
  return [saleLine(env, at, env.id(c.id), loc, c.created, amount, patient, currency)];
}

export const stripeCharges = defineJsonProfile({
  id: 'stripe.charges',
  vendor: VENDOR,
  report: 'charges',
  listPaths: LIST_PATHS,
  signature: ['object', 'amount', 'captured', 'paid'],
  recognizes: isObjectOf('charge'),
  identifies: identifiesAs('charge'),
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
  currency: z.string().nullish(),
  status: z.string().nullish(),
});
type Refund = z.infer<typeof refundSchema>;

/**
 * A Stripe refund object's `amount` (positive: the money sent back) as a canonical sales line,
 * which holds a refund as a negative amount (metrics.md).
 */
function refundLine(amount: Cents): Cents {
  return amount === 0 ? 0 : -amount;
}

function mapRefund(at: Located<Refund>, env: MappingEnv): CanonicalRecord[] {
  const r = at.value;
  // Refunds had no status before 2017: they were done when they were created.
  const status = r.status ?? 'succeeded';
  if (status !== 'succeeded') {
    env.notCounted(at, status);
    return [];
  }
  const loc = env.givenLocation();
  const currency = currencyOf(env, at, r.currency);
  if (loc === null || currency === null) return [];
  const amount = readMinorAmount(env, at, 'amount', r.amount, currency, NON_NEGATIVE);
  if (amount === null) return [];
  return [saleLine(env, at, env.id(r.id), loc, r.created, refundLine(amount), '', currency)];
}

export const stripeRefunds = defineJsonProfile({
  id: 'stripe.refunds',
  vendor: VENDOR,
  report: 'refunds',
  listPaths: LIST_PATHS,
  signature: ['object', 'amount', 'charge'],
  recognizes: isObjectOf('refund'),
  identifies: identifiesAs('refund'),
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
  currency: z.string().nullish(),
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
  if (!isSale && !REFUND_TYPES.has(t.type)) {
    env.notCounted(at, t.type);
    return [];
  }
  const loc = env.givenLocation();
  const currency = currencyOf(env, at, t.currency);
  if (loc === null || currency === null) return [];
  // A balance transaction's amount carries Stripe's sign already (the file comment): a sale is
  // positive and a refund negative, as the canonical sales line; the other sign is an error.
  const amount = readMinorAmount(env, at, 'amount', t.amount, currency, {
    sign: isSale ? 'non_negative' : 'non_positive',
    wrongSign: isSale
      ? `a ${t.type} balance transaction is money charged, which Stripe never reports as negative`
      : `a ${t.type} balance transaction is money sent back, which Stripe reports as a negative amount`,
  });
  if (amount === null) return [];
  // The gross amount is the sale; Stripe's fee is a cost of the practice, not a discount.
  const cents = amount;
  const lineId = env.id(t.source ? idOf(t.source) : t.id);
  return [saleLine(env, at, lineId, loc, t.created, cents, '', currency)];
}

export const stripeBalanceTransactions = defineJsonProfile({
  id: 'stripe.balance_transactions',
  vendor: VENDOR,
  report: 'balance transactions',
  listPaths: LIST_PATHS,
  signature: ['object', 'amount', 'fee', 'net', 'reporting_category'],
  recognizes: isObjectOf('balance_transaction'),
  identifies: identifiesAs('balance_transaction'),
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
  currency: z.string().nullish(),
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

/** One interval in months, as an exact fraction [months, per intervals]: a day is 12/365 of a month. */
const MONTHS_PER: Record<z.infer<typeof recurring>['interval'], readonly [bigint, bigint]> = {
  day: [12n, 365n],
  week: [12n, 52n],
  month: [1n, 1n],
  year: [12n, 1n],
};

function mapSubscription(at: Located<Subscription>, env: MappingEnv): CanonicalRecord[] {
  const s = at.value;
  // An incomplete subscription never had its first payment: it never started.
  if (s.status === 'incomplete' || s.status === 'incomplete_expired') {
    env.notCounted(at, s.status);
    return [];
  }
  const loc = env.givenLocation();
  const currency = currencyOf(env, at, s.currency);
  if (loc === null || currency === null) return [];
  // The monthly fee is Σ unit × quantity / (interval_count × months per interval), summed as
  // an exact fraction and rounded once to the cent (money.ts).
  let numerator = 0n;
  let denominator = 1n;
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
    const unitHundredths = readMinorAmount(
      env,
      at,
      `items.data[${index}].price.unit_amount`,
      unit,
      currency,
      NON_NEGATIVE,
    );
    if (unitHundredths === null) return [];
    const [months, per] = MONTHS_PER[every.interval];
    const n = BigInt(unitHundredths) * BigInt(item.quantity ?? 1) * per;
    const d = BigInt(every.interval_count) * months;
    numerator = numerator * d + n * denominator;
    denominator *= d;
  }
  const monthly = ratioToCents(numerator, denominator);
  if (!monthly.ok) {
    reportAmount(env, at, 'items.data', "the items' monthly total", monthly);
    return [];
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
        monthly_fee: centsToMoneyCell(monthly.cents),
        started_on: env.saleDate(unixToUtcDatetime(s.start_date), loc) ?? '',
        // ended_at, not canceled_at: a subscription cancelled at period end stays active until then.
        cancelled_on: s.ended_at ? (env.saleDate(unixToUtcDatetime(s.ended_at), loc) ?? '') : '',
        currency,
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
  identifies: identifiesAs('subscription'),
  schema: subscriptionSchema,
  map: (records, env) => {
    const rows = records.flatMap((at) => mapSubscription(at, env));
    if (env.utcDatesUsed()) utcWarning(env);
    return rows;
  },
});
