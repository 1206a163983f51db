import type { EntityName } from '../model/canonicalBundle';
import { parseDollarsToCents } from '../model/money';
import { centsToMoneyCell, MAX_ABS_CENTS, minorUnitsToCents, roundHalfAwayFromZero } from './money';
import type { CanonicalRecord, ConversionContext, ConversionIssue } from './vendorProfile';

/*
 * The currency of vendor money, in one place for every profile: which currency a file or a
 * record is in, and its conversion into the tenant's reporting currency (USD unless told
 * otherwise). Nothing is ever converted silently:
 *
 * - A record in the reporting currency (or one no file says anything about) is kept as is.
 * - A record in another currency is converted only with a rate the user gave (`--fx IDR=0.0000615`,
 *   `--fx-file rates.csv`, `?fx=IDR:0.0000615`): every money cell of the canonical row is converted
 *   on its own, in integer cents, and the original is kept beside it (`original_<column>`, the
 *   `currency` and the `fx_rate`, extra columns the canonical ingest keeps). Each converted file
 *   says so in a warning ("spend converted from IDR at 0.0000615 (user rate)").
 * - Without a rate the record is refused, the error naming the currency and where it was read;
 *   a file none of whose records could be converted is refused as a whole.
 *
 * Rounding, the one rule: `round(original minor units × rate)` to the cent, half away from zero,
 * once per money cell of each canonical row, computed exactly (the rate's decimal digits as an
 * integer, BigInt arithmetic — no binary floating point). A rate is "reporting-currency units
 * per one unit of the foreign currency": IDR=0.0000615 means 1 IDR = 0.0000615 USD.
 *
 * Where the currency comes from (profiles pass what their export carries):
 * - CSV: a money header's suffix (`Amount spent (IDR)`), a currency column (Google Ads
 *   `Currency code`), a currency sign or code inside a money cell (`€45.00`, `EUR 45.00`).
 *   A `$` says nothing (USD, CAD, AUD… all write it), nor does a decimal comma: a
 *   localized number format is at most supporting evidence, never a currency.
 * - JSON: Stripe `currency`, Square `Money.currency`, ADP `currencyCode`, Google Ads
 *   `customer.currencyCode`, Meta `account_currency` — each profile puts the code on the record's
 *   `currency` value.
 */

export const DEFAULT_REPORTING_CURRENCY = 'USD';

/** Extra canonical columns a converted row carries beside its converted money cells. */
export const CURRENCY_COLUMN = 'currency';
export const FX_RATE_COLUMN = 'fx_rate';
export const originalColumn = (column: string): string => `original_${column}`;

/** The money columns of each canonical file that carry an amount in the file's currency. */
const MONEY_COLUMNS: Partial<Record<EntityName, readonly string[]>> = {
  sales: ['gross', 'discount', 'tax', 'tip'],
  payroll: ['wages', 'commission', 'bonus', 'employer_taxes_benefits'],
  memberships: ['monthly_fee'],
  marketing_spend: ['spend'],
};

/**
 * Currencies whose minor unit is not 1/100, as Stripe and Square count minor units: the
 * zero-decimal ones are converted from whole units; the three-decimal ones are refused (their
 * amounts cannot be carried in cents without rounding before the conversion).
 */
const ZERO_DECIMAL = new Set(
  'BIF CLP DJF GNF JPY KMF KRW MGA PYG RWF UGX VND VUV XAF XOF XPF ISK'.split(' '),
);
const THREE_DECIMAL = new Set('BHD JOD KWD OMR TND IQD LYD'.split(' '));

/** Decimal places of a currency's minor unit in payment APIs (2 for most). */
export function minorUnitDigits(code: string): 0 | 2 | 3 {
  const c = code.toUpperCase();
  if (ZERO_DECIMAL.has(c)) return 0;
  if (THREE_DECIMAL.has(c)) return 3;
  return 2;
}

const FALLBACK_CODES =
  'AED ARS AUD BGN BRL CAD CHF CLP CNY COP CZK DKK EGP EUR GBP HKD HUF IDR ILS INR ISK JPY KRW KWD MXN MYR NGN NOK NZD PEN PHP PKR PLN QAR RON RUB SAR SEK SGD THB TRY TWD UAH USD VND ZAR';

