import fs from 'node:fs';
import path from 'node:path';

import Database from 'better-sqlite3';

import { SET_ACTION_STATE } from '../../../store/sql/actionStates';
import { SAVE_BRIEFING } from '../../../store/sql/briefings';
import { AZURE_SQL_DIALECT, SQLITE_DIALECT } from '../../../store/sql/sqlDialect';
import type { KeyedInsert } from '../../../store/sql/sqlDriver';
import { SqliteDriver } from '../../../store/sql/sqliteDriver';
import { JsonParam } from '../../../store/sql/sqlValues';
import { tempDir } from '../../support/testStore';

/** Whitespace-insensitive, so the comparison is about the statement, not its layout. */
const oneLine = (sql: string) => sql.replace(/\s+/g, ' ').trim();

const BRIEFING: KeyedInsert = {
  table: 'briefings',
  values: { tenant_id: 'tenant', briefing_date: 'date', body_json: 'body', created_at: 'createdAt' },
  key: ['tenant_id', 'briefing_date'],
};

describe('the SQL dialects', () => {
  it('quote identifiers each in their own way and refuse anything but a plain name', () => {
    expect(SQLITE_DIALECT.quote('row')).toBe('"row"');
    expect(AZURE_SQL_DIALECT.quote('row')).toBe('[row]');
    for (const dialect of [SQLITE_DIALECT, AZURE_SQL_DIALECT]) {
      expect(() => dialect.quote('x]; DROP TABLE t; --')).toThrow(/Bad/);
      expect(() => dialect.quote('x"')).toThrow(/Bad/);
    }
  });

  it('limit rows with LIMIT on SQLite and OFFSET … FETCH on Azure SQL, after the ORDER BY', () => {
    expect(SQLITE_DIALECT.limit(20)).toBe('LIMIT 20');
    expect(AZURE_SQL_DIALECT.limit(20)).toBe('OFFSET 0 ROWS FETCH NEXT 20 ROWS ONLY');
    for (const bad of [-1, 1.5, Number.NaN]) {
      expect(() => SQLITE_DIALECT.limit(bad)).toThrow(/Bad row count/);
      expect(() => AZURE_SQL_DIALECT.limit(bad)).toThrow(/Bad row count/);
    }
  });

  it('spell text functions, JSON IN lists and ordered lists each in their own way', () => {
    expect(SQLITE_DIALECT.left('f.start_at', 10)).toBe('substr(f.start_at, 1, 10)');
    expect(AZURE_SQL_DIALECT.left('f.start_at', 10)).toBe('LEFT(f.start_at, 10)');
    expect(SQLITE_DIALECT.length('f."date"')).toBe('length(f."date")');
    expect(AZURE_SQL_DIALECT.length('f.[date]')).toBe('LEN(f.[date])');
    expect(SQLITE_DIALECT.inJsonList('f.kind', 'kinds')).toBe(
      'f.kind IN (SELECT value FROM json_each(@kinds))',
    );
    // The statement of the former store/azuresql/azureSql-lineage.ts.
    expect(AZURE_SQL_DIALECT.inJsonList('f.kind', 'kinds')).toBe(
      'f.kind IN (SELECT value COLLATE Latin1_General_100_BIN2 FROM OPENJSON(@kinds))',
    );
    expect(SQLITE_DIALECT.jsonPairs('pairs', 'cells')).toBe(
      "(SELECT json_extract(value, '$[0]') AS pair_key, json_extract(value, '$[1]') AS pair_value FROM json_each(@pairs)) AS cells",
    );
    expect(AZURE_SQL_DIALECT.jsonPairs('pairs', 'cells')).toBe(
      "OPENJSON(@pairs) WITH (pair_key NVARCHAR(MAX) '$[0]', pair_value NVARCHAR(MAX) '$[1]') AS cells",
    );
    expect(AZURE_SQL_DIALECT.joinedIntegers('s.source_row')).toBe(
      "STRING_AGG(CAST(s.source_row AS NVARCHAR(20)), ',') WITHIN GROUP (ORDER BY s.source_row)",
    );
  });

  it('write an upsert as the MERGE the Azure SQL briefings always ran', () => {
    const merge = AZURE_SQL_DIALECT.upsert(SAVE_BRIEFING);
    // The statement of the former store/azuresql/azureSql-briefings.ts, identifiers bracketed.
    expect(oneLine(merge)).toBe(
      oneLine(`MERGE [briefings] WITH (HOLDLOCK) AS target
        USING (SELECT @tenant AS [tenant_id], @date AS [briefing_date]) AS source
        ON target.[tenant_id] = source.[tenant_id] AND target.[briefing_date] = source.[briefing_date]
        WHEN MATCHED THEN UPDATE SET [body_json] = @body, [created_at] = @createdAt
        WHEN NOT MATCHED THEN INSERT ([tenant_id], [briefing_date], [body_json], [created_at])
          VALUES (@tenant, @date, @body, @createdAt);`),
    );
    expect(oneLine(AZURE_SQL_DIALECT.insertOrIgnore(BRIEFING))).not.toContain('WHEN MATCHED');
  });

  it('write the action states upsert as the MERGE Azure SQL always ran: the action id is only inserted', () => {
    const merge = AZURE_SQL_DIALECT.upsert(SET_ACTION_STATE);
    // The statement of the former store/azuresql/azureSql-actionStates.ts, identifiers bracketed.
    expect(oneLine(merge)).toBe(
      oneLine(`MERGE [action_states] WITH (HOLDLOCK) AS target
        USING (SELECT @tenant AS [tenant_id], @key AS [action_key]) AS source
        ON target.[tenant_id] = source.[tenant_id] AND target.[action_key] = source.[action_key]
        WHEN MATCHED THEN UPDATE SET [status] = @status, [snoozed_until] = @until, [updated_at] = @updatedAt
        WHEN NOT MATCHED THEN INSERT ([tenant_id], [action_key], [action_id], [status], [snoozed_until], [updated_at])
          VALUES (@tenant, @key, @actionId, @status, @until, @updatedAt);`),
    );
  });

  it('answer the id of an inserted row with RETURNING on SQLite and OUTPUT INSERTED on Azure SQL', () => {
    const insert = { table: 'ingests', values: { tenant_id: 'tenant', label: 'label' } };
    expect(oneLine(SQLITE_DIALECT.insertReturning(insert, 'ingest_id'))).toBe(
      'INSERT INTO "ingests" ("tenant_id", "label") VALUES (@tenant, @label) RETURNING "ingest_id"',
    );
    expect(oneLine(AZURE_SQL_DIALECT.insertReturning(insert, 'ingest_id'))).toBe(
      'INSERT INTO [ingests] ([tenant_id], [label]) OUTPUT INSERTED.[ingest_id] VALUES (@tenant, @label)',
    );
  });

  it('join text with || on SQLite and + on Azure SQL', () => {
    expect(SQLITE_DIALECT.concat("'id:'", 'm.patient_id')).toBe("('id:' || m.patient_id)");
    expect(AZURE_SQL_DIALECT.concat("'id:'", 'm.patient_id')).toBe("('id:' + m.patient_id)");
  });

  it('refuse a key or a replaced column that is not inserted', () => {
    for (const dialect of [SQLITE_DIALECT, AZURE_SQL_DIALECT]) {
      expect(() => dialect.insertOrIgnore({ ...BRIEFING, key: ['tenant_id', 'day'] })).toThrow(
        /not inserted/,
      );
      expect(() => dialect.upsert({ ...BRIEFING, replace: ['body'] })).toThrow(/not inserted/);
    }
  });

  it('read a BIGINT back as a number, whether the driver delivers a number or text', () => {
    // tedious delivers BIGINT as a decimal string; better-sqlite3 as a number.
    expect(AZURE_SQL_DIALECT.toNumber('9007199254740991')).toBe(9007199254740991);
    expect(AZURE_SQL_DIALECT.toNumber(42)).toBe(42);
    expect(AZURE_SQL_DIALECT.toNumberOrNull(null)).toBeNull();
    expect(() => AZURE_SQL_DIALECT.toNumber(null)).toThrow(/Expected a number/);
    expect(SQLITE_DIALECT.toNumber(42)).toBe(42);
    expect(SQLITE_DIALECT.toNumberOrNull(null)).toBeNull();
    // Text where SQLite should have an INTEGER means a wrong column, not a driver habit.
    expect(() => SQLITE_DIALECT.toNumber('42')).toThrow(/Expected a number from SQLite/);
  });
});

