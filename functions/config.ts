import path from 'node:path';

import { z } from 'zod';

import { TENANT_ID_RE } from '../io/tenantSecrets';

export interface FunctionsConfig {
  storeFile: string;
  /** The tenant a request without `x-caliper-tenant` is answered for. */
  defaultTenant: string;
}

const envSchema = z.object({
  CALIPER_STORE: z.string().min(1).default(path.join('.caliper', 'caliper.db')),
  CALIPER_TENANT: z.string().regex(TENANT_ID_RE, 'must be 1–63 letters, digits, - or _').default('default'),
});

/** Read once at start-up; a bad environment is a configuration error, so it throws. */
export function readFunctionsConfig(env: NodeJS.ProcessEnv = process.env): FunctionsConfig {
  const parsed = envSchema.safeParse({
    CALIPER_STORE: env.CALIPER_STORE,
    CALIPER_TENANT: env.CALIPER_TENANT,
  });
  if (!parsed.success) {
    throw new Error(
      `Bad environment: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
    );
  }
  return { storeFile: parsed.data.CALIPER_STORE, defaultTenant: parsed.data.CALIPER_TENANT };
}
