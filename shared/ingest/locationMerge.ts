import { createHash } from 'node:crypto';

import { normalizeLocationName } from '../connectors/locationIdentity';
import {
  type AnyFileSpec,
  CANONICAL_FILES,
  type EntityName,
  locationColumnsOf,
  locationsFile,
} from '../model/canonicalBundle';
import type { CaliperStore, CurrentRow, IngestTransaction, StoredRow } from '../store/store.port';
import { storedColumnsOf } from '../store/storedColumns';
import type { DataQualityIssue, FileReport, IngestReport } from './dataQuality';
import { buildReport, rowHash } from './ingestBundles';

/*
 * "These two are one location": every current fact of FROM is written again at INTO, as one
 * ingest (all-or-nothing, in the ingest log, the earlier versions closed by it and kept in
 * history). Rows keep the file and row they were read from, so lineage still names the export
 * behind a number. FROM's row is closed, its name, aliases and id become INTO's aliases, and
 * the commit marks both locations for the next refresh of their aggregates.
 */

type Value = string | number | null;

/** A pair of rows, one per location, that would have one natural key once FROM is INTO. */
export interface MergeConflict {
  entity: EntityName;
  /** The natural key at INTO, column → value. */
  key: Record<string, string>;
  /** The columns whose values differ, each as a canonical file writes it. */
  differences: { column: string; from: string | null; into: string | null }[];
}

export interface LocationMergeOptions {
  from: string;
  into: string;
  /** Names the merge in the ingest log and in the source files it adds. */
  label: string;
  /**
   * Rows of both locations with one key and different values (a shift, a day's spend): keep
   * INTO's and close FROM's (kept in history) instead of refusing the merge.
   */
  keepInto?: boolean;
}

export interface LocationMergeResult {
  from: string;
  into: string;
  committed: boolean;
  /** Why nothing was written, when committed is false. */
  failure: string | null;
  ingest_id: number | null;
  /** FROM's rows now at INTO as rows of their own, per entity (patients: their home location). */
  moved: Partial<Record<EntityName, number>>;
  /** FROM's rows that INTO already had with the same values (one key): counted once now. */
  duplicates: Partial<Record<EntityName, number>>;
  /** Providers with a row at both locations: one row at INTO now. */
  providers_combined: string[];
  /** Rows of both with one key and different values: the merge refused them, or kept INTO's (`keepInto`). */
  conflicts: MergeConflict[];
  /** Fields INTO had no value for, taken from FROM. */
  filled: Record<string, string | number>;
  /** Fields where INTO kept its own value and FROM's differed. */
  kept: Record<string, { into: Value; from: Value }>;
  /** Names INTO now also goes by: FROM's aliases, FROM's name and FROM's id. */
  aliases_added: string[];
  /** FROM's names left out because they are another location's alias already. */
  aliases_skipped: { alias: string; location_id: string }[];
  report: IngestReport;
}

/** What merging does to the rows of one entity (one location column of it). */
interface EntityPlan {
  spec: AnyFileSpec;
  column: string;
  rowsRead: number;
  /** New versions: FROM's rows at INTO (their origin kept) and composed rows (no origin). */
  write: StoredRow[];
  /** FROM's rows closed without a successor under their key. */
  retire: string[];
  moved: number;
  duplicates: number;
  issues: DataQualityIssue[];
}

/** closed_on empty means open: a location is not closed because the name it was merged from went out of use. */
const NOT_FILLED = new Set(['location_id', 'name', 'closed_on']);

/** Rows per upsert call. */
const BATCH = 2000;

function hashOf(
  spec: AnyFileSpec,
  values: Record<string, Value>,
  extra: Record<string, string> | null,
): string {
  return rowHash(
    storedColumnsOf(spec).map((c) => values[c.name] ?? null),
    extra,
  );
}

function keyOf(spec: AnyFileSpec, values: Record<string, Value>): string[] {
  return spec.naturalKey.map((k) => String(values[k]));
}

/**
 * FROM's row at INTO: INTO in its location column (and so its key, where the location is part
 * of it); same origin, new hash. Vendor ids never carry the location they resolved to (Zenoti's
 * are namespaced by the center as exported), so the export ingested again names the same rows.
 */
function relocated(spec: AnyFileSpec, row: CurrentRow, column: string, into: string): StoredRow {
  const values: Record<string, Value> = { ...row.values, [column]: into };
  return {
    key: keyOf(spec, values),
    values,
    extra: row.extra,
    hash: hashOf(spec, values, row.extra),
    sourceRow: row.sourceRow,
    sourceFileId: row.sourceFileId,
  };
}