let knownCodes: ReadonlySet<string> | null = null;
/** ISO 4217 codes, so `Cost (CPC)` is never read as a currency. */
export function isCurrencyCode(text: string): boolean {
  if (!/^[A-Za-z]{3}$/.test(text)) return false;
  if (knownCodes === null) {
    let codes: string[];
    try {
      codes =
        (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.('currency') ?? [];
    } catch {
      codes = [];
    }
    knownCodes = new Set([...codes, ...FALLBACK_CODES.split(' ')]);
  }
  return knownCodes.has(text.toUpperCase());
}

/** `usd`, ` EUR ` → `USD`, `EUR`; null when the text is not a currency code. */
export function currencyCode(text: string | null | undefined): string | null {
  const t = (text ?? '').trim();
  return isCurrencyCode(t) ? t.toUpperCase() : null;
}

/** `Amount spent (IDR)`, `Cost (EUR)`, `Spend [JPY]` → the code; null when the header names none. */
export function currencyOfHeader(header: string): string | null {
  const m = /[([]\s*([A-Za-z]{3})\s*[)\]]\s*$/.exec(header.trim());
  return m ? currencyCode(m[1]) : null;
}

/** Header spellings of a column that holds each row's currency code. */
export const CURRENCY_COLUMN_NAMES = new Set(['currency code', 'currency', 'currency_code', 'currencycode']);

const CELL_MARKERS: readonly [RegExp, string][] = [
  [/^\(?-?\s*(?:US\$|USD)|USD\)?$/i, 'USD'],
  [/^\(?-?\s*(?:€|EUR)|(?:€|EUR)\)?$/i, 'EUR'],
  [/^\(?-?\s*(?:£|GBP)|(?:£|GBP)\)?$/i, 'GBP'],
  [/^\(?-?\s*(?:CA\$|CAD)|CAD\)?$/i, 'CAD'],
  [/^\(?-?\s*(?:A\$|AUD)|AUD\)?$/i, 'AUD'],
];
/** The currency a money cell writes itself in (`€45.00`, `45.00 EUR`); null for `$45.00` or `45.00`. */
export function currencyOfCell(text: string): string | null {
  const t = text.trim();
  for (const [re, code] of CELL_MARKERS) if (re.test(t)) return code;
  return null;
}

/** The user's exchange rates and what a file's currency falls back to, as every profile gets them. */
export interface CurrencySettings {
  reportingCurrency: string;
  fxRates: ReadonlyMap<string, number>;
  /** The currency of records that state none (`--default-currency`); undefined = such a record is an error. */
  defaultCurrency?: string;
}

export function currencySettings(context: ConversionContext): CurrencySettings {
  return {
    reportingCurrency: (context.reportingCurrency ?? DEFAULT_REPORTING_CURRENCY).toUpperCase(),
    fxRates: context.fxRates ?? new Map(),
    ...(context.defaultCurrency === undefined
      ? {}
      : { defaultCurrency: context.defaultCurrency.toUpperCase() }),
  };
}

export class FxRateError extends Error {}

const RATE_RE = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;

/** `IDR=0.0000615` or `IDR:0.0000615` → [`IDR`, 0.0000615]; throws FxRateError naming what is wrong. */
export function parseFxPair(text: string): [string, number] {
  const m = /^\s*([A-Za-z]{3})\s*[=:]\s*(\S+)\s*$/.exec(text);
  if (!m) throw new FxRateError(`${JSON.stringify(text)}: expected CURRENCY=RATE, e.g. IDR=0.0000615`);
  const code = currencyCode(m[1]);
  if (code === null)
    throw new FxRateError(`${JSON.stringify(text)}: ${m[1]} is not an ISO 4217 currency code`);
  return [code, parseRate(m[2] ?? '', text)];
}

function parseRate(rateText: string, where: string): number {
  const rate = Number(rateText);
  if (!RATE_RE.test(rateText) || !Number.isFinite(rate) || rate <= 0) {
    throw new FxRateError(
      `${JSON.stringify(where)}: the rate ${JSON.stringify(rateText)} is not a positive number`,
    );
  }
  return rate;
}

/**
 * A rates file (`currency,rate_to_reporting`, a header line, one currency a line) → rates.
 * Throws FxRateError naming the line.
 */
export function parseFxFile(text: string, fileName: string): Map<string, number> {
  const rates = new Map<string, number>();
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((line, index) => {
    const cells = line.split(',').map((c) => c.trim().replace(/^"|"$/g, ''));
    if (cells.every((c) => c === '')) return;
    const where = `${fileName} line ${index + 1}`;
    if (index === 0 && /^currency$/i.test(cells[0] ?? '')) return;
    if (cells.length < 2) throw new FxRateError(`${where}: expected currency,rate_to_reporting`);
    const code = currencyCode(cells[0]);
    if (code === null)
      throw new FxRateError(`${where}: ${JSON.stringify(cells[0])} is not an ISO 4217 currency code`);
    rates.set(code, parseRate(cells[1] ?? '', where));
  });
  return rates;
}

/** A rate as an exact decimal: digits × 10^-scale (`0.0000615` → 615 × 10^-7, `1e-8` → 1 × 10^-8). */
function exactRate(rate: number): { digits: bigint; scale: number } {
  const [mantissa = '0', exponent = '0'] = String(rate).toLowerCase().split('e');
  const [whole = '0', fraction = ''] = mantissa.split('.');
  let scale = fraction.length - Number(exponent);
  let digits = BigInt(`${whole}${fraction}`);
  if (scale < 0) {
    digits *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { digits, scale };
}

/**
 * `minor` units of a currency with `minorDigits` decimals × `rate` → reporting cents, rounded
 * half away from zero. Exact: `convertMinorUnits(1_500_000_000, 2, 0.0000615)` (IDR 15,000,000.00)
 * = 1,500,000,000 × 615 / 10^7 = 92,250 cents.
 */
export function convertMinorUnits(minor: number, minorDigits: number, rate: number): number {
  const { digits, scale } = exactRate(rate);
  // cents = minor × 10^(2 - minorDigits) × digits / 10^scale
  let numerator = BigInt(minor) * digits;
  let denominator = 10n ** BigInt(scale);
  if (minorDigits < 2) numerator *= 10n ** BigInt(2 - minorDigits);
  else if (minorDigits > 2) denominator *= 10n ** BigInt(minorDigits - 2);
  return Number(roundHalfAwayFromZero(numerator, denominator));
}

/**
 * Minor units a payment API sends (Stripe `amount`, Square `Money.amount`) → hundredths of the
 * currency's major unit, the scale every canonical money cell is written in before conversion
 * (¥1000 → 100000), by money.ts's rules. Null for an amount money.ts rejects: out of range, or a
 * three-decimal currency's amount whose last digit is below the cent. Profiles read amounts
 * with json/jsonMoney.ts's readMinorAmount, which reports the reason; this is for callers that
 * report on their own.
 */
export function minorToHundredths(amount: number, code: string): number | null {
  const read = minorUnitsToCents(amount, minorUnitDigits(code));
  return read.ok ? read.cents : null;
}

/** Where a record sits, for messages: its row and, for JSON, its path (`data[17]`). */
export interface RecordPlace {
  row: number;
  /** `record 18 (data[17])` or `row 18`. */
  label: string;
}

/**
 * Converts the records of one file into the reporting currency, as the module comment says.
 * A record's currency is its `currency` value (set by the profile); records without one are
 * in the reporting currency. Returns the records to keep and the issues (warnings for every
 * converted currency, errors for every refused record, or one file error when none could stay).
 */
export function applyCurrency(
  records: readonly CanonicalRecord[],
  context: ConversionContext,
  placeOf: (record: CanonicalRecord) => RecordPlace,
  /** Where the file said its currency, when it said it once (`column "Amount spent (IDR)"`). */
  fileSource?: string,
): { records: CanonicalRecord[]; issues: ConversionIssue[] } {
  const settings = currencySettings(context);
  const kept: CanonicalRecord[] = [];
  const issues: ConversionIssue[] = [];
  const converted = new Map<string, { columns: Set<string>; rows: number }>();
  const refused = new Map<string, CanonicalRecord[]>();
  let foreign = 0;
  for (const record of records) {
    const code = (record.values[CURRENCY_COLUMN] ?? '').toUpperCase();
    // Rows without money (a service, a provider) keep no currency.
    if (code === '' || code === settings.reportingCurrency || MONEY_COLUMNS[record.entity] === undefined) {
      const { [CURRENCY_COLUMN]: _ignored, ...values } = record.values;
      kept.push(code === '' && !(CURRENCY_COLUMN in record.values) ? record : { ...record, values });
      continue;
    }
    foreign += 1;
    const rate = settings.fxRates.get(code);
    if (rate === undefined) {
      refused.set(code, [...(refused.get(code) ?? []), record]);
      continue;
    }
    const values: Record<string, string> = {
      ...record.values,
      [CURRENCY_COLUMN]: code,
      [FX_RATE_COLUMN]: String(rate),
    };
    const done = converted.get(code) ?? { columns: new Set<string>(), rows: 0 };
    const columns = new Set<string>();
    let outOfRange: string | null = null;
    for (const column of MONEY_COLUMNS[record.entity] ?? []) {
      const text = record.values[column] ?? '';
      // Profiles write canonical money cells (money.ts); '' is an absent amount, left as is.
      const hundredths = text === '' ? null : parseDollarsToCents(text);
      if (hundredths === null) continue;
      const cents = convertMinorUnits(hundredths, 2, rate);
      if (Math.abs(cents) >= MAX_ABS_CENTS) outOfRange ??= column;
      values[column] = centsToMoneyCell(cents);
      values[originalColumn(column)] = text;
      columns.add(column);
    }
    if (outOfRange !== null) {
      // A rate that makes an amount larger than any line can be is a mistyped rate or amount.
      const place = placeOf(record);
      issues.push({
        severity: 'error',
        row: place.row,
        column: outOfRange,
        code: 'invalid_money',
        message: `${context.fileName}: ${place.label}: ${outOfRange} ${record.values[outOfRange] ?? ''} ${code} at ${String(rate)} is beyond ±9,999,999,999.99 ${settings.reportingCurrency}, the largest amount Caliper reads on one line: refused`,
      });
      continue;
    }
    for (const column of columns) done.columns.add(column);
    done.rows += 1;
    converted.set(code, done);
    kept.push({ ...record, values });
  }

  const fx = (code: string) =>
    `give its rate (${settings.reportingCurrency} per 1 ${code}) with --fx ${code}=RATE or --fx-file (API: ?fx=${code}:RATE)`;
  const refusedCount = [...refused.values()].reduce((sum, list) => sum + list.length, 0);
  const moneyRecords = records.filter((r) => MONEY_COLUMNS[r.entity] !== undefined).length;
  if (foreign > 0 && refusedCount > 0 && refusedCount === moneyRecords) {
    // Not one record could stay: the file is refused as a whole, with one message.
    const codes = [...refused.keys()];
    const first = refused.get(codes[0] ?? '')?.[0];
    const where = fileSource ?? (first ? `e.g. ${placeOf(first).label}` : '');
    issues.push({
      severity: 'error',
      row: null,
      column: null,
      code: 'foreign_currency',
      message:
        `${context.fileName}: amounts are in ${codes.join(' and ')}${where === '' ? '' : ` (${where})`}, ` +
        `not the reporting currency ${settings.reportingCurrency}; nothing is converted without a rate: ` +
        codes.map(fx).join('; '),
    });
    return { records: [], issues };
  }
  for (const [code, list] of refused) {
    const rows = new Set<number>();
    for (const record of list) {
      const place = placeOf(record);
      if (rows.has(place.row)) continue;
      rows.add(place.row);
      issues.push({
        severity: 'error',
        row: place.row,
        column: CURRENCY_COLUMN,
        code: 'foreign_currency',
        message: `${context.fileName}: ${place.label}: amounts are in ${code}, not the reporting currency ${settings.reportingCurrency}: refused; ${fx(code)}`,
      });
    }
  }
  for (const [code, done] of converted) {
    const columns = [...done.columns].join(', ') || 'amounts';
    issues.push({
      severity: 'warning',
      row: null,
      column: null,
      code: 'currency_converted',
      message: `${context.fileName}: ${columns} converted from ${code} at ${String(settings.fxRates.get(code))} (user rate) into ${settings.reportingCurrency} on ${done.rows} row${done.rows === 1 ? '' : 's'}; the original amounts are kept in original_* columns`,
    });
  }
  return { records: kept, issues };
}
