import { type ConnectionPool, ISOLATION_LEVEL, Transaction } from 'mssql';

import type { AnyFileSpec } from '../../shared/model/canonicalBundle';
import { type CellKind, PERSONAL_KINDS } from '../../shared/model/cellTypes';
import { allEntitySpecs, type StoredColumn, storedColumnsOf } from '../../shared/store/storedColumns';
import { BIN2, col } from '../sql/sqlValues';
import { execute, queryRows, rollbackQuietly, takeAppLock } from './azureSqlQuery';

/**
 * The T-SQL twin of store/sqlite/migrations.ts: same versions, same tables, same columns, so
 * both stores hand the shared code identical values. Each migration runs in one transaction
 * and is recorded in schema_migrations, so a database is brought forward and never rebuilt.
 */
export interface AzureSqlMigration {
  version: number;
  name: string;
  /** Statements run in order, one batch each, so an error names the statement that failed. */
  statements: () => string[];
}

/**
 * Every text column gets BIN2 (binary collation): SQLite compares text byte by byte, while an
 * Azure SQL database defaults to a case-insensitive collation that would merge ids like `a1`
 * and `A1` and break the natural keys.
 */
const BIN = BIN2;

/** Tenant ids are short (io/tenantSecrets TENANT_ID_RE: 1–63 characters). */
const TENANT = `NVARCHAR(64) ${BIN}`;

/** Ids are at most 200 characters (cellTypes parseId), so they fit an index key. */
const ID_LENGTH = 200;

/**
 * Free text inside a natural key (marketing_spend.channel) must be bounded to be indexed: a
 * nonclustered index key is at most 1700 bytes, and tenant + location + channel + date stay
 * under that with 400 characters of channel.
 */
const KEY_TEXT_LENGTH = 400;

function textLengthOf(kind: CellKind | null, inKey: boolean): string {
  if (kind === 'id') return String(ID_LENGTH);
  if (kind === 'date' || kind === 'date_or_month') return '10';
  if (kind === 'time') return '8';
  // `YYYY-MM-DDTHH:MM:SS+HH:MM` is 25 characters.
  if (kind === 'datetime') return '25';
  if (kind === 'enum') return '40';
  if (kind === 'timezone') return '64';
  // Keyed hashes of personal values (hex or base64 digests).
  if (kind !== null && PERSONAL_KINDS.has(kind)) return '128';
  if (inKey) return String(KEY_TEXT_LENGTH);
  return 'MAX';
}

/**
 * The T-SQL type of a stored column. Dates and times stay text in the same forms SQLite keeps
 * (`YYYY-MM-DD`, `HH:MM:SS`, `YYYY-MM` months), so comparisons and the values read back are
 * identical in both stores. Money and counts are BIGINT (tedious returns BIGINT as a string,
 * which the adapter turns back into a number); hours are FLOAT like SQLite's REAL.
 */
export function tsqlTypeOf(spec: AnyFileSpec, column: StoredColumn): string {
  if (column.type === 'INTEGER') return 'BIGINT';
  if (column.type === 'REAL') return 'FLOAT';
  const kind = column.source === null ? null : (spec.columns[column.source]?.kind ?? null);
  // The derived person key is a hash or `id:<patient id>`.
  const length =
    column.source === null ? String(ID_LENGTH + 8) : textLengthOf(kind, isKeyColumn(spec, column));
  return `NVARCHAR(${length}) ${BIN}`;
}

function isKeyColumn(spec: AnyFileSpec, column: StoredColumn): boolean {
  return spec.naturalKey.includes(column.name);
}

/** The columns read back as numbers although tedious hands BIGINT over as strings. */
export function bigintColumnsOf(spec: AnyFileSpec): string[] {
  return storedColumnsOf(spec)
    .filter((c) => c.type === 'INTEGER')
    .map((c) => c.name);
}

/**
 * Every fact table keeps history: a corrected row closes the current version
 * (`valid_to_ingest`) and adds a new one. The filtered unique index (T-SQL's partial index)
 * allows one current row per natural key per tenant.
 */