/** A stored value as a canonical file writes it: money in dollars, personal values withheld. */
function shown(spec: AnyFileSpec, column: string, value: Value): string | null {
  if (value === null) return null;
  if (column.endsWith('_hash')) return '(withheld)';
  const kind = spec.columns[column]?.kind;
  return kind === 'money' && typeof value === 'number' ? (value / 100).toFixed(2) : String(value);
}

function differences(spec: AnyFileSpec, from: Record<string, Value>, into: Record<string, Value>) {
  return storedColumnsOf(spec)
    .filter((c) => (from[c.name] ?? null) !== (into[c.name] ?? null))
    .map((c) => ({
      column: c.name,
      from: shown(spec, c.name, from[c.name] ?? null),
      into: shown(spec, c.name, into[c.name] ?? null),
    }));
}

function describeKey(key: Record<string, string>): string {
  return Object.entries(key)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}

/**
 * One provider's rows at both locations as one row at INTO: INTO's values, the empty ones
 * filled from FROM's; worked there since the earlier start; still there unless both rows
 * ended (then until the later end). Two different payroll ids cannot be one: a conflict.
 */
function combinedProvider(
  into: CurrentRow,
  from: StoredRow,
): { values: Record<string, Value>; extra: Record<string, string> | null } | 'payroll_conflict' {
  const a = into.values;
  const b = from.values;
  if (
    a.payroll_employee_id !== null &&
    b.payroll_employee_id !== null &&
    a.payroll_employee_id !== b.payroll_employee_id
  ) {
    return 'payroll_conflict';
  }
  const values: Record<string, Value> = { ...a };
  for (const [column, value] of Object.entries(b)) {
    if ((values[column] ?? null) === null && value !== null) values[column] = value;
  }
  const starts = [a.started_on, b.started_on].filter((d): d is string => typeof d === 'string').sort();
  values.started_on = starts[0] ?? null;
  values.ended_on =
    typeof a.ended_on === 'string' && typeof b.ended_on === 'string'
      ? [a.ended_on, b.ended_on].sort()[1]!
      : null;
  const extra = into.extra === null && from.extra === null ? null : { ...from.extra, ...into.extra };
  return { values, extra };
}

async function planEntity(
  tx: IngestTransaction,
  spec: AnyFileSpec,
  column: string,
  options: LocationMergeOptions,
  conflicts: MergeConflict[],
  combined: string[],
): Promise<EntityPlan | null> {
  const entity = spec.entity;
  const rows = await tx.currentRows(entity, column, options.from);
  if (rows.length === 0) return null;
  const plan: EntityPlan = {
    spec,
    column,
    rowsRead: rows.length,
    write: [],
    retire: [],
    moved: 0,
    duplicates: 0,
    issues: [],
  };
  const file = `${options.label} → ${spec.file}`;
  // INTO's rows by key, read when a row's key changes (it names the location).
  let atInto: Map<string, CurrentRow> | null = null;
  for (const row of rows) {
    const moved = relocated(spec, row, column, options.into);
    if (JSON.stringify(moved.key) === JSON.stringify(row.key)) {
      // The same key: the new version supersedes FROM's row.
      plan.write.push(moved);
      plan.moved += 1;
      continue;
    }
    // A new key: FROM's row is closed, and INTO may have that key already.
    atInto ??= new Map(
      (await tx.currentRows(entity, column, options.into)).map((r) => [JSON.stringify(r.key), r]),
    );
    const existing = atInto.get(JSON.stringify(moved.key));
    plan.retire.push(row.rowId);
    if (existing === undefined) {
      plan.write.push(moved);
      plan.moved += 1;
      continue;
    }
    const key = Object.fromEntries(spec.naturalKey.map((k, i) => [k, moved.key[i]!]));
    const differ = differences(spec, moved.values, existing.values);
    if (differ.length === 0) {
      plan.duplicates += 1;
      plan.issues.push({
        file,
        row: null,
        column: null,
        code: 'merge_duplicate',
        severity: 'warning',
        message: `${describeKey(key)}: ${options.from} and ${options.into} had the same row; it counts once`,
      });
      continue;
    }
    if (entity === 'providers') {
      const both = combinedProvider(existing, moved);
      if (both !== 'payroll_conflict') {
        combined.push(String(moved.values.provider_id));
        const hash = hashOf(spec, both.values, both.extra);
        if (hash !== existing.hash) {
          // A composed row: the merge is its source (its row number is set when written).
          plan.write.push({ key: existing.key, values: both.values, extra: both.extra, hash, sourceRow: 0 });
        }
        continue;
      }
    }
    const conflict: MergeConflict = { entity, key, differences: differ };
    conflicts.push(conflict);
    const what = differ.map(
      (d) =>
        `${d.column} ${d.from ?? '(empty)'} at ${options.from}, ${d.into ?? '(empty)'} at ${options.into}`,
    );
    plan.issues.push({
      file,
      row: null,
      column: differ[0]?.column ?? null,
      code: 'merge_conflict',
      severity: options.keepInto === true ? 'warning' : 'error',
      message: `${describeKey(key)}: ${what.join('; ')}${options.keepInto === true ? `; ${options.into}'s row was kept, ${options.from}'s stays in history` : ''}`,
    });
  }
  return plan;
}

