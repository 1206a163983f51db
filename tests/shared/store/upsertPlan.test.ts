import fc from 'fast-check';

import type { IngestReport } from '../../../shared/ingest/dataQuality';
import { buildReport } from '../../../shared/ingest/ingestBundles';
import type { StoredRow } from '../../../shared/store/store.port';
import { type CurrentVersion, planUpsert } from '../../../shared/store/upsertPlan';
import { openTestStore } from '../../support/testStore';

function service(code: string, name: string, sourceRow = 2): StoredRow {
  return {
    key: [code],
    values: { service_code: code, service_name: name, category: 'facial', default_duration_min: null },
    extra: null,
    hash: `${code}:${name}`,
    sourceRow,
  };
}

function stored(row_id: string, hash: string, valid_from_ingest: number, source_row = 2): CurrentVersion {
  return { row_id, row_hash: hash, valid_from_ingest, source_file_id: 7, source_row };
}

describe('planning a batch upsert in memory', () => {
  it('inserts new keys, leaves identical rows and supersedes changed ones', () => {
    const rows = [service('A', 'new'), service('B', 'same'), service('C', 'changed')];
    const current = new Map([
      [1, stored('11', 'B:same', 1)],
      [2, stored('12', 'C:old', 1)],
    ]);

    expect(planUpsert(rows, current, 2, 9)).toEqual({
      outcome: { inserted: 1, updated: 1, unchanged: 1, conflicts: [] },
      toClose: ['12'],
      toInsert: [0, 2],
    });
  });

  it('treats a row earlier in the batch as the current version of a later one with the same key', () => {
    const rows = [service('A', 'x', 2), service('A', 'x', 3), service('A', 'y', 4)];

    expect(planUpsert(rows, new Map(), 5, 9)).toEqual({
      outcome: {
        inserted: 1,
        updated: 0,
        unchanged: 1,
        conflicts: [{ index: 2, firstSourceFileId: 9, firstSourceRow: 2 }],
      },
      toClose: [],
      toInsert: [0],
    });
  });

  it('reports a conflict with a version an earlier batch of the same ingest wrote', () => {
    const rows = [service('A', 'y')];
    const current = new Map([[0, stored('40', 'A:x', 5, 17)]]);

    expect(planUpsert(rows, current, 5, 9).outcome.conflicts).toEqual([
      { index: 0, firstSourceFileId: 7, firstSourceRow: 17 },
    ]);
  });

  it('decides from one look-up per batch exactly what the SQLite store ends up holding, batch after batch', async () => {
    const rowArb = fc.record({
      code: fc.constantFrom('A', 'B', 'C'),
      name: fc.constantFrom('x', 'y', 'z'),
    });
    const ingestsArb = fc.array(
      fc.array(fc.array(rowArb, { maxLength: 6 }), { minLength: 1, maxLength: 3 }),
      {
        minLength: 1,
        maxLength: 4,
      },
    );
    await fc.assert(
      fc.asyncProperty(ingestsArb, async (ingests) => {
        const t = openTestStore();
        try {
          for (const batches of ingests) {
            const tx = await t.store.beginIngest('t1', 'property');
            const sourceFile = await tx.addSourceFile({
              path: 's.csv',
              name: 'services.csv',
              entity: 'services',
              bytes: 1,
            });
            for (const batch of batches) {
              const rows = batch.map((r, i) => service(r.code, r.name, i + 2));
              const current = new Map<number, CurrentVersion>();
              for (const [index, row] of rows.entries()) {
                const found = t.store.db
                  .prepare<[string], Omit<CurrentVersion, 'row_id'> & { row_id: number }>(
                    `SELECT row_id, row_hash, valid_from_ingest, source_file_id, source_row FROM services
                     WHERE tenant_id = 't1' AND service_code = ? AND valid_to_ingest IS NULL`,
                  )
                  .get(row.key[0]!);
                if (found) current.set(index, { ...found, row_id: String(found.row_id) });
              }
              const openBefore = currentRowIds(t.store.db);

              const plan = planUpsert(rows, current, tx.ingestId, sourceFile);
              const actual = await tx.upsert('services', sourceFile, rows);

              expect(plan.outcome).toEqual(actual);
              const closed = openBefore.filter((id) => !currentRowIds(t.store.db).includes(id));
              expect(plan.toClose.sort()).toEqual(closed.sort());
            }
            await tx.commit(emptyReport(tx.ingestId));
          }
        } finally {
          await t.close();
        }
      }),
      { numRuns: 40 },
    );
  });
});

function currentRowIds(db: ReturnType<typeof openTestStore>['store']['db']): string[] {
  return db
    .prepare<[], { row_id: number }>(
      "SELECT row_id FROM services WHERE tenant_id = 't1' AND valid_to_ingest IS NULL",
    )
    .all()
    .map((r) => String(r.row_id));
}

function emptyReport(ingestId: number): IngestReport {
  return buildReport(ingestId, 't1', [], true, null);
}