function factTableStatements(): string[] {
  return allEntitySpecs().flatMap((spec) => {
    const columns = storedColumnsOf(spec)
      .map((c) => `  ${col(c.name)} ${tsqlTypeOf(spec, c)}`)
      .join(',\n');
    const key = spec.naturalKey.map(col).join(', ');
    const hasLocation = 'location_id' in spec.columns;
    return [
      `CREATE TABLE ${spec.entity} (
  row_id BIGINT IDENTITY(1,1) NOT NULL CONSTRAINT ${spec.entity}_pk PRIMARY KEY,
  tenant_id ${TENANT} NOT NULL,
${columns},
  extra_json NVARCHAR(MAX) ${BIN},
  row_hash NVARCHAR(128) ${BIN} NOT NULL,
  source_file_id BIGINT NOT NULL REFERENCES source_files(source_file_id),
  source_row BIGINT NOT NULL,
  valid_from_ingest BIGINT NOT NULL REFERENCES ingests(ingest_id),
  valid_to_ingest BIGINT REFERENCES ingests(ingest_id)
)`,
      `CREATE UNIQUE INDEX ${spec.entity}_current ON ${spec.entity} (tenant_id, ${key}) WHERE valid_to_ingest IS NULL`,
      ...(hasLocation
        ? [
            `CREATE INDEX ${spec.entity}_by_location ON ${spec.entity} (tenant_id, location_id) WHERE valid_to_ingest IS NULL`,
          ]
        : []),
    ];
  });
}

