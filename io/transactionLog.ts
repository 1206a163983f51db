import fs from 'node:fs';

import { parse } from 'csv-parse/sync';

import { isLocalDate } from '../shared/model/localDate';
import { parseDollarsToCents } from '../shared/model/money';
import type { Transaction } from '../shared/models/transactionSummary';
import { quoteValue, redactMessage } from '../shared/privacy/redact';

/**
 * Transaction logs for the customer-base models (`caliper clv fit`), as (customer, date,
 * amount) rows:
 *
 * - `cdnow` — the CDNOW sample of Fader, Hardie & Lee: whitespace-separated
 *   `master_id sample_id YYYYMMDD number_of_cds dollar_value`, no header; the customer is the
 *   `sample_id` (the `ID` of the published summaries).
 * - `canonical` — a canonical bundle's `sales.csv`: the customer is `patient_id`, the date
 *   `sold_on`, the amount `gross − discount`; only `service` and `package` lines with a
 *   patient are purchases (retail, memberships, gift cards and anonymous lines are not visits),
 *   and a line whose amount is negative is a refund, not a purchase.
 *
 * Rows that cannot be read are returned as issues (row number and message), not thrown; a
 * message quotes a cell only through `quoteValue` (a value that looks personal is described,
 * never quoted).
 */

export const TRANSACTION_LOG_FORMATS = ['cdnow', 'canonical'] as const;
export type TransactionLogFormat = (typeof TRANSACTION_LOG_FORMATS)[number];

export interface TransactionLogIssue {
  /** 1-based line of the file (the header is line 1 of a CSV). */
  row: number;
  message: string;
}

export interface TransactionLog {
  transactions: Transaction[];
  /** Data rows in the file. */
  rowsRead: number;
  /** Rows that are readable but not purchases (canonical: other kinds, no patient, refunds). */
  rowsSkipped: number;
  issues: TransactionLogIssue[];
}

const CDNOW_DATE_RE = /^(\d{4})(\d{2})(\d{2})$/;
const PURCHASE_KINDS = new Set(['service', 'package']);

/** Parses the CDNOW log text. */
export function parseCdnowLog(text: string): TransactionLog {
  const transactions: Transaction[] = [];
  const issues: TransactionLogIssue[] = [];
  let rowsRead = 0;
  text.split(/\r?\n/).forEach((line, index) => {
    const cells = line.trim().split(/\s+/);
    if (cells.length === 1 && cells[0] === '') return;
    rowsRead++;
    const row = index + 1;
    if (cells.length !== 5) {
      issues.push({
        row,
        message: `expected 5 fields (master_id sample_id YYYYMMDD cds dollars), found ${cells.length}`,
      });
      return;
    }
    const [, sampleId, yyyymmdd, , dollars] = cells as [string, string, string, string, string];
    const m = CDNOW_DATE_RE.exec(yyyymmdd);
    const date = m ? `${m[1]}-${m[2]}-${m[3]}` : '';
    const amount = Number(dollars);
    if (!isLocalDate(date)) issues.push({ row, message: `bad date ${quoteValue(yyyymmdd)}` });
    else if (dollars === '' || !Number.isFinite(amount))
      issues.push({ row, message: `bad amount ${quoteValue(dollars)}` });
    else transactions.push({ customerId: sampleId, date, amount });
  });
  return { transactions, rowsRead, rowsSkipped: 0, issues };
}

/** Parses a canonical `sales.csv`. */
export function parseCanonicalSales(text: string): TransactionLog {
  let records: string[][];
  try {
    const parsed: string[][] = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true });
    records = parsed;
  } catch (error) {
    return {
      transactions: [],
      rowsRead: 0,
      rowsSkipped: 0,
      issues: [
        {
          row: 1,
          message: redactMessage(`not a CSV file: ${error instanceof Error ? error.message : String(error)}`),
        },
      ],
    };
  }
  const header = (records[0] ?? []).map((h) => h.trim());
  const missing = ['sold_on', 'patient_id', 'kind', 'gross'].filter((c) => !header.includes(c));
  if (missing.length > 0) {
    return {
      transactions: [],
      rowsRead: Math.max(0, records.length - 1),
      rowsSkipped: 0,
      issues: [{ row: 1, message: `not a canonical sales.csv: no ${missing.join(', ')} column` }],
    };
  }
  const col = (name: string) => header.indexOf(name);
  const [soldOn, patientId, kind, gross, discount] = [
    'sold_on',
    'patient_id',
    'kind',
    'gross',
    'discount',
  ].map(col);
  const transactions: Transaction[] = [];
  const issues: TransactionLogIssue[] = [];
  let rowsSkipped = 0;
  records.slice(1).forEach((cells, index) => {
    const row = index + 2;
    const cell = (i: number | undefined) => (i === undefined || i < 0 ? '' : (cells[i] ?? '').trim());
    const patient = cell(patientId);
    if (!PURCHASE_KINDS.has(cell(kind)) || patient === '') {
      rowsSkipped++;
      return;
    }
    const date = cell(soldOn);
    const grossCents = parseDollarsToCents(cell(gross));
    const discountText = cell(discount);
    const discountCents = discountText === '' ? 0 : parseDollarsToCents(discountText);
    if (!isLocalDate(date)) issues.push({ row, message: `sold_on: bad date ${quoteValue(date)}` });
    else if (grossCents === null)
      issues.push({ row, message: `gross: bad amount ${quoteValue(cell(gross))}` });
    else if (discountCents === null)
      issues.push({ row, message: `discount: bad amount ${quoteValue(discountText)}` });
    else if (grossCents - discountCents < 0) rowsSkipped++;
    else transactions.push({ customerId: patient, date, amount: (grossCents - discountCents) / 100 });
  });
  return { transactions, rowsRead: records.length - 1, rowsSkipped, issues };
}

/** Reads a transaction log file (throws only when the file cannot be read). */
export async function readTransactionLog(
  file: string,
  format: TransactionLogFormat,
): Promise<TransactionLog> {
  const text = await fs.promises.readFile(file, 'utf8');
  return format === 'cdnow' ? parseCdnowLog(text) : parseCanonicalSales(text);
}
