import { app, type InvocationContext, output } from '@azure/functions';
import { z } from 'zod';

import { TENANT_ID_RE } from '../io/tenantSecrets';
import { refreshLocation } from '../shared/engine/refresh';
import { runtime } from './runtime';

/** The Storage queue the per-location refresh fans out through (AzureWebJobsStorage's account). */
export const REFRESH_QUEUE = 'caliper-refresh';

/** The ingest trigger's output binding: one message per location the ingest changed. */
export const refreshQueueOutput = output.storageQueue({
  queueName: REFRESH_QUEUE,
  connection: 'AzureWebJobsStorage',
});

export const refreshMessageSchema = z.object({
  tenant: z.string().regex(TENANT_ID_RE),
  location_id: z.string().min(1),
});
export type RefreshMessage = z.infer<typeof refreshMessageSchema>;

/**
 * After an ingest committed: refresh the locations it changed, in this process (`inline`, the
 * local host and small Function Apps) or as queue messages (`queue`), so a 200-location ingest
 * becomes 200 independent refreshes the Function App scales out over. A location still dirty
 * when a query comes first is refreshed by that query, so answers are never stale either way.
 */
export async function dispatchRefresh(
  tenant: string,
  context: InvocationContext,
): Promise<{ mode: 'inline' | 'queue'; locations: string[] }> {
  // Called by the ingest while it holds the write lock: the writer connection is its to use.
  const { config, writer: store } = runtime();
  const locations = await store.dirtyLocations(tenant);
  if (config.refresh === 'queue') {
    const messages: RefreshMessage[] = locations.map((location_id) => ({ tenant, location_id }));
    context.extraOutputs.set(refreshQueueOutput, messages);
    return { mode: 'queue', locations };
  }
  for (const locationId of locations) await refreshLocation(store, tenant, locationId);
  return { mode: 'inline', locations };
}

/**
 * The `refreshLocation` queue trigger. A malformed message is logged and dropped rather than
 * thrown: retrying it can never succeed, and the location stays dirty for the next query.
 */
export async function refreshLocationFromQueue(message: unknown, context: InvocationContext): Promise<void> {
  const parsed = refreshMessageSchema.safeParse(message);
  if (!parsed.success) {
    context.error(`refreshLocation: ignoring a malformed message: ${parsed.error.issues[0]?.message ?? ''}`);
    return;
  }
  const { tenant, location_id } = parsed.data;
  const { writer, writeLock } = runtime();
  await writeLock.run(() => refreshLocation(writer, tenant, location_id), { tenant });
  context.log(`refreshLocation: ${tenant}/${location_id} refreshed`);
}

app.storageQueue('refreshLocation', {
  queueName: REFRESH_QUEUE,
  connection: 'AzureWebJobsStorage',
  handler: refreshLocationFromQueue,
});
