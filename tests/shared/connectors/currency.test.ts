import fs from 'node:fs';
import path from 'node:path';

import {
  applyCurrency,
  convertMinorUnits,
  currencyOfCell,
  currencyOfHeader,
  FxRateError,
  minorToHundredths,
  parseFxFile,
  parseFxPair,
} from '../../../shared/connectors/currency';
import { convertVendorFile, type VendorConversionOptions } from '../../../shared/connectors/vendorConversion';
import { readVendorCsv } from '../../../shared/connectors/vendorCsv';

const REAL = path.join(__dirname, '..', '..', 'fixtures', 'real');

function convert(relative: string, options: VendorConversionOptions = {}) {
  return convertVendorFile(
    {
      name: path.basename(relative),
      displayPath: relative,
      content: fs.readFileSync(path.join(REAL, relative)),
    },
    { locationId: 'L1', ...options },
  );
}

/** Exact reference: round(hundredths × rate) half away from zero, rate given as digits × 10^-scale. */
function referenceCents(hundredths: bigint, rateDigits: bigint, scale: number): number {
  const den = 10n ** BigInt(scale);
  const num = hundredths * rateDigits;
  return Number(num / den + (2n * (num % den) >= den ? 1n : 0n));
}

describe('convertMinorUnits: one rounding, exact, half away from zero', () => {
  it('converts two-decimal minor units without floating-point error', () => {
    // IDR 15,000,000.00 = 1,500,000,000 hundredths × 0.0000615 = 92,250.000 cents.
    expect(convertMinorUnits(1_500_000_000, 2, 0.0000615)).toBe(92_250);
    // 0.1 + 0.2 style trap: 10 cents × 1.1 = 11 cents exactly (float gives 11.000000000000002).
    expect(convertMinorUnits(10, 2, 1.1)).toBe(11);
  });

  it('rounds half away from zero, for refunds too', () => {
    // 45 × 1.1 = 49.5 → 50; -45 × 1.1 = -49.5 → -50.
    expect(convertMinorUnits(45, 2, 1.1)).toBe(50);
    expect(convertMinorUnits(-45, 2, 1.1)).toBe(-50);
    // 44 × 1.1 = 48.4 → 48.
    expect(convertMinorUnits(44, 2, 1.1)).toBe(48);
  });

  it('reads zero-decimal minor units as whole units', () => {
    // ¥1,000 × 0.0067 = $6.70 = 670 cents.
    expect(convertMinorUnits(1000, 0, 0.0067)).toBe(670);
  });

  it('reads rates JavaScript prints in exponent form', () => {
    // IDR 123,456,789.00 = 12,345,678,900 hundredths × 10^-8 = 123.456789 cents → 123.
    expect(convertMinorUnits(12_345_678_900, 2, 1e-8)).toBe(123);
  });
});

describe('minor units and conversions through money.ts', () => {
  it('reads minor units by the currency digits, exactly or not at all', () => {
    expect(minorToHundredths(1999, 'USD')).toBe(1999);
    expect(minorToHundredths(1000, 'JPY')).toBe(100000);
    expect(minorToHundredths(1500, 'KWD')).toBe(150);
    expect(minorToHundredths(1234, 'KWD')).toBeNull();
    expect(minorToHundredths(1e25, 'USD')).toBeNull();
    expect(minorToHundredths(1e11, 'JPY')).toBeNull();
  });

  it('refuses a record that a rate makes larger than any line can be, naming the row and column', () => {
    const record = {
      entity: 'sales' as const,
      sourceRow: 4,
      values: { gross: '9000000000.00', currency: 'KWD' },
    };
    const result = applyCurrency([record], { fileName: 'x.csv', fxRates: new Map([['KWD', 3.25]]) }, (r) => ({
      row: r.sourceRow,
      label: `row ${r.sourceRow}`,
    }));
    expect(result.records).toEqual([]);
    expect(result.issues.map((i) => [i.severity, i.row, i.column, i.code])).toEqual([
      ['error', 4, 'gross', 'invalid_money'],
    ]);
  });
});

