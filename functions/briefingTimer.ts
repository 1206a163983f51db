import { app, type InvocationContext, type Timer } from '@azure/functions';

import { briefing } from '../shared/actions/briefing';
import { briefingJson } from '../shared/actions/briefingJson';
import type { LocalDate } from '../shared/model/localDate';
import { redactMessage } from '../shared/privacy/redact';
import type { Runtime } from './runtime';
import { runtime } from './runtime';

/**
 * The `dailyBriefing` timer: each morning at 06:00 (the Function App's time zone, UTC unless
 * WEBSITE_TIME_ZONE says otherwise), every tenant with data gets the day's portfolio briefing
 * computed and saved in the store's `briefings` table, which `GET /api/briefing` then serves for
 * that day. The work is `writeDailyBriefings`, a plain function the tests run on a real SQLite
 * file without the Functions host.
 */

export const DAILY_BRIEFING_SCHEDULE = '0 0 6 * * *';

export interface BriefingRun {
  tenant: string;
  written: boolean;
  items: number;
  /** Why nothing was written (no data yet, an error), redacted. */
  reason: string | null;
}

/**
 * Writes `date`'s portfolio briefing of every tenant. One tenant's failure (no data, a broken
 * store row) is reported and the others still get theirs; a second run on the same day replaces
 * the first one's briefing.
 */
export async function writeDailyBriefings(
  rt: Pick<Runtime, 'store' | 'writer' | 'writeLock' | 'metrics'>,
  date: LocalDate,
): Promise<BriefingRun[]> {
  const runs: BriefingRun[] = [];
  for (const tenant of await rt.store.tenants()) {
    try {
      const { context, version } = await rt.metrics.versioned(tenant);
      const b = briefing(context, {
        scope: { kind: 'portfolio' },
        date,
        actionStates: await rt.store.actionStates(tenant),
      });
      const body = JSON.stringify({ data_version: version, ...briefingJson(b, context) });
      const record = { date, body_json: body, created_at: new Date().toISOString() };
      // SQLite has one writer per file, which an ingest may hold: wait for it like any write.
      await rt.writeLock.run(() => rt.writer.saveBriefing(tenant, record), { tenant });
      runs.push({ tenant, written: true, items: b.items.length, reason: null });
    } catch (error) {
      const reason = redactMessage(error instanceof Error ? error.message : String(error));
      runs.push({ tenant, written: false, items: 0, reason });
    }
  }
  return runs;
}

export async function dailyBriefing(timer: Timer, context: InvocationContext): Promise<void> {
  const date = new Date().toISOString().slice(0, 10);
  const runs = await writeDailyBriefings(runtime(), date);
  for (const r of runs) {
    if (r.written) context.log(`dailyBriefing ${date}: ${r.tenant}: ${r.items} items`);
    else context.warn(`dailyBriefing ${date}: ${r.tenant}: not written: ${r.reason ?? ''}`);
  }
  if (timer.isPastDue) context.log('dailyBriefing: this run was past due (the app was asleep at 06:00)');
}

app.timer('dailyBriefing', { schedule: DAILY_BRIEFING_SCHEDULE, handler: dailyBriefing });
