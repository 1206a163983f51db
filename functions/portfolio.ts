import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';

import type { PortfolioBody } from '../shared/contract/portfolio';
import { monthOf } from '../shared/model/localDate';
import { withErrorMapping } from './httpErrors';
import { runtime } from './runtime';
import { tenantOf } from './tenant';

/**
 * `GET /api/portfolio`: what the tenant's data holds — locations, providers, how fresh each
 * location's data is and the months it spans — for the task pane's pickers and status line.
 */
export const portfolio = withErrorMapping(async (request: HttpRequest): Promise<HttpResponseInit> => {
  const { metrics: cache, store } = runtime();
  const tenant = await tenantOf(request);
  // Answers 404 no_data before the first ingest, like every other data route.
  const { context: ctx, version } = await cache.versioned(tenant);
  const [range, ingests] = await Promise.all([store.salesDateRange(tenant), store.ingests(tenant)]);
  // The counts and sale dates used here do not depend on the period the store is asked for.
  const summaries = await store.locationSummaries(
    tenant,
    range?.first ?? '0000-01-01',
    range?.last ?? '0000-01-01',
  );
  const lastIngestAt = ingests.reduce<string | null>(
    (latest, i) => (latest === null || i.finished_at > latest ? i.finished_at : latest),
    null,
  );

  const providers = new Map<string, { provider_id: string; display_name: string; location_ids: string[] }>();
  for (const p of ctx.data.providers) {
    const entry = providers.get(p.provider_id);
    if (entry === undefined) {
      providers.set(p.provider_id, {
        provider_id: p.provider_id,
        display_name: p.display_name,
        location_ids: [p.location_id],
      });
    } else if (!entry.location_ids.includes(p.location_id)) {
      entry.location_ids.push(p.location_id);
    }
  }

  const body: PortfolioBody = {
    tenant,
    data_version: version,
    locations: summaries.map((l) => ({
      location_id: l.location_id,
      name: l.name,
      region: l.region,
      emr_system: l.emr_system,
      opened_on: l.opened_on,
      closed_on: l.closed_on,
      providers: l.providers,
      patients: l.patients,
      first_sale_on: l.first_sale_on,
      last_sale_on: l.last_sale_on,
    })),
    providers: [...providers.values()]
      .map((p) => ({ ...p, location_ids: p.location_ids.sort() }))
      .sort((a, b) => a.provider_id.localeCompare(b.provider_id)),
    // The store keeps ingests per tenant, not per location: every location shares the latest.
    data_freshness: summaries.map((l) => ({
      location_id: l.location_id,
      last_sale_on: l.last_sale_on,
      last_ingest_at: lastIngestAt,
    })),
    periods: {
      first_month: range ? monthOf(range.first) : null,
      last_month: range ? monthOf(range.last) : null,
      as_of_month: ctx.asOfMonth(),
    },
  };
  return { status: 200, jsonBody: body };
});

app.http('portfolio', { methods: ['GET'], authLevel: 'anonymous', route: 'portfolio', handler: portfolio });