export const AZURE_SQL_MIGRATIONS: readonly AzureSqlMigration[] = [
  {
    version: 1,
    name: 'ingest log, source files, data-quality issues and the canonical fact tables',
    statements: () => [
      `CREATE TABLE ingests (
  ingest_id BIGINT IDENTITY(1,1) NOT NULL CONSTRAINT ingests_pk PRIMARY KEY,
  tenant_id ${TENANT} NOT NULL,
  label NVARCHAR(MAX) ${BIN} NOT NULL,
  started_at NVARCHAR(30) ${BIN} NOT NULL,
  finished_at NVARCHAR(30) ${BIN},
  report_json NVARCHAR(MAX) ${BIN}
)`,
      'CREATE INDEX ingests_by_tenant ON ingests (tenant_id)',
      `CREATE TABLE source_files (
  source_file_id BIGINT IDENTITY(1,1) NOT NULL CONSTRAINT source_files_pk PRIMARY KEY,
  tenant_id ${TENANT} NOT NULL,
  ingest_id BIGINT NOT NULL REFERENCES ingests(ingest_id),
  path NVARCHAR(MAX) ${BIN} NOT NULL,
  name NVARCHAR(MAX) ${BIN} NOT NULL,
  entity NVARCHAR(64) ${BIN},
  bytes BIGINT NOT NULL,
  sha256 NVARCHAR(64) ${BIN},
  rows_read BIGINT,
  rows_accepted BIGINT,
  rows_rejected BIGINT
)`,
      // "row" is not reserved in T-SQL, but bracketing it keeps the column name unmistakable.
      `CREATE TABLE data_quality_issues (
  issue_id BIGINT IDENTITY(1,1) NOT NULL CONSTRAINT data_quality_issues_pk PRIMARY KEY,
  tenant_id ${TENANT} NOT NULL,
  ingest_id BIGINT NOT NULL REFERENCES ingests(ingest_id),
  [file] NVARCHAR(MAX) ${BIN} NOT NULL,
  [row] BIGINT,
  column_name NVARCHAR(MAX) ${BIN},
  code NVARCHAR(64) ${BIN} NOT NULL,
  severity NVARCHAR(16) ${BIN} NOT NULL,
  message NVARCHAR(MAX) ${BIN} NOT NULL
)`,
      'CREATE INDEX data_quality_issues_by_ingest ON data_quality_issues (tenant_id, ingest_id)',
      ...factTableStatements(),
    ],
  },
  {
    version: 2,
    name: 'aggregates: daily additive measures, patient events and revenue, dirty locations',
    // A clustered key is limited to 900 bytes, which these primary keys can exceed (ids run to
    // 200 characters); they stay nonclustered and the rows cluster by location, the unit that
    // a refresh deletes and rewrites.
    statements: () => [
      `CREATE TABLE agg_daily (
  tenant_id ${TENANT} NOT NULL,
  location_id NVARCHAR(${ID_LENGTH}) ${BIN} NOT NULL,
  provider_id NVARCHAR(${ID_LENGTH}) ${BIN} NOT NULL,
  measure NVARCHAR(64) ${BIN} NOT NULL,
  day NVARCHAR(10) ${BIN} NOT NULL,
  value FLOAT NOT NULL,
  CONSTRAINT agg_daily_pk PRIMARY KEY NONCLUSTERED (tenant_id, location_id, provider_id, measure, day)
)`,
      `CREATE CLUSTERED INDEX agg_daily_by_location ON agg_daily (tenant_id, location_id)`,
      `CREATE TABLE patient_events (
  tenant_id ${TENANT} NOT NULL,
  location_id NVARCHAR(${ID_LENGTH}) ${BIN} NOT NULL,
  appointment_id NVARCHAR(${ID_LENGTH}) ${BIN} NOT NULL,
  person_key NVARCHAR(${ID_LENGTH + 8}) ${BIN} NOT NULL,
  patient_id NVARCHAR(${ID_LENGTH}) ${BIN} NOT NULL,
  provider_id NVARCHAR(${ID_LENGTH}) ${BIN},
  category NVARCHAR(40) ${BIN},
  status NVARCHAR(40) ${BIN} NOT NULL,
  start_at NVARCHAR(25) ${BIN} NOT NULL,
  booked_on NVARCHAR(10) ${BIN},
  duration_min BIGINT NOT NULL,
  CONSTRAINT patient_events_pk PRIMARY KEY NONCLUSTERED (tenant_id, location_id, appointment_id)
)`,
      `CREATE CLUSTERED INDEX patient_events_by_location ON patient_events (tenant_id, location_id)`,
      `CREATE TABLE patient_revenue (
  tenant_id ${TENANT} NOT NULL,
  location_id NVARCHAR(${ID_LENGTH}) ${BIN} NOT NULL,
  person_key NVARCHAR(${ID_LENGTH + 8}) ${BIN} NOT NULL,
  day NVARCHAR(10) ${BIN} NOT NULL,
  net_cents BIGINT NOT NULL,
  CONSTRAINT patient_revenue_pk PRIMARY KEY NONCLUSTERED (tenant_id, location_id, person_key, day)
)`,
      `CREATE CLUSTERED INDEX patient_revenue_by_location ON patient_revenue (tenant_id, location_id)`,
      // Locations whose aggregates are stale: filled in the same transaction as the ingest that
      // changed their facts, emptied by the refresh that recomputes them.
      `CREATE TABLE agg_dirty (
  tenant_id ${TENANT} NOT NULL,
  location_id NVARCHAR(${ID_LENGTH}) ${BIN} NOT NULL,
  CONSTRAINT agg_dirty_pk PRIMARY KEY (tenant_id, location_id)
)`,
    ],
  },
  {
    version: 3,
    name: 'indexes for patient and provider look-ups of the refresh step',
    statements: () => [
      'CREATE INDEX appointments_by_patient ON appointments (tenant_id, patient_id) WHERE valid_to_ingest IS NULL',
      'CREATE INDEX sales_by_patient ON sales (tenant_id, patient_id) WHERE valid_to_ingest IS NULL',
      'CREATE INDEX sales_by_provider ON sales (tenant_id, provider_id) WHERE valid_to_ingest IS NULL',
      'CREATE INDEX providers_by_payroll_id ON providers (tenant_id, payroll_employee_id) WHERE valid_to_ingest IS NULL',
      'CREATE INDEX payroll_by_employee ON payroll (tenant_id, payroll_employee_id) WHERE valid_to_ingest IS NULL',
    ],
  },
  {
    version: 4,
    name: 'API keys, stored as SHA-256 hashes only',
    // Revoked keys are kept (revoked_at set) so `keys list` can still say who had access.
    statements: () => [
      `CREATE TABLE api_keys (
  key_id BIGINT IDENTITY(1,1) NOT NULL CONSTRAINT api_keys_pk PRIMARY KEY,
  tenant_id ${TENANT} NOT NULL,
  prefix NVARCHAR(64) ${BIN} NOT NULL CONSTRAINT api_keys_prefix_unique UNIQUE,
  key_hash NVARCHAR(64) ${BIN} NOT NULL CONSTRAINT api_keys_hash_unique UNIQUE,
  label NVARCHAR(MAX) ${BIN},
  created_at NVARCHAR(30) ${BIN} NOT NULL,
  revoked_at NVARCHAR(30) ${BIN}
)`,
    ],
  },
  {
    version: 5,
    name: 'location aliases: other names and vendor ids of a location',
    // Keyed by the normalized alias, so one name never points at two locations of a tenant.
    statements: () => [
      `CREATE TABLE location_aliases (
  tenant_id ${TENANT} NOT NULL,
  alias_key NVARCHAR(300) ${BIN} NOT NULL,
  alias NVARCHAR(400) ${BIN} NOT NULL,
  location_id NVARCHAR(400) ${BIN} NOT NULL,
  created_at NVARCHAR(30) ${BIN} NOT NULL,
  CONSTRAINT location_aliases_pk PRIMARY KEY (tenant_id, alias_key)
)`,
    ],
  },
  {
    version: 6,
    name: 'action states: snoozed or done actions of the front desk and the owner',
    // Keyed by the SHA-256 of the action id: an id can be long, and Azure SQL bounds key bytes.
    statements: () => [
      `CREATE TABLE action_states (
  tenant_id ${TENANT} NOT NULL,
  action_key NVARCHAR(64) ${BIN} NOT NULL,
  action_id NVARCHAR(MAX) ${BIN} NOT NULL,
  status NVARCHAR(10) ${BIN} NOT NULL CONSTRAINT action_states_status CHECK (status IN (N'snoozed', N'done')),
  snoozed_until NVARCHAR(10) ${BIN},
  updated_at NVARCHAR(30) ${BIN} NOT NULL,
  CONSTRAINT action_states_pk PRIMARY KEY (tenant_id, action_key)
)`,
    ],
  },
  {
    version: 7,
    name: 'daily briefings: the portfolio briefing the timer writes each morning',
    // One per tenant and day: the timer running twice on a day replaces its own briefing.
    statements: () => [
      `CREATE TABLE briefings (
  tenant_id ${TENANT} NOT NULL,
  briefing_date NVARCHAR(10) ${BIN} NOT NULL,
  body_json NVARCHAR(MAX) ${BIN} NOT NULL,
  created_at NVARCHAR(30) ${BIN} NOT NULL,
  CONSTRAINT briefings_pk PRIMARY KEY (tenant_id, briefing_date)
)`,
    ],
  },
  {
    version: 8,
    name: 'exact compensation: every location refreshed once, so its aggregates carry pay as exact fractions',
    // As SQLite's migration 8: aggregates written before exact pay are recomputed at the next query.
    statements: () => [
      `INSERT INTO agg_dirty (tenant_id, location_id)
SELECT DISTINCT d.tenant_id, d.location_id FROM agg_daily d
WHERE NOT EXISTS (SELECT 1 FROM agg_dirty x WHERE x.tenant_id = d.tenant_id AND x.location_id = d.location_id)`,
    ],
  },
  {
    version: 9,
    name: 'closed rows by the ingest that closed them, for marking what an ingest changed',
    // As SQLite's: filtered to superseded and retired rows, so bulk inserts never maintain it.
    statements: () =>
      allEntitySpecs().map(
        (spec) =>
          `CREATE INDEX ${spec.entity}_closed ON ${spec.entity} (valid_to_ingest) WHERE valid_to_ingest IS NOT NULL`,
      ),
  },
  {
    version: 10,
    name: 'dirty marks say from which day a location changed, so a refresh recomputes only those days',
    // Kept NULL here (every day) until this store refreshes by day too; the column keeps the schemas one.
    statements: () => [`ALTER TABLE agg_dirty ADD from_day NVARCHAR(10) ${BIN} NULL`],
  },
  {
    version: 11,
    name: 'aggregates as one value per location, written by the refresh: every location refreshed once',
    // As SQLite's migration 11: the marks first, from the table about to go.
    statements: () => [
      `UPDATE agg_dirty SET from_day = NULL`,
      `INSERT INTO agg_dirty (tenant_id, location_id)
SELECT DISTINCT d.tenant_id, d.location_id FROM agg_daily d
WHERE NOT EXISTS (SELECT 1 FROM agg_dirty x WHERE x.tenant_id = d.tenant_id AND x.location_id = d.location_id)`,
      'DROP TABLE agg_daily',
      'DROP TABLE patient_events',
      'DROP TABLE patient_revenue',
      `CREATE TABLE location_aggregates (
  tenant_id ${TENANT} NOT NULL,
  location_id NVARCHAR(${ID_LENGTH}) ${BIN} NOT NULL,
  first_day NVARCHAR(10) ${BIN},
  last_day NVARCHAR(10) ${BIN},
  aggregates VARBINARY(MAX) NOT NULL,
  CONSTRAINT location_aggregates_pk PRIMARY KEY (tenant_id, location_id)
)`,
    ],
  },
  {
    version: 12,
    name: 'each stored aggregates value says its format, so a value of another format is rebuilt, not refused',
    // As SQLite's migration 12: every value stored before it is format 1.
    statements: () => [
      'ALTER TABLE location_aggregates ADD value_format INT NOT NULL CONSTRAINT location_aggregates_format DEFAULT 1',
      'CREATE INDEX location_aggregates_by_format ON location_aggregates (tenant_id, value_format)',
    ],
  },
  {
    version: 13,
    name: 'stored answers: cells computed ahead per data version, read by the first question after an ingest',
    // As SQLite's migration 13: the cell's key as its SHA-256 in base64url (43 characters).
    statements: () => [
      `CREATE TABLE stored_answers (
  tenant_id ${TENANT} NOT NULL,
  data_version BIGINT NOT NULL,
  cell_hash NVARCHAR(43) ${BIN} NOT NULL,
  answer_json NVARCHAR(MAX) NOT NULL,
  CONSTRAINT stored_answers_pk PRIMARY KEY (tenant_id, data_version, cell_hash)
)`,
    ],
  },
  {
    version: 14,
    name: 'dirty marks say which ingest made them, so a refresh clears the mark it read and no later one',
    // As SQLite's migration 14: NULL for a mark no ingest made.
    statements: () => ['ALTER TABLE agg_dirty ADD marked_by_ingest BIGINT NULL'],
  },
];

