import type { AnyFileSpec } from '../../shared/model/canonicalBundle';
import { allEntitySpecs } from '../../shared/store/storedColumns';
import { type ChangedRow, compareChangedRows } from '../../shared/store/storeHistory';
import type { SqlDialect, SqlDriver } from './sqlDriver';

/**
 * The versions of a fact table that stood after ingest `@asOf` — opened by it or before, not
 * yet closed by then — or the current ones when no ingest is named. Named parameter: @asOf.
 */
export function standingAt(asOfIngest: number | undefined, alias?: string): string {
  const p = alias === undefined ? '' : `${alias}.`;
  return asOfIngest === undefined
    ? `${p}valid_to_ingest IS NULL`
    : `${p}valid_from_ingest <= @asOf AND (${p}valid_to_ingest IS NULL OR ${p}valid_to_ingest > @asOf)`;
}

function toChangedRow(
  d: SqlDialect,
  spec: AnyFileSpec,
  r: Record<string, unknown>,
  closed: boolean,
): ChangedRow {
  const updated = !closed && r.previous_row_id !== null && r.previous_row_id !== undefined;
  return {
    entity: spec.entity,
    file: spec.file,
    key: Object.fromEntries(spec.naturalKey.map((k) => [k, String(r[`key_${k}`])])),
    change: closed ? 'closed' : updated ? 'updated' : 'inserted',
    ingest_id: d.toNumber(r.ingest_id),
    location_id: (r.location_id ?? null) as string | null,
    previous_location_id: updated ? ((r.previous_location_id ?? null) as string | null) : null,
    source_file: (r.source_file ?? null) as string | null,
    source_row: d.toNumber(r.source_row),
    previous: updated
      ? {
          source_file: (r.previous_source_file ?? null) as string | null,
          source_row: d.toNumberOrNull(r.previous_source_row) ?? 0,
          ingest_id: d.toNumberOrNull(r.previous_ingest_id) ?? 0,
        }
      : null,
  };
}

/**
 * Every row version an ingest after `since` wrote or closed: a version it opened is `updated`
 * when it superseded one of the same key (closed by the same ingest), else `inserted`; a version
 * it closed without a successor (a location merge retires rows) is `closed`.
 */
export async function changedRowsSince(sql: SqlDriver, tenant: string, since: number): Promise<ChangedRow[]> {
  const d = sql.dialect;
  const args = { tenant, since };
  const out: ChangedRow[] = [];
  for (const spec of allEntitySpecs()) {
    const table = spec.entity;
    const location = (alias: string) => ('location_id' in spec.columns ? `${alias}.location_id` : 'NULL');
    const keys = (alias: string) =>
      spec.naturalKey.map((k) => `${alias}.${d.quote(k)} AS key_${k}`).join(', ');
    const sameKey = (a: string, b: string) =>
      spec.naturalKey.map((k) => `${a}.${d.quote(k)} = ${b}.${d.quote(k)}`).join(' AND ');
    const opened = await sql.all<Record<string, unknown>>(
      `SELECT ${keys('n')}, ${location('n')} AS location_id, ${location('p')} AS previous_location_id,
              n.valid_from_ingest AS ingest_id, sf.path AS source_file, n.source_row,
              p.row_id AS previous_row_id, psf.path AS previous_source_file,
              p.source_row AS previous_source_row, p.valid_from_ingest AS previous_ingest_id
       FROM ${table} n
       LEFT JOIN ${table} p
         ON p.tenant_id = n.tenant_id AND ${sameKey('p', 'n')} AND p.valid_to_ingest = n.valid_from_ingest
       LEFT JOIN source_files sf ON sf.source_file_id = n.source_file_id
       LEFT JOIN source_files psf ON psf.source_file_id = p.source_file_id
       WHERE n.tenant_id = @tenant AND n.valid_from_ingest > @since`,
      args,
    );
    for (const r of opened) out.push(toChangedRow(d, spec, r, false));
    const closed = await sql.all<Record<string, unknown>>(
      `SELECT ${keys('o')}, ${location('o')} AS location_id, NULL AS previous_location_id,
              o.valid_to_ingest AS ingest_id, sf.path AS source_file, o.source_row,
              NULL AS previous_row_id, NULL AS previous_source_file,
              NULL AS previous_source_row, NULL AS previous_ingest_id
       FROM ${table} o
       LEFT JOIN source_files sf ON sf.source_file_id = o.source_file_id
       WHERE o.tenant_id = @tenant AND o.valid_to_ingest > @since
         AND NOT EXISTS (SELECT 1 FROM ${table} s
           WHERE s.tenant_id = o.tenant_id AND ${sameKey('s', 'o')} AND s.valid_from_ingest = o.valid_to_ingest)`,
      args,
    );
    for (const r of closed) out.push(toChangedRow(d, spec, r, true));
  }
  return out.sort(compareChangedRows);
}
