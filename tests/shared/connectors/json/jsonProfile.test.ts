import fs from 'node:fs';
import path from 'node:path';

import { gustoPayrolls } from '../../../../shared/connectors/json/gusto';
import { squareOrders } from '../../../../shared/connectors/json/square';
import { stripeCharges } from '../../../../shared/connectors/json/stripe';
import {
  convertVendorFile,
  type VendorConversionOptions,
} from '../../../../shared/connectors/vendorConversion';
import type { VendorProfile } from '../../../../shared/connectors/vendorProfile';
import { readFixture } from './fixtures';

const REAL = path.join(__dirname, '..', '..', '..', 'fixtures', 'real');

const readReal = (relative: string): unknown =>
  JSON.parse(fs.readFileSync(path.join(REAL, relative), 'utf8')) as unknown;

function convertFile(name: string, json: unknown, options: VendorConversionOptions = {}) {
  return convertVendorFile(
    { name, displayPath: `exports/${name}`, content: Buffer.from(JSON.stringify(json)) },
    { locationId: 'L1', ...options },
  );
}

const detect = (profile: VendorProfile, json: unknown) =>
  profile.detect({ format: 'json', fileName: 'export.json', json });

interface SquareOrderFile {
  orders: {
    state: string;
    line_items: { gross_sales_money: { amount: number }; total_discount_money: { amount: number } }[];
  }[];
}

describe('JSON payloads as users save them: one unwrapping rule for every profile', () => {
  it('reads a single object, a bare array and the list envelope alike', () => {
    const { json } = readFixture('stripe/charges');
    const list = json as { data: unknown[] };
    const single = list.data[0];

    for (const shape of [json, list.data, single, { items: list.data }, { results: list.data }]) {
      expect(detect(stripeCharges, shape)).toBeGreaterThanOrEqual(0.6);
      const outcome = convertFile('charges.json', shape);
      expect(outcome.kind).toBe('converted');
      if (outcome.kind === 'converted') expect(outcome.profile.id).toBe('stripe.charges');
    }
  });

  it('reads one Gusto payroll saved on its own', () => {
    const { json } = readFixture('gusto/payrolls');
    const payrolls = (Array.isArray(json) ? json : (json as { payrolls: unknown[] }).payrolls) as unknown[];

    const outcome = convertFile('payroll.json', payrolls[0]);

    expect(outcome.kind).toBe('converted');
    if (outcome.kind !== 'converted') return;
    expect(outcome.profile.id).toBe(gustoPayrolls.id);
    expect(outcome.records.length).toBeGreaterThan(0);
  });

  it("reads Square's single-order answer ({order: {...}}) and says its OPEN order is nothing to import", () => {
    const { orders } = readReal('square/orders_search.json') as SquareOrderFile;
    const outcome = convertFile('order.json', { order: orders[0] });

    expect(outcome.kind).toBe('failed');
    if (outcome.kind !== 'failed') return;
    expect(outcome.issues.map((i) => [i.code, i.message])).toEqual([
      ['no_revenue_records', 'order.json: nothing to import: 1 order not counted: OPEN 1'],
    ]);
  });
});

describe('a Square orders search with OPEN and CANCELED orders (tests/fixtures/real/square)', () => {
  it('books the completed order and reports the others by state', () => {
    const json = readReal('square/orders_search.json') as SquareOrderFile;
    // Independently of the converter: the COMPLETED orders' gross and discounts, in cents.
    const completed = json.orders.filter((o) => o.state === 'COMPLETED');
    const gross = completed.flatMap((o) => o.line_items).reduce((s, i) => s + i.gross_sales_money.amount, 0);
    const discount = completed
      .flatMap((o) => o.line_items)
      .reduce((s, i) => s + i.total_discount_money.amount, 0);
    expect([gross, discount]).toEqual([1100, 550]); // 500 + 600, 250 + 300

    const outcome = convertFile('orders.json', json);

    expect(outcome.kind).toBe('converted');
    if (outcome.kind !== 'converted') return;
    expect(outcome.profile.id).toBe(squareOrders.id);
    const sales = outcome.records.filter((r) => r.entity === 'sales');
    const cents = (column: string) =>
      sales.reduce((sum, r) => sum + Math.round(Number(r.values[column]) * 100), 0);
    expect([cents('gross'), cents('discount')]).toEqual([gross, discount]);
    expect(outcome.issues.find((i) => i.code === 'not_revenue')?.message).toBe(
      'orders.json: 2 orders not counted: OPEN 1, CANCELED 1',
    );
  });
});

