import type { HttpRequest } from '@azure/functions';

import type { Access } from './auth';
import { runtime } from './runtime';

/**
 * The tenant a request is answered for: the one its credential belongs to (an API key's
 * tenant or an Entra token's tenant claim). Nothing in the request can name another tenant.
 * Throws `unauthorized` (401) or `forbidden` (403) when the caller cannot be identified or its
 * token lacks the permission `access` needs.
 */
export async function tenantOf(request: HttpRequest, access: Access = 'read'): Promise<string> {
  return (await runtime().authenticate(request, access)).tenant;
}
