import fs from 'node:fs';
import path from 'node:path';

import { googleAdsSpend, metaInsightsSpend } from '../../../../shared/connectors/json/ads';
import { boulevardMemberships } from '../../../../shared/connectors/json/boulevard';
import { gustoPayrolls } from '../../../../shared/connectors/json/gusto';
import { parseJsonText } from '../../../../shared/connectors/json/jsonProfile';
import {
  mindbodyClientContracts,
  mindbodySales,
  mindbodyTimecards,
} from '../../../../shared/connectors/json/mindbody';
import { squareOrders, squareRefunds } from '../../../../shared/connectors/json/square';
import {
  stripeBalanceTransactions,
  stripeCharges,
  stripeRefunds,
} from '../../../../shared/connectors/json/stripe';
import { convertVendorFile } from '../../../../shared/connectors/vendorConversion';
import type { ConversionContext, VendorProfile } from '../../../../shared/connectors/vendorProfile';
import { FIXTURE_DIR, readFixture } from './fixtures';

const convert = (profile: VendorProfile, json: unknown, context: Partial<ConversionContext> = {}) =>
  profile.convert({ format: 'json', json }, { fileName: 'export.json', ...context });

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

const errors = (result: ReturnType<typeof convert>) =>
  result.issues.filter((i) => i.severity === 'error').map(({ row, column, code }) => ({ row, column, code }));

const salesLines = (result: ReturnType<typeof convert>) =>
  result.records.filter((r) => r.entity === 'sales').map((r) => [r.values.line_id, r.values.gross]);

interface MindbodySales {
  Sales: { PurchasedItems: { UnitPrice: number; DiscountAmount: number; TaxAmount: number }[] }[];
}

