import type { config as MssqlConfig } from 'mssql';
import { z } from 'zod';

/** The environment variable that points the store (and its contract tests) at Azure SQL. */
export const AZURE_SQL_CONNECTION_STRING_ENV = 'CALIPER_AZURE_SQL_CONNECTION_STRING';

/**
 * How the adapter signs in. `sql-login`: a contained user or server login with a password.
 * `entra-default`: DefaultAzureCredential (developer sign-in locally, managed identity in
 * Azure). `entra-managed-identity`: the managed identity of the Function App, the user-assigned
 * one when a client id is given.
 */
export type AzureSqlAuth =
  | { kind: 'sql-login'; user: string; password: string }
  | { kind: 'entra-default'; clientId: string | null }
  | { kind: 'entra-managed-identity'; clientId: string | null };

export interface AzureSqlConfig {
  server: string;
  port: number;
  database: string;
  auth: AzureSqlAuth;
  /** Only for a local SQL Server container with a self-signed certificate; never for Azure. */
  trustServerCertificate: boolean;
  connectTimeoutMs: number;
}

export class AzureSqlConfigError extends Error {
  constructor(message: string) {
    super(`${AZURE_SQL_CONNECTION_STRING_ENV}: ${message}`);
    this.name = 'AzureSqlConfigError';
  }
}

/** ADO.NET key synonyms, lower-cased without spaces, mapped to the one name used here. */
const KEY_SYNONYMS: Record<string, string> = {
  server: 'server',
  datasource: 'server',
  address: 'server',
  addr: 'server',
  networkaddress: 'server',
  database: 'database',
  initialcatalog: 'database',
  userid: 'user',
  uid: 'user',
  user: 'user',
  username: 'user',
  password: 'password',
  pwd: 'password',
  authentication: 'authentication',
  encrypt: 'encrypt',
  trustservercertificate: 'trustServerCertificate',
  connecttimeout: 'connectTimeout',
  connectiontimeout: 'connectTimeout',
  timeout: 'connectTimeout',
  // Accepted and ignored: the pool and the driver decide these.
  persistsecurityinfo: 'ignored',
  multipleactiveresultsets: 'ignored',
  applicationname: 'ignored',
  pooling: 'ignored',
};

const AUTH_MODES: Record<string, AzureSqlAuth['kind']> = {
  sqlpassword: 'sql-login',
  activedirectorydefault: 'entra-default',
  activedirectorymanagedidentity: 'entra-managed-identity',
  activedirectorymsi: 'entra-managed-identity',
};

const AUTH_NAMES = 'Sql Password, Active Directory Default, Active Directory Managed Identity';

/**
 * Splits `key=value;key=value` into pairs. A value may be quoted with "…", '…' or {…} to hold
 * `;` or `=` (a password often does); a doubled quote inside stands for one.
 */
function splitPairs(text: string): [string, string][] {
  const pairs: [string, string][] = [];
  let i = 0;
  while (i < text.length) {
    const eq = text.indexOf('=', i);
    const semi = text.indexOf(';', i);
    if (eq === -1 || (semi !== -1 && semi < eq)) {
      const piece = text.slice(i, semi === -1 ? text.length : semi).trim();
      if (piece !== '') throw new AzureSqlConfigError(`"${piece.slice(0, 40)}" is not a key=value pair`);
      i = semi === -1 ? text.length : semi + 1;
      continue;
    }
    const key = text.slice(i, eq).trim();
    let j = eq + 1;
    while (text[j] === ' ') j += 1;
    const open = text[j];
    const close = open === '{' ? '}' : open;
    let value: string;
    if (open === '"' || open === "'" || open === '{') {
      value = '';
      j += 1;
      for (;;) {
        if (j >= text.length) throw new AzureSqlConfigError(`the value of ${key} has no closing ${close}`);
        if (text[j] === close) {
          if (text[j + 1] === close) {
            value += close;
            j += 2;
            continue;
          }
          j += 1;
          break;
        }
        value += text[j];
        j += 1;
      }
      const rest = text.indexOf(';', j);
      const trailing = text.slice(j, rest === -1 ? text.length : rest).trim();
      if (trailing !== '') throw new AzureSqlConfigError(`unexpected text after the quoted value of ${key}`);
      i = rest === -1 ? text.length : rest + 1;
    } else {
      const end = text.indexOf(';', j);
      value = text.slice(j, end === -1 ? text.length : end).trim();
      i = end === -1 ? text.length : end + 1;
    }
    pairs.push([key, value]);
  }
  return pairs;
}

const yesNo = (key: string) =>
  z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined) return undefined;
      const lower = text.toLowerCase();
      if (['true', 'yes', 'mandatory', 'strict'].includes(lower)) return true;
      if (['false', 'no', 'optional'].includes(lower)) return false;
      ctx.addIssue({ code: 'custom', message: `${key} must be true or false` });
      return z.NEVER;
    });

const fieldsSchema = z.object({
  server: z.string({ error: 'Server is missing' }).min(1, 'Server is empty'),
  database: z.string({ error: 'Database (or Initial Catalog) is missing' }).min(1, 'Database is empty'),
  user: z.string().min(1, 'User Id is empty').optional(),
  // The message never repeats the value: this is the password.
  password: z.string().optional(),
  authentication: z.string().optional(),
  encrypt: yesNo('Encrypt'),
  trustServerCertificate: yesNo('TrustServerCertificate'),
  connectTimeout: z
    .string()
    .regex(/^\d{1,4}$/, 'Connect Timeout must be a whole number of seconds')
    .optional(),
});

