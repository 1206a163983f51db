import type { StoredRow, UpsertOutcome } from './store.port';

/** The current stored version of a natural key, as the look-up found it. */
export interface CurrentVersion {
  /** The store's row id as text (tedious returns BIGINT as a string); null for a version this batch is inserting. */
  row_id: string | null;
  row_hash: string;
  valid_from_ingest: number;
  source_file_id: number;
  source_row: number;
}

export interface UpsertPlan {
  outcome: UpsertOutcome;
  /** Row ids of the current versions this batch supersedes. */
  toClose: string[];
  /** Batch indexes of the rows to insert as new current versions, in batch order. */
  toInsert: number[];
}

/**
 * What an upsert batch does, decided once for every store: given the current stored version of
 * each row's natural key (as it was before the batch), identical → unchanged; different and
 * written by this ingest → conflict; different and older → superseded (closed, new version
 * inserted); absent → inserted. A row earlier in the batch counts as the current version for a
 * later row with the same key.
 */
export function planUpsert(
  rows: readonly StoredRow[],
  currentByIndex: ReadonlyMap<number, CurrentVersion>,
  ingestId: number,
  sourceFileId: number,
): UpsertPlan {
  const outcome: UpsertOutcome = { inserted: 0, updated: 0, unchanged: 0, conflicts: [] };
  const latestByKey = new Map<string, CurrentVersion>();
  const toClose: string[] = [];
  const toInsert: number[] = [];
  for (const [index, row] of rows.entries()) {
    const keyText = JSON.stringify(row.key);
    const current = latestByKey.get(keyText) ?? currentByIndex.get(index) ?? null;
    if (current && current.row_hash === row.hash) {
      outcome.unchanged += 1;
      continue;
    }
    if (current && current.valid_from_ingest === ingestId) {
      outcome.conflicts.push({
        index,
        firstSourceFileId: current.source_file_id,
        firstSourceRow: current.source_row,
      });
      continue;
    }
    if (current) {
      // A version this batch inserted has valid_from_ingest = this ingest (a conflict above),
      // so what is closed here is always a stored row with a row id.
      if (current.row_id !== null) toClose.push(current.row_id);
      outcome.updated += 1;
    } else {
      outcome.inserted += 1;
    }
    toInsert.push(index);
    latestByKey.set(keyText, {
      row_id: null,
      row_hash: row.hash,
      valid_from_ingest: ingestId,
      source_file_id: row.sourceFileId ?? sourceFileId,
      source_row: row.sourceRow,
    });
  }
  return { outcome, toClose, toInsert };
}