describe('Mindbody money (issue 11, finding 6): never $0, never flipped', () => {
  const salesText = fs.readFileSync(path.join(FIXTURE_DIR, 'mindbody', 'sales.json'), 'utf8');

  it('rejects a 1e25 price, written as such in the file, as its record instead of reading $0', () => {
    // Sale 88002's only item: `"UnitPrice": 89.99` with `"Quantity": 1`.
    const hostile = salesText.replace(
      /"UnitPrice": 89\.99,(\s+)"Quantity": 1,/,
      '"UnitPrice": 1e25,$1"Quantity": 1,',
    );
    expect(hostile).not.toBe(salesText);
    const parsed = parseJsonText(hostile, 'sales.json');
    if (!parsed.ok) throw new Error('fixture variant is not JSON');

    const result = convert(mindbodySales, parsed.json, { fileName: 'sales.json' });

    expect(result.issues).toEqual([
      {
        severity: 'error',
        row: 2,
        column: 'PurchasedItems[0].UnitPrice',
        code: 'invalid_money',
        message: expect.stringMatching(
          /^sales\.json: record 2 \(Sales\[1\]\): PurchasedItems\[0\]\.UnitPrice: 1e\+25 is not a usable amount: beyond ±9,999,999,999\.99/,
        ),
      },
    ]);
    // The record is out, not in at $0; the other sales are untouched.
    expect(salesLines(result)).toEqual([
      ['mindbody:88001/5501', '280.00'],
      ['mindbody:88001/5502', '179.98'],
      ['mindbody:88003/5520', '149.00'],
    ]);
  });

  it('rejects a −$50 price as its record instead of turning it into +$50', () => {
    const { json } = readFixture('mindbody/sales');
    const hostile = clone(json) as MindbodySales;
    hostile.Sales[0]!.PurchasedItems[1]!.UnitPrice = -50;

    const result = convert(mindbodySales, hostile);

    expect(errors(result)).toEqual([
      { row: 1, column: 'PurchasedItems[1].UnitPrice', code: 'invalid_money' },
    ]);
    expect(result.issues[0]?.message).toContain('record 1 (Sales[0])');
    expect(result.issues[0]?.message).toContain('-50 is not a usable amount');
    expect(result.issues[0]?.message).toContain('Returned: true');
    // The whole sale is rejected: neither its −$50 line (as +$100.00) nor its other line goes in.
    expect(salesLines(result)).toEqual([
      ['mindbody:88002/5510', '-89.99'],
      ['mindbody:88003/5520', '149.00'],
    ]);
    expect(result.records.some((r) => r.values.gross === '100.00')).toBe(false);
  });

  it('counts each hostile sale as one rejected row for the rejected-row threshold', () => {
    const { json } = readFixture('mindbody/sales');
    const hostile = clone(json) as MindbodySales;
    hostile.Sales[0]!.PurchasedItems[1]!.UnitPrice = -50;
    hostile.Sales[1]!.PurchasedItems[0]!.UnitPrice = 1e25;

    const outcome = convertVendorFile(
      {
        name: 'sales.json',
        displayPath: 'exports/sales.json',
        content: Buffer.from(JSON.stringify(hostile)),
      },
      {},
    );

    expect(outcome.kind).toBe('converted');
    if (outcome.kind !== 'converted') return;
    expect(outcome.rows).toEqual({ read: 3, rejected: 2 });
    expect(outcome.issues.map((i) => [i.row, i.column, i.code])).toEqual([
      [1, 'PurchasedItems[1].UnitPrice', 'invalid_money'],
      [2, 'PurchasedItems[0].UnitPrice', 'invalid_money'],
    ]);
  });

  it('rejects negative discounts and taxes too, and rounds float noise to the cent (Mindbody doubles)', () => {
    const { json } = readFixture('mindbody/sales');
    const hostile = clone(json) as MindbodySales;
    hostile.Sales[0]!.PurchasedItems[0]!.DiscountAmount = -28;
    hostile.Sales[2]!.PurchasedItems[0]!.TaxAmount = 0.1 + 0.2;

    const result = convert(mindbodySales, hostile);

    expect(errors(result)).toEqual([
      { row: 1, column: 'PurchasedItems[0].DiscountAmount', code: 'invalid_money' },
    ]);
    expect(result.records.find((r) => r.values.line_id === 'mindbody:88003/5520')?.values.tax).toBe('0.30');
  });

  it('keeps a returned item as a negative line from its positive amounts', () => {
    const { json } = readFixture('mindbody/sales');
    const result = convert(mindbodySales, json);
    expect(result.records.find((r) => r.values.line_id === 'mindbody:88002/5510')?.values).toMatchObject({
      gross: '-89.99',
      tax: '-7.42',
      discount: '0.00',
    });
  });

  it('rejects a contract whose charge is negative or out of range', () => {
    const { json } = readFixture('mindbody/client_contracts');
    const hostile = clone(json) as { Contracts: { UpcomingAutopayEvents: { ChargeAmount: number }[] }[] };
    hostile.Contracts[0]!.UpcomingAutopayEvents[0]!.ChargeAmount = -149;

    const result = convert(mindbodyClientContracts, hostile);

    expect(errors(result)).toEqual([
      { row: 1, column: 'UpcomingAutopayEvents[0].ChargeAmount', code: 'invalid_money' },
    ]);
    expect(result.records.filter((r) => r.entity === 'memberships')).toHaveLength(1);
  });

  it('pays a time card its rate × hours exactly, and rejects a 1e25 rate', () => {
    const { json } = readFixture('mindbody/timecards');
    const wages = convert(mindbodyTimecards, json).records.map((r) => r.values.wages);
    expect(wages).toEqual(['363.75', '128.25']);

    const hostile = clone(json) as { TimeCards: { HourlyRate: number }[] };
    hostile.TimeCards[1]!.HourlyRate = 1e25;
    const result = convert(mindbodyTimecards, hostile);
    expect(errors(result)).toEqual([{ row: 2, column: 'HourlyRate', code: 'invalid_money' }]);
    expect(result.records).toHaveLength(1);
  });
});

