import { isLocalDate, type LocalDate } from '../model/localDate';
import type { Action } from './action';

/**
 * What the front desk or the owner did with an action, kept per tenant in the store: snoozed
 * until a day (the situation is left out of the list through that day, whatever month it is
 * raised in, and comes back the day after), or done (that action is left out for good — its id
 * names its period, so a new month raises the situation again under a new id). A later state of
 * an id replaces an earlier one.
 */

export type ActionStatus = 'snoozed' | 'done';

/** One saved state, as the store keeps it (shared/store/store.port.ts, ActionStateStore). */
export interface ActionStateRecord {
  action_id: string;
  status: ActionStatus;
  /** The last day a snoozed action stays out of the list; null when done. */
  snoozed_until: LocalDate | null;
  updated_at: string;
}

/** The state an action is listed with: null when it is open (never set, or its snooze is over). */
export type ListedState = { status: 'snoozed'; until: LocalDate } | { status: 'done' } | null;

export interface ListedAction {
  action: Action;
  state: ListedState;
}

/** The snooze of an action until `until`, refused (a message) unless `until` is a day after `today`. */
export function snoozeUntil(
  until: string,
  today: LocalDate,
): { ok: true; until: LocalDate } | { ok: false; message: string } {
  if (!isLocalDate(until))
    return { ok: false, message: `until ${JSON.stringify(until.slice(0, 40))} is not a YYYY-MM-DD date` };
  if (until <= today)
    return { ok: false, message: `until ${until} is not after today (${today}): nothing to snooze` };
  return { ok: true, until };
}

/** An id without its period: the situation, whatever month it is raised in (actionIds.ts). */
function situationOf(id: string): string {
  const end = id.lastIndexOf(':');
  return end === -1 ? id : id.slice(0, end);
}

/** The saved states arranged for look-ups on one day. */
export interface StateIndex {
  today: LocalDate;
  done: ReadonlySet<string>;
  /** Situation → the last day of its latest-running snooze that has not ended by `today`. */
  snoozedUntil: ReadonlyMap<string, LocalDate>;
}

export function stateIndex(records: readonly ActionStateRecord[], today: LocalDate): StateIndex {
  const done = new Set<string>();
  const snoozedUntil = new Map<string, LocalDate>();
  for (const r of records) {
    if (r.status === 'done') done.add(r.action_id);
    else if (r.snoozed_until !== null && r.snoozed_until >= today) {
      const situation = situationOf(r.action_id);
      const known = snoozedUntil.get(situation);
      if (known === undefined || r.snoozed_until > known) snoozedUntil.set(situation, r.snoozed_until);
    }
  }
  return { today, done, snoozedUntil };
}

/**
 * An action's state. Done is the id's own: the same situation in a later month is a new action.
 * A snooze is by the calendar, so it holds for the situation across a month boundary (snoozed on
 * 11-28 until 12-20, the December id stays out too). A patient's action that folds other rules in
 * (`alsoTrue`) takes their states as well: a patient snoozed under one rule must not come back
 * under another the next time the dollars rank the rules differently.
 */
export function stateOf(action: Action, index: StateIndex): ListedState {
  const ids = [action.id, ...action.alsoTrue.map((a) => a.id)];
  if (ids.some((id) => index.done.has(id))) return { status: 'done' };
  const until = ids
    .map((id) => index.snoozedUntil.get(situationOf(id)))
    .filter((day): day is LocalDate => day !== undefined)
    .sort()
    .at(-1);
  return until === undefined ? null : { status: 'snoozed', until };
}

/** The actions to show on `today`: open ones, and snoozed and done ones too when asked. */
export function listActions(
  actions: readonly Action[],
  records: readonly ActionStateRecord[],
  options: { today: LocalDate; includeSnoozed?: boolean },
): ListedAction[] {
  const index = stateIndex(records, options.today);
  return actions
    .map((action) => ({ action, state: stateOf(action, index) }))
    .filter((listed) => options.includeSnoozed === true || listed.state === null);
}
