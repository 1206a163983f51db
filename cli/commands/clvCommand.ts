import path from 'node:path';

import { type Command, Option } from 'commander';

import {
  readTransactionLog,
  TRANSACTION_LOG_FORMATS,
  type TransactionLog,
  type TransactionLogFormat,
} from '../../io/transactionLog';
import { isLocalDate } from '../../shared/model/localDate';
import { type BgNbdParams, fitBgNbd } from '../../shared/models/bgnbd';
import {
  fitGammaGamma,
  frequencySpendCorrelation,
  type GammaGammaParams,
} from '../../shared/models/gammaGamma';
import type { ModelFit } from '../../shared/models/modelFit';
import { summarizeTransactions, TIME_UNITS, type TimeUnit } from '../../shared/models/transactionSummary';
import { UsageError } from '../config';

export interface ClvFitOptions {
  transactions: string;
  format: TransactionLogFormat;
  calibrationEnd: string;
  timeUnit: TimeUnit;
  json: boolean;
}

/** A fit as `--json` prints it: the parameters, then how the optimizer got there. */
interface FitJson {
  log_likelihood: number;
  converged: boolean;
  reason?: string;
  customers: number;
  iterations: number;
  evaluations: number;
  starts: number;
  starts_at_best: number;
}

export interface ClvFitReport {
  transactions_file: string;
  format: TransactionLogFormat;
  calibration_end: string;
  time_unit: TimeUnit;
  rows_read: number;
  rows_skipped: number;
  rows_after_calibration: number;
  issues: { row: number; message: string }[];
  customers: number;
  repeat_buyers: number;
  calibration_transactions: number;
  bgnbd: (BgNbdParams & FitJson) | null;
  gamma_gamma: (GammaGammaParams & FitJson & { frequency_spend_correlation: number | null }) | null;
  /** Why nothing was fitted, or why a fit is not to be used. */
  failure?: string;
}

const MAX_ISSUES_SHOWN = 5;

function fitJson<P extends object>(fit: ModelFit<P>): P & FitJson {
  return {
    ...fit.params,
    log_likelihood: fit.logLikelihood,
    converged: fit.converged,
    ...(fit.reason === undefined ? {} : { reason: fit.reason }),
    customers: fit.customers,
    iterations: fit.iterations,
    evaluations: fit.evaluations,
    starts: fit.starts,
    starts_at_best: fit.startsAtBest,
  };
}

/**
 * `caliper clv fit`: reads a transaction log, summarizes it over the calibration period and
 * fits the BG/NBD and Gamma-Gamma models by maximum likelihood. Exit 0: both fits converged;
 * 1: the file cannot be read, has unreadable rows, holds no customer, or a fit did not
 * converge (the report still shows it, marked).
 */
export async function runClvFit(options: ClvFitOptions, out: (text: string) => void): Promise<number> {
  let log: TransactionLog;
  try {
    log = await readTransactionLog(options.transactions, options.format);
  } catch {
    out(`Error: ${options.transactions}: cannot be read`);
    return 1;
  }
  const report: ClvFitReport = {
    transactions_file: options.transactions,
    format: options.format,
    calibration_end: options.calibrationEnd,
    time_unit: options.timeUnit,
    rows_read: log.rowsRead,
    rows_skipped: log.rowsSkipped,
    rows_after_calibration: 0,
    issues: log.issues,
    customers: 0,
    repeat_buyers: 0,
    calibration_transactions: 0,
    bgnbd: null,
    gamma_gamma: null,
  };
  const finish = (failure?: string) => {
    if (failure !== undefined) report.failure = failure;
    out(options.json ? JSON.stringify(report, null, 2) : formatClvFit(report));
    return failure === undefined ? 0 : 1;
  };

  if (log.issues.length > 0) {
    return finish(`${log.issues.length} row(s) of ${path.basename(options.transactions)} cannot be read`);
  }
  const summary = summarizeTransactions(log.transactions, {
    calibrationEnd: options.calibrationEnd,
    timeUnit: options.timeUnit,
  });
  report.rows_after_calibration = summary.rowsAfterCalibration;
  report.customers = summary.customers.length;
  report.repeat_buyers = summary.repeatBuyers;
  report.calibration_transactions = summary.calibrationPurchaseDays;
  if (summary.customers.length === 0) {
    return finish(`no customer bought on or before ${options.calibrationEnd}`);
  }
  if (summary.repeatBuyers === 0) {
    return finish('no customer bought twice in the calibration period: the models cannot be fitted');
  }

  const bgnbd = fitBgNbd(summary.customers);
  report.bgnbd = fitJson(bgnbd);
  const gammaGamma = fitGammaGamma(summary.customers);
  const correlation = frequencySpendCorrelation(summary.customers);
  report.gamma_gamma = {
    ...fitJson(gammaGamma),
    frequency_spend_correlation: Number.isFinite(correlation) ? correlation : null,
  };
  const refused = [
    bgnbd.converged ? null : `BG/NBD: ${bgnbd.reason ?? 'not converged'}`,
    gammaGamma.converged ? null : `Gamma-Gamma: ${gammaGamma.reason ?? 'not converged'}`,
  ].filter((r): r is string => r !== null);
  return finish(refused.length > 0 ? `fit not to be used — ${refused.join('; ')}` : undefined);
}

