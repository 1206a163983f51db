import { allEntitySpecs, storedColumnsOf } from '../../../shared/store/storedColumns';
import {
  AZURE_SQL_MIGRATIONS,
  CREATE_SCHEMA_MIGRATIONS,
  tsqlTypeOf,
} from '../../../store/azuresql/migrations';
import { MIGRATIONS } from '../../../store/sqlite/migrations';
import { openTestStore, type TestStore } from '../../support/testStore';

// No SQL Server runs here: these tests read the T-SQL text and hold it against the schema of a
// real SQLite store, so the two adapters cannot drift apart unnoticed.

interface TsqlTable {
  columns: Map<string, string>;
  body: string;
}

const statements = [CREATE_SCHEMA_MIGRATIONS, ...AZURE_SQL_MIGRATIONS.flatMap((m) => m.statements())];

function tsqlTables(): Map<string, TsqlTable> {
  const tables = new Map<string, TsqlTable>();
  for (const statement of statements) {
    // A column added by a later migration, as SQLite's ALTER TABLE … ADD COLUMN adds it.
    const added = /^ALTER TABLE (\w+) ADD (\w+) (.+)$/.exec(statement);
    if (added) {
      tables.get(added[1]!)?.columns.set(added[2]!, added[3]!.replace(/ NULL$/, ''));
      continue;
    }
    const dropped = /^DROP TABLE (\w+)$/.exec(statement);
    if (dropped) {
      tables.delete(dropped[1]!);
      continue;
    }
    const match = /CREATE TABLE (\w+) \(([\s\S]*)\)\s*$/.exec(statement);
    if (!match) continue;
    const columns = new Map<string, string>();
    for (const line of match[2]!.split('\n').map((l) => l.trim().replace(/,$/, ''))) {
      if (line === '' || line.startsWith('CONSTRAINT')) continue;
      const [name, ...type] = line.split(/\s+/);
      columns.set(name!.replace(/^\[|\]$/g, ''), type.join(' '));
    }
    tables.set(match[1]!, { columns, body: match[2]! });
  }
  return tables;
}

/** Bytes a key column can take in an index key; Infinity for (MAX) types, which cannot be keys. */
function keyBytes(type: string): number {
  const text = /^NVARCHAR\((\d+|MAX)\)/.exec(type);
  if (text) return text[1] === 'MAX' ? Infinity : 2 * Number(text[1]);
  if (type.startsWith('BIGINT') || type.startsWith('FLOAT')) return 8;
  if (type.startsWith('INT')) return 4;
  throw new Error(`No key size for ${type}`);
}

let t: TestStore;
beforeAll(() => {
  t = openTestStore();
});
afterAll(async () => {
  await t.close();
});

