import path from 'node:path';

import { readFunctionsConfig } from '../../functions/config';

describe('readFunctionsConfig', () => {
  it('defaults to the embedded store and the default tenant', () => {
    expect(readFunctionsConfig({})).toEqual({
      storeFile: path.join('.caliper', 'caliper.db'),
      defaultTenant: 'default',
    });
  });

  it('takes the store and tenant from the environment', () => {
    expect(readFunctionsConfig({ CALIPER_STORE: '/data/c.db', CALIPER_TENANT: 'acme' })).toEqual({
      storeFile: '/data/c.db',
      defaultTenant: 'acme',
    });
  });

  it('refuses a tenant that is not a tenant id', () => {
    expect(() => readFunctionsConfig({ CALIPER_TENANT: '../etc' })).toThrow(/CALIPER_TENANT/);
  });
});