function fileReport(
  label: string,
  spec: AnyFileSpec,
  rowsRead: number,
  issues: DataQualityIssue[],
): FileReport {
  return {
    file: `${label} → ${spec.file}`,
    entity: spec.entity,
    bytes: 0,
    sha256: '',
    rows_read: rowsRead,
    rows_accepted: rowsRead,
    rows_rejected: 0,
    rows_inserted: 0,
    rows_updated: 0,
    rows_unchanged: 0,
    issues,
  };
}

/** Writes one entity's plan under a source file of its own; returns its file report. */
async function writePlan(tx: IngestTransaction, label: string, plan: EntityPlan): Promise<FileReport> {
  const { spec } = plan;
  const entity = spec.entity;
  const report = fileReport(label, spec, plan.rowsRead, plan.issues);
  const sourceFileId = await tx.addSourceFile({
    path: report.file,
    name: spec.file,
    entity: spec.entity,
    bytes: 0,
  });
  const digest = createHash('sha256');
  let composed = 1;
  for (let start = 0; start < plan.write.length; start += BATCH) {
    const batch = plan.write
      .slice(start, start + BATCH)
      .map((row) => (row.sourceFileId === undefined ? { ...row, sourceRow: ++composed } : row));
    const outcome = await tx.upsert(entity, sourceFileId, batch);
    if (outcome.conflicts.length > 0) {
      throw new Error(
        `${spec.file}: ${outcome.conflicts.length} rows met another version written by this merge`,
      );
    }
    report.rows_inserted += outcome.inserted;
    report.rows_updated += outcome.updated;
    report.rows_unchanged += outcome.unchanged;
    for (const row of batch) digest.update(`${row.hash}\n`);
  }
  // Rows that now count once, or whose INTO twin stands: nothing new was written for them.
  report.rows_unchanged += plan.rowsRead - plan.write.length;
  await tx.retire(entity, plan.retire);
  for (const rowId of plan.retire) digest.update(`-${rowId}\n`);
  report.sha256 = digest.digest('hex');
  await tx.finishSourceFile(sourceFileId, {
    sha256: report.sha256,
    rowsRead: plan.rowsRead,
    rowsAccepted: plan.rowsRead,
    rowsRejected: 0,
  });
  return report;
}

/**
 * Merges location `from` into `into` as one ingest. Refused (nothing written, `committed`
 * false, the reason in `failure`) when either is not a current location of the tenant, when
 * they are the same, when INTO with FROM's fields would break a locations.csv rule, or when
 * the two have rows with one key and different values (unless `keepInto`).
 */