export const CREATE_SCHEMA_MIGRATIONS = `IF OBJECT_ID(N'schema_migrations', N'U') IS NULL
CREATE TABLE schema_migrations (
  version INT NOT NULL CONSTRAINT schema_migrations_pk PRIMARY KEY,
  name NVARCHAR(400) NOT NULL,
  applied_at NVARCHAR(30) NOT NULL
)`;

/**
 * Applies the migrations the database lacks. Two processes opening a new database at once are
 * serialized by an exclusive application lock, and each re-reads schema_migrations inside its
 * transaction, so a migration never runs twice.
 */
export async function migrateAzureSql(pool: ConnectionPool): Promise<number[]> {
  const appliedNow: number[] = [];
  for (const migration of AZURE_SQL_MIGRATIONS) {
    const tx = new Transaction(pool);
    await tx.begin(ISOLATION_LEVEL.SERIALIZABLE);
    try {
      await takeAppLock(tx, 'caliper:migrations', 60_000);
      // Under the lock, so two first opens of an empty database do not both create it.
      await tx.request().batch(CREATE_SCHEMA_MIGRATIONS);
      const [done] = await queryRows<{ n: number }>(
        tx,
        'SELECT COUNT(*) AS n FROM schema_migrations WHERE version = @version',
        { version: migration.version },
      );
      if ((done?.n ?? 0) > 0) {
        await tx.commit();
        continue;
      }
      for (const statement of migration.statements()) {
        try {
          await tx.request().batch(statement);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          throw new Error(
            `Migration ${migration.version} failed at "${statement.split('\n')[0]}": ${message}`,
            {
              cause: error,
            },
          );
        }
      }
      await execute(
        tx,
        'INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @appliedAt)',
        { version: migration.version, name: migration.name, appliedAt: new Date().toISOString() },
      );
      await tx.commit();
      appliedNow.push(migration.version);
    } catch (error) {
      await rollbackQuietly(tx);
      throw error;
    }
  }
  return appliedNow;
}
