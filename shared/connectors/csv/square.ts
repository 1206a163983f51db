import type { SaleKind } from '../../model/canonicalBundle';
import { defineCsvProfile } from '../csvProfile';
import { type Cents, centsToMoneyCell } from '../money';
import { categorizeService } from '../serviceCategories';
import { slug } from '../vendorValues';

/*
 * Square dashboard exports (Transactions and Item Details CSV). Square adds columns over the
 * years (37 → 50+), so every column is found by name. Money is written `$1,234.50` and
 * `-$45.00`; discounts are negative amounts, refunds negative rows. `Customer Name` is never
 * read. Use one of the two reports per location: both hold the same sales.
 */

const SQUARE = { vendor: 'Square', idPrefix: 'square' } as const;

/**
 * Square's `Discounts` column as the canonical discount. Square writes a discount as a negative
 * amount (`-$20.00`: money taken off the sale) and its reversal on a refund row as a positive
 * one; the canonical discount is positive on a sale and negative on a refund, so the sign is
 * flipped — kept as a sign, never an absolute value. '' (no discount column value) stays ''.
 */
function squareDiscount(cents: Cents | ''): string {
  if (cents === '') return '';
  return centsToMoneyCell(cents === 0 ? 0 : -cents);
}

export const squareTransactions = defineCsvProfile({
  ...SQUARE,
  id: 'square.transactions',
  report: 'Transactions',
  fileName: /transactions/i,
  signature: [
    'Date',
    'Time',
    'Time Zone',
    'Gross Sales',
    'Discounts',
    'Service Charges',
    'Net Sales',
    'Gift Card Sales',
    'Tax',
    'Tip',
    'Partial Refunds',
    'Total Collected',
    'Source',
    'Card',
    'Fees',
    'Net Total',
    'Transaction ID',
    'Payment ID',
    'Staff Name',
    'Staff ID',
    'Details',
    'Description',
    'Event Type',
    'Location',
    'Customer ID',
    'Customer Name',
  ],
  fields: {
    date: { aliases: ['Date'], required: true },
    grossSales: { aliases: ['Gross Sales'], required: true },
    discounts: { aliases: ['Discounts'] },
    giftCardSales: { aliases: ['Gift Card Sales'] },
    tax: { aliases: ['Tax'] },
    tip: { aliases: ['Tip'] },
    partialRefunds: { aliases: ['Partial Refunds'] },
    totalCollected: { aliases: ['Total Collected'], required: true },
    transactionId: { aliases: ['Transaction ID'], required: true },
    eventType: { aliases: ['Event Type'] },
    staffName: { aliases: ['Staff Name'] },
    location: { aliases: ['Location'] },
    customerId: { aliases: ['Customer ID'] },
  },
  convert(rows, c) {
    const seen = new Map<string, number>();
    for (const r of rows) {
      const soldOn = c.date(r, 'date', true);
      const location = c.location(r, 'location');
      const gross = c.money(r, 'grossSales', true);
      const discounts = c.cents(r, 'discounts');
      const tax = c.money(r, 'tax');
      const tip = c.money(r, 'tip');
      const giftCards = c.cents(r, 'giftCardSales');
      const refunds = c.cents(r, 'partialRefunds');
      if (
        soldOn === null ||
        location === null ||
        gross === null ||
        discounts === null ||
        tax === null ||
        tip === null ||
        giftCards === null ||
        refunds === null
      )
        continue;
      const where = { location_id: location ?? '', sold_on: soldOn ?? '' };
      const patient = r.get('customerId') === '' ? '' : c.patient(r, r.get('customerId'), where.location_id);
      const provider = r.get('staffName') === '' ? '' : c.provider(r, r.get('staffName'), where.location_id);
      const id = lineId(r.get('transactionId'), r.get('eventType'), seen, false);
      const line = (suffix: string, kind: SaleKind, amounts: Record<string, string>) =>
        c.emit('sales', r.row, {
          line_id: c.id(`${id}${suffix}`),
          ...where,
          patient_id: patient,
          provider_id: provider,
          appointment_id: '',
          // A transaction does not say what was sold; the Items report does.
          kind,
          service_code: '',
          gross: '',
          discount: '',
          tax: '',
          tip: '',
          ...amounts,
        });
      line('', 'other', { gross, discount: squareDiscount(discounts), tax, tip });
      // An absent or 0 amount has no line of its own.
      if (giftCards !== '' && giftCards !== 0)
        line('/gift-card', 'gift_card', { gross: centsToMoneyCell(giftCards) });
      // Square writes a partial refund as the negative amount given back, the canonical refund line.
      if (refunds !== '' && refunds !== 0)
        line('/partial-refund', 'other', { gross: centsToMoneyCell(refunds) });
    }
  },
});