export async function mergeLocations(
  store: CaliperStore,
  tenant: string,
  options: LocationMergeOptions,
): Promise<LocationMergeResult> {
  const { from, into, label } = options;
  const result: LocationMergeResult = {
    from,
    into,
    committed: false,
    failure: null,
    ingest_id: null,
    moved: {},
    duplicates: {},
    providers_combined: [],
    conflicts: [],
    filled: {},
    kept: {},
    aliases_added: [],
    aliases_skipped: [],
    report: buildReport(null, tenant, [], false, null),
  };
  const refuse = (failure: string, files: FileReport[] = []): LocationMergeResult => ({
    ...result,
    failure,
    report: buildReport(null, tenant, files, false, failure),
  });
  if (from === into) return refuse(`cannot merge location ${JSON.stringify(from)} into itself`);

  const tx = await store.beginIngest(tenant, label);
  try {
    const [fromRow] = await tx.currentRows('locations', 'location_id', from);
    const [intoRow] = await tx.currentRows('locations', 'location_id', into);
    const missing = [fromRow ? null : from, intoRow ? null : into].filter((id) => id !== null);
    if (!fromRow || !intoRow) {
      await tx.rollback();
      return refuse(
        `no location ${missing.map((id) => JSON.stringify(id)).join(' nor ')} in tenant "${tenant}"`,
      );
    }

    // 1. Plan every fact first: a conflict refuses the merge before anything is written.
    const plans: EntityPlan[] = [];
    for (const file of CANONICAL_FILES) {
      const spec = file as unknown as AnyFileSpec;
      if (spec.entity === 'locations') continue;
      for (const column of locationColumnsOf(spec)) {
        const plan = await planEntity(tx, spec, column, options, result.conflicts, result.providers_combined);
        if (plan !== null) plans.push(plan);
      }
    }
    if (result.conflicts.length > 0 && options.keepInto !== true) {
      await tx.rollback();
      const files = plans
        .map((p) => ({ plan: p, refused: p.issues.filter((i) => i.code === 'merge_conflict').length }))
        .filter(({ refused }) => refused > 0)
        .map(({ plan, refused }) => ({
          ...fileReport(label, plan.spec, plan.rowsRead, plan.issues),
          rows_accepted: plan.rowsRead - refused,
          rows_rejected: refused,
        }));
      const n = result.conflicts.length;
      return {
        ...refuse(
          `${n} key${n === 1 ? '' : 's'} with a row at both ${from} and ${into} but different values; a location keeps one row per key, so nothing was written. Correct one side and ingest it again, or keep ${into}'s rows (--keep-into; API: "keep_into": true)`,
          files,
        ),
        conflicts: result.conflicts,
        providers_combined: result.providers_combined,
      };
    }

    // 2. INTO's row: its own fields, the ones it lacks taken from FROM.
    const locations = locationsFile as unknown as AnyFileSpec;
    const intoValues: Record<string, Value> = { ...intoRow.values };
    for (const field of Object.keys(locationsFile.columns)) {
      const mine = intoRow.values[field] ?? null;
      const theirs = fromRow.values[field] ?? null;
      if (field === 'location_id' || field === 'name' || theirs === null || mine === theirs) continue;
      if (mine === null && !NOT_FILLED.has(field)) {
        intoValues[field] = theirs;
        result.filled[field] = theirs;
      } else {
        result.kept[field] = { into: mine, from: theirs };
      }
    }
    const problems = locationsFile.check(intoValues as Parameters<typeof locationsFile.check>[0]);
    if (problems.length > 0) {
      await tx.rollback();
      return refuse(
        `${into} with ${from}'s ${Object.keys(result.filled).join(', ')} would be refused: ${problems.map((p) => p.message).join('; ')}. Set ${into}'s fields first (caliper locations set ${into})`,
      );
    }
    const locationPlan: EntityPlan = {
      spec: locations,
      column: 'location_id',
      rowsRead: 1,
      write: [],
      retire: [fromRow.rowId],
      moved: 0,
      duplicates: 0,
      issues: [],
    };
    if (Object.keys(result.filled).length > 0) {
      locationPlan.write.push({
        key: intoRow.key,
        values: intoValues,
        extra: intoRow.extra,
        hash: hashOf(locations, intoValues, intoRow.extra),
        sourceRow: 0,
      });
    }

    // 3. Write: INTO's row, then every fact, FROM's rows closed.
    const files: FileReport[] = [await writePlan(tx, label, locationPlan)];
    for (const plan of plans) {
      files.push(await writePlan(tx, label, plan));
      const entity = plan.spec.entity;
      if (plan.moved > 0) result.moved[entity] = (result.moved[entity] ?? 0) + plan.moved;
      if (plan.duplicates > 0) result.duplicates[entity] = (result.duplicates[entity] ?? 0) + plan.duplicates;
    }

    // 4. Names: what named FROM names INTO from now on, so later exports resolve to INTO.
    const aliases = await tx.locationAliases();
    const owners = new Map<string, string>();
    for (const [alias, locationId] of aliases) owners.set(normalizeLocationName(alias), locationId);
    const before = new Set([...aliases].filter(([, l]) => l === into).map(([a]) => normalizeLocationName(a)));
    const toSave: string[] = [];
    // The id first: when id and name read alike (`evolve-austin`, `Evolve Austin`) one alias
    // stays, written as the name. Either way a canonical file's location_id of FROM resolves.
    for (const alias of [from, String(fromRow.values.name)]) {
      const owner = owners.get(normalizeLocationName(alias));
      if (owner !== undefined && owner !== from && owner !== into) {
        result.aliases_skipped.push({ alias, location_id: owner });
      } else {
        toSave.push(alias);
      }
    }
    await tx.moveLocationAliases(from, into, toSave);
    result.aliases_added = [...(await tx.locationAliases())]
      .filter(([alias, l]) => l === into && !before.has(normalizeLocationName(alias)))
      .map(([alias]) => alias)
      .sort((a, b) => normalizeLocationName(a).localeCompare(normalizeLocationName(b)));

    const report = buildReport(tx.ingestId, tenant, files, true, null);
    await tx.addIssues(files.flatMap((f) => f.issues));
    await tx.commit(report);
    return { ...result, committed: true, ingest_id: tx.ingestId, report };
  } catch (error) {
    await tx.rollback();
    throw error;
  }
}
