import path from 'node:path';

import { z } from 'zod';

import { TENANT_ID_RE } from '../io/tenantSecrets';

/**
 * How callers prove who they are. `api-key`: keys made with `caliper keys create`, each bound
 * to one tenant in the store. `entra`: Entra ID access tokens; the tenant is the token's
 * `tenantClaim`, through `tenantMap` when one is configured, else taken 1:1 as the tenant id.
 */
export type AuthConfig =
  | { mode: 'api-key' }
  | {
      mode: 'entra';
      /** Accepted `iss` values: one per Entra directory whose users may call the API. */
      issuers: string[];
      audience: string;
      jwksUri: string;
      tenantClaim: string;
      tenantMap: Record<string, string> | null;
      /**
       * The delegated scope (`scp`) or app role (`roles`) a token must carry to read, and to
       * ingest; null = not checked (any token of an accepted directory may).
       */
      permissions: { read: string | null; ingest: string | null };
    };

/** The default upload limit of `POST /api/ingest`: a year of a large location's exports fits. */
export const DEFAULT_INGEST_MAX_BYTES = 200 * 1024 * 1024;

/**
 * How long one upload may take and wait (what it may expand to is io's CALIPER_LIMIT_ZIP_*).
 * An upload is received, queued, converted and ingested within `timeoutMs` or rolled back, so
 * no upload folder outlives it; a tenant has at most one ingest running and `queuedPerTenant`
 * more in hand; a synchronous request waits at most `maxWaitMs` for its turn before 429 with
 * Retry-After.
 */
export interface IngestLimits {
  timeoutMs: number;
  queuedPerTenant: number;
  maxWaitMs: number;
  /** Where upload folders are made (and swept at start): the OS temp folder unless a test says otherwise. */
  uploadRoot?: string;
}

export const DEFAULT_INGEST_LIMITS: IngestLimits = {
  timeoutMs: 15 * 60 * 1000,
  queuedPerTenant: 4,
  maxWaitMs: 30 * 1000,
};

/** The configured limits over the defaults. */
export function ingestLimitsOf(config: FunctionsConfig): IngestLimits {
  return { ...DEFAULT_INGEST_LIMITS, ...config.ingestLimits };
}

export interface FunctionsConfig {
  /** The SQLite store file; also where per-tenant secrets are kept when no master secret is set. */
  storeFile: string;
  /** Set: the Azure SQL store (docs/store.md) instead of the SQLite file. */
  azureSqlConnectionString?: string;
  auth: AuthConfig;
  /** Largest `POST /api/ingest` body accepted; `DEFAULT_INGEST_MAX_BYTES` when absent. */
  ingestMaxBytes?: number;
  /** The other bounds of an upload (`ingestLimitsOf` fills in the defaults). */
  ingestLimits?: Partial<IngestLimits>;
  /**
   * After an ingest, the changed locations' aggregates are refreshed `inline` (in this process,
   * before the ingest answers) or fanned out as one `queue` message per location, which the
   * `refreshLocation` queue trigger works off on as many instances as the Function App scales to.
   */
  refresh?: RefreshMode;
}

export type RefreshMode = 'inline' | 'queue';

const tenantId = z.string().regex(TENANT_ID_RE, 'must be 1–63 letters, digits, - or _');

const envSchema = z
  .object({
    CALIPER_STORE: z.string().min(1).default(path.join('.caliper', 'caliper.db')),
    CALIPER_AUTH_MODE: z.enum(['api-key', 'entra']).default('api-key'),
    CALIPER_ENTRA_ISSUER: z.string().trim().min(1).optional(),
    CALIPER_ENTRA_AUDIENCE: z.string().trim().min(1).optional(),
    CALIPER_ENTRA_JWKS_URI: z.url({ protocol: /^https?$/ }).optional(),
    CALIPER_TENANT_CLAIM: z.string().trim().min(1).default('tid'),
    CALIPER_REFRESH_MODE: z.enum(['inline', 'queue']).default('inline'),
    CALIPER_AZURE_SQL_CONNECTION_STRING: z.string().trim().min(1).optional(),
    // Only checked for presence here; io/tenantSecrets.ts reads and validates it.
    CALIPER_PSEUDONYM_SECRET: z.string().optional(),
    CALIPER_ENTRA_READ_PERMISSION: z.string().trim().min(1).optional(),
    CALIPER_ENTRA_INGEST_PERMISSION: z.string().trim().min(1).optional(),
    CALIPER_INGEST_MAX_MB: z.coerce
      .number()
      .positive()
      .default(DEFAULT_INGEST_MAX_BYTES / (1024 * 1024)),
    CALIPER_INGEST_TIMEOUT_S: z.coerce
      .number()
      .positive()
      .default(DEFAULT_INGEST_LIMITS.timeoutMs / 1000),
    CALIPER_INGEST_QUEUE: z.coerce.number().int().min(0).default(DEFAULT_INGEST_LIMITS.queuedPerTenant),
    CALIPER_INGEST_MAX_WAIT_S: z.coerce
      .number()
      .min(0)
      .default(DEFAULT_INGEST_LIMITS.maxWaitMs / 1000),
    // JSON object {"<claim value>": "<caliper tenant>"}, e.g. Entra directory ids to tenants.
    CALIPER_TENANT_MAP: z
      .string()
      .optional()
      .transform((text, ctx) => {
        if (text === undefined || text.trim() === '') return null;
        try {
          return JSON.parse(text) as unknown;
        } catch {
          ctx.addIssue({ code: 'custom', message: 'must be a JSON object' });
          return z.NEVER;
        }
      })
      .pipe(z.record(z.string(), tenantId).nullable()),
  })
  .superRefine((env, ctx) => {
    // The per-tenant secrets live beside a SQLite file; a database server has no "beside".
    if (env.CALIPER_AZURE_SQL_CONNECTION_STRING !== undefined && !env.CALIPER_PSEUDONYM_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['CALIPER_PSEUDONYM_SECRET'],
        message: 'is required with the Azure SQL store (a Key Vault reference; see docs/deploy.md)',
      });
    }
    if (env.CALIPER_AUTH_MODE !== 'entra') return;
    for (const key of ['CALIPER_ENTRA_ISSUER', 'CALIPER_ENTRA_AUDIENCE', 'CALIPER_ENTRA_JWKS_URI'] as const) {
      if (env[key] === undefined)
        ctx.addIssue({ code: 'custom', path: [key], message: 'is required in entra mode' });
    }
  });

