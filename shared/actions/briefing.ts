import type { MetricContext } from '../metrics/metricContext';
import { isLocalDate, type LocalDate, type YearMonth } from '../model/localDate';
import { ChurnCache } from '../models/churnTraining';
import { ForecastCache } from '../models/forecastCache';
import { type ActionStateRecord, listActions } from './actionState';
import { noShowItem, patientItems, providerItem } from './briefingActionItems';
import type { TraceFigure } from './briefingFigures';
import { forecastItem, gapItems, membershipChurnItem, revenueItems } from './briefingMetricItems';
import { lastCompleteMonth } from './locationTriggers';
import { locationActions } from './triggers';

/**
 * The daily briefing (issue 14, item 5): what changed and what to do, each item with its dollars,
 * largest first. Deterministic from the metrics and the day's actions — the same data, date and
 * action states give the same briefing — and every sentence rests on the figures in its `trace`,
 * each one `caliper trace` / `GET /api/trace` (or `caliper actions`, `caliper forecast`) away.
 * Patients are only counted and summed: no patient id, name or contact is ever in a briefing.
 * docs/briefing.md describes each item, its source and its dollars.
 */

export type BriefingScope = { kind: 'portfolio' } | { kind: 'location'; locationId: string };

/** The kinds of item, in the order that breaks a tie in dollars. */
export const BRIEFING_KINDS = [
  'revenue_vs_last_year',
  'revenue_vs_prior_month',
  'forecast_vs_last_year',
  'gap',
  'vip_past_due',
  'cadence_broken',
  'provider_out_of_band',
  'no_show_spike',
  'membership_churn',
] as const;
export type BriefingKind = (typeof BRIEFING_KINDS)[number];

export interface BriefingItem {
  kind: BriefingKind;
  /** The location it is about; null for the portfolio. */
  locationId: string | null;
  /** Plain words: a location by its name, a provider by display name, patients only as counts. */
  sentence: string;
  /** Integer cents; a change is signed (a fall is negative); null when nothing measures it. */
  dollarsCents: number | null;
  /** How the dollars were computed, or why there are none. */
  dollarsBasis: string;
  /** The figures behind the sentence. */
  trace: TraceFigure[];
}

export interface Briefing {
  date: LocalDate;
  scope: BriefingScope;
  /** The last complete month the briefing reads (the latest of the locations'); null with no data. */
  asOfMonth: YearMonth | null;
  /** Largest dollars first (by size: a fall of $9,000 before a gain of $5,000), none last. */
  items: BriefingItem[];
  /** What was left out and why: locations not evaluated, rules not judged, snoozed actions. */
  notes: string[];
}

export interface BriefingOptions {
  scope: BriefingScope;
  /** The day of the briefing: figures are taken on it (or a location's last day of data, if earlier). */
  date: LocalDate;
  /** The tenant's snoozed and done actions (store.actionStates): left out of the briefing. */
  actionStates?: readonly ActionStateRecord[];
  churnCache?: ChurnCache;
  forecastCache?: ForecastCache;
}

/** Largest dollars first by size, none last; then kind, location and sentence: a total order. */
export function compareItems(a: BriefingItem, b: BriefingItem): number {
  if (a.dollarsCents !== b.dollarsCents) {
    if (a.dollarsCents === null) return 1;
    if (b.dollarsCents === null) return -1;
    const size = Math.abs(b.dollarsCents) - Math.abs(a.dollarsCents);
    if (size !== 0) return size;
  }
  const text = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return (
    BRIEFING_KINDS.indexOf(a.kind) - BRIEFING_KINDS.indexOf(b.kind) ||
    text(a.locationId ?? '', b.locationId ?? '') ||
    text(a.sentence, b.sentence)
  );
}

interface Evaluated {
  locationId: string;
  name: string;
  month: YearMonth;
}

