import { z } from 'zod';

import type { SaleKind } from '../../model/canonicalBundle';
import { type Cents, centsToMoneyCell, multiplyCents } from '../money';
import { categorizeService } from '../serviceCategories';
import type { CanonicalRecord } from '../vendorProfile';
import { readMinorAmount, reportAmount } from './jsonMoney';
import { defineJsonProfile, type Located, type MappingEnv, missing } from './jsonProfile';
import { minorUnits } from './jsonValues';

/*
 * Square Orders and Refunds API responses (`POST /v2/orders/search` → `{orders: [...]}`,
 * `GET /v2/refunds` → `{refunds: [...]}`, or one `{order: {...}}`). Money is `{amount,
 * currency}` in minor units, timestamps RFC 3339 in UTC. An order that is not COMPLETED (OPEN,
 * DRAFT, CANCELED) and a refund that is not COMPLETED are counted and reported by state.
 *
 * Orders give the sale lines; refunds give negative lines. An order's own `returns` are left
 * out so that a refund imported from the Refunds API is not counted a second time. Payments
 * are tenders of the same orders: the Payments profile (squarePayments.ts) is for practices that
 * export payments instead of orders, never beside them.
 */

const VENDOR = 'square';

/** Square's `Money`: `{amount, currency}` in minor units (shared with the Payments profile). */
export const money = z.object({ amount: minorUnits, currency: z.string() });
type Money = z.infer<typeof money>;

const lineItemSchema = z.object({
  uid: z.string().nullish(),
  name: z.string().nullish(),
  quantity: z.string(),
  catalog_object_id: z.string().nullish(),
  item_type: z.enum(['ITEM', 'CUSTOM_AMOUNT', 'GIFT_CARD']).nullish(),
  gross_sales_money: money.nullish(),
  base_price_money: money.nullish(),
  total_discount_money: money.nullish(),
  total_tax_money: money.nullish(),
});

const orderSchema = z.object({
  id: z.string().min(1),
  location_id: z.string().nullish(),
  state: z.enum(['OPEN', 'COMPLETED', 'CANCELED', 'DRAFT']),
  created_at: z.string(),
  closed_at: z.string().nullish(),
  customer_id: z.string().nullish(),
  line_items: z.array(lineItemSchema).nullish(),
  total_tip_money: money.nullish(),
});
type Order = z.infer<typeof orderSchema>;

export function utcWarning(env: MappingEnv): void {
  env.issue({
    severity: 'warning',
    row: null,
    column: null,
    code: 'utc_dates',
    message:
      'sale dates are the UTC calendar dates of Square timestamps; an evening sale in the Americas can land on the next day',
  });
}

/**
 * The one currency of a record's money (`Money.currency`): '' when the record carries no
 * money object, null after reporting two currencies in one record or an invalid code.
 */
export function moneyCurrency(
  env: MappingEnv,
  at: Located<unknown>,
  monies: readonly (readonly [string, Money | null | undefined])[],
): string | null {
  const present = monies.filter((m): m is readonly [string, Money] => m[1] !== null && m[1] !== undefined);
  const codes = [...new Set(present.map(([, m]) => m.currency.toUpperCase()))];
  if (codes.length === 0) return '';
  if (codes.length > 1) {
    env.issue({
      severity: 'error',
      row: at.row,
      column: `${present[0]?.[0] ?? ''}.currency`,
      code: 'mixed_currency',
      message: `the record's money is in ${codes.join(' and ')}: ${present.map(([c, m]) => `${c} ${m.currency}`).join(', ')}`,
      at,
    });
    return null;
  }
  const first = present[0];
  return env.currency(at, first?.[1].currency, `${first?.[0] ?? ''}.currency`);
}

/**
 * A Money amount in hundredths of its currency's unit (money.ts); 0 for an absent one (an order
 * without a tip); null after reporting. Every Money this profile reads is never negative in
 * Square's objects (a refund is its own object with a positive `amount_money`), so a negative
 * one is an error on its record, never flipped.
 */