/** Read once at start-up; a bad environment is a configuration error, so it throws. */
export function readFunctionsConfig(env: NodeJS.ProcessEnv = process.env): FunctionsConfig {
  const parsed = envSchema.safeParse({
    CALIPER_STORE: env.CALIPER_STORE,
    CALIPER_AUTH_MODE: env.CALIPER_AUTH_MODE,
    CALIPER_ENTRA_ISSUER: env.CALIPER_ENTRA_ISSUER,
    CALIPER_ENTRA_AUDIENCE: env.CALIPER_ENTRA_AUDIENCE,
    CALIPER_ENTRA_JWKS_URI: env.CALIPER_ENTRA_JWKS_URI,
    CALIPER_TENANT_CLAIM: env.CALIPER_TENANT_CLAIM,
    CALIPER_TENANT_MAP: env.CALIPER_TENANT_MAP,
    CALIPER_INGEST_MAX_MB: env.CALIPER_INGEST_MAX_MB,
    CALIPER_INGEST_TIMEOUT_S: env.CALIPER_INGEST_TIMEOUT_S,
    CALIPER_INGEST_QUEUE: env.CALIPER_INGEST_QUEUE,
    CALIPER_INGEST_MAX_WAIT_S: env.CALIPER_INGEST_MAX_WAIT_S,
    CALIPER_REFRESH_MODE: env.CALIPER_REFRESH_MODE,
    CALIPER_AZURE_SQL_CONNECTION_STRING: env.CALIPER_AZURE_SQL_CONNECTION_STRING || undefined,
    CALIPER_PSEUDONYM_SECRET: env.CALIPER_PSEUDONYM_SECRET,
    CALIPER_ENTRA_READ_PERMISSION: env.CALIPER_ENTRA_READ_PERMISSION,
    CALIPER_ENTRA_INGEST_PERMISSION: env.CALIPER_ENTRA_INGEST_PERMISSION,
  });
  if (!parsed.success) {
    throw new Error(
      `Bad environment: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
    );
  }
  const e = parsed.data;
  const storeFile = e.CALIPER_STORE;
  const ingestMaxBytes = Math.floor(e.CALIPER_INGEST_MAX_MB * 1024 * 1024);
  const refresh = e.CALIPER_REFRESH_MODE;
  const ingestLimits: IngestLimits = {
    timeoutMs: Math.round(e.CALIPER_INGEST_TIMEOUT_S * 1000),
    queuedPerTenant: e.CALIPER_INGEST_QUEUE,
    maxWaitMs: Math.round(e.CALIPER_INGEST_MAX_WAIT_S * 1000),
  };
  const sql =
    e.CALIPER_AZURE_SQL_CONNECTION_STRING === undefined
      ? {}
      : { azureSqlConnectionString: e.CALIPER_AZURE_SQL_CONNECTION_STRING };
  if (e.CALIPER_AUTH_MODE === 'api-key')
    return { storeFile, ingestMaxBytes, ingestLimits, refresh, ...sql, auth: { mode: 'api-key' } };
  return {
    storeFile,
    ingestMaxBytes,
    ingestLimits,
    refresh,
    ...sql,
    auth: {
      mode: 'entra',
      issuers: (e.CALIPER_ENTRA_ISSUER ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== ''),
      audience: e.CALIPER_ENTRA_AUDIENCE ?? '',
      jwksUri: e.CALIPER_ENTRA_JWKS_URI ?? '',
      tenantClaim: e.CALIPER_TENANT_CLAIM,
      tenantMap: e.CALIPER_TENANT_MAP,
      permissions: {
        read: e.CALIPER_ENTRA_READ_PERMISSION ?? null,
        ingest: e.CALIPER_ENTRA_INGEST_PERMISSION ?? null,
      },
    },
  };
}