describe('sign conventions of the other JSON profiles: explicit, never Math.abs', () => {
  it('Stripe: a refund object is positive (its line negative); a negative one is an error', () => {
    const { json, expected } = readFixture('stripe/refunds');
    const hostile = clone(json) as { data: { amount: number }[] };
    hostile.data[0]!.amount = -5000;

    const result = convert(stripeRefunds, hostile, expected.context);

    expect(errors(result)).toEqual([{ row: 1, column: 'amount', code: 'invalid_money' }]);
    expect(result.records).toHaveLength(0);
  });

  it('Stripe: a refund balance transaction is negative as sent; a positive one is an error', () => {
    const { json, expected } = readFixture('stripe/balance_transactions');
    const good = convert(stripeBalanceTransactions, json, expected.context);
    expect(good.records.map((r) => r.values.gross)).toEqual(['250.00', '-50.00']);

    const hostile = clone(json) as { data: { amount: number }[] };
    hostile.data[1]!.amount = 5000;
    const result = convert(stripeBalanceTransactions, hostile, expected.context);
    expect(errors(result)).toEqual([{ row: 2, column: 'amount', code: 'invalid_money' }]);
    expect(result.issues.find((i) => i.severity === 'error')?.message).toContain('negative amount');
  });

  it('Stripe: an out-of-range charge is rejected, not read', () => {
    const { json, expected } = readFixture('stripe/charges');
    const hostile = clone(json) as { data: { amount: number; amount_captured: number }[] };
    hostile.data[0]!.amount = 1e25;
    hostile.data[0]!.amount_captured = 1e25;

    const result = convert(stripeCharges, hostile, expected.context);

    expect(errors(result)).toEqual([{ row: 1, column: 'amount_captured', code: 'invalid_money' }]);
    expect(result.records).toHaveLength(expected.records.length - 1);
  });

  it('Stripe: a fractional number of minor units is an error, not rounded', () => {
    const { json, expected } = readFixture('stripe/refunds');
    const hostile = clone(json) as { data: { amount: number }[] };
    hostile.data[0]!.amount = 5000.5;
    const result = convert(stripeRefunds, hostile, expected.context);
    expect(errors(result)).toEqual([{ row: 1, column: 'amount', code: 'invalid_money' }]);
    expect(result.issues.find((i) => i.severity === 'error')?.message).toContain(
      'not a whole number of minor units',
    );
  });

  it('Stripe: a three-decimal currency amount is carried when exact, rejected when its last digit is below the cent', () => {
    const { json, expected } = readFixture('stripe/refunds');
    const refunds = clone(json) as { data: { amount: number; currency: string; status: string }[] };
    refunds.data[0]!.currency = 'kwd';
    refunds.data[0]!.amount = 1500;
    refunds.data[1]!.currency = 'kwd';
    refunds.data[1]!.amount = 1234;
    refunds.data[1]!.status = 'succeeded';

    const result = convert(stripeRefunds, refunds, {
      ...expected.context,
      fxRates: new Map([['KWD', 3.25]]),
    });

    expect(result.records.map((r) => [r.values.original_gross, r.values.gross])).toEqual([
      ['-1.50', '-4.88'],
    ]);
    expect(errors(result)).toEqual([{ row: 2, column: 'amount', code: 'invalid_money' }]);
    expect(result.issues.find((i) => i.severity === 'error')?.message).toContain(
      'KWD amounts have three decimals',
    );
  });

  it('Square: a refund amount is positive (its line negative); a negative one is an error', () => {
    const { json, expected } = readFixture('square/refunds');
    const hostile = clone(json) as { refunds: { amount_money: { amount: number } }[] };
    hostile.refunds[0]!.amount_money.amount = -8877;

    const result = convert(squareRefunds, hostile, expected.context);

    expect(errors(result)).toEqual([{ row: 1, column: 'amount_money.amount', code: 'invalid_money' }]);
  });

  it('Square: an order line amount beyond range rejects the order', () => {
    const { json, expected } = readFixture('square/orders');
    const hostile = clone(json) as { orders: { line_items: { gross_sales_money: { amount: number } }[] }[] };
    hostile.orders[0]!.line_items[0]!.gross_sales_money.amount = 1e25;

    const result = convert(squareOrders, hostile, expected.context);

    expect(errors(result)).toEqual([
      { row: 1, column: 'line_items[0].gross_sales_money.amount', code: 'invalid_money' },
    ]);
    expect(
      result.records.some((r) => r.values.line_id?.startsWith('square:CAISENgvlJ6jLWAzERDzjyHVybY/')),
    ).toBe(false);
  });

  it('Boulevard: a monthly equivalent is exact and rounded once; a negative price is an error', () => {
    const { json, expected } = readFixture('boulevard/memberships');
    const memberships = clone(json) as { unitPrice: number; interval: string }[];
    memberships[0]!.interval = 'P1Y';
    memberships[0]!.unitPrice = 14900;
    memberships[1]!.unitPrice = -120000;

    const result = convert(boulevardMemberships, memberships, expected.context);

    // $149.00 a year is $12.4166… a month: $12.42.
    expect(result.records[0]?.values.monthly_fee).toBe('12.42');
    expect(errors(result)).toEqual([{ row: 2, column: 'unitPrice', code: 'invalid_record' }]);
  });
});

