import { fromDayNumber, isLocalDate, type LocalDate, toDayNumber } from '../model/localDate';

/**
 * The "RFM" summary the customer-base models are fitted to, from a transaction log.
 *
 * For each customer, over the calibration period (every transaction on or before
 * `calibrationEnd`, inclusive):
 * - a **transaction** is a purchase *day*: all of a customer's rows on one calendar day are
 *   one transaction whose amount is their sum (the CDNOW convention of Fader, Hardie & Lee). A
 *   day counts whatever its amount — the published CDNOW summary counts eight $0.00 first
 *   purchases — so which rows are purchases is the reader's decision (the canonical sales
 *   reader leaves refunds out);
 * - `x` — repeat transactions: purchase days after the first one;
 * - `tx` — time from the first purchase to the last repeat purchase (0 when x = 0);
 * - `T` — time from the first purchase to the end of the calibration period;
 * - `zbar` — mean amount of the repeat transactions (the first purchase is excluded, as the
 *   Gamma-Gamma model and the published CDNOW `zbar` do); 0 when x = 0.
 *
 * Times are whole days divided by the time unit's length in days (a week is 7 days: CDNOW's
 * T = 272/7 = 38.857 for a first purchase on 1997-01-01 and a calibration end on 1997-09-30).
 * Customers whose first purchase falls after the calibration end are not in the summary.
 * The log must start early enough to see every customer's first purchase: a customer who
 * bought before the log starts would be counted as new at their first purchase in it.
 */

export type TimeUnit = 'day' | 'week';

export const TIME_UNITS: readonly TimeUnit[] = ['day', 'week'];

/** Length of each time unit in days. */
export const TIME_UNIT_DAYS: Record<TimeUnit, number> = { day: 1, week: 7 };

export interface Transaction {
  customerId: string;
  date: LocalDate;
  /** Amount in currency units (dollars), may be negative for a refund. */
  amount: number;
}

export interface CustomerSummary {
  customerId: string;
  /** Repeat transactions in the calibration period. */
  x: number;
  /** Time of the last repeat transaction, from the first purchase (0 when x = 0). */
  tx: number;
  /** Time from the first purchase to the calibration end. */
  T: number;
  /** Mean amount per repeat transaction (0 when x = 0). */
  zbar: number;
  firstPurchase: LocalDate;
}

export interface SummaryOptions {
  calibrationEnd: LocalDate;
  timeUnit: TimeUnit;
}

export interface TransactionSummary {
  calibrationEnd: LocalDate;
  timeUnit: TimeUnit;
  /** Customers sorted by id. */
  customers: CustomerSummary[];
  repeatBuyers: number;
  /** Transactions read (rows of the log). */
  transactionsRead: number;
  /** Purchase days in the calibration period (first purchases included). */
  calibrationPurchaseDays: number;
  /** Rows dated after the calibration end (the holdout period), not in the summary. */
  rowsAfterCalibration: number;
}

/** Summarizes a transaction log into (x, tx, T, zbar) per customer. */
export function summarizeTransactions(
  transactions: Iterable<Transaction>,
  options: SummaryOptions,
): TransactionSummary {
  if (!isLocalDate(options.calibrationEnd)) {
    throw new RangeError(
      `calibration end ${JSON.stringify(options.calibrationEnd)} is not a YYYY-MM-DD date`,
    );
  }
  const unitDays = TIME_UNIT_DAYS[options.timeUnit];
  if (unitDays === undefined) throw new RangeError(`unknown time unit ${JSON.stringify(options.timeUnit)}`);
  const endDay = toDayNumber(options.calibrationEnd);

  // customer → day number → summed amount, calibration rows only
  const days = new Map<string, Map<number, number>>();
  let transactionsRead = 0;
  let rowsAfterCalibration = 0;
  for (const t of transactions) {
    transactionsRead++;
    if (!Number.isFinite(t.amount))
      throw new RangeError(`transaction of ${t.customerId} on ${t.date}: no amount`);
    if (!isLocalDate(t.date)) throw new RangeError(`transaction of ${t.customerId}: bad date ${t.date}`);
    const day = toDayNumber(t.date);
    if (day > endDay) {
      rowsAfterCalibration++;
      continue;
    }
    let perDay = days.get(t.customerId);
    if (perDay === undefined) {
      perDay = new Map<number, number>();
      days.set(t.customerId, perDay);
    }
    perDay.set(day, (perDay.get(day) ?? 0) + t.amount);
  }

  const customers: CustomerSummary[] = [];
  let calibrationPurchaseDays = 0;
  for (const [customerId, perDay] of days) {
    const purchases = [...perDay].sort((u, v) => u[0] - v[0]);
    const first = purchases[0];
    if (first === undefined) continue;
    calibrationPurchaseDays += purchases.length;
    const last = purchases[purchases.length - 1] as [number, number];
    const x = purchases.length - 1;
    let repeatSpend = 0;
    for (let i = 1; i < purchases.length; i++) repeatSpend += (purchases[i] as [number, number])[1];
    customers.push({
      customerId,
      x,
      tx: (last[0] - first[0]) / unitDays,
      T: (endDay - first[0]) / unitDays,
      zbar: x > 0 ? repeatSpend / x : 0,
      firstPurchase: fromDayNumber(first[0]),
    });
  }
  customers.sort((a, b) => (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0));
  return {
    calibrationEnd: options.calibrationEnd,
    timeUnit: options.timeUnit,
    customers,
    repeatBuyers: customers.filter((c) => c.x > 0).length,
    transactionsRead,
    calibrationPurchaseDays,
    rowsAfterCalibration,
  };
}
