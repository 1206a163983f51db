import { createHash } from 'node:crypto';

import type { StoredAnswer } from '../../shared/store/store.port';
import { JsonParam } from '../azuresql/azureSqlQuery';
import type { SqlDriver } from './sqlDriver';

/**
 * Answers computed ahead and kept per data version (shared/metrics/storedAnswers.ts). A cell's
 * key is stored as its SHA-256 (43 characters of base64url): keys run to hundreds of characters,
 * more than an index key holds in Azure SQL, and the hash is as unique as the key.
 */

/**
 * Keys per statement: a workbook's recalculation (at most 10,000 cells) in one read, a JSON
 * parameter of 450 KB; a precompute's writes in statements of a few megabytes.
 */
const KEYS_PER_STATEMENT = 10_000;

export function cellHash(key: string): string {
  return createHash('sha256').update(key).digest('base64url');
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The stored answers among `keys` for the tenant at `version`, by key; a key without one is absent. */
export async function storedAnswers(
  sql: SqlDriver,
  tenant: string,
  version: number,
  keys: readonly string[],
): Promise<Map<string, string>> {
  const keyOf = new Map(keys.map((key) => [cellHash(key), key]));
  const found = new Map<string, string>();
  for (const hashes of chunks([...keyOf.keys()], KEYS_PER_STATEMENT)) {
    const rows = await sql.all<{ cell_hash: string; answer_json: string }>(
      `SELECT cell_hash, answer_json FROM stored_answers
        WHERE tenant_id = @tenant AND data_version = @version AND ${sql.dialect.inJsonList('cell_hash', 'hashes')}`,
      { tenant, version, hashes: new JsonParam(hashes) },
    );
    for (const row of rows) found.set(keyOf.get(row.cell_hash)!, row.answer_json);
  }
  return found;
}

/**
 * Stores answers for the tenant at `version` in one transaction, and removes its answers of
 * earlier versions (they answer data that is no longer the tenant's; data versions only grow, so
 * a late save of an earlier version never removes a later one's). A key stored already keeps its
 * answer: the same question at the same version has the same answer.
 */
export async function saveAnswers(
  sql: SqlDriver,
  tenant: string,
  version: number,
  answers: readonly StoredAnswer[],
): Promise<void> {
  const pairs = [...new Map(answers.map((a) => [cellHash(a.key), a.answer])).entries()];
  await sql.transaction(async (tx) => {
    await tx.run('DELETE FROM stored_answers WHERE tenant_id = @tenant AND data_version < @version', {
      tenant,
      version,
    });
    for (const batch of chunks(pairs, KEYS_PER_STATEMENT)) {
      await tx.run(
        `INSERT INTO stored_answers (tenant_id, data_version, cell_hash, answer_json)
         SELECT @tenant, @version, cells.pair_key, cells.pair_value FROM ${tx.dialect.jsonPairs('pairs', 'cells')}
          WHERE NOT EXISTS (SELECT 1 FROM stored_answers s
                             WHERE s.tenant_id = @tenant AND s.data_version = @version AND s.cell_hash = cells.pair_key)`,
        { tenant, version, pairs: new JsonParam(batch) },
      );
    }
  });
}
