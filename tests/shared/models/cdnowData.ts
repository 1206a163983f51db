import fs from 'node:fs';
import path from 'node:path';

import { parseCdnowLog } from '../../../io/transactionLog';
import { summarizeTransactions, type TransactionSummary } from '../../../shared/models/transactionSummary';

/**
 * The CDNOW data set and its published answers live beside the project, in
 * ../shared/data/cdnow (see its README.md): the raw log and the summaries distributed with the
 * `lifetimes` package. The customer-base model tests start from the raw log.
 */
export const CDNOW_DIR = path.join(__dirname, '..', '..', '..', '..', 'shared', 'data', 'cdnow');
export const CDNOW_LOG = path.join(CDNOW_DIR, 'CDNOW_sample.txt');

/** The 39-week calibration period of the published fits: 1997-01-01 … 1997-09-30. */
export const CDNOW_CALIBRATION_END = '1997-09-30';

function read(file: string): string {
  const full = path.join(CDNOW_DIR, file);
  if (!fs.existsSync(full)) throw new Error(`the CDNOW data set is missing: ${full} (see its README.md)`);
  return fs.readFileSync(full, 'utf8');
}

export function cdnowTransactions() {
  const log = parseCdnowLog(read('CDNOW_sample.txt'));
  if (log.issues.length > 0) throw new Error(`CDNOW_sample.txt: ${JSON.stringify(log.issues[0])}`);
  return log.transactions;
}

export function cdnowSummary(timeUnit: 'week' | 'day' = 'week'): TransactionSummary {
  return summarizeTransactions(cdnowTransactions(), { calibrationEnd: CDNOW_CALIBRATION_END, timeUnit });
}

/** A published CSV as records keyed by its header. */
export function publishedCsv(file: string): Record<string, string>[] {
  const [header, ...lines] = read(file).trim().split(/\r?\n/);
  const names = (header ?? '').split(',');
  return lines.map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(names.map((n, i) => [n, cells[i] ?? '']));
  });
}

/** The published tighter BG/NBD values (Fader, Hardie & Lee 2005, via the data set's README). */
export const PUBLISHED_BGNBD = { r: 0.2425945, alpha: 4.4136019, a: 0.7929199, b: 2.4258881 };
export const PUBLISHED_BGNBD_LL = -9582.429;
/** Fader & Hardie's Gamma-Gamma note on the 946 repeat buyers. */
export const PUBLISHED_GAMMA_GAMMA = { p: 6.25, q: 3.74, gamma: 15.44 };
export const PUBLISHED_GAMMA_GAMMA_LL = -4055.9177;
