/*
 * The API's limits and states as plain values. No zod here on purpose: the add-in imports these
 * at run time, and a module of schemas would bring zod and every schema into its bundle.
 */

/** One recalculation of a large workbook fits; beyond that the client splits its batches. */
export const MAX_BATCH = 10_000;

/** The most rows one call list answers: a front desk's fortnight of calls, and a whole sheet. */
export const MAX_CALL_LIST = 500;

/** The longest text `PATCH /api/locations/{id}` takes for one field. */
export const MAX_LOCATION_FIELD_LENGTH = 400;

/** The longest alias it takes, and how many in one request. */
export const MAX_LOCATION_ALIAS_LENGTH = 200;
export const MAX_LOCATION_ALIASES = 100;

/**
 * An ingest job's states. `queued`: waiting — for the tenant's earlier upload to finish, or for
 * the store's writer (another ingest's transaction); `running`: converting or ingesting; then
 * `done` (committed) or `failed` (nothing written).
 */
export const INGEST_JOB_STATES = ['queued', 'running', 'done', 'failed'] as const;

export type IngestJobStatus = (typeof INGEST_JOB_STATES)[number];

/** Vendor exports are converted first, then every file is ingested; each phase counts its own bytes. */
export const INGEST_PHASES = ['converting', 'ingesting'] as const;

export type IngestPhase = (typeof INGEST_PHASES)[number];