/**
 * A refund row carries the Transaction ID of the payment it refunds (and may come in a later
 * export), so the event type is part of its line id: a refund never overwrites its sale.
 */
function lineId(
  transaction: string,
  eventType: string,
  seen: Map<string, number>,
  numbered: boolean,
): string {
  const event = slug(eventType);
  const base = event === '' || event === 'payment' ? transaction : `${transaction}/${event}`;
  const n = (seen.get(base) ?? 0) + 1;
  seen.set(base, n);
  return numbered ? `${base}/${n}` : n === 1 ? base : `${base}/${n}`;
}

function itemKind(
  item: string,
  category: string,
  overrides: Parameters<typeof categorizeService>[1],
): SaleKind {
  const text = `${category} ${item}`.toLowerCase();
  if (/gift ?card|gift certificate/.test(text)) return 'gift_card';
  if (/membership/.test(text)) return 'membership_fee';
  if (/package|series/.test(text)) return 'package';
  if (categorizeService(item, overrides, category).matched) return 'service';
  if (/retail|product|skincare|skin care|merchandise/.test(text)) return 'retail';
  return 'other';
}

export const squareItems = defineCsvProfile({
  ...SQUARE,
  id: 'square.items',
  report: 'Items',
  fileName: /item/i,
  signature: [
    'Date',
    'Time',
    'Time Zone',
    'Category',
    'Item',
    'Qty',
    'Price Point Name',
    'SKU',
    'Modifiers Applied',
    'Gross Sales',
    'Discounts',
    'Net Sales',
    'Tax',
    'Transaction ID',
    'Payment ID',
    'Device Name',
    'Notes',
    'Details',
    'Event Type',
    'Location',
    'Customer ID',
    'Customer Name',
  ],
  fields: {
    date: { aliases: ['Date'], required: true },
    category: { aliases: ['Category'] },
    item: { aliases: ['Item'], required: true },
    qty: { aliases: ['Qty', 'Quantity'], required: true },
    grossSales: { aliases: ['Gross Sales'], required: true },
    discounts: { aliases: ['Discounts'] },
    tax: { aliases: ['Tax'] },
    transactionId: { aliases: ['Transaction ID'], required: true },
    eventType: { aliases: ['Event Type'] },
    location: { aliases: ['Location'] },
    customerId: { aliases: ['Customer ID'] },
  },
  convert(rows, c) {
    const seen = new Map<string, number>();
    for (const r of rows) {
      const soldOn = c.date(r, 'date', true);
      const location = c.location(r, 'location');
      const gross = c.money(r, 'grossSales', true);
      const discounts = c.cents(r, 'discounts');
      const tax = c.money(r, 'tax');
      if (soldOn === null || location === null || gross === null || discounts === null || tax === null)
        continue;
      const item = r.get('item');
      const kind = itemKind(item, r.get('category'), c.context.serviceCategories);
      c.emit('sales', r.row, {
        line_id: c.id(lineId(r.get('transactionId'), r.get('eventType'), seen, true)),
        location_id: location,
        sold_on: soldOn,
        patient_id: r.get('customerId') === '' ? '' : c.patient(r, r.get('customerId'), location),
        provider_id: '',
        appointment_id: '',
        kind,
        service_code: kind === 'service' || kind === 'package' ? c.service(r, item, r.get('category')) : '',
        gross,
        discount: squareDiscount(discounts),
        tax,
        tip: '',
      });
    }
  },
});

export const SQUARE_PROFILES = [squareTransactions, squareItems];