const UNIT_PLURAL: Record<TimeUnit, string> = { day: 'days', week: 'weeks' };

function fixed(v: number, digits: number): string {
  return v.toFixed(digits);
}

function fitStatus(fit: FitJson): string {
  return `${fit.converged ? 'converged' : 'NOT CONVERGED'} (${fit.iterations.toLocaleString('en-US')} iterations, ${fit.starts_at_best}/${fit.starts} starts at the optimum)`;
}

export function formatClvFit(report: ClvFitReport): string {
  const n = (v: number) => v.toLocaleString('en-US');
  const lines = [
    `${report.transactions_file} (${report.format}): ${n(report.rows_read)} rows` +
      (report.rows_skipped > 0 ? `, ${n(report.rows_skipped)} not purchases` : '') +
      `; calibration to ${report.calibration_end} inclusive, time in ${UNIT_PLURAL[report.time_unit]}`,
  ];
  for (const issue of report.issues.slice(0, MAX_ISSUES_SHOWN))
    lines.push(`  row ${issue.row}: ${issue.message}`);
  if (report.issues.length > MAX_ISSUES_SHOWN)
    lines.push(`  … and ${report.issues.length - MAX_ISSUES_SHOWN} more`);
  if (report.issues.length === 0) {
    lines.push(
      `Customers ${n(report.customers)} · repeat buyers ${n(report.repeat_buyers)} · calibration transactions ` +
        `${n(report.calibration_transactions)} (purchase days) · ${n(report.rows_after_calibration)} rows after the calibration end not used`,
    );
  }
  const { bgnbd, gamma_gamma: gg } = report;
  if (bgnbd !== null) {
    lines.push(
      '',
      `BG/NBD       r ${fixed(bgnbd.r, 6)}  alpha ${fixed(bgnbd.alpha, 6)}  a ${fixed(bgnbd.a, 6)}  b ${fixed(bgnbd.b, 6)}`,
      `             LL ${fixed(bgnbd.log_likelihood, 4)} over ${n(bgnbd.customers)} customers, ${fitStatus(bgnbd)}`,
    );
  }
  if (gg !== null) {
    lines.push(
      `Gamma-Gamma  p ${fixed(gg.p, 6)}  q ${fixed(gg.q, 6)}  gamma ${fixed(gg.gamma, 6)}`,
      `             LL ${fixed(gg.log_likelihood, 4)} over ${n(gg.customers)} repeat buyers with spend, ${fitStatus(gg)}` +
        (gg.frequency_spend_correlation === null
          ? ''
          : `; corr(x, zbar) ${fixed(gg.frequency_spend_correlation, 3)} (the model assumes ≈ 0)`),
    );
  }
  if (report.failure !== undefined) lines.push('', `Error: ${report.failure}`);
  return lines.join('\n');
}

/** Registers `caliper clv …` on the program. */
export function registerClvCommand(
  program: Command,
  setExitCode: (code: number) => void,
  print: (text: string) => void,
): void {
  const clv = program
    .command('clv')
    .description(
      'Customer-base models (BG/NBD repeat buying + Gamma-Gamma spend, for P(alive), expected visits and lifetime value); see docs/models.md.',
    );
  clv
    .command('fit')
    .description(
      'Fit the BG/NBD and Gamma-Gamma models to a transaction log by maximum likelihood and print the parameters ' +
        'and log-likelihoods. Exit 0: both fits converged; 1: unreadable file or rows, no customers, or a fit that ' +
        'did not converge; 2: usage error.',
    )
    .requiredOption(
      '--transactions <file>',
      'the transaction log: a canonical sales.csv, or the CDNOW sample',
    )
    .addOption(
      new Option(
        '--format <format>',
        'canonical: sales.csv (patient_id, sold_on, gross − discount; service and package lines); cdnow: the CDNOW log',
      )
        .choices(TRANSACTION_LOG_FORMATS)
        .default('canonical'),
    )
    .requiredOption(
      '--calibration-end <YYYY-MM-DD>',
      'last day of the calibration period (inclusive); later rows are not used',
    )
    .addOption(new Option('--time-unit <unit>', 'unit of t, T and alpha').choices(TIME_UNITS).default('week'))
    .option('--json', 'print the fit as JSON', false)
    .action(
      async (flags: {
        transactions: string;
        format: TransactionLogFormat;
        calibrationEnd: string;
        timeUnit: TimeUnit;
        json: boolean;
      }) => {
        if (!isLocalDate(flags.calibrationEnd)) {
          throw new UsageError(
            `--calibration-end ${JSON.stringify(flags.calibrationEnd)}: expected a date YYYY-MM-DD`,
          );
        }
        setExitCode(await runClvFit(flags, print));
      },
    );
}