describe('what a file says its currency is', () => {
  it('reads a money header suffix, never an abbreviation that is no currency', () => {
    expect(currencyOfHeader('Amount spent (IDR)')).toBe('IDR');
    expect(currencyOfHeader('CPM (cost per 1,000 impressions) (IDR)')).toBe('IDR');
    expect(currencyOfHeader('Amount spent')).toBeNull();
    expect(currencyOfHeader('Cost per click (CPC)')).toBeNull();
  });

  it('reads a sign or code in a money cell, but not a bare $', () => {
    expect(currencyOfCell('€45.00')).toBe('EUR');
    expect(currencyOfCell('45,00 EUR')).toBe('EUR');
    expect(currencyOfCell('£12.50')).toBe('GBP');
    expect(currencyOfCell('$45.00')).toBeNull();
    expect(currencyOfCell('45.00')).toBeNull();
  });
});

describe('--fx and --fx-file', () => {
  it('parses CURRENCY=RATE and CURRENCY:RATE', () => {
    expect(parseFxPair('IDR=0.0000615')).toEqual(['IDR', 0.0000615]);
    expect(parseFxPair('eur:1.08')).toEqual(['EUR', 1.08]);
  });

  it('refuses a pair that is not a currency or not a positive rate, naming it', () => {
    expect(() => parseFxPair('XYZ=1')).toThrow(FxRateError);
    expect(() => parseFxPair('IDR=0')).toThrow(/not a positive number/);
    expect(() => parseFxPair('IDR')).toThrow(/expected CURRENCY=RATE/);
  });

  it('reads a rates file with its header and names the line of a bad one', () => {
    expect([...parseFxFile('currency,rate_to_reporting\nIDR,0.0000615\nEUR,1.08\n', 'rates.csv')]).toEqual([
      ['IDR', 0.0000615],
      ['EUR', 1.08],
    ]);
    expect(() => parseFxFile('currency,rate_to_reporting\nEUR,abc\n', 'rates.csv')).toThrow(
      /rates\.csv line 2/,
    );
  });
});

describe('a Meta Ads export whose spend is in IDR (tests/fixtures/real/meta_ads)', () => {
  const file = 'meta_ads/ads_manager_idr.csv';

  it('is refused without a rate, naming IDR, the file and the column', () => {
    const outcome = convert(file);

    expect(outcome.kind).toBe('failed');
    if (outcome.kind !== 'failed') return;
    expect(outcome.issues).toHaveLength(1);
    expect(outcome.issues[0]).toMatchObject({ file, code: 'foreign_currency', severity: 'error' });
    expect(outcome.issues[0]?.message).toContain('ads_manager_idr.csv');
    expect(outcome.issues[0]?.message).toContain('IDR');
    expect(outcome.issues[0]?.message).toContain('Amount spent (IDR)');
    expect(outcome.issues[0]?.message).toContain('--fx IDR=');
  });

  it('is converted with --fx IDR=0.0000615 to the exact cent, the original kept and the conversion reported', () => {
    // Independently of the converter: sum the file's IDR per day, then convert once per day.
    const csv = readVendorCsv(fs.readFileSync(path.join(REAL, file), 'utf8'));
    const spendColumn = csv.headers.indexOf('Amount spent (IDR)');
    const dayColumn = csv.headers.indexOf('Reporting starts');
    const idrByDay = new Map<string, bigint>();
    for (const row of csv.rows) {
      const day = row.cells[dayColumn] ?? '';
      idrByDay.set(day, (idrByDay.get(day) ?? 0n) + BigInt(row.cells[spendColumn] ?? '0'));
    }
    // 2026-10-05: 1,500,000 + 234,567 = 1,734,567 IDR × 0.0000615 = 106.6758705 → $106.68
    // 2026-10-06: 987,654 IDR × 0.0000615 = 60.740721 → $60.74
    expect(idrByDay).toEqual(
      new Map([
        ['2026-10-05', 1_734_567n],
        ['2026-10-06', 987_654n],
      ]),
    );
    const expectedCents = [...idrByDay.values()].map((idr) => referenceCents(idr * 100n, 615n, 7));
    expect(expectedCents).toEqual([10_668, 6_074]);

    const outcome = convert(file, { fxRates: new Map([['IDR', 0.0000615]]) });

    expect(outcome.kind).toBe('converted');
    if (outcome.kind !== 'converted') return;
    expect(outcome.records.map((r) => r.values)).toEqual([
      {
        location_id: 'L1',
        channel: 'meta_ads',
        date: '2026-10-05',
        spend: '106.68',
        currency: 'IDR',
        fx_rate: '0.0000615',
        original_spend: '1734567.00',
      },
      {
        location_id: 'L1',
        channel: 'meta_ads',
        date: '2026-10-06',
        spend: '60.74',
        currency: 'IDR',
        fx_rate: '0.0000615',
        original_spend: '987654.00',
      },
    ]);
    expect(outcome.issues.map((i) => [i.severity, i.code])).toEqual([['warning', 'currency_converted']]);
    expect(outcome.issues[0]?.message).toContain('spend converted from IDR at 0.0000615 (user rate)');
  });
});

