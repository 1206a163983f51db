import { type AnyFileSpec, CANONICAL_FILES } from '../model/canonicalBundle';
import { type CellKind, PERSONAL_KINDS } from '../model/cellTypes';
import type { CurrentRow } from './store.port';

export type SqlType = 'TEXT' | 'INTEGER' | 'REAL';

export interface StoredColumn {
  /** Column name in the store (personal columns are stored as `<name>_hash`). */
  name: string;
  type: SqlType;
  /** The bundle column it comes from; null for columns the ingest derives. */
  source: string | null;
}

function sqlTypeOf(kind: CellKind): SqlType {
  if (kind === 'money' || kind === 'count') return 'INTEGER';
  if (kind === 'hours') return 'REAL';
  return 'TEXT';
}

/** Columns the ingest adds to an entity beyond its bundle columns. */
const DERIVED_COLUMNS: Record<string, StoredColumn[]> = {
  // The person a patient row belongs to across systems and locations: the pseudonymized email,
  // else the pseudonymized phone, else the EMR's own id (no match possible).
  patients: [{ name: 'person_key', type: 'TEXT', source: null }],
};

/**
 * The columns the store keeps for one canonical file: every bundle column with its SQL type,
 * personal columns replaced by their keyed hash, and derived columns. Both store adapters build
 * their tables from this list, so a new bundle column reaches every store the same way.
 */
const cache = new WeakMap<AnyFileSpec, readonly StoredColumn[]>();

export function storedColumnsOf(spec: AnyFileSpec): readonly StoredColumn[] {
  const cached = cache.get(spec);
  if (cached) return cached;
  const columns = Object.entries(spec.columns).map(([name, column]) => ({
    name: PERSONAL_KINDS.has(column.kind) ? `${name}_hash` : name,
    type: sqlTypeOf(column.kind),
    source: name,
  }));
  const all = [...columns, ...(DERIVED_COLUMNS[spec.entity] ?? [])];
  cache.set(spec, all);
  return all;
}

export function allEntitySpecs(): AnyFileSpec[] {
  return CANONICAL_FILES.map((spec) => spec as unknown as AnyFileSpec);
}

/**
 * A stored row as a store's SELECT hands it back (its stored columns, `row_id`, `extra_json`,
 * `row_hash`, `source_file_id`, `source_row`; numbers already numbers) → the current row the
 * ingest works with. Both stores read rows back through this, so they hand over identical rows.
 */
export function toCurrentRow(spec: AnyFileSpec, record: Record<string, unknown>): CurrentRow {
  const values: Record<string, string | number | null> = {};
  for (const column of storedColumnsOf(spec)) {
    values[column.name] = (record[column.name] ?? null) as string | number | null;
  }
  const extra = record.extra_json;
  return {
    rowId: String(record.row_id),
    key: spec.naturalKey.map((k) => String(values[k])),
    values,
    extra: typeof extra === 'string' ? (JSON.parse(extra) as Record<string, string>) : null,
    hash: String(record.row_hash),
    sourceRow: Number(record.source_row),
    sourceFileId: Number(record.source_file_id),
  };
}
