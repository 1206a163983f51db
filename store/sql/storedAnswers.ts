import { hash } from 'node:crypto';

import type { StoredAnswer, StoredKey } from '../../shared/store/store.port';
import type { SqlDriver } from './sqlDriver';
import { JsonParam } from './sqlValues';

/**
 * Answers computed ahead and kept per data version (shared/metrics/storedAnswers.ts). A cell's
 * key is stored as 43 characters of base64url SHA-256: keys run to hundreds of characters, more
 * than an index key holds in Azure SQL. The first 16 are of its group's hash, the other 27 of
 * the whole key's, so the primary key's order keeps a group's answers on shared pages: a cold
 * read of a workbook's 10,000 cells read one page per cell when the key was one hash (0.23 s at
 * 200 locations, most of the batch's time). The key is as unique as before: two keys share a
 * stored key only if 96 bits of their groups' hashes and 162 bits of their own agree.
 */

/**
 * Keys per statement: a workbook's recalculation (at most 10,000 cells) in one read, a JSON
 * parameter of 450 KB; a precompute's writes in statements of a few megabytes.
 */
const KEYS_PER_STATEMENT = 10_000;

const GROUP_CHARS = 16;
const CELL_CHARS = 27;

/** Each key's stored form; a group's hash is computed once per call. */
export function storedKeyHashes(keys: readonly StoredKey[]): string[] {
  const groupHashes = new Map<string, string>();
  return keys.map(({ group, cell }) => {
    let prefix = groupHashes.get(group);
    if (prefix === undefined) {
      prefix = hash('sha256', group, 'base64url').slice(0, GROUP_CHARS);
      groupHashes.set(group, prefix);
    }
    return prefix + hash('sha256', `${group}\u0000${cell}`, 'base64url').slice(0, CELL_CHARS);
  });
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The stored answers of `keys` for the tenant at `version`, in the keys' order; undefined: none. */
export async function storedAnswers(
  sql: SqlDriver,
  tenant: string,
  version: number,
  keys: readonly StoredKey[],
): Promise<(string | undefined)[]> {
  const hashes = storedKeyHashes(keys);
  const found = new Map<string, string>();
  for (const batch of chunks([...new Set(hashes)], KEYS_PER_STATEMENT)) {
    const rows = await sql.all<{ cell_hash: string; answer_json: string }>(
      `SELECT cell_hash, answer_json FROM stored_answers
        WHERE tenant_id = @tenant AND data_version = @version AND ${sql.dialect.inJsonList('cell_hash', 'hashes')}`,
      { tenant, version, hashes: new JsonParam(batch) },
    );
    for (const row of rows) found.set(row.cell_hash, row.answer_json);
  }
  return hashes.map((h) => found.get(h));
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
  const hashes = storedKeyHashes(answers.map((a) => a.key));
  const pairs = [...new Map(answers.map((a, i) => [hashes[i]!, a.answer])).entries()];
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
