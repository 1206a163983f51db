import type { Command } from 'commander';

import type { Action } from '../../shared/actions/action';
import { actionJson, locationActionsJson } from '../../shared/actions/actionJson';
import { listActions, type ListedAction, snoozeUntil } from '../../shared/actions/actionState';
import { findAction } from '../../shared/actions/findAction';
import { type LocationActions, portfolioActions } from '../../shared/actions/triggers';
import type { MetricContext } from '../../shared/metrics/metricContext';
import { openMetrics } from '../../shared/metrics/openMetrics';
import { isLocalDate, type LocalDate } from '../../shared/model/localDate';
import { formatCents } from '../../shared/model/money';
import { quoteId, redactMessage } from '../../shared/privacy/redact';
import type { SqliteStore } from '../../store/sqlite/sqlite-store';
import { type CliConfig, resolveConfig, UsageError } from '../config';
import { JsonItems, prettyJsonChunks } from '../prettyJson';
import { createProgress } from '../progress';
import { withStore } from '../withStore';

/**
 * `caliper actions`: what the front desk and the owner should do, largest dollars first
 * (shared/actions/triggers.ts, docs/actions.md); `actions snooze ID --until D` and `actions done
 * ID` file what was done with one, so the list leaves it out. Every form names a patient by the
 * practice's own id only; drafts carry no identifier at all.
 */

export interface ActionsListOptions {
  location?: string;
  portfolio: boolean;
  asOf?: string;
  json: boolean;
  drafts: boolean;
  includeSnoozed: boolean;
}

/** The day the list is made: snoozes run out and closed locations drop out by the calendar. */
export function todayUtc(now = new Date()): LocalDate {
  return now.toISOString().slice(0, 10);
}

function asOfOption(asOf: string | undefined): LocalDate | undefined {
  if (asOf !== undefined && !isLocalDate(asOf))
    throw new UsageError(`--as-of ${JSON.stringify(asOf.slice(0, 40))}: expected a day as YYYY-MM-DD`);
  return asOf;
}

async function withMetrics<T>(
  config: CliConfig,
  quiet: boolean,
  run: (ctx: MetricContext, store: SqliteStore) => Promise<T>,
): Promise<T> {
  return withStore(config.storeFile, async (store) => {
    const progress = createProgress('Refreshing aggregates', 'items', !quiet && process.stderr.isTTY);
    try {
      const ctx = await openMetrics(store, config.tenant, undefined, (done, total, id) =>
        progress.update(done, total, id),
      );
      progress.stop();
      return await run(ctx, store);
    } finally {
      progress.stop();
    }
  });
}

const dollarsText = (cents: number | null) => (cents === null ? '—' : `$${formatCents(cents)}`);

function subjectText(action: Action): string {
  const s = action.subject;
  if (s.kind === 'patient') return `${action.locationId} patient ${s.patientId}`;
  if (s.kind === 'provider') return `${action.locationId} provider ${s.providerId}`;
  return `${action.locationId} location`;
}

function locationLine(l: LocationActions): string {
  if (!l.evaluated) return `${l.locationId} ${l.name}: not evaluated — ${l.reason ?? ''}`;
  return `${l.locationId} ${l.name}: as of ${l.asOf ?? ''}, alerts over ${l.month ?? ''}; ${l.patientsScored.toLocaleString('en-US')} patients scored; ${l.actions.length.toLocaleString('en-US')} actions`;
}

/** The table: dollars, rule, subject and sentence, largest dollars first, drafts beneath when asked. */
export function formatActions(
  locations: readonly LocationActions[],
  listed: readonly ListedAction[],
  hidden: number,
  drafts: boolean,
): string {
  const lines = locations.flatMap((l) => [locationLine(l), ...l.notes.map((n) => `  note: ${n}`)]);
  lines.push('');
  if (listed.length === 0) lines.push('No actions.');
  const dollarsWidth = Math.max(7, ...listed.map((l) => dollarsText(l.action.dollarsCents).length));
  const ruleWidth = Math.max(4, ...listed.map((l) => l.action.rule.length));
  const subjectWidth = Math.max(7, ...listed.map((l) => subjectText(l.action).length));
  if (listed.length > 0)
    lines.push(
      `${'dollars'.padStart(dollarsWidth)}  ${'rule'.padEnd(ruleWidth)}  ${'subject'.padEnd(subjectWidth)}  sentence`,
    );
  for (const { action, state } of listed) {
    const marker =
      state === null ? '' : state.status === 'done' ? ' [done]' : ` [snoozed until ${state.until}]`;
    lines.push(
      `${dollarsText(action.dollarsCents).padStart(dollarsWidth)}  ${action.rule.padEnd(ruleWidth)}  ${subjectText(action).padEnd(subjectWidth)}  ${action.sentence}${marker}`,
    );
    const indent = ' '.repeat(dollarsWidth + 2);
    if (action.alsoTrue.length > 0)
      lines.push(`${indent}also: ${action.alsoTrue.map((a) => a.rule).join(', ')}`);
    if (drafts && action.draft !== null)
      lines.push(`${indent}draft (${action.draft.template}): ${action.draft.text}`);
  }
  const total = listed.reduce((sum, l) => sum + (l.action.dollarsCents ?? 0), 0);
  lines.push(
    '',
    `${listed.length.toLocaleString('en-US')} actions, ${dollarsText(total)} in all${hidden > 0 ? `; ${hidden.toLocaleString('en-US')} snoozed or done not shown (--include-snoozed)` : ''}`,
  );
  return lines.join('\n');
}

