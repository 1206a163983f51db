import type { MetricContext } from '../metrics/metricContext';
import { quoteId } from '../privacy/redact';
import type { Action } from './action';
import { parseActionId } from './actionIds';
import { type ActionOptions, locationActions } from './triggers';

/**
 * The action an id names, as the list shows it now (or on `asOf`): what `caliper actions snooze`
 * and `POST /api/actions/{id}/snooze` check before saving a state, so a typo or another tenant's
 * id is refused instead of filed. An id folded into another action (`alsoTrue`) names that action.
 * The id is quoted by its head only (quoteId): it can be long, and it is the caller's text.
 */
export type FoundAction = { ok: true; action: Action } | { ok: false; message: string };

export function findAction(
  ctx: MetricContext,
  id: string,
  options: ActionOptions,
  /** How a location's list is made: the API passes its cache of lists. */
  evaluate: typeof locationActions = locationActions,
): FoundAction {
  const unknown = (why: string): FoundAction => ({
    ok: false,
    message: `Unknown action ${quoteId(id)}: ${why}`,
  });
  const parts = parseActionId(id);
  if (parts === null)
    return unknown('not an action id (rule:location:subject:YYYY-MM, as the list shows it)');
  // Another tenant's location is as unknown here as a misspelled one.
  if (ctx.location(parts.locationId) === undefined) return unknown('no such location');
  const listed = evaluate(ctx, parts.locationId, options);
  const action = listed.actions.find((a) => a.id === id || a.alsoTrue.some((t) => t.id === id));
  if (action !== undefined) return { ok: true, action };
  const when = listed.asOf === null ? '' : ` on ${listed.asOf}`;
  return unknown(`not among the location's actions${when}`);
}
