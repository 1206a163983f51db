import { type Command, Option } from 'commander';

import { type CallList, callList, DEFAULT_CALL_LIST_SIZE } from '../../shared/actions/callList';
import { callListJson } from '../../shared/actions/callListJson';
import { openMetrics } from '../../shared/metrics/openMetrics';
import { isLocalDate } from '../../shared/model/localDate';
import { startsFormula } from '../../shared/model/spreadsheetCells';
import { resolveConfig, UsageError } from '../config';
import { prettyJsonChunks } from '../prettyJson';
import { createProgress } from '../progress';
import { withStore } from '../withStore';

/**
 * `caliper calllist`: the patients to phone, most money at stake first (shared/actions/callList.ts).
 * A table for a person, CSV for a spreadsheet or a dialer, JSON for a script; every form names
 * patients by the practice's own id only.
 */

export const CALL_LIST_FORMATS = ['table', 'csv', 'json'] as const;
export type CallListFormat = (typeof CALL_LIST_FORMATS)[number];

export interface CallListCommandOptions {
  location?: string;
  portfolio: boolean;
  n: number;
  asOf?: string;
  format: CallListFormat;
}

/** Whole dollars and cents from integer cents, exactly: 123456 → $1,234.56. */
export function dollars(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const whole = Math.trunc(abs / 100).toLocaleString('en-US');
  return `${sign}$${whole}.${String(abs % 100).padStart(2, '0')}`;
}

/** Cents as a plain number of dollars for CSV (12345 → 123.45): a spreadsheet reads it as a number. */
function dollarNumber(cents: number): string {
  return dollars(cents).replace(/[$,]/g, '');
}

const percent = (fraction: number) => `${Math.round(fraction * 100)}%`;

function scopeLine(list: CallList): string {
  const where =
    list.scope.kind === 'location' ? `${list.scope.locationId} ${list.scope.name}` : 'the portfolio';
  const day =
    list.asOf ??
    `each location's last day (${list.locations.map((l) => `${l.locationId} ${l.asOf ?? 'none'}`).join(', ')})`;
  return `Call list for ${where}, as of ${day}: churn risk = no visit within ${list.horizonDays} days`;
}

/** The header facts, as lines: what was scored, what is eligible and at stake, and every fallback. */
export function headerLines(list: CallList): string[] {
  const n = (v: number) => v.toLocaleString('en-US');
  return [
    scopeLine(list),
    `${n(list.patientsScored)} patients scored; ${n(list.eligible)} with nothing booked, seen in the last year ` +
      `and a value at risk: ${dollars(list.eligibleValueAtRiskCents)} at risk; the ${n(list.rows.length)} shown: ` +
      `${dollars(list.shownValueAtRiskCents)}`,
    ...(list.fallbacks.length === 0
      ? ['Model: each location trained on its own history, no fallback']
      : list.fallbacks.map((f) => `Fallback: ${f}`)),
  ];
}

export function formatCallList(list: CallList): string {
  const portfolio = list.scope.kind === 'portfolio';
  const head = [
    '#',
    ...(portfolio ? ['location'] : []),
    'patient id',
    'last treatment',
    'last visit',
    'provider',
    'days since',
    'usual',
    'overdue',
    'risk',
    'value at risk',
    'reasons',
  ];
  const body = list.rows.map((r) => [
    String(r.rank),
    ...(portfolio ? [r.locationId] : []),
    r.patientId,
    r.lastTreatment ?? '—',
    r.lastVisitOn,
    r.providerName ?? '—',
    String(r.daysSinceLast),
    String(r.typicalIntervalDays),
    String(r.daysOverdue),
    percent(r.churnRisk),
    dollars(r.valueAtRiskCents),
    r.reasons,
  ]);
  const numeric = new Set(['#', 'days since', 'usual', 'overdue', 'risk', 'value at risk']);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) =>
        i === cells.length - 1 ? c : numeric.has(head[i]!) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!),
      )
      .join('  ')
      .trimEnd();
  const table = list.rows.length === 0 ? ['No patient to call.'] : [line(head), ...body.map(line)];
  return [...headerLines(list), '', ...table].join('\n');
}

