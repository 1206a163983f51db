import type { HttpRequest } from '@azure/functions';
import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify, type JWTVerifyGetKey } from 'jose';

import { API_KEY_PREFIX, hashApiKey } from '../io/apiKeys';
import { TENANT_ID_RE } from '../io/tenantSecrets';
import type { ApiKeyStore } from '../shared/store/store.port';
import type { AuthConfig } from './config';
import { ApiError } from './httpErrors';

/** Who is calling, as far as the handlers need to know: the tenant every query is scoped to. */
export interface Principal {
  tenant: string;
  via: 'api-key' | 'entra';
}

/** What a route does with the tenant's data: reading answers, or writing it through an ingest. */
export type Access = 'read' | 'ingest';

export type Authenticator = (request: HttpRequest, access?: Access) => Promise<Principal>;

const unauthorized = (message: string) => new ApiError('unauthorized', message);

/** The bearer token, or (api-key mode only) the `x-api-key` header; never both ways at once. */
function credentialOf(request: HttpRequest, allowApiKeyHeader: boolean): string {
  const authorization = request.headers.get('authorization');
  const apiKey = allowApiKeyHeader ? request.headers.get('x-api-key') : null;
  if (authorization !== null && apiKey !== null) {
    throw unauthorized('Send either Authorization or x-api-key, not both');
  }
  if (apiKey !== null) {
    if (apiKey.trim() === '') throw unauthorized('The x-api-key header is empty');
    return apiKey.trim();
  }
  if (authorization === null) {
    throw unauthorized(
      allowApiKeyHeader
        ? 'Missing credentials: send Authorization: Bearer <api key> or x-api-key'
        : 'Missing credentials: send Authorization: Bearer <access token>',
    );
  }
  const match = /^Bearer +(\S+)\s*$/i.exec(authorization);
  if (!match?.[1]) throw unauthorized('The Authorization header must be "Bearer <credential>"');
  return match[1];
}

export function apiKeyAuthenticator(keys: ApiKeyStore): Authenticator {
  return async (request) => {
    const key = credentialOf(request, true);
    const tenant = key.startsWith(API_KEY_PREFIX) ? await keys.apiKeyTenant(hashApiKey(key)) : null;
    if (tenant === null) throw unauthorized('Unknown or revoked API key');
    return { tenant, via: 'api-key' };
  };
}

export interface EntraOptions {
  issuers: string[];
  audience: string;
  tenantClaim: string;
  tenantMap: Record<string, string> | null;
  permissions?: { read: string | null; ingest: string | null };
  /** The signing keys: Entra's remote JWKS in production, a local key set in tests. */
  jwks: JWTVerifyGetKey;
}

/** Why a token was refused, in words a client developer can act on. */
function tokenProblem(error: errors.JOSEError): string {
  if (error instanceof errors.JWTExpired) return 'The access token has expired';
  if (error instanceof errors.JWTClaimValidationFailed)
    return `The access token's ${error.claim} claim is not accepted`;
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey) {
    return 'The access token is not signed by a trusted key';
  }
  return 'The access token is not a valid JWT';
}

/** Delegated scopes (`scp`, space-separated: a user signed in) and app roles (`roles`: a daemon). */
function permissionsOf(payload: JWTPayload): Set<string> {
  const scopes = typeof payload.scp === 'string' ? payload.scp.split(' ').filter(Boolean) : [];
  const roles = Array.isArray(payload.roles) ? payload.roles.filter((r) => typeof r === 'string') : [];
  return new Set([...scopes, ...roles]);
}

export function entraAuthenticator(options: EntraOptions): Authenticator {
  return async (request, access = 'read') => {
    const token = credentialOf(request, false);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, options.jwks, {
        issuer: options.issuers,
        audience: options.audience,
        // Entra signs with RS256; refusing every other algorithm rules out algorithm confusion.
        algorithms: ['RS256'],
        requiredClaims: ['exp'],
        // Entra's guidance: allow a few minutes of clock skew between it and this host.
        clockTolerance: 300,
      }));
    } catch (error) {
      // A JWKS fetch that timed out is our outage, not the caller's mistake: it stays a 500.
      if (error instanceof errors.JOSEError && !(error instanceof errors.JWKSTimeout)) {
        throw unauthorized(tokenProblem(error));
      }
      throw error;
    }
    const claim = payload[options.tenantClaim];
    if (typeof claim !== 'string' || claim === '') {
      throw unauthorized(`The access token has no ${options.tenantClaim} claim`);
    }
    const tenant = options.tenantMap === null ? claim : options.tenantMap[claim];
    if (tenant === undefined) throw new ApiError('forbidden', 'This directory has no Caliper tenant');
    if (!TENANT_ID_RE.test(tenant)) {
      throw new ApiError('forbidden', `The ${options.tenantClaim} claim is not a Caliper tenant id`);
    }
    const needed = options.permissions?.[access] ?? null;
    if (needed !== null && !permissionsOf(payload).has(needed)) {
      throw new ApiError(
        'forbidden',
        `The access token lacks the ${needed} permission (a delegated scope or an app role) needed to ${access === 'read' ? 'read' : 'ingest'}`,
      );
    }
    return { tenant, via: 'entra' };
  };
}

/** The authenticator the configuration asks for; `jwks` replaces Entra's key set in tests. */
export function createAuthenticator(
  config: AuthConfig,
  keys: ApiKeyStore,
  jwks?: JWTVerifyGetKey,
): Authenticator {
  if (config.mode === 'api-key') return apiKeyAuthenticator(keys);
  return entraAuthenticator({
    issuers: config.issuers,
    audience: config.audience,
    tenantClaim: config.tenantClaim,
    tenantMap: config.tenantMap,
    permissions: config.permissions,
    // Fetched on first use and cached by jose, refetched when a token names an unknown key id.
    jwks: jwks ?? createRemoteJWKSet(new URL(config.jwksUri)),
  });
}