export function briefing(ctx: MetricContext, options: BriefingOptions): Briefing {
  const { scope, date } = options;
  if (!isLocalDate(date))
    throw new RangeError(`briefing: date ${JSON.stringify(date)} is not a YYYY-MM-DD date`);
  const { evaluated, items, notes } = locationItems(ctx, options);

  const asOfMonth = evaluated.reduce<YearMonth | null>(
    (m, l) => (m === null || l.month > m ? l.month : m),
    null,
  );
  if (asOfMonth === null) notes.push(`no location has data to brief on ${date}`);
  else {
    const where =
      scope.kind === 'portfolio' ? 'across the portfolio' : `at ${evaluated[0]?.name ?? scope.locationId}`;
    items.push(...revenueItems(ctx, scope, where, asOfMonth));
    const forecast = forecastItem(ctx, scope, where, asOfMonth, options.forecastCache ?? new ForecastCache());
    if (forecast.item !== null) items.push(forecast.item);
    notes.push(...forecast.notes);
  }
  return { date, scope, asOfMonth, items: items.sort(compareItems), notes };
}

/**
 * Each location's items, location by location: its actions (hundreds of MB over a 200-location
 * portfolio) become items and are let go before the next location's are found, and the churn
 * cache made here goes before the portfolio forecast runs. Notes keep their order: every
 * location's own notes, the snoozed count, then the membership notes.
 */
function locationItems(
  ctx: MetricContext,
  options: BriefingOptions,
): { evaluated: Evaluated[]; items: BriefingItem[]; notes: string[] } {
  const { scope, date } = options;
  // Without the caller's cache each location is scored once: its snapshots are let go.
  const churnCache = options.churnCache ?? new ChurnCache({ keepSnapshots: false });
  const ids = scope.kind === 'portfolio' ? ctx.allLocationIds() : [scope.locationId];
  const notes: string[] = [];
  const membershipNotes: string[] = [];
  const evaluated: Evaluated[] = [];
  const items: BriefingItem[] = [];
  let leftOut = 0;
  for (const locationId of ids) {
    const name = ctx.location(locationId)?.name ?? locationId;
    const range = ctx.data.dataRange.get(locationId);
    // As of the briefing's day, or the location's last day of data when that is earlier.
    const asOf = range === undefined ? date : range.last < date ? range.last : date;
    const list = locationActions(ctx, locationId, { today: date, asOf, cache: churnCache });
    if (!list.evaluated || list.month === null) {
      notes.push(`${name}: not in the briefing — ${list.reason ?? 'not evaluated'}`);
      continue;
    }
    const l: Evaluated = { locationId, name, month: lastCompleteMonth(asOf) };
    evaluated.push(l);
    notes.push(...list.notes.map((n) => `${name}: ${n}`));
    // `locationActions` already merged each patient's actions into one, largest dollars first.
    const all = list.actions;
    const mine = listActions(all, options.actionStates ?? [], { today: date }).map((a) => a.action);
    leftOut += all.length - mine.length;
    const spikes = mine.filter((a) => a.rule === 'no_show_spike');
    // A spike carries the month's no_show_gap_dollars itself, so the gap item would count it
    // twice; a snoozed or done spike keeps it out too, or the snooze would not quiet the no-shows.
    const spiked = all.some((a) => a.rule === 'no_show_spike' && a.period === l.month);
    const gaps = gapItems(ctx, l.locationId, l.name, l.month).filter(
      (g) => !(spiked && g.trace[0]?.kind === 'metric' && g.trace[0].metric === 'no_show_gap_dollars'),
    );
    items.push(...gaps, ...patientItems(l.locationId, l.name, mine));
    items.push(...mine.filter((a) => a.rule === 'provider_out_of_band').map((a) => providerItem(a, l.name)));
    items.push(...spikes.map((a) => noShowItem(a, l.name)));
    const churn = membershipChurnItem(ctx, l.locationId, l.name, l.month);
    if (churn.item !== null) items.push(churn.item);
    if (churn.note !== null) membershipNotes.push(churn.note);
  }
  if (leftOut > 0)
    notes.push(`${leftOut} snoozed or done actions left out (caliper actions --include-snoozed)`);
  return { evaluated, items, notes: [...notes, ...membershipNotes] };
}