export async function runActionsList(
  config: CliConfig,
  options: ActionsListOptions,
  out: (text: string) => void,
): Promise<number> {
  if (options.location !== undefined && options.portfolio)
    throw new UsageError('--location and --portfolio: give one or the other');
  const asOf = asOfOption(options.asOf);
  const today = todayUtc();
  return withMetrics(config, options.json, async (ctx, store) => {
    if (options.location !== undefined && ctx.location(options.location) === undefined)
      throw new UsageError(`Unknown location ${quoteId(options.location)}`);
    const result = portfolioActions(ctx, {
      today,
      ...(asOf === undefined ? {} : { asOf }),
      ...(options.location === undefined ? {} : { locationIds: [options.location] }),
    });
    const states = await store.actionStates(config.tenant);
    const shown = listActions(result.actions, states, { today, includeSnoozed: options.includeSnoozed });
    const hidden = result.actions.length - listActions(result.actions, states, { today }).length;
    if (options.json) {
      const document = {
        tenant: config.tenant,
        today,
        locations: result.locations.map(locationActionsJson),
        hidden,
        actions: new JsonItems(shown, (l) => actionJson(l.action, l.state)),
      };
      for (const chunk of prettyJsonChunks(document)) out(chunk);
    } else {
      out(formatActions(result.locations, shown, options.includeSnoozed ? 0 : hidden, options.drafts));
    }
    return 0;
  });
}

/** `actions snooze` / `actions done`: 0 saved; 1 an unknown action id (nothing saved). */
export async function runActionState(
  config: CliConfig,
  id: string,
  change: { status: 'snoozed'; until: string } | { status: 'done' },
  options: { asOf?: string; json: boolean },
  out: (text: string) => void,
): Promise<number> {
  const asOf = asOfOption(options.asOf);
  const today = todayUtc();
  let until: LocalDate | null = null;
  if (change.status === 'snoozed') {
    const checked = snoozeUntil(change.until, today);
    if (!checked.ok) throw new UsageError(`--until: ${checked.message}`);
    until = checked.until;
  }
  return withMetrics(config, true, async (ctx, store) => {
    const found = findAction(ctx, id, { today, ...(asOf === undefined ? {} : { asOf }) });
    if (!found.ok) {
      process.stderr.write(`error: ${redactMessage(found.message)}\n`);
      return 1;
    }
    const record = {
      action_id: id,
      status: change.status,
      snoozed_until: until,
      updated_at: new Date().toISOString(),
    };
    await store.setActionState(config.tenant, record);
    if (options.json) out(JSON.stringify(record, null, 2));
    else out(until === null ? `Done: ${id}` : `Snoozed until ${until}: ${id}`);
    return 0;
  });
}

/** Registers `caliper actions [list]`, `actions snooze` and `actions done`. */
export function registerActionsCommand(
  program: Command,
  storeOptions: (command: Command) => Command,
  setExitCode: (code: number) => void,
  print: (text: string) => void,
): void {
  const actions = program
    .command('actions')
    .description(
      'What to do, largest dollars first: patients for the front desk to contact (VIP past due, rhythm broken; with outreach drafts) and alerts for the owner (provider pay out of band, no-show spike).',
    );

  storeOptions(
    actions
      .command('list', { isDefault: true })
      .description('List the actions of a location or the portfolio (snoozed and done ones left out).'),
  )
    .option('--location <id>', 'only this location')
    .option('--portfolio', 'every location (the default)', false)
    .option(
      '--as-of <YYYY-MM-DD>',
      "the day the figures are taken on (default: each location's last day of data)",
    )
    .option('--json', 'print the actions as JSON (drafts included)', false)
    .option('--drafts', 'print each front-desk action’s outreach draft under it', false)
    .option('--include-snoozed', 'list snoozed and done actions too, marked', false)
    .action(async (flags: ActionsListOptions & { store?: string; tenant?: string }) => {
      setExitCode(await runActionsList(resolveConfig(flags), flags, print));
    });

  storeOptions(
    actions
      .command('snooze')
      .description(
        'Leave an action out of the list through a day; it comes back the day after. Exit 1: unknown id.',
      )
      .argument('<id>', 'the action id, as the list shows it'),
  )
    .requiredOption('--until <YYYY-MM-DD>', 'the last day it stays out of the list')
    .option('--as-of <YYYY-MM-DD>', 'the day the list was made for, when not the default')
    .option('--json', 'print the saved state as JSON', false)
    .action(
      async (
        id: string,
        flags: { store?: string; tenant?: string; until: string; asOf?: string; json: boolean },
      ) => {
        setExitCode(
          await runActionState(
            resolveConfig(flags),
            id,
            { status: 'snoozed', until: flags.until },
            flags,
            print,
          ),
        );
      },
    );

  storeOptions(
    actions
      .command('done')
      .description(
        'Mark an action done: it leaves the list (a new period raises the situation again). Exit 1: unknown id.',
      )
      .argument('<id>', 'the action id, as the list shows it'),
  )
    .option('--as-of <YYYY-MM-DD>', 'the day the list was made for, when not the default')
    .option('--json', 'print the saved state as JSON', false)
    .action(async (id: string, flags: { store?: string; tenant?: string; asOf?: string; json: boolean }) => {
      setExitCode(await runActionState(resolveConfig(flags), id, { status: 'done' }, flags, print));
    });
}