describe('a Google Ads report with Currency code JPY (tests/fixtures/real/google_ads)', () => {
  const file = 'google_ads/campaign_report_jpy.csv';

  it('is refused without a rate, naming JPY, the file and the Currency code column', () => {
    const outcome = convert(file);

    expect(outcome.kind).toBe('failed');
    if (outcome.kind !== 'failed') return;
    expect(outcome.issues.map((i) => [i.file, i.code])).toEqual([[file, 'foreign_currency']]);
    expect(outcome.issues[0]?.message).toMatch(
      /campaign_report_jpy\.csv: amounts are in JPY \(column "Currency code"\)/,
    );
  });

  it('converts whole yen per day with a rate', () => {
    // 2026-10-05: ¥12,496 + ¥1,968 = ¥14,464 × 0.0067 = $96.9088 → $96.91
    // 2026-10-06: ¥9,940 × 0.0067 = $66.598 → $66.60 (the Total row is not spend)
    const outcome = convert(file, { fxRates: new Map([['JPY', 0.0067]]) });

    expect(outcome.kind).toBe('converted');
    if (outcome.kind !== 'converted') return;
    expect(outcome.records.map((r) => [r.values.date, r.values.spend, r.values.original_spend])).toEqual([
      ['2026-10-05', '96.91', '14464.00'],
      ['2026-10-06', '66.60', '9940.00'],
    ]);
  });
});

describe('a Stripe charge in AUD, saved as the single object the API answers (tests/fixtures/real/stripe)', () => {
  const file = 'stripe/charge_2017_aud.json';

  it('is refused without a rate, naming AUD and the record', () => {
    const outcome = convert(file);

    expect(outcome.kind).toBe('failed');
    if (outcome.kind !== 'failed') return;
    const errors = outcome.issues.filter((i) => i.severity === 'error');
    expect(errors.map((i) => [i.file, i.code])).toEqual([[file, 'foreign_currency']]);
    expect(errors[0]?.message).toContain('AUD');
    expect(errors[0]?.message).toContain('record 1 ($)');
  });

  it('is one sale with --fx AUD=0.65', () => {
    const charge = JSON.parse(fs.readFileSync(path.join(REAL, file), 'utf8')) as { amount: number };
    // A$1.00 (amount 100, captured, no amount_captured in 2017) × 0.65 = $0.65.
    expect(referenceCents(BigInt(charge.amount), 65n, 2)).toBe(65);

    const outcome = convert(file, { fxRates: new Map([['AUD', 0.65]]) });

    expect(outcome.kind).toBe('converted');
    if (outcome.kind !== 'converted') return;
    expect(outcome.records).toHaveLength(1);
    expect(outcome.records[0]?.values).toMatchObject({
      line_id: 'stripe:ch_19zDAFEfVxQsvRbHtAwsCvV0',
      gross: '0.65',
      currency: 'AUD',
      original_gross: '1.00',
      fx_rate: '0.65',
    });
  });
});
