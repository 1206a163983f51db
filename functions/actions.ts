import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import type { z } from 'zod';

import { actionJson, locationActionsJson } from '../shared/actions/actionJson';
import { type ActionStateRecord, listActions, snoozeUntil } from '../shared/actions/actionState';
import { findAction } from '../shared/actions/findAction';
import {
  type ActionOptions,
  deduplicate,
  type LocationActions,
  locationActions,
} from '../shared/actions/triggers';
import {
  actionDoneSchema,
  actionSnoozeSchema,
  actionsQuerySchema,
  type ActionStateBody,
} from '../shared/contract/actions';
import type { MetricContext } from '../shared/metrics/metricContext';
import type { LocalDate } from '../shared/model/localDate';
import { ChurnCache } from '../shared/models/churnTraining';
import { quoteId } from '../shared/privacy/redact';
import { ingestLimitsOf } from './config';
import { ApiError, withErrorMapping } from './httpErrors';
import { parseQuery } from './parseQuery';
import { runtime } from './runtime';
import { tenantOf } from './tenant';
import { turnDidNotCome } from './tenantTurn';
import { LockWaitTimeout } from './writeLock';

/**
 * `GET /api/actions?location=&as_of=&include_snoozed=`: the tenant's actions, largest dollars
 * first, with their facts, traces and outreach drafts (`caliper actions --json`).
 * `POST /api/actions/{actionId}/snooze` (`{until}`) and `POST /api/actions/{actionId}/done`: file
 * what was done with one, so the list leaves it out (`caliper actions snooze|done`).
 *
 * Marking an action asks for read access only: it changes no data, only the tenant's to-do state,
 * and the front desk that works the list should not need the right to upload exports.
 */

/** The day the list is made, by the server's calendar (UTC). */
const todayUtc = (): LocalDate => new Date().toISOString().slice(0, 10);

/**
 * Lists already made, per loaded context (one tenant at one data version), so listing and then
 * snoozing does not score the churn model twice; the context's end (a new ingest) drops them.
 * Bounded, fits included: a list of a large location holds thousands of actions, and every
 * `as_of` a client names would otherwise keep its own lists and model fits for the process's life.
 */
const made = new WeakMap<MetricContext, { churn: ChurnCache; lists: Map<string, LocationActions> }>();
const MAX_LISTS_PER_CONTEXT = 64;

function cachedLocationActions(
  ctx: MetricContext,
  locationId: string,
  options: ActionOptions,
): LocationActions {
  let entry = made.get(ctx);
  if (entry === undefined) {
    entry = { churn: new ChurnCache(), lists: new Map() };
    made.set(ctx, entry);
  }
  const key = `${locationId}\u0000${options.asOf ?? ''}\u0000${options.today}`;
  const known = entry.lists.get(key);
  if (known !== undefined) return known;
  const list = locationActions(ctx, locationId, { ...options, cache: entry.churn });
  if (entry.lists.size >= MAX_LISTS_PER_CONTEXT) {
    entry.lists.clear();
    entry.churn = new ChurnCache();
  }
  entry.lists.set(key, list);
  return list;
}

export const actions = withErrorMapping(async (request: HttpRequest): Promise<HttpResponseInit> => {
  const { metrics: cache, store } = runtime();
  const tenant = await tenantOf(request);
  const query = parseQuery(request, actionsQuerySchema);
  const { context: ctx, version } = await cache.versioned(tenant);
  if (query.location !== undefined && ctx.location(query.location) === undefined) {
    throw new ApiError('unknown_location', `Unknown location ${quoteId(query.location)}`);
  }
  const today = todayUtc();
  const options = { today, ...(query.as_of === undefined ? {} : { asOf: query.as_of }) };
  const locations = (query.location === undefined ? ctx.allLocationIds() : [query.location]).map((id) =>
    cachedLocationActions(ctx, id, options),
  );
  const all = deduplicate(locations.flatMap((l) => l.actions));
  const states = await store.actionStates(tenant);
  const open = listActions(all, states, { today });
  const shown =
    query.include_snoozed === 'true' ? listActions(all, states, { today, includeSnoozed: true }) : open;
  return {
    status: 200,
    jsonBody: {
      tenant,
      data_version: version,
      today,
      locations: locations.map(locationActionsJson),
      hidden: all.length - open.length,
      actions: shown.map((l) => actionJson(l.action, l.state)),
    },
  };
});

async function readBody<T extends z.ZodType>(
  request: HttpRequest,
  schema: T,
  shape: string,
): Promise<z.infer<T>> {
  const text = await request.text();
  let body: unknown = {};
  if (text.trim() !== '') {
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      throw new ApiError('invalid_json', 'The request body is not valid JSON');
    }
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw new ApiError('bad_request', `Bad body: ${where}${issue?.message ?? 'invalid'} (body: ${shape})`);
  }
  return parsed.data;
}

/** Checks the id against the tenant's list, then files the state under the store's writer. */
async function fileState(
  request: HttpRequest,
  tenant: string,
  status: ActionStateRecord['status'],
  until: LocalDate | null,
  asOf: LocalDate | undefined,
): Promise<HttpResponseInit> {
  const { metrics: cache, writer, writeLock, config } = runtime();
  const id = request.params.actionId ?? '';
  const ctx = await cache.forTenant(tenant);
  const found = findAction(
    ctx,
    id,
    { today: todayUtc(), ...(asOf === undefined ? {} : { asOf }) },
    cachedLocationActions,
  );
  if (!found.ok) throw new ApiError('unknown_action', found.message);
  const record: ActionStateRecord = {
    action_id: id,
    status,
    snoozed_until: until,
    updated_at: new Date().toISOString(),
  };
  try {
    // SQLite has one writer per file (an ingest may hold it): wait for it, at most the usual bound.
    await writeLock.run(() => writer.setActionState(tenant, record), {
      tenant,
      waitUntil: Date.now() + ingestLimitsOf(config).maxWaitMs,
    });
  } catch (error) {
    if (error instanceof LockWaitTimeout) throw turnDidNotCome();
    throw error;
  }
  const body: ActionStateBody = record;
  return { status: 200, jsonBody: body };
}

export const snoozeAction = withErrorMapping(async (request: HttpRequest): Promise<HttpResponseInit> => {
  const tenant = await tenantOf(request);
  const body = await readBody(request, actionSnoozeSchema, '{"until": "YYYY-MM-DD", "as_of"?: "YYYY-MM-DD"}');
  const until = snoozeUntil(body.until, todayUtc());
  if (!until.ok) throw new ApiError('bad_request', until.message);
  return fileState(request, tenant, 'snoozed', until.until, body.as_of);
});

export const actionDone = withErrorMapping(async (request: HttpRequest): Promise<HttpResponseInit> => {
  const tenant = await tenantOf(request);
  const body = await readBody(request, actionDoneSchema, '{} or {"as_of": "YYYY-MM-DD"}');
  return fileState(request, tenant, 'done', null, body.as_of);
});

app.http('actions', { methods: ['GET'], authLevel: 'anonymous', route: 'actions', handler: actions });
app.http('snoozeAction', {
  methods: ['POST'],
  authLevel: 'anonymous',
  route: 'actions/{actionId}/snooze',
  handler: snoozeAction,
});
app.http('actionDone', {
  methods: ['POST'],
  authLevel: 'anonymous',
  route: 'actions/{actionId}/done',
  handler: actionDone,
});