describe('the SQLite dialect on a real file', () => {
  let dir: string;
  let db: Database.Database;
  let sql: SqliteDriver;
  beforeEach(() => {
    dir = tempDir('caliper-dialect-');
    db = new Database(path.join(dir, 'dialect.db'));
    db.exec(`CREATE TABLE briefings (
      tenant_id TEXT NOT NULL, briefing_date TEXT NOT NULL, body_json TEXT NOT NULL, created_at TEXT NOT NULL,
      PRIMARY KEY (tenant_id, briefing_date))`);
    sql = new SqliteDriver(db);
  });
  afterEach(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const write = (statement: string, body: string, createdAt: string) =>
    sql.run(statement, { tenant: 't1', date: '2026-07-01', body, createdAt });
  const stored = () => sql.all('SELECT body_json, created_at FROM briefings');

  it('upserts: a second write of the key replaces the named columns', async () => {
    const upsert = SQLITE_DIALECT.upsert({ ...BRIEFING, replace: ['body_json'] });
    expect(await write(upsert, 'first', 'a')).toBe(1);
    expect(await write(upsert, 'second', 'b')).toBe(1);
    // created_at is not replaced: it keeps the first write's value.
    expect(await stored()).toEqual([{ body_json: 'second', created_at: 'a' }]);
  });

  it('inserts or ignores: a second write of the key changes nothing', async () => {
    const insert = SQLITE_DIALECT.insertOrIgnore(BRIEFING);
    expect(await write(insert, 'first', 'a')).toBe(1);
    expect(await write(insert, 'second', 'b')).toBe(0);
    expect(await stored()).toEqual([{ body_json: 'first', created_at: 'a' }]);
  });

  it('still refuses a row that breaks another constraint than the key', async () => {
    const insert = SQLITE_DIALECT.insertOrIgnore(BRIEFING);
    await expect(
      sql.run(insert, { tenant: 't1', date: '2026-07-02', body: null, createdAt: 'a' }),
    ).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_NOTNULL' });
  });

  /** One briefing of tenant t1 per date, through the dialect's insert-or-ignore. */
  async function insertBriefings(dates: readonly string[]): Promise<void> {
    for (const date of dates) {
      await sql.run(SQLITE_DIALECT.insertOrIgnore(BRIEFING), {
        tenant: 't1',
        date,
        body: '{}',
        createdAt: 'a',
      });
    }
  }

  it('keeps the first rows of an ordered query with its limit', async () => {
    await insertBriefings(['2026-07-03', '2026-07-01', '2026-07-02']);
    const first = await sql.all<{ briefing_date: string }>(
      `SELECT briefing_date FROM briefings ORDER BY briefing_date ${SQLITE_DIALECT.limit(2)}`,
    );
    expect(first.map((r) => r.briefing_date)).toEqual(['2026-07-01', '2026-07-02']);
  });

  it('reads an IN list of any length from one JSON parameter', async () => {
    const dates = Array.from({ length: 40_000 }, (_, i) => `d${i}`);
    await insertBriefings(['d7', 'd39999', 'not listed']);
    // Far past SQLite's 32766 bound parameters, had each value been one.
    const listed = await sql.all<{ briefing_date: string }>(
      `SELECT briefing_date FROM briefings WHERE ${SQLITE_DIALECT.inJsonList('briefing_date', 'dates')} ORDER BY briefing_date`,
      { dates: new JsonParam(dates) },
    );
    expect(listed.map((r) => r.briefing_date)).toEqual(['d39999', 'd7']);
  });

  it('answers the id of the row it inserts, and joins text', async () => {
    db.exec('CREATE TABLE notes (note_id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT)');
    const insert = SQLITE_DIALECT.insertReturning({ table: 'notes', values: { body: 'body' } }, 'note_id');
    expect(await sql.get(insert, { body: 'a' })).toEqual({ note_id: 1 });
    expect(await sql.get(insert, { body: 'b' })).toEqual({ note_id: 2 });
    expect(
      await sql.get(
        `SELECT ${SQLITE_DIALECT.concat("'id:'", 'body')} AS joined FROM notes WHERE note_id = 2`,
      ),
    ).toEqual({ joined: 'id:b' });
  });

  it('joins a group of integers in ascending order and measures and cuts text', async () => {
    const row = await sql.get<{ joined: string; head: string; n: number }>(
      `SELECT ${SQLITE_DIALECT.joinedIntegers('v')} AS joined, ${SQLITE_DIALECT.left("'2026-07-01'", 7)} AS head,
              ${SQLITE_DIALECT.length("'2026-07'")} AS n
       FROM (SELECT 10 AS v UNION ALL SELECT 2 UNION ALL SELECT 33)`,
    );
    expect(row).toEqual({ joined: '2,10,33', head: '2026-07', n: 7 });
  });
});
