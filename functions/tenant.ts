import type { HttpRequest } from '@azure/functions';

import { TENANT_ID_RE } from '../io/tenantSecrets';
import { ApiError } from './httpErrors';

export const TENANT_HEADER = 'x-caliper-tenant';

/**
 * The tenant a request is answered for. First increment only: the header is trusted as is, so
 * this API must not be exposed beyond a trusted network. The auth increment replaces it with
 * the tenant claim of a verified Entra ID token (or an API key's tenant).
 */
export function tenantOf(request: HttpRequest, defaultTenant: string): string {
  const tenant = request.headers.get(TENANT_HEADER) ?? defaultTenant;
  if (!TENANT_ID_RE.test(tenant)) {
    throw new ApiError('invalid_tenant', `${TENANT_HEADER} must be 1–63 letters, digits, - or _`);
  }
  return tenant;
}