describe('Stripe charges of older API versions (tests/fixtures/real/stripe)', () => {
  it('accepts 2011-era charges (card, no status, no captured) and counts an unpaid one', () => {
    const json = readReal('stripe/charges_2011_old_api.json') as {
      data: { id: string; amount: number; paid: boolean }[];
    };
    const paid = json.data.filter((c) => c.paid);
    const paidCents = paid.reduce((sum, c) => sum + c.amount, 0);
    expect(paidCents).toBe(2600); // 100 + 2500

    const outcome = convertFile('charges.json', json);

    expect(outcome.kind).toBe('converted');
    if (outcome.kind !== 'converted') return;
    expect(outcome.records.map((r) => r.values.line_id)).toEqual(paid.map((c) => `stripe:${c.id}`));
    expect(outcome.records.reduce((sum, r) => sum + Math.round(Number(r.values.gross) * 100), 0)).toBe(
      paidCents,
    );
    expect(outcome.issues.find((i) => i.code === 'not_revenue')?.message).toBe(
      'charges.json: 1 charge not counted: failed 1',
    );
  });

  it('books nothing for a charge captured: true with amount_captured: 0, and says so', () => {
    const outcome = convertFile('charge.json', readReal('stripe/charge_dj_stripe_captured_zero.json'));

    expect(outcome.kind).toBe('failed');
    if (outcome.kind !== 'failed') return;
    expect(outcome.issues.map((i) => i.message)).toEqual([
      'charge.json: nothing to import: 1 charge not counted: captured 0 1',
    ]);
  });

  it('refuses a charge without a currency, naming its JSON path, unless --default-currency says which', () => {
    const { json } = readFixture('stripe/charges');
    const list = structuredClone(json) as { data: Record<string, unknown>[] };
    delete list.data[2]!.currency;

    const refused = convertFile('charges.json', list);
    expect(refused.kind).toBe('converted');
    if (refused.kind !== 'converted') return;
    const error = refused.issues.find((i) => i.severity === 'error');
    expect(error).toMatchObject({ row: 3, column: 'currency', code: 'missing_currency' });
    expect(error?.message).toContain('record 3 (data[2]): data[2].currency');
    // The other charge still goes in: one rejected record, not a failed file.
    expect(refused.records.map((r) => r.values.line_id)).toEqual(['stripe:ch_3Q1aRkB7WZ01zgkW1TxH2mPa']);

    const defaulted = convertFile('charges.json', list, { defaultCurrency: 'USD' });
    expect(defaulted.kind).toBe('converted');
    if (defaulted.kind !== 'converted') return;
    expect(defaulted.records).toHaveLength(2);
    expect(defaulted.issues.filter((i) => i.severity === 'error')).toEqual([]);
  });

  it('rejects one wrong-typed record by its JSON path and converts the others', () => {
    const { json } = readFixture('stripe/charges');
    const list = structuredClone(json) as { data: Record<string, unknown>[] };
    list.data[2]!.amount = '80.00';

    const outcome = convertFile('charges.json', list);

    expect(outcome.kind).toBe('converted');
    if (outcome.kind !== 'converted') return;
    const error = outcome.issues.find((i) => i.severity === 'error');
    expect(error).toMatchObject({ row: 3, column: 'amount', code: 'invalid_record' });
    expect(error?.message).toMatch(/^charges\.json: record 3 \(data\[2\]\) amount: /);
    expect(outcome.records.map((r) => r.values.line_id)).toEqual(['stripe:ch_3Q1aRkB7WZ01zgkW1TxH2mPa']);
  });
});
