import type Database from 'better-sqlite3';

import { allEntitySpecs, storedColumnsOf } from '../../shared/store/storedColumns';

/**
 * Schema migrations, applied in order inside one transaction each and recorded in
 * schema_migrations, so an existing store file is brought forward on open and never rebuilt.
 */
export interface Migration {
  version: number;
  name: string;
  sql: () => string;
}

/**
 * Every fact table keeps history: a corrected row closes the current version
 * (`valid_to_ingest`) and adds a new one, so any ingest's view ("as reported") can be rebuilt.
 * Every row carries its tenant and its origin (source file + row) for lineage.
 */
function factTablesSql(): string {
  return allEntitySpecs()
    .map((spec) => {
      const columns = storedColumnsOf(spec)
        .map((c) => `  ${c.name} ${c.type}`)
        .join(',\n');
      const key = spec.naturalKey.join(', ');
      const hasLocation = 'location_id' in spec.columns;
      return `
CREATE TABLE ${spec.entity} (
  row_id INTEGER PRIMARY KEY,
  tenant_id TEXT NOT NULL,
${columns},
  extra_json TEXT,
  row_hash TEXT NOT NULL,
  source_file_id INTEGER NOT NULL REFERENCES source_files(source_file_id),
  source_row INTEGER NOT NULL,
  valid_from_ingest INTEGER NOT NULL REFERENCES ingests(ingest_id),
  valid_to_ingest INTEGER REFERENCES ingests(ingest_id)
);
CREATE UNIQUE INDEX ${spec.entity}_current ON ${spec.entity} (tenant_id, ${key}) WHERE valid_to_ingest IS NULL;
${hasLocation ? `CREATE INDEX ${spec.entity}_by_location ON ${spec.entity} (tenant_id, location_id) WHERE valid_to_ingest IS NULL;` : ''}`;
    })
    .join('\n');
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'ingest log, source files, data-quality issues and the canonical fact tables',
    sql: () => `
CREATE TABLE ingests (
  ingest_id INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id TEXT NOT NULL,
  label TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  report_json TEXT
);
CREATE INDEX ingests_by_tenant ON ingests (tenant_id);
CREATE TABLE source_files (
  source_file_id INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id TEXT NOT NULL,
  ingest_id INTEGER NOT NULL REFERENCES ingests(ingest_id),
  path TEXT NOT NULL,
  name TEXT NOT NULL,
  entity TEXT,
  bytes INTEGER NOT NULL,
  sha256 TEXT,
  rows_read INTEGER,
  rows_accepted INTEGER,
  rows_rejected INTEGER
);
CREATE TABLE data_quality_issues (
  issue_id INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id TEXT NOT NULL,
  ingest_id INTEGER NOT NULL REFERENCES ingests(ingest_id),
  file TEXT NOT NULL,
  row INTEGER,
  column_name TEXT,
  code TEXT NOT NULL,
  severity TEXT NOT NULL,
  message TEXT NOT NULL
);
CREATE INDEX data_quality_issues_by_ingest ON data_quality_issues (tenant_id, ingest_id);
${factTablesSql()}`,
  },
  {
    version: 2,
    name: 'aggregates: daily additive measures, patient events and revenue, dirty locations',
    sql: () => `
CREATE TABLE agg_daily (
  tenant_id TEXT NOT NULL,
  location_id TEXT NOT NULL,
  provider_id TEXT NOT NULL,
  measure TEXT NOT NULL,
  day TEXT NOT NULL,
  value REAL NOT NULL,
  PRIMARY KEY (tenant_id, location_id, provider_id, measure, day)
) WITHOUT ROWID;
CREATE TABLE patient_events (
  tenant_id TEXT NOT NULL,
  location_id TEXT NOT NULL,
  appointment_id TEXT NOT NULL,
  person_key TEXT NOT NULL,
  patient_id TEXT NOT NULL,
  provider_id TEXT,
  category TEXT,
  status TEXT NOT NULL,
  start_at TEXT NOT NULL,
  booked_on TEXT,
  duration_min INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, location_id, appointment_id)
) WITHOUT ROWID;
CREATE TABLE patient_revenue (
  tenant_id TEXT NOT NULL,
  location_id TEXT NOT NULL,
  person_key TEXT NOT NULL,
  day TEXT NOT NULL,
  net_cents INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, location_id, person_key, day)
) WITHOUT ROWID;
-- Locations whose aggregates are stale: filled in the same transaction as the ingest that
-- changed their facts, emptied by the refresh that recomputes them.
CREATE TABLE agg_dirty (
  tenant_id TEXT NOT NULL,
  location_id TEXT NOT NULL,
  PRIMARY KEY (tenant_id, location_id)
) WITHOUT ROWID;`,
  },
  {
    version: 3,
    name: 'indexes for patient and provider look-ups of the refresh step',
    sql: () => `
CREATE INDEX appointments_by_patient ON appointments (tenant_id, patient_id) WHERE valid_to_ingest IS NULL;
CREATE INDEX sales_by_patient ON sales (tenant_id, patient_id) WHERE valid_to_ingest IS NULL;
CREATE INDEX sales_by_provider ON sales (tenant_id, provider_id) WHERE valid_to_ingest IS NULL;
CREATE INDEX providers_by_payroll_id ON providers (tenant_id, payroll_employee_id) WHERE valid_to_ingest IS NULL;
CREATE INDEX payroll_by_employee ON payroll (tenant_id, payroll_employee_id) WHERE valid_to_ingest IS NULL;`,
  },
  {
    version: 4,
    name: 'API keys, stored as SHA-256 hashes only',
    // Revoked keys are kept (revoked_at set) so `keys list` can still say who had access.
    sql: () => `
CREATE TABLE api_keys (
  key_id INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id TEXT NOT NULL,
  prefix TEXT NOT NULL UNIQUE,
  key_hash TEXT NOT NULL UNIQUE,
  label TEXT,
  created_at TEXT NOT NULL,
  revoked_at TEXT
);`,
  },
  {
    version: 5,
    name: 'location aliases: other names and vendor ids of a location',
    // Keyed by the normalized alias, so one name never points at two locations of a tenant.
    sql: () => `
CREATE TABLE location_aliases (
  tenant_id TEXT NOT NULL,
  alias_key TEXT NOT NULL,
  alias TEXT NOT NULL,
  location_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, alias_key)
) WITHOUT ROWID;`,
  },
  {
    version: 6,
    name: 'action states: snoozed or done actions of the front desk and the owner',
    // Keyed by the SHA-256 of the action id: an id can be long, and Azure SQL bounds key bytes.
    sql: () => `
CREATE TABLE action_states (
  tenant_id TEXT NOT NULL,
  action_key TEXT NOT NULL,
  action_id TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('snoozed', 'done')),
  snoozed_until TEXT,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, action_key)
) WITHOUT ROWID;`,
  },
  {
    version: 7,
    name: 'daily briefings: the portfolio briefing the timer writes each morning',
    // One per tenant and day: the timer running twice on a day replaces its own briefing.
    sql: () => `
CREATE TABLE briefings (
  tenant_id TEXT NOT NULL,
  briefing_date TEXT NOT NULL,
  body_json TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, briefing_date)
) WITHOUT ROWID;`,
  },
  {
    version: 8,
    name: 'exact compensation: every location refreshed once, so its aggregates carry pay as exact fractions',
    // Pro-rated pay is now stored as whole 1/d cents under measure names carrying d
    // (shared/engine/measures.ts); aggregates written before are recomputed at the next query.
    sql: () => `
INSERT OR IGNORE INTO agg_dirty (tenant_id, location_id)
SELECT DISTINCT tenant_id, location_id FROM agg_daily;`,
  },
  {
    version: 9,
    name: 'closed rows by the ingest that closed them, for marking what an ingest changed',
    // Partial: only superseded and retired rows, so the bulk of inserts never maintains it.
    sql: () =>
      allEntitySpecs()
        .map(
          (spec) =>
            `CREATE INDEX ${spec.entity}_closed ON ${spec.entity} (valid_to_ingest) WHERE valid_to_ingest IS NOT NULL;`,
        )
        .join('\n'),
  },
  {
    version: 10,
    name: 'dirty marks say from which day a location changed, so a refresh recomputes only those days',
    // NULL: every day (marks written before this version, or changes every day depends on).
    sql: () => 'ALTER TABLE agg_dirty ADD COLUMN from_day TEXT;',
  },
  {
    version: 11,
    name: 'aggregates as one value per location, written by the refresh: every location refreshed once',
    // A row per measure and day and per appointment made the metric load a sort and a text per
    // field of millions of rows, and the refresh an index insert per row
    // (shared/engine/aggregatesCodec.ts). The marks come first, from the table about to go.
    sql: () => `
INSERT INTO agg_dirty (tenant_id, location_id, from_day)
SELECT DISTINCT tenant_id, location_id, NULL FROM agg_daily WHERE true
ON CONFLICT (tenant_id, location_id) DO UPDATE SET from_day = NULL;
DROP TABLE agg_daily;
DROP TABLE patient_events;
DROP TABLE patient_revenue;
CREATE TABLE location_aggregates (
  tenant_id TEXT NOT NULL,
  location_id TEXT NOT NULL,
  -- The first and last day of the daily measures (null: none), so a load sizes its series first.
  first_day TEXT,
  last_day TEXT,
  aggregates BLOB NOT NULL,
  PRIMARY KEY (tenant_id, location_id)
) WITHOUT ROWID;`,
  },
  {
    version: 12,
    name: 'each stored aggregates value says its format, so a value of another format is rebuilt, not refused',
    // Every value stored before this migration is format 1 (aggregatesCodec.ts). The index
    // answers "which values are of another format" without reading the values themselves.
    sql: () => `
ALTER TABLE location_aggregates ADD COLUMN value_format INTEGER NOT NULL DEFAULT 1;
CREATE INDEX location_aggregates_by_format ON location_aggregates (tenant_id, value_format);`,
  },
  {
    version: 13,
    name: 'stored answers: cells computed ahead per data version, read by the first question after an ingest',
    // The cell's key as its SHA-256 (store/sql/storedAnswers.ts); the answer as the batch's JSON.
    sql: () => `
CREATE TABLE stored_answers (
  tenant_id TEXT NOT NULL,
  data_version INTEGER NOT NULL,
  cell_hash TEXT NOT NULL,
  answer_json TEXT NOT NULL,
  PRIMARY KEY (tenant_id, data_version, cell_hash)
) WITHOUT ROWID;`,
  },
  {
    version: 14,
    name: 'dirty marks say which ingest made them, so a refresh clears the mark it read and no later one',
    // NULL: a mark no ingest made (the migrations' own); store/sql/dirtyMarks.ts.
    sql: () => 'ALTER TABLE agg_dirty ADD COLUMN marked_by_ingest INTEGER;',
  },
];

export function migrate(db: Database.Database): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const applied = new Set(
    db
      .prepare<[], { version: number }>('SELECT version FROM schema_migrations')
      .all()
      .map((r) => r.version),
  );
  for (const migration of MIGRATIONS) {
    if (applied.has(migration.version)) continue;
    db.transaction(() => {
      db.exec(migration.sql());
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        migration.version,
        migration.name,
        new Date().toISOString(),
      );
    })();
  }
}
