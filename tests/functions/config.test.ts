import path from 'node:path';

import { DEFAULT_INGEST_LIMITS, readFunctionsConfig } from '../../functions/config';

const ENTRA = {
  CALIPER_AUTH_MODE: 'entra',
  CALIPER_ENTRA_ISSUER:
    'https://login.microsoftonline.com/dir-a/v2.0, https://login.microsoftonline.com/dir-b/v2.0',
  CALIPER_ENTRA_AUDIENCE: 'api://caliper',
  CALIPER_ENTRA_JWKS_URI: 'https://login.microsoftonline.com/common/discovery/v2.0/keys',
};

describe('readFunctionsConfig', () => {
  it('defaults to the embedded store and API-key authentication', () => {
    expect(readFunctionsConfig({})).toEqual({
      storeFile: path.join('.caliper', 'caliper.db'),
      auth: { mode: 'api-key' },
      ingestMaxBytes: 200 * 1024 * 1024,
      ingestLimits: DEFAULT_INGEST_LIMITS,
      refresh: 'inline',
    });
  });

  it('fans the refresh out by queue only when CALIPER_REFRESH_MODE says so', () => {
    expect(readFunctionsConfig({ CALIPER_REFRESH_MODE: 'queue' }).refresh).toBe('queue');
    expect(() => readFunctionsConfig({ CALIPER_REFRESH_MODE: 'later' })).toThrow(/CALIPER_REFRESH_MODE/);
  });

  it('takes the ingest upload limit in megabytes from CALIPER_INGEST_MAX_MB', () => {
    expect(readFunctionsConfig({ CALIPER_INGEST_MAX_MB: '0.5' }).ingestMaxBytes).toBe(512 * 1024);
    expect(() => readFunctionsConfig({ CALIPER_INGEST_MAX_MB: 'lots' })).toThrow(/CALIPER_INGEST_MAX_MB/);
  });

  it('takes the ingest time limit, wait bound and per-tenant line from the environment', () => {
    expect(
      readFunctionsConfig({
        CALIPER_INGEST_TIMEOUT_S: '120',
        CALIPER_INGEST_MAX_WAIT_S: '2.5',
        CALIPER_INGEST_QUEUE: '0',
      }).ingestLimits,
    ).toEqual({ timeoutMs: 120_000, maxWaitMs: 2500, queuedPerTenant: 0 });
    expect(() => readFunctionsConfig({ CALIPER_INGEST_QUEUE: '1.5' })).toThrow(/CALIPER_INGEST_QUEUE/);
    expect(() => readFunctionsConfig({ CALIPER_INGEST_TIMEOUT_S: '0' })).toThrow(/CALIPER_INGEST_TIMEOUT_S/);
  });

  it('takes the store from the environment and ignores CALIPER_TENANT, which only the CLI uses', () => {
    expect(readFunctionsConfig({ CALIPER_STORE: '/data/c.db', CALIPER_TENANT: 'acme' })).toEqual({
      storeFile: '/data/c.db',
      auth: { mode: 'api-key' },
      ingestMaxBytes: 200 * 1024 * 1024,
      ingestLimits: DEFAULT_INGEST_LIMITS,
      refresh: 'inline',
    });
  });

  it('reads the Entra settings with tid as the default tenant claim and no mapping', () => {
    expect(readFunctionsConfig(ENTRA).auth).toEqual({
      mode: 'entra',
      issuers: [
        'https://login.microsoftonline.com/dir-a/v2.0',
        'https://login.microsoftonline.com/dir-b/v2.0',
      ],
      audience: 'api://caliper',
      jwksUri: 'https://login.microsoftonline.com/common/discovery/v2.0/keys',
      tenantClaim: 'tid',
      tenantMap: null,
      permissions: { read: null, ingest: null },
    });
  });

  it('reads the scope or app role each kind of access needs', () => {
    const auth = readFunctionsConfig({
      ...ENTRA,
      CALIPER_ENTRA_READ_PERMISSION: 'Caliper.Read',
      CALIPER_ENTRA_INGEST_PERMISSION: 'Caliper.Ingest',
    }).auth;
    expect(auth.mode === 'entra' && auth.permissions).toEqual({
      read: 'Caliper.Read',
      ingest: 'Caliper.Ingest',
    });
  });

  it('reads a tenant claim and a JSON tenant map', () => {
    const auth = readFunctionsConfig({
      ...ENTRA,
      CALIPER_TENANT_CLAIM: 'caliper_tenant',
      CALIPER_TENANT_MAP: '{"dir-a": "acme"}',
    }).auth;
    expect(auth).toMatchObject({ tenantClaim: 'caliper_tenant', tenantMap: { 'dir-a': 'acme' } });
  });

  it('refuses entra mode without its issuer, audience and key set', () => {
    expect(() => readFunctionsConfig({ CALIPER_AUTH_MODE: 'entra' })).toThrow(
      /CALIPER_ENTRA_ISSUER.*CALIPER_ENTRA_AUDIENCE.*CALIPER_ENTRA_JWKS_URI/,
    );
  });

  it('refuses an unknown mode, a bad key set URL and a map that is not tenant ids', () => {
    expect(() => readFunctionsConfig({ CALIPER_AUTH_MODE: 'none' })).toThrow(/CALIPER_AUTH_MODE/);
    expect(() => readFunctionsConfig({ ...ENTRA, CALIPER_ENTRA_JWKS_URI: 'keys.json' })).toThrow(
      /CALIPER_ENTRA_JWKS_URI/,
    );
    expect(() => readFunctionsConfig({ ...ENTRA, CALIPER_TENANT_MAP: '{"dir-a": "../etc"}' })).toThrow(
      /CALIPER_TENANT_MAP/,
    );
    expect(() => readFunctionsConfig({ ...ENTRA, CALIPER_TENANT_MAP: 'dir-a=acme' })).toThrow(/JSON object/);
  });
});
