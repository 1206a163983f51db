import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';

import { type ActionStateRecord } from '../shared/actions/actionState';
import { type Briefing, briefing, type BriefingScope } from '../shared/actions/briefing';
import { briefingJson } from '../shared/actions/briefingJson';
import { briefingQuerySchema } from '../shared/contract/briefing';
import type { MetricContext } from '../shared/metrics/metricContext';
import type { LocalDate } from '../shared/model/localDate';
import { ChurnCache } from '../shared/models/churnTraining';
import { ForecastCache } from '../shared/models/forecastCache';
import { quoteId } from '../shared/privacy/redact';
import { ApiError, withErrorMapping } from './httpErrors';
import { parseQuery } from './parseQuery';
import { runtime } from './runtime';
import { tenantOf } from './tenant';

/**
 * `GET /api/briefing?location=&date=`: the daily briefing (shared/actions/briefing.ts) — what
 * changed and what to do, largest dollars first, each item with the figures behind it and the
 * calls that answer them. The portfolio's briefing of a day the timer already wrote
 * (briefingTimer.ts) is served as stored (`source: "stored"`), so the morning's briefing reads
 * the same all day; any other is computed (`source: "computed"`).
 */

/** The day of the briefing by the server's calendar (UTC), as the actions list uses. */
const todayUtc = (): LocalDate => new Date().toISOString().slice(0, 10);

/**
 * Briefings made per loaded context (one tenant at one data version) with the model fits they
 * share: a briefing scores every location's patients and forecasts the next month (seconds), and
 * a pane refreshing must not redo it. Keyed also by the action states, so a snooze shows at once;
 * bounded like the actions' lists, so every date a client names cannot grow the process.
 */
interface Made {
  churn: ChurnCache;
  forecasts: ForecastCache;
  briefings: Map<string, Briefing>;
}
const made = new WeakMap<MetricContext, Made>();
const MAX_BRIEFINGS_PER_CONTEXT = 32;

export function cachedBriefing(
  ctx: MetricContext,
  scope: BriefingScope,
  date: LocalDate,
  states: readonly ActionStateRecord[],
): Briefing {
  let entry = made.get(ctx);
  if (entry === undefined) {
    entry = { churn: new ChurnCache(), forecasts: new ForecastCache(), briefings: new Map() };
    made.set(ctx, entry);
  }
  const key = JSON.stringify([scope, date, states]);
  const known = entry.briefings.get(key);
  if (known !== undefined) return known;
  if (entry.briefings.size >= MAX_BRIEFINGS_PER_CONTEXT) {
    entry.briefings.clear();
    entry.churn = new ChurnCache();
    entry.forecasts = new ForecastCache();
  }
  const fresh = briefing(ctx, {
    scope,
    date,
    actionStates: states,
    churnCache: entry.churn,
    forecastCache: entry.forecasts,
  });
  entry.briefings.set(key, fresh);
  return fresh;
}

export const briefingHandler = withErrorMapping(async (request: HttpRequest): Promise<HttpResponseInit> => {
  const { metrics: cache, store } = runtime();
  const tenant = await tenantOf(request);
  const query = parseQuery(request, briefingQuerySchema);
  const date = query.date ?? todayUtc();
  // Answers 404 no_data before the first ingest, like every other data route.
  const { context: ctx, version } = await cache.versioned(tenant);
  if (query.location !== undefined && ctx.location(query.location) === undefined) {
    throw new ApiError('unknown_location', `Unknown location ${quoteId(query.location)}`);
  }
  if (query.location === undefined) {
    const stored = await store.briefingOn(tenant, date);
    if (stored !== null) {
      const body = JSON.parse(stored.body_json) as Record<string, unknown>;
      return { status: 200, jsonBody: { ...body, tenant, source: 'stored', created_at: stored.created_at } };
    }
  }
  const scope: BriefingScope =
    query.location === undefined ? { kind: 'portfolio' } : { kind: 'location', locationId: query.location };
  const b = cachedBriefing(ctx, scope, date, await store.actionStates(tenant));
  return {
    status: 200,
    jsonBody: {
      tenant,
      data_version: version,
      source: 'computed',
      created_at: null,
      ...briefingJson(b, ctx),
    },
  };
});

app.http('briefing', {
  methods: ['GET'],
  authLevel: 'anonymous',
  route: 'briefing',
  handler: briefingHandler,
});
