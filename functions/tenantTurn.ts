import { ingestLimitsOf } from './config';
import { ApiError } from './httpErrors';
import { TenantQueueFull, type TenantTicket } from './ingestQueue';
import { runtime } from './runtime';
import { LockWaitTimeout } from './writeLock';

/** Whole seconds a client turned away should wait before trying again: the wait bound, at least one. */
export function retryAfterSeconds(): number {
  return Math.max(1, Math.ceil(ingestLimitsOf(runtime().config).maxWaitMs / 1000));
}

/** 429 `too_many_requests` with Retry-After. */
export function busy(message: string): ApiError {
  return new ApiError('too_many_requests', message, retryAfterSeconds());
}

/** A place in the tenant's line of writes, or 429 when the line is full (before any body is read). */
export function enterLine(tenant: string): TenantTicket {
  try {
    return runtime().ingestQueues.enter(tenant);
  } catch (error) {
    if (!(error instanceof TenantQueueFull)) throw error;
    const { queuedPerTenant } = ingestLimitsOf(runtime().config);
    throw busy(
      `This tenant already has ${error.inHand} uploads or edits in progress or waiting (at most ${1 + queuedPerTenant}); try again when one has finished`,
    );
  }
}

/** The 429 of a write whose turn did not come within the wait bound. */
export function turnDidNotCome(): ApiError {
  const seconds = Math.round(ingestLimitsOf(runtime().config).maxWaitMs / 1000);
  return busy(
    `The write did not get its turn within ${seconds} s (earlier uploads of this tenant, or another ingest's store transaction, are ahead of it); nothing was written — try again later (an upload can wait in line with ?async=true)`,
  );
}

/**
 * A short write of the tenant's (a location edit or merge): in the tenant's line behind its
 * uploads, so an ingest converting against the tenant's locations never sees them change under
 * it, then under the store's writer. Waits at most `CALIPER_INGEST_MAX_WAIT_S`, else 429.
 */
export async function asTenantWrite<T>(tenant: string, work: () => Promise<T>): Promise<T> {
  const { config, writeLock } = runtime();
  const ticket = enterLine(tenant);
  try {
    const wait = { waitUntil: Date.now() + ingestLimitsOf(config).maxWaitMs };
    await ticket.turn(wait);
    return await writeLock.run(work, { tenant, ...wait });
  } catch (error) {
    if (error instanceof LockWaitTimeout) throw turnDidNotCome();
    throw error;
  } finally {
    ticket.leave();
  }
}
