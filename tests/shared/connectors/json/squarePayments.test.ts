import { squarePayments } from '../../../../shared/connectors/json/squarePayments';
import type { ConversionContext } from '../../../../shared/connectors/vendorProfile';
import { readFixture } from './fixtures';

const convert = (json: unknown, context: Partial<ConversionContext> = {}) =>
  squarePayments.convert({ format: 'json', json }, { fileName: 'export.json', ...context });

type Payments = { payments: Record<string, unknown>[] };
const payments = (): Payments => JSON.parse(JSON.stringify(readFixture('square/payments').json)) as Payments;

describe('Square Payments API export', () => {
  it('reports a wrong-typed amount with the file, record index and JSON path, and converts the other payments', () => {
    const broken = payments();
    broken.payments[1]!.amount_money = { amount: '41.00', currency: 'USD' };

    const result = convert(broken);

    expect(result.issues.filter((i) => i.severity === 'error')).toEqual([
      {
        severity: 'error',
        row: 2,
        column: 'amount_money.amount',
        code: 'invalid_record',
        message: expect.stringMatching(
          /^export\.json: record 2 \(payments\[1\]\) amount_money\.amount: /,
        ) as string,
      },
    ]);
    expect(result.records.map((r) => r.values.line_id)).toEqual([
      'square:R2B3Z8WMVt3EAmzYWLZvz7Y69EbZY',
      'square:GQTFp1ZlXdpoW4o6eGiZhbjosiDFf',
    ]);
  });

  it("puts every payment at the --location the user gives, over Square's location_id", () => {
    const result = convert(payments(), { locationId: 'Evolve Austin' });

    expect(result.records.map((r) => r.values.location_id)).toEqual([
      'Evolve Austin',
      'Evolve Austin',
      'Evolve Austin',
    ]);
  });

  it('keeps the tip out of gross (amount_money excludes tip_money) and leaves refunds to the Refunds export', () => {
    const result = convert(payments());

    // Payment 1: total 530.00 = amount 480.00 + tip 50.00; its 30.00 refund is not a line here.
    expect(result.records[0]?.values).toMatchObject({ gross: '480.00', tip: '50.00' });
    expect(result.records.some((r) => (r.values.gross ?? '').startsWith('-'))).toBe(false);
    expect(result.issues.find((i) => i.code === 'refunds_not_included')?.message).toBe(
      'export.json: 1 payment has $30.00 refunded, which payments do not subtract: ingest the Square Refunds export (GET /v2/refunds) for those lines',
    );
  });

  it('refuses a completed payment in a currency without cents', () => {
    const yen = payments();
    yen.payments[0]!.amount_money = { amount: 48000, currency: 'JPY' };

    const result = convert(yen);

    // Its amount is in JPY but its tip (from the fixture) in USD: one payment, two currencies, refused.
    expect(result.issues.filter((i) => i.severity === 'error').map((i) => [i.row, i.column, i.code])).toEqual(
      [[1, 'amount_money.currency', 'mixed_currency']],
    );
    expect(result.records).toHaveLength(2);
  });
});
