import { z } from 'zod';

import { centsToMoneyCell, sumCents } from '../money';
import type { CanonicalRecord } from '../vendorProfile';
import { defineJsonProfile, type Located, type MappingEnv, missing } from './jsonProfile';
import { hundredths, money, moneyCurrency, utcWarning } from './square';

/*
 * Square Payments API responses (`GET /v2/payments` → `{payments: [...], cursor}`), for
 * practices whose Square export is payments rather than orders. A payment knows how much was
 * charged, not what was sold, so each completed payment is one sales line of kind `other`
 * (Orders, a separate profile, carry the items: a practice exporting both must ingest only its
 * orders, or every sale would count twice).
 *
 * Money, as Square's Payment object defines it: `amount_money` is the amount processed, not
 * including `tip_money`, and `total_money` = amount + tip. So the line's gross is
 * `amount_money` and its tip `tip_money`. A payment does not split out tax or discounts: the
 * amount is what the client paid (tax included), and those cells stay empty (unknown).
 * `app_fee_money` is a platform's fee taken from the seller's share, not a discount to the
 * client, so it is not read. `refunded_money` is not turned into negative lines: the Refunds
 * API export gives each refund with its own date (the Refunds profile), and reading both would
 * count a refund twice; a file with refunded payments says so once, so they are not forgotten.
 */

const paymentSchema = z.object({
  id: z.string().min(1),
  status: z.enum(['APPROVED', 'PENDING', 'COMPLETED', 'CANCELED', 'FAILED']),
  created_at: z.string(),
  amount_money: money,
  tip_money: money.nullish(),
  total_money: money.nullish(),
  refunded_money: money.nullish(),
  location_id: z.string().nullish(),
  customer_id: z.string().nullish(),
  order_id: z.string().nullish(),
});
type Payment = z.infer<typeof paymentSchema>;

function mapPayment(at: Located<Payment>, env: MappingEnv): CanonicalRecord[] {
  const p = at.value;
  // Approved (not yet captured), pending, cancelled and failed payments moved no money.
  if (p.status !== 'COMPLETED') {
    env.notCounted(at, p.status);
    return [];
  }
  const location = env.location(p.location_id);
  if (location === null) {
    missing(env, at, 'location_id', 'no location_id and no --location given');
    return [];
  }
  const soldOn = env.saleDate(p.created_at, location);
  if (soldOn === null) {
    missing(env, at, 'created_at', 'not a timestamp');
    return [];
  }
  const currency = moneyCurrency(env, at, [
    ['amount_money', p.amount_money],
    ['tip_money', p.tip_money],
  ]);
  if (currency === null) return [];
  const amount = hundredths(env, at, 'amount_money', p.amount_money, currency);
  const tip = hundredths(env, at, 'tip_money', p.tip_money, currency);
  if (amount === null || tip === null) return [];
  return [
    {
      entity: 'sales',
      sourceRow: at.row,
      values: {
        line_id: env.id(p.id),
        location_id: location,
        sold_on: soldOn,
        patient_id: p.customer_id ? env.id(p.customer_id) : '',
        provider_id: '',
        appointment_id: '',
        kind: 'other',
        service_code: '',
        gross: centsToMoneyCell(amount),
        discount: '',
        tax: '',
        tip: p.tip_money ? centsToMoneyCell(tip) : '',
        ...(currency === '' ? {} : { currency }),
      },
    },
  ];
}

/** Once per file: completed payments with money refunded, which only the Refunds export turns into lines. */
function refundedWarning(records: readonly Located<Payment>[], env: MappingEnv): void {
  const refunded = records.filter(
    (at) => at.value.status === 'COMPLETED' && (at.value.refunded_money?.amount ?? 0) !== 0,
  );
  if (refunded.length === 0) return;
  // Minor units of the payments' currency, summed exactly (the warning assumes cents, as before);
  // an amount that is not whole minor units (`-5e-324`) is not read here: the warning says "money".
  const amounts = refunded.map((at) => at.value.refunded_money?.amount ?? 0);
  const total = amounts.every((a) => Number.isSafeInteger(a)) ? sumCents(amounts) : null;
  const amount = total?.ok ? `$${centsToMoneyCell(total.cents)}` : 'money';
  env.issue({
    severity: 'warning',
    row: null,
    column: 'refunded_money',
    code: 'refunds_not_included',
    message:
      `${refunded.length} payment${refunded.length === 1 ? ' has' : 's have'} ${amount} refunded, ` +
      'which payments do not subtract: ingest the Square Refunds export (GET /v2/refunds) for those lines',
  });
}

export const squarePayments = defineJsonProfile({
  id: 'square.payments',
  vendor: 'square',
  report: 'payments',
  listPaths: [['payments']],
  signature: ['amount_money', 'total_money', 'source_type', 'status'],
  schema: paymentSchema,
  map: (records, env) => {
    const rows = records.flatMap((at) => mapPayment(at, env));
    refundedWarning(records, env);
    if (env.utcDatesUsed()) utcWarning(env);
    return rows;
  },
});
