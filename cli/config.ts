import path from 'node:path';

import { z } from 'zod';

import { TENANT_ID_RE } from '../io/tenantSecrets';

/** The default embedded store: a SQLite file in `.caliper/` under the working folder. */
export const DEFAULT_STORE_FILE = path.join('.caliper', 'caliper.db');
export const DEFAULT_TENANT = 'default';

const envSchema = z.object({
  CALIPER_STORE: z.string().min(1).optional(),
  CALIPER_TENANT: z.string().regex(TENANT_ID_RE, 'must be 1–63 letters, digits, - or _').optional(),
});

export interface CliConfig {
  storeFile: string;
  tenant: string;
}

/** Read once: flags win over the environment, the environment over the defaults. */
export function resolveConfig(flags: { store?: string; tenant?: string }, env = process.env): CliConfig {
  const parsed = envSchema.safeParse({
    CALIPER_STORE: env.CALIPER_STORE,
    CALIPER_TENANT: env.CALIPER_TENANT,
  });
  if (!parsed.success) {
    throw new UsageError(
      `Bad environment: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
    );
  }
  const tenant = flags.tenant ?? parsed.data.CALIPER_TENANT ?? DEFAULT_TENANT;
  if (!TENANT_ID_RE.test(tenant))
    throw new UsageError(`--tenant ${JSON.stringify(tenant)}: must be 1–63 letters, digits, - or _`);
  return { storeFile: flags.store ?? parsed.data.CALIPER_STORE ?? DEFAULT_STORE_FILE, tenant };
}

/** A mistake in how the command was called: exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
