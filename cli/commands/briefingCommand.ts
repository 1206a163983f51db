import type { Command } from 'commander';

import { briefing, type BriefingScope } from '../../shared/actions/briefing';
import { briefingJson, formatBriefing } from '../../shared/actions/briefingJson';
import { openMetrics } from '../../shared/metrics/openMetrics';
import { isLocalDate, type LocalDate } from '../../shared/model/localDate';
import { quoteId } from '../../shared/privacy/redact';
import { type CliConfig, resolveConfig, UsageError } from '../config';
import { withStore } from '../withStore';
import { todayUtc } from './actionsCommand';

/**
 * `caliper briefing`: the daily briefing of the portfolio or one location — what changed and
 * what to do, largest dollars first, every item with the figures behind it
 * (shared/actions/briefing.ts, docs/briefing.md). Patients appear only as counts and dollars.
 */

export interface BriefingOptions {
  location?: string;
  portfolio: boolean;
  date?: string;
  json: boolean;
  trace: boolean;
}

/** Exit 0 with the briefing; usage errors (2) for a bad day or an unknown location. */
export async function runBriefing(
  config: CliConfig,
  options: BriefingOptions,
  out: (text: string) => void,
): Promise<number> {
  if (options.location !== undefined && options.portfolio)
    throw new UsageError('--location and --portfolio: give one or the other');
  if (options.date !== undefined && !isLocalDate(options.date))
    throw new UsageError(`--date ${JSON.stringify(options.date.slice(0, 40))}: expected a day as YYYY-MM-DD`);
  const date: LocalDate = options.date ?? todayUtc();
  return withStore(config.storeFile, async (store) => {
    const ctx = await openMetrics(store, config.tenant);
    const location = options.location;
    if (location !== undefined && ctx.location(location) === undefined)
      throw new UsageError(`Unknown location ${quoteId(location)}`);
    const scope: BriefingScope =
      location === undefined ? { kind: 'portfolio' } : { kind: 'location', locationId: location };
    const b = briefing(ctx, { scope, date, actionStates: await store.actionStates(config.tenant) });
    if (options.json) out(JSON.stringify({ tenant: config.tenant, ...briefingJson(b, ctx) }, null, 2));
    else {
      const title = location === undefined ? 'the portfolio' : (ctx.location(location)?.name ?? location);
      out(formatBriefing(b, { traces: options.trace, title }));
    }
    return 0;
  });
}

export function registerBriefingCommand(
  program: Command,
  storeOptions: (command: Command) => Command,
  setExitCode: (code: number) => void,
  print: (text: string) => void,
): void {
  storeOptions(
    program
      .command('briefing')
      .description(
        'The daily briefing: what changed and what to do, largest dollars first (gap dollars, at-risk VIPs, broken rhythms, providers out of band, no-show spikes, membership churn, the forecast against last year); patients only as counts and dollars.',
      ),
  )
    .option('--location <id>', 'only this location')
    .option('--portfolio', 'every location (the default)', false)
    .option('--date <YYYY-MM-DD>', 'the day of the briefing (default: today, UTC)')
    .option('--trace', 'print under each item the commands that answer its figures', false)
    .option('--json', 'print the briefing as JSON, money in cents, each figure with its trace', false)
    .action(async (flags: BriefingOptions & { store?: string; tenant?: string }) => {
      setExitCode(await runBriefing(resolveConfig(flags), flags, print));
    });
}