describe('the Azure SQL migrations', () => {
  it('have the same versions and names as the SQLite migrations', () => {
    expect(AZURE_SQL_MIGRATIONS.map((m) => [m.version, m.name])).toEqual(
      MIGRATIONS.map((m) => [m.version, m.name]),
    );
  });

  it('create every table of the SQLite schema with exactly its columns', () => {
    const sqliteTables = t.store.db
      .prepare<[], { name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .all()
      .map((r) => r.name);
    const tables = tsqlTables();
    expect([...tables.keys()].sort()).toEqual(sqliteTables);
    for (const table of sqliteTables) {
      const sqliteColumns = t.store.db
        .prepare<[], { name: string }>(`PRAGMA table_info(${table})`)
        .all()
        .map((c) => c.name)
        .sort();
      expect({ table, columns: [...tables.get(table)!.columns.keys()].sort() }).toEqual({
        table,
        columns: sqliteColumns,
      });
    }
  });

  it('give every canonical column of every entity its T-SQL type, with a binary collation on text', () => {
    const tables = tsqlTables();
    for (const spec of allEntitySpecs()) {
      const table = tables.get(spec.entity)!;
      for (const column of storedColumnsOf(spec)) {
        const type = table.columns.get(column.name);
        expect({ column: `${spec.entity}.${column.name}`, type }).toEqual({
          column: `${spec.entity}.${column.name}`,
          type: tsqlTypeOf(spec, column),
        });
        const expected = {
          INTEGER: /^BIGINT$/,
          REAL: /^FLOAT$/,
          TEXT: /^NVARCHAR\(\w+\) COLLATE Latin1_General_100_BIN2$/,
        };
        expect(type).toMatch(expected[column.type]);
      }
      for (const lineage of [
        'tenant_id',
        'source_file_id',
        'source_row',
        'valid_from_ingest',
        'valid_to_ingest',
      ]) {
        expect(table.columns.has(lineage)).toBe(true);
      }
    }
  });

  it('create every SQLite index under the same name, current-row indexes filtered like the partial ones', () => {
    const sqliteIndexes = t.store.db
      .prepare<[], { name: string; sql: string }>(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name",
      )
      .all();
    const tsqlIndexes = new Map(
      statements.flatMap((s) => {
        const match = /^CREATE (?:UNIQUE )?(?:CLUSTERED )?INDEX (\w+) ON/.exec(s);
        return match ? [[match[1]!, s] as const] : [];
      }),
    );
    expect(sqliteIndexes.length).toBeGreaterThanOrEqual(20);
    for (const index of sqliteIndexes) {
      const tsql = tsqlIndexes.get(index.name);
      expect({ index: index.name, found: tsql !== undefined }).toEqual({ index: index.name, found: true });
      expect(tsql!.startsWith('CREATE UNIQUE')).toBe(index.sql.startsWith('CREATE UNIQUE'));
      expect(tsql!.includes('WHERE valid_to_ingest IS NULL')).toBe(
        index.sql.includes('WHERE valid_to_ingest IS NULL'),
      );
      const columnsOf = (sql: string) => /\(([^)]*)\)/.exec(sql)![1]!.replace(/[[\]\s]/g, '');
      expect(columnsOf(tsql!)).toBe(columnsOf(index.sql));
    }
  });

  it('keep every index key within SQL Server limits (1700 bytes, 900 when clustered, no MAX columns)', () => {
    const tables = tsqlTables();
    const keys: { name: string; table: string; columns: string[]; limit: number }[] = [];
    for (const statement of statements) {
      const index = /^CREATE (?:UNIQUE )?(CLUSTERED )?INDEX (\w+) ON (\w+) \(([^)]*)\)/.exec(statement);
      if (index) {
        keys.push({
          name: index[2]!,
          table: index[3]!,
          columns: index[4]!.split(',').map((c) => c.trim().replace(/^\[|\]$/g, '')),
          limit: index[1] ? 900 : 1700,
        });
      }
      const table = /CREATE TABLE (\w+)/.exec(statement)?.[1];
      for (const pk of statement.matchAll(/CONSTRAINT (\w+) PRIMARY KEY (NONCLUSTERED )?\(([^)]*)\)/g)) {
        keys.push({
          name: pk[1]!,
          table: table!,
          columns: pk[3]!.split(',').map((c) => c.trim()),
          limit: pk[2] ? 1700 : 900,
        });
      }
    }
    expect(keys.map((k) => k.name)).toEqual(
      expect.arrayContaining(['sales_current', 'shifts_current', 'agg_daily_pk']),
    );
    expect(keys.length).toBeGreaterThanOrEqual(30);
    // The keys of a table a later migration dropped (patient_events, patient_revenue) are gone with it.
    for (const key of keys.filter((k) => tables.has(k.table))) {
      const columns = tables.get(key.table)!.columns;
      const bytes = key.columns.reduce((sum, c) => sum + keyBytes(columns.get(c)!), 0);
      expect({ index: key.name, withinLimit: bytes <= key.limit }).toEqual({
        index: key.name,
        withinLimit: true,
      });
    }
  });

  it('bracket the column names that are T-SQL reserved words', () => {
    const tables = tsqlTables();
    expect(tables.get('memberships')!.body).toContain('[plan] NVARCHAR');
    expect(tables.get('data_quality_issues')!.body).toContain('[file] NVARCHAR');
  });
});
