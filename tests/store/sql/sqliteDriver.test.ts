import fs from 'node:fs';
import path from 'node:path';

import Database from 'better-sqlite3';

import { SqliteDriver } from '../../../store/sql/sqliteDriver';
import { tempDir } from '../../support/testStore';

let dir: string;
let db: Database.Database;
let sql: SqliteDriver;
beforeEach(() => {
  dir = tempDir('caliper-driver-');
  db = new Database(path.join(dir, 'driver.db'));
  db.exec('CREATE TABLE notes (note_id INTEGER PRIMARY KEY, tenant_id TEXT NOT NULL, body TEXT)');
  sql = new SqliteDriver(db);
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the SQLite driver', () => {
  it('binds @name parameters from an object and answers rows, one row, and changes', async () => {
    expect(
      await sql.run('INSERT INTO notes (tenant_id, body) VALUES (@tenant, @body)', {
        tenant: 't1',
        body: 'a',
      }),
    ).toBe(1);
    await sql.run('INSERT INTO notes (tenant_id, body) VALUES (@tenant, @body)', {
      tenant: 't1',
      body: null,
    });
    expect(
      await sql.all('SELECT note_id, body FROM notes WHERE tenant_id = @tenant ORDER BY note_id', {
        tenant: 't1',
      }),
    ).toEqual([
      { note_id: 1, body: 'a' },
      { note_id: 2, body: null },
    ]);
    expect(await sql.get('SELECT body FROM notes WHERE note_id = @id', { id: 2 })).toEqual({ body: null });
    expect(await sql.get('SELECT body FROM notes WHERE note_id = @id', { id: 3 })).toBeUndefined();
    expect(
      await sql.run('UPDATE notes SET body = @body WHERE tenant_id = @tenant', { body: 'b', tenant: 't1' }),
    ).toBe(2);
  });

  it('answers the rows better-sqlite3 itself would: the same properties in the same order, a repeated name with its last value, any column name', async () => {
    db.exec(`INSERT INTO notes (tenant_id, body) VALUES ('t1', 'a'), ('t1', NULL)`);
    const queries = [
      'SELECT note_id, body, tenant_id FROM notes ORDER BY note_id',
      "SELECT note_id AS n, body AS n, x'00ff' AS bytes, 9007199254740991 AS big, 1.5 AS half FROM notes",
      'SELECT body AS "a ""quoted"" name", note_id AS "__proto__", note_id AS "constructor" FROM notes',
      'SELECT * FROM notes WHERE note_id = 0',
    ];
    for (const query of queries) {
      const rows = await sql.all<Record<string, unknown>>(query);
      const own = db.prepare<[], Record<string, unknown>>(query).all();
      expect(rows).toEqual(own);
      expect(rows.map((row) => Object.keys(row))).toEqual(own.map((row) => Object.keys(row)));
    }
    await expect(sql.all("UPDATE notes SET body = 'c'")).rejects.toThrow(
      'This statement does not return data',
    );
  });

  it('hands each row over as `all` lists it, one at a time, and answers how many', async () => {
    db.exec(`INSERT INTO notes (tenant_id, body) VALUES ('t1', 'a'), ('t1', NULL), ('t2', 'c')`);
    const query =
      'SELECT note_id AS n, body AS n, tenant_id FROM notes WHERE tenant_id = @tenant ORDER BY note_id';
    const handed: Record<string, unknown>[] = [];
    expect(await sql.each<Record<string, unknown>>(query, { tenant: 't1' }, (row) => handed.push(row))).toBe(
      2,
    );
    const listed = await sql.all<Record<string, unknown>>(query, { tenant: 't1' });
    expect(handed).toEqual(listed);
    expect(handed.map((row) => Object.keys(row))).toEqual(listed.map((row) => Object.keys(row)));
    expect(await sql.each('SELECT body FROM notes WHERE note_id = 0', {}, () => undefined)).toBe(0);
    // A failing row callback stops the read and rejects; the connection reads on afterwards.
    await expect(
      sql.each('SELECT note_id FROM notes', {}, () => {
        throw new Error('row refused');
      }),
    ).rejects.toThrow('row refused');
    expect(await sql.all('SELECT COUNT(*) AS n FROM notes')).toEqual([{ n: 3 }]);
    await expect(sql.each("UPDATE notes SET body = 'c'", {}, () => undefined)).rejects.toThrow(
      'This statement does not return data',
    );
  });

  it('rejects (rather than throws) on an error, as the Azure SQL driver does', async () => {
    const pending = sql.run('INSERT INTO notes (tenant_id) VALUES (@tenant)', {});
    await expect(pending).rejects.toThrow(/Missing named parameter/);
  });

  it('commits a transaction whose work resolves and rolls back one whose work rejects', async () => {
    await sql.transaction(async (tx) => {
      await tx.run("INSERT INTO notes (tenant_id) VALUES ('kept')");
    });
    await expect(
      sql.transaction(async (tx) => {
        await tx.run("INSERT INTO notes (tenant_id) VALUES ('dropped')");
        throw new Error('work failed');
      }),
    ).rejects.toThrow('work failed');
    expect(await sql.all('SELECT tenant_id FROM notes')).toEqual([{ tenant_id: 'kept' }]);
    expect(db.inTransaction).toBe(false);
  });

  it('refuses to open a transaction inside another', async () => {
    await expect(sql.transaction(() => sql.transaction(() => Promise.resolve(1)))).rejects.toThrow(
      /already open/,
    );
    expect(db.inTransaction).toBe(false);
  });

  it('begins a transaction its caller commits or rolls back later, and refuses a second one', async () => {
    const kept = await sql.begin('caliper:ingest:t1');
    await kept.run("INSERT INTO notes (tenant_id) VALUES ('kept')");
    await expect(sql.begin('caliper:ingest:t2')).rejects.toThrow(/already open/);
    await kept.commit();
    const dropped = await sql.begin('caliper:ingest:t1');
    await dropped.run("INSERT INTO notes (tenant_id) VALUES ('dropped')");
    await dropped.rollback();
    // A second rollback (the transaction has ended) is no error.
    await dropped.rollback();
    expect(await sql.all('SELECT tenant_id FROM notes')).toEqual([{ tenant_id: 'kept' }]);
    expect(db.inTransaction).toBe(false);
  });
});