/** RFC 4180, and a text a spreadsheet would run as a formula gets a leading ' (OWASP). */
function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = startsFormula(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function callListCsv(list: CallList): string {
  const lines = [
    'rank,location_id,patient_id,last_treatment,last_visit_on,provider,days_since_last,typical_interval_days,' +
      'days_overdue,churn_risk,value_at_risk_usd,value_if_retained_usd,reasons',
  ];
  for (const r of list.rows) {
    lines.push(
      [
        r.rank,
        r.locationId,
        r.patientId,
        r.lastTreatment,
        r.lastVisitOn,
        r.providerName,
        r.daysSinceLast,
        r.typicalIntervalDays,
        r.daysOverdue,
        r.churnRisk,
        dollarNumber(r.valueAtRiskCents),
        dollarNumber(r.valueIfRetainedCents),
        r.reasons,
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return lines.join('\n');
}

/** Exit 0: a list (possibly empty); 1: the location could not be scored; unknown ids are usage errors (2). */
export async function runCallList(
  storeFile: string,
  tenant: string,
  options: CallListCommandOptions,
  out: (text: string) => void,
  err: (text: string) => void,
): Promise<number> {
  return withStore(storeFile, async (store) => {
    const progress = createProgress(
      'Refreshing aggregates',
      'items',
      options.format === 'table' && process.stderr.isTTY,
    );
    const ctx = await openMetrics(store, tenant, undefined, (done, total, id) =>
      progress.update(done, total, id),
    );
    progress.stop();
    const answer = callList(ctx.data, options.portfolio ? null : (options.location ?? null), {
      n: options.n,
      ...(options.asOf === undefined ? {} : { asOf: options.asOf }),
    });
    if (!answer.ok) {
      if (answer.error.code === 'unknown_location') throw new UsageError(answer.error.message);
      err(`error: ${answer.error.message}`);
      return 1;
    }
    const list = answer.list;
    if (options.format === 'json') for (const chunk of prettyJsonChunks(callListJson(list))) out(chunk);
    else if (options.format === 'table') out(formatCallList(list));
    else {
      // The CSV stays a table; what it rests on (day, totals, fallbacks) goes to stderr, never dropped.
      for (const line of headerLines(list)) err(`# ${line}`);
      out(callListCsv(list));
    }
    return 0;
  });
}

function parseCount(text: string): number {
  if (!/^\d{1,6}$/.test(text) || Number(text) < 1) {
    throw new UsageError(`--n ${JSON.stringify(text)}: expected a whole number from 1 to 999999`);
  }
  return Number(text);
}

/** Registers `caliper calllist` on the program, with the store options the other data commands take. */
export function registerCallListCommand(
  program: Command,
  storeOptions: (command: Command) => Command,
  setExitCode: (code: number) => void,
  print: (text: string) => void,
): void {
  storeOptions(
    program
      .command('calllist')
      .description(
        'The patients to call, most money at stake first: nothing booked, seen within the year, by churn risk × ' +
          'their value if retained (docs/models.md "Churn risk"). Patients are named by the practice\'s own id only. ' +
          'Exit 0: the list; 1: the location could not be scored (the reason is printed); 2: usage error or unknown location.',
      ),
  )
    .option('--location <id>', 'the location')
    .option('--portfolio', 'the top n across every open location, each scored with its own model', false)
    .option('--n <count>', 'how many patients', String(DEFAULT_CALL_LIST_SIZE))
    .option('--as-of <YYYY-MM-DD>', "the day scored (default: each location's last day of sales data)")
    .addOption(
      new Option('--format <format>', 'table (dollars), csv (dollars as numbers) or json (cents)')
        .choices(CALL_LIST_FORMATS)
        .default('table'),
    )
    .option('--json', 'the same as --format json', false)
    .action(
      async (flags: {
        store?: string;
        tenant?: string;
        location?: string;
        portfolio: boolean;
        n: string;
        asOf?: string;
        format: CallListFormat;
        json: boolean;
      }) => {
        const config = resolveConfig(flags);
        if ((flags.location === undefined) === !flags.portfolio) {
          throw new UsageError('calllist needs --location <id> or --portfolio (one of them)');
        }
        if (flags.asOf !== undefined && !isLocalDate(flags.asOf)) {
          throw new UsageError(`--as-of ${JSON.stringify(flags.asOf)}: expected a date YYYY-MM-DD`);
        }
        const options: CallListCommandOptions = {
          portfolio: flags.portfolio,
          n: parseCount(flags.n),
          format: flags.json ? 'json' : flags.format,
          ...(flags.location === undefined ? {} : { location: flags.location }),
          ...(flags.asOf === undefined ? {} : { asOf: flags.asOf }),
        };
        const err = (text: string) => process.stderr.write(`${text}\n`);
        setExitCode(await runCallList(config.storeFile, config.tenant, options, print, err));
      },
    );
}
