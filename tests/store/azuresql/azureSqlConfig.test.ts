import {
  describeAzureSqlConfig,
  parseAzureSqlConnectionString,
  toMssqlConfig,
} from '../../../store/azuresql/azureSqlConfig';

const SERVER = 'Server=tcp:caliper-prod.database.windows.net,1433;Database=caliper';

describe('Azure SQL connection strings', () => {
  it('reads a SQL login as the Azure portal shows it and signs in with tedious default authentication', () => {
    const config = parseAzureSqlConnectionString(
      'Server=tcp:caliper-prod.database.windows.net,1433;Initial Catalog=caliper;Persist Security Info=False;' +
        'User ID=caliper_app;Password=s3cret!;MultipleActiveResultSets=False;Encrypt=True;' +
        'TrustServerCertificate=False;Connection Timeout=30;',
    );
    expect(config).toEqual({
      server: 'caliper-prod.database.windows.net',
      port: 1433,
      database: 'caliper',
      auth: { kind: 'sql-login', user: 'caliper_app', password: 's3cret!' },
      trustServerCertificate: false,
      connectTimeoutMs: 30000,
    });
    const mssql = toMssqlConfig(config);
    expect(mssql).toMatchObject({
      server: 'caliper-prod.database.windows.net',
      port: 1433,
      database: 'caliper',
      authentication: { type: 'default', options: { userName: 'caliper_app', password: 's3cret!' } },
      options: { encrypt: true, trustServerCertificate: false },
    });
  });

  it('keeps ; = and quotes inside a quoted password', () => {
    const braces = parseAzureSqlConnectionString(`${SERVER};User Id=app;Password={a;b=c}}d}`);
    expect(braces.auth).toEqual({ kind: 'sql-login', user: 'app', password: 'a;b=c}d' });
    const quotes = parseAzureSqlConnectionString(`${SERVER};User Id=app;Password="x;""y"""`);
    expect(quotes.auth).toEqual({ kind: 'sql-login', user: 'app', password: 'x;"y"' });
  });

  it('uses DefaultAzureCredential for Active Directory Default, with an optional client id', () => {
    const plain = parseAzureSqlConnectionString(`${SERVER};Authentication=Active Directory Default`);
    expect(plain.auth).toEqual({ kind: 'entra-default', clientId: null });
    expect(toMssqlConfig(plain).authentication).toEqual({
      type: 'azure-active-directory-default',
      options: {},
    });

    const withClient = parseAzureSqlConnectionString(
      `${SERVER};Authentication="Active Directory Default";User Id=11111111-2222-3333-4444-555555555555`,
    );
    expect(toMssqlConfig(withClient).authentication).toEqual({
      type: 'azure-active-directory-default',
      options: { clientId: '11111111-2222-3333-4444-555555555555' },
    });
  });

  it('uses the managed identity (system- or user-assigned) for Active Directory Managed Identity', () => {
    const system = parseAzureSqlConnectionString(
      `${SERVER};Authentication=Active Directory Managed Identity`,
    );
    expect(toMssqlConfig(system).authentication).toEqual({
      type: 'azure-active-directory-msi-app-service',
      options: {},
    });
    const user = parseAzureSqlConnectionString(
      `${SERVER};Authentication=ActiveDirectoryMSI;User Id=aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee`,
    );
    expect(user.auth).toEqual({
      kind: 'entra-managed-identity',
      clientId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
    });
    expect(toMssqlConfig(user).authentication).toEqual({
      type: 'azure-active-directory-msi-app-service',
      options: { clientId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee' },
    });
  });

  it('defaults the port to 1433, accepts Data Source and a local container certificate', () => {
    const config = parseAzureSqlConnectionString(
      'Data Source=localhost;Database=caliper;UID=sa;PWD=Passw0rd!;TrustServerCertificate=true',
    );
    expect(config).toMatchObject({ server: 'localhost', port: 1433, trustServerCertificate: true });
    expect(toMssqlConfig(config).options).toMatchObject({ encrypt: true, trustServerCertificate: true });
  });

  it.each([
    ['Database=caliper;User Id=a;Password=b', /Server is missing/],
    ['Server=tcp:x.database.windows.net', /Database \(or Initial Catalog\) is missing/],
    [`${SERVER};Password=b`, /User Id is missing/],
    [`${SERVER};User Id=a`, /Password is missing/],
    [`${SERVER};User Id=a;Password=b;Encrypt=false`, /Encrypt=false is not allowed/],
    [`${SERVER};User Id=a;Password=b;Encrypt=maybe`, /Encrypt must be true or false/],
    [
      `${SERVER};Authentication=Active Directory Interactive`,
      /Authentication "Active Directory Interactive" is not supported/,
    ],
    [`${SERVER};Authentication=Active Directory Default;Password=b`, /Password must not be set/],
    [`${SERVER};Colour=blue`, /unknown key "Colour"/],
    [`${SERVER};Database=other`, /Database is given twice/],
    ['Server=tcp:x.database.windows.net,99999;Database=c;User Id=a;Password=b', /Server has a port/],
    [`${SERVER};User Id=a;Password={never closed`, /the value of Password has no closing }/],
    [`${SERVER};just words`, /"just words" is not a key=value pair/],
    [`${SERVER};User Id=a;Password=b;Connect Timeout=soon`, /Connect Timeout must be a whole number/],
  ])('rejects %s with an error naming the key', (text, message) => {
    expect(() => parseAzureSqlConnectionString(text)).toThrow(message);
    expect(() => parseAzureSqlConnectionString(text)).toThrow(/^CALIPER_AZURE_SQL_CONNECTION_STRING: /);
  });

  it('never puts the password in an error or in the description meant for logs', () => {
    const secret = 'Hunter2-very-secret';
    for (const text of [
      `${SERVER};User Id=a;Password=${secret};Encrypt=false`,
      `${SERVER};User Id=a;Password=${secret};Colour=blue`,
      `${SERVER};Authentication=Active Directory Default;Password=${secret}`,
      `Server=tcp:x.database.windows.net,0;Database=c;User Id=a;Password=${secret}`,
    ]) {
      expect(() => parseAzureSqlConnectionString(text)).toThrow();
      try {
        parseAzureSqlConnectionString(text);
      } catch (error) {
        expect(String(error)).not.toContain(secret);
      }
    }
    const config = parseAzureSqlConnectionString(`${SERVER};User Id=app;Password=${secret}`);
    expect(describeAzureSqlConfig(config)).toBe(
      'caliper-prod.database.windows.net,1433/caliper as SQL login app',
    );
    expect(describeAzureSqlConfig(config)).not.toContain(secret);
  });
});