/** `tcp:name.database.windows.net,1433` → host and port (1433 when not given). */
function parseServer(text: string): { server: string; port: number } {
  const withoutProtocol = text.replace(/^tcp:/i, '');
  const [host = '', portText] = withoutProtocol.split(',').map((p) => p.trim());
  if (host === '' || /[\s;\\]/.test(host)) {
    throw new AzureSqlConfigError(`Server must be a host name, optionally tcp:host,port`);
  }
  if (portText === undefined) return { server: host, port: 1433 };
  const port = Number(portText);
  if (!/^\d{1,5}$/.test(portText) || port < 1 || port > 65535) {
    throw new AzureSqlConfigError(`Server has a port that is not a number from 1 to 65535`);
  }
  return { server: host, port };
}

function parseAuth(fields: z.infer<typeof fieldsSchema>): AzureSqlAuth {
  const mode = fields.authentication ?? 'Sql Password';
  const kind = AUTH_MODES[mode.toLowerCase().replace(/[\s_-]/g, '')];
  if (kind === undefined) {
    throw new AzureSqlConfigError(
      `Authentication "${mode.slice(0, 60)}" is not supported (use one of: ${AUTH_NAMES})`,
    );
  }
  if (kind === 'sql-login') {
    if (fields.user === undefined)
      throw new AzureSqlConfigError('User Id is missing (needed for a SQL login)');
    if (fields.password === undefined || fields.password === '') {
      throw new AzureSqlConfigError('Password is missing (needed for a SQL login)');
    }
    return { kind, user: fields.user, password: fields.password };
  }
  if (fields.password !== undefined) {
    // A password next to Entra authentication is a mistake that would otherwise go unnoticed.
    throw new AzureSqlConfigError(`Password must not be set with Authentication=${mode}`);
  }
  // With Entra authentication, User Id names the client id of a user-assigned managed identity.
  return { kind, clientId: fields.user ?? null };
}

/** Parses an ADO.NET-style connection string as the Azure portal shows it. */
export function parseAzureSqlConnectionString(text: string): AzureSqlConfig {
  const raw: Record<string, string> = {};
  for (const [key, value] of splitPairs(text)) {
    const name = KEY_SYNONYMS[key.toLowerCase().replace(/\s/g, '')];
    if (name === undefined) throw new AzureSqlConfigError(`unknown key "${key.slice(0, 40)}"`);
    if (name === 'ignored') continue;
    if (name in raw) throw new AzureSqlConfigError(`${key} is given twice`);
    raw[name] = value;
  }
  const parsed = fieldsSchema.safeParse(raw);
  if (!parsed.success) {
    throw new AzureSqlConfigError(parsed.error.issues.map((issue) => issue.message).join('; '));
  }
  const fields = parsed.data;
  if (fields.encrypt === false) {
    throw new AzureSqlConfigError('Encrypt=false is not allowed: Azure SQL connections are always encrypted');
  }
  return {
    ...parseServer(fields.server),
    database: fields.database,
    auth: parseAuth(fields),
    trustServerCertificate: fields.trustServerCertificate ?? false,
    connectTimeoutMs: Number(fields.connectTimeout ?? '30') * 1000,
  };
}

/** The mssql (tedious) pool configuration for a parsed connection string. */
export function toMssqlConfig(config: AzureSqlConfig): MssqlConfig {
  const authentication: NonNullable<MssqlConfig['authentication']> =
    config.auth.kind === 'sql-login'
      ? { type: 'default', options: { userName: config.auth.user, password: config.auth.password } }
      : config.auth.kind === 'entra-default'
        ? {
            type: 'azure-active-directory-default',
            options: config.auth.clientId === null ? {} : { clientId: config.auth.clientId },
          }
        : {
            type: 'azure-active-directory-msi-app-service',
            options: config.auth.clientId === null ? {} : { clientId: config.auth.clientId },
          };
  return {
    server: config.server,
    port: config.port,
    database: config.database,
    authentication,
    connectionTimeout: config.connectTimeoutMs,
    // Ingest batches and aggregate refreshes of a large tenant take longer than the 15 s default.
    requestTimeout: 300_000,
    pool: { min: 0, max: 10, idleTimeoutMillis: 30_000 },
    options: {
      encrypt: true,
      trustServerCertificate: config.trustServerCertificate,
      // Any failed statement rolls the whole ingest back on the server (SET XACT_ABORT ON).
      abortTransactionOnError: true,
      appName: 'caliper',
    },
  };
}

/** What may be logged about a configuration: where and how, never the password. */
export function describeAzureSqlConfig(config: AzureSqlConfig): string {
  const who =
    config.auth.kind === 'sql-login'
      ? `SQL login ${config.auth.user}`
      : `${config.auth.kind}${config.auth.clientId === null ? '' : ` (client id ${config.auth.clientId})`}`;
  return `${config.server},${config.port}/${config.database} as ${who}`;
}