describe('ads and payroll JSON amounts', () => {
  it('Google Ads: micros are summed exactly per day and rounded to the cent once', () => {
    const rows = [0, 1, 2].map(() => ({
      metrics: { costMicros: '1005000' },
      segments: { date: '2026-10-05' },
    }));
    // Three times $1.005 is $3.015 → $3.02 (rounding each row would give $3.03).
    const result = convert(googleAdsSpend, { results: rows }, { locationId: 'L1' });
    expect(result.records.map((r) => r.values.spend)).toEqual(['3.02']);
  });

  it('Google Ads: a negative cost is an error on its record, the others still count', () => {
    const rows = [
      { metrics: { costMicros: -1_000_000 }, segments: { date: '2026-10-05' } },
      { metrics: { costMicros: 2_000_000 }, segments: { date: '2026-10-05' } },
    ];
    const result = convert(googleAdsSpend, { results: rows }, { locationId: 'L1' });
    expect(errors(result)).toEqual([{ row: 1, column: 'metrics.costMicros', code: 'invalid_money' }]);
    expect(result.records.map((r) => r.values.spend)).toEqual(['2.00']);
  });

  it('Meta: spend to the cent is read exactly; more decimals or a huge value is an error, never 0', () => {
    const { json, expected } = readFixture('meta/insights');
    const hostile = clone(json) as { data: { spend: string | number }[] };
    hostile.data[0]!.spend = '12.345';
    hostile.data[1]!.spend = 1e25;

    const result = convert(metaInsightsSpend, hostile, expected.context);

    expect(errors(result)).toEqual([
      { row: 1, column: 'spend', code: 'invalid_money' },
      { row: 2, column: 'spend', code: 'invalid_money' },
    ]);
    expect(result.records.some((r) => r.values.spend === '0.00')).toBe(false);
  });

  it('Gusto: an unreadable amount rejects its payroll record instead of counting as 0', () => {
    const { json, expected } = readFixture('gusto/payrolls');
    const hostile = clone(json) as { employee_compensations: { gross_pay: string }[] }[];
    hostile[0]!.employee_compensations[0]!.gross_pay = '1,234.00';

    const result = convert(gustoPayrolls, hostile, expected.context);

    expect(errors(result)).toEqual([
      { row: 1, column: 'employee_compensations[0].gross_pay', code: 'invalid_money' },
    ]);
    expect(result.records.length).toBeLessThan(expected.records.length);
  });
});