export function hundredths(
  env: MappingEnv,
  at: Located<unknown>,
  column: string,
  m: Money | null | undefined,
  currency: string,
): number | null {
  if (!m) return 0;
  return readMinorAmount(env, at, `${column}.amount`, m.amount, currency, {
    sign: 'non_negative',
    wrongSign: 'Square never sends a negative amount here',
  });
}

type LineItem = z.infer<typeof lineItemSchema>;

/*
 * Square's order lines do not say whether an item is a treatment or a retail product (that
 * is in the catalog), so the kind comes from the item's name, as for Square's Items CSV: a
 * name the service rules recognize is a service, anything else stays `other`.
 */
function lineKind(item: LineItem, env: MappingEnv): SaleKind {
  const name = (item.name ?? '').toLowerCase();
  if (item.item_type === 'GIFT_CARD' || /gift ?card|gift certificate/.test(name)) return 'gift_card';
  if (/membership/.test(name)) return 'membership_fee';
  if (/package|series/.test(name)) return 'package';
  return categorizeService(item.name ?? '', env.context.serviceCategories).matched ? 'service' : 'other';
}

/**
 * A line without `gross_sales_money` (older API versions): `base_price_money` × `quantity`, a
 * decimal string (`"1"`, `"0.5"` for items sold by measure), exact and rounded once to the cent
 * (money.ts). Null after reporting.
 */
function lineGross(
  env: MappingEnv,
  at: Located<unknown>,
  column: (name: string) => string,
  item: LineItem,
  currency: string,
): Cents | null {
  const base = hundredths(env, at, column('base_price_money'), item.base_price_money, currency);
  if (base === null) return null;
  const gross = multiplyCents(base, item.quantity);
  return gross.ok ? gross.cents : reportAmount(env, at, column('quantity'), item.quantity, gross);
}

function mapOrder(at: Located<Order>, env: MappingEnv): CanonicalRecord[] {
  const o = at.value;
  // Open, draft and cancelled orders were never paid: they are not sales (counted, reported).
  if (o.state !== 'COMPLETED') {
    env.notCounted(at, o.state);
    return [];
  }
  const location = env.location(o.location_id);
  if (location === null) {
    missing(env, at, 'location_id', 'no location_id and no --location given');
    return [];
  }
  const soldOn = env.saleDate(o.closed_at ?? o.created_at, location);
  if (soldOn === null) {
    missing(env, at, 'closed_at', 'not a timestamp');
    return [];
  }
  const items = o.line_items ?? [];
  const currency = moneyCurrency(env, at, [
    ...items.flatMap((item, i) => [
      [`line_items[${i}].gross_sales_money`, item.gross_sales_money] as const,
      [`line_items[${i}].base_price_money`, item.base_price_money] as const,
      [`line_items[${i}].total_discount_money`, item.total_discount_money] as const,
      [`line_items[${i}].total_tax_money`, item.total_tax_money] as const,
    ]),
    ['total_tip_money', o.total_tip_money] as const,
  ]);
  if (currency === null) return [];
  const tip = hundredths(env, at, 'total_tip_money', o.total_tip_money, currency);
  if (tip === null) return [];
  const lines: CanonicalRecord[] = [];
  for (const [index, item] of items.entries()) {
    const column = (name: string) => `line_items[${index}].${name}`;
    const gross = item.gross_sales_money
      ? hundredths(env, at, column('gross_sales_money'), item.gross_sales_money, currency)
      : lineGross(env, at, column, item, currency);
    const discount = hundredths(env, at, column('total_discount_money'), item.total_discount_money, currency);
    const tax = hundredths(env, at, column('total_tax_money'), item.total_tax_money, currency);
    if (gross === null || discount === null || tax === null) return [];
    const kind = lineKind(item, env);
    const serviceCode = item.catalog_object_id ? env.id(item.catalog_object_id) : '';
    lines.push(
      ...(kind === 'service' && serviceCode !== '' && item.name
        ? env.serviceOnce(at, serviceCode, item.name)
        : []),
      {
        entity: 'sales',
        sourceRow: at.row,
        values: {
          line_id: `${env.id(o.id)}/${item.uid ?? String(index + 1)}`,
          location_id: location,
          sold_on: soldOn,
          patient_id: o.customer_id ? env.id(o.customer_id) : '',
          provider_id: '',
          appointment_id: '',
          kind,
          service_code: serviceCode,
          gross: centsToMoneyCell(gross),
          discount: centsToMoneyCell(discount),
          tax: centsToMoneyCell(tax),
          // The order's tip is not split by Square; it rides on the first line (tips are never revenue).
          tip: index === 0 && o.total_tip_money ? centsToMoneyCell(tip) : '',
          ...(currency === '' ? {} : { currency }),
        },
      },
    );
  }
  return lines;
}

export const squareOrders = defineJsonProfile({
  id: 'square.orders',
  vendor: VENDOR,
  report: 'orders',
  listPaths: [['orders']],
  signature: ['location_id', 'line_items', 'state'],
  schema: orderSchema,
  map: (records, env) => {
    const rows = records.flatMap((at) => mapOrder(at, env));
    if (env.utcDatesUsed()) utcWarning(env);
    return rows;
  },
});

const refundSchema = z.object({
  id: z.string().min(1),
  status: z.enum(['PENDING', 'COMPLETED', 'REJECTED', 'FAILED']),
  amount_money: money,
  payment_id: z.string().nullish(),
  order_id: z.string().nullish(),
  location_id: z.string().nullish(),
  created_at: z.string(),
});
type Refund = z.infer<typeof refundSchema>;

/**
 * A Square refund's `amount_money` (positive: the money given back) as a canonical sales line,
 * which holds a refund as a negative amount (metrics.md).
 */
function refundLine(amount: Cents): Cents {
  return amount === 0 ? 0 : -amount;
}

function mapRefund(at: Located<Refund>, env: MappingEnv): CanonicalRecord[] {
  const r = at.value;
  // Only money that actually went back counts; a pending refund is picked up by a later export.
  if (r.status !== 'COMPLETED') {
    env.notCounted(at, r.status);
    return [];
  }
  const location = env.location(r.location_id);
  if (location === null) {
    missing(env, at, 'location_id', 'no location_id and no --location given');
    return [];
  }
  const soldOn = env.saleDate(r.created_at, location);
  if (soldOn === null) {
    missing(env, at, 'created_at', 'not a timestamp');
    return [];
  }
  const currency = moneyCurrency(env, at, [['amount_money', r.amount_money]]);
  if (currency === null) return [];
  const amount = hundredths(env, at, 'amount_money', r.amount_money, currency);
  if (amount === null) return [];
  return [
    {
      entity: 'sales',
      sourceRow: at.row,
      values: {
        line_id: env.id(r.id),
        location_id: location,
        sold_on: soldOn,
        patient_id: '',
        provider_id: '',
        appointment_id: '',
        kind: 'other',
        service_code: '',
        gross: centsToMoneyCell(refundLine(amount)),
        discount: '',
        tax: '',
        tip: '',
        ...(currency === '' ? {} : { currency }),
      },
    },
  ];
}

export const squareRefunds = defineJsonProfile({
  id: 'square.refunds',
  vendor: VENDOR,
  report: 'refunds',
  listPaths: [['refunds']],
  signature: ['amount_money', 'payment_id', 'status'],
  schema: refundSchema,
  map: (records, env) => {
    const rows = records.flatMap((at) => mapRefund(at, env));
    if (env.utcDatesUsed()) utcWarning(env);
    return rows;
  },
});
